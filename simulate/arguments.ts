// `npm run simulate -- --stack NAME <scenario>...`: which stack and which test-mode purchases to run.

/** Every scenario, in the order `all` runs them. */
export const SCENARIOS = [
  'purchase',
  'over-limit',
  'restricted-outbound',
  'force-capture',
  'dispute',
  'authorizer-decline',
  'increment',
  'multi-capture',
  'replacement',
] as const;

export type ScenarioName = (typeof SCENARIOS)[number];

export interface SimulateArguments {
  stack: string;
  scenarios: ScenarioName[];
  /** Print every scenario's Stripe objects, not only those of scenarios that were not as expected. */
  verbose: boolean;
  /** Emulator port when offline (no STRIPE_API_KEY). */
  port?: number;
}

export const USAGE =
  `usage: npm run simulate -- --stack <name> [--verbose] [--port N] <scenario>... (one or more of ${SCENARIOS.join(', ')}, or all)\n` +
  '       with STRIPE_API_KEY (sk_test_… or rk_test_…): Stripe test mode; without: offline, on the emulator (port N, default 12111)';

const isScenario = (name: string): name is ScenarioName => (SCENARIOS as readonly string[]).includes(name);

export function parseSimulateArguments(argv: readonly string[]): SimulateArguments {
  let stack: string | undefined;
  let port: number | undefined;
  let verbose = false;
  const scenarios: ScenarioName[] = [];
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === '--stack') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`--stack needs a stack name\n${USAGE}`);
      stack = value;
    } else if (argument === '--port') {
      port = Number(argv[++i]);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port needs a whole number from 1 to 65535\n${USAGE}`);
    } else if (argument === '--verbose') {
      verbose = true;
    } else if (argument === 'all') {
      scenarios.push(...SCENARIOS);
    } else if (isScenario(argument)) {
      scenarios.push(argument);
    } else {
      throw new Error(`unknown ${argument.startsWith('-') ? 'option' : 'scenario'} ${JSON.stringify(argument)}\n${USAGE}`);
    }
  }
  if (stack === undefined) throw new Error(`--stack is required\n${USAGE}`);
  if (scenarios.length === 0) throw new Error(`name at least one scenario\n${USAGE}`);
  return { stack, scenarios: [...new Set(scenarios)], verbose, ...(port === undefined ? {} : { port }) };
}
