// `npm run simulate -- --stack NAME <scenario>...`: which stack and which test-mode purchases to run.

/** Every scenario, in the order `all` runs them. */
export const SCENARIOS = [
  'purchase',
  'over-limit',
  'restricted-outbound',
  'force-capture',
  'dispute',
  'authorizer-decline',
] as const;

export type ScenarioName = (typeof SCENARIOS)[number];

export interface SimulateArguments {
  stack: string;
  scenarios: ScenarioName[];
}

export const USAGE =
  `usage: npm run simulate -- --stack <name> <scenario>... (one or more of ${SCENARIOS.join(', ')}, or all)\n` +
  '       the Stripe test key comes from STRIPE_API_KEY (sk_test_… or rk_test_…)';

const isScenario = (name: string): name is ScenarioName => (SCENARIOS as readonly string[]).includes(name);

export function parseSimulateArguments(argv: readonly string[]): SimulateArguments {
  let stack: string | undefined;
  const scenarios: ScenarioName[] = [];
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === '--stack') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`--stack needs a stack name\n${USAGE}`);
      stack = value;
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
  return { stack, scenarios: [...new Set(scenarios)] };
}
