// npm run simulate -- --stack NAME <scenario>...   (STRIPE_API_KEY=sk_test_…; see docs/authorizer.md)
import { parseSimulateArguments } from '../simulate/arguments';
import { unexpectedOutcomes } from '../simulate/expectations';
import { SimulationRefused } from '../simulate/guard';
import { formatScenarioResult } from '../simulate/report';
import { simulate } from '../simulate';

async function main(): Promise<number> {
  const { stack, scenarios } = parseSimulateArguments(process.argv.slice(2));
  let failed = 0;
  await simulate({
    stack,
    scenarios,
    cwd: process.cwd(),
    env: process.env,
    onResult: (result) => {
      const problems = unexpectedOutcomes(result);
      if (problems.length > 0) failed++;
      console.log(`${formatScenarioResult(result, problems)}\n`);
    },
  });
  console.log(failed === 0 ? `${scenarios.length} scenario(s) as expected` : `${failed} of ${scenarios.length} scenario(s) NOT as expected`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`simulate: ${error instanceof SimulationRefused ? 'refused: ' : ''}${message}`);
    process.exit(2);
  },
);
