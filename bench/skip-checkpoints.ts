/**
 * Issue 23, item 3: what `PULUMI_SKIP_CHECKPOINTS=true` saves on the `up` of a large stack on the file
 * backend. The bench's stack (bench/bench-stack.ts, 500 cards by default) brought up from nothing at the
 * 25 requests/s test-mode limit, with and without the variable, alternately (with, without, without,
 * with, …) so background load falls on both alike; each up on its own connected account of one emulator.
 * Not part of `npm run bench` (it takes a few minutes on its own); `npm exec` puts the Node 22 of
 * node_modules/.bin first on PATH, as npm scripts do:
 *
 *   npm exec -- node -r ts-node/register/transpile-only bench/skip-checkpoints.ts [--cards 500] [--rounds 1]
 *
 * Prints each up's time and the least time its requests need at the limit; docs/benchmarks.md has a run.
 */
import * as os from 'node:os';
import { startEmulator } from '../emulator';
import { createWorkspace, TestStack } from '../testbed/workspace';
import { setup } from '../toolchain/setup';
import { benchIssuing, resourceCount } from './bench-stack';
import { median, timeMs } from './measure';
import { TEST_MODE_RATE_LIMIT } from './provider-pacer';

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

async function main(): Promise<void> {
  const cards = argument('cards', 500);
  const rounds = argument('rounds', 1);
  await setup({ stripeMock: false });
  const accounts = Array.from({ length: 2 * rounds }, (_, i) => `acct_1SkipBench${String.fromCharCode(65 + i)}`);
  const emulator = await startEmulator({ seedAccounts: accounts, seedTosAccepted: true });
  const env = { STRIPE_API_BASE: emulator.url, STRIPE_API_KEY: 'sk_test_bench_skip' };
  const workspaces = {
    checkpoints: createWorkspace({ env }),
    skipped: createWorkspace({ env: { ...env, PULUMI_SKIP_CHECKPOINTS: 'true' } }),
  };
  const times: Record<keyof typeof workspaces, number[]> = { checkpoints: [], skipped: [] };
  let requests = 0;
  let resources = 0;
  try {
    emulator.setFaults({ rateLimitPerSecond: TEST_MODE_RATE_LIMIT });
    let next = 0;
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['checkpoints', 'skipped'] as const) : (['skipped', 'checkpoints'] as const);
      for (const kind of order) {
        const stack = await TestStack.create(workspaces[kind], `${kind}-${round}`);
        stack.setConfigValue('stripe-issuing:issuing', benchIssuing(cards, accounts[next++]));
        resources = resourceCount(stack.stackFile);
        const before = emulator.requests().filter((r) => r.status !== 429).length;
        process.stderr.write(`up of ${cards} cards (${resources} resources), ${kind}…\n`);
        const ms = await timeMs(() => stack.up());
        requests = emulator.requests().filter((r) => r.status !== 429).length - before;
        times[kind].push(ms);
        process.stderr.write(`  ${(ms / 1000).toFixed(1)} s, ${requests} accepted requests\n`);
      }
    }
  } finally {
    workspaces.checkpoints.cleanup();
    workspaces.skipped.cleanup();
    await emulator.close();
  }
  const least = requests / TEST_MODE_RATE_LIMIT;
  const withMs = median(times.checkpoints);
  const skipMs = median(times.skipped);
  console.log(`Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)} at the end`);
  console.log(`up of ${cards} cards (${resources} resources), ${TEST_MODE_RATE_LIMIT} req/s limit, ${rounds} round(s):`);
  const samples = (ms: number[]) => ms.map((m) => (m / 1000).toFixed(1)).join(', ');
  // Nearest-rank median (bench/measure.ts): of two samples, the lower.
  console.log(
    `  with checkpoints:         median ${(withMs / 1000).toFixed(1)} s  (${(withMs / 1000 / least).toFixed(2)}x the least time; samples ${samples(times.checkpoints)} s)`,
  );
  console.log(
    `  PULUMI_SKIP_CHECKPOINTS:  median ${(skipMs / 1000).toFixed(1)} s  (${(skipMs / 1000 / least).toFixed(2)}x the least time; samples ${samples(times.skipped)} s)`,
  );
  console.log(
    `  least time for ${requests} requests at ${TEST_MODE_RATE_LIMIT} req/s: ${least.toFixed(1)} s; speedup ${(withMs / skipMs).toFixed(2)}x`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
