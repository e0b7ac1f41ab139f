// npm run simulate -- --stack NAME [--verbose] [--port N] <scenario>...
// With STRIPE_API_KEY=sk_test_…: Stripe test mode (docs/authorizer.md). Without: offline, the way npm start
// runs, on the emulator with the stack's saved state and the stack's local authorizer (lib/stripe-target.ts).
// One line per scenario; a scenario's Stripe objects as tables with --verbose or when it is not as expected.
import { readStackDocument } from '../config/validate';
import { StripeTargetError, withStripeTarget } from '../lib/stripe-target';
import { simulate } from '../simulate';
import { parseSimulateArguments } from '../simulate/arguments';
import { unexpectedOutcomes } from '../simulate/expectations';
import { assertTestStack, SimulationRefused } from '../simulate/guard';
import { formatScenarioLine, formatScenarioResult } from '../simulate/report';

async function main(): Promise<number> {
  const { stack, scenarios, verbose, port } = parseSimulateArguments(process.argv.slice(2));
  const cwd = process.cwd();
  const document = readStackDocument(stack, cwd);
  assertTestStack(stack, document.mode);
  let failed = 0;
  await withStripeTarget(document, { stack, projectRoot: cwd, port, authorizer: true }, async ({ env, description }) => {
    console.log(`Simulating on stack ${stack} with ${description}`);
    await simulate({
      stack,
      scenarios,
      cwd,
      env,
      onResult: (result) => {
        const problems = unexpectedOutcomes(result);
        if (problems.length > 0) failed++;
        console.log(formatScenarioLine(result, problems));
        if (verbose || problems.length > 0) console.log(`\n${formatScenarioResult(result, problems)}\n`);
      },
    });
  });
  console.log(
    failed === 0 ? `${scenarios.length} scenario(s) as expected` : `${failed} of ${scenarios.length} scenario(s) NOT as expected`,
  );
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const refused = error instanceof SimulationRefused || error instanceof StripeTargetError;
    console.error(`simulate: ${refused ? 'refused: ' : ''}${message}`);
    process.exit(2);
  },
);
