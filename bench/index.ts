/**
 * `npm run bench [-- --quick]`: speed and memory, each printed as a ratio against a bound measured in
 * the same run (or fixed by Stripe), never as a bare timing. docs/benchmarks.md explains each row.
 * Progress goes to stderr, the table to stdout.
 */
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { formatTable } from '../lib/table';
import { setup } from '../toolchain/setup';
import { measureAuthorizer } from './authorizer';
import { measureEmulatorMemory } from './emulator-memory';
import { measureEmulatorRequests } from './emulator-requests';
import { type EngineOptions, measureEngine } from './engine';
import { type IssuingAccount, startIssuingAccount } from './issuing-account';
import { formatQuantity, formatRatio, type Measurement } from './measure';
import { measureProviderPacer } from './provider-pacer';

interface Sizes {
  /** Interleaved rounds of each emulator call. */
  emulatorRounds: number;
  /** Cards (each with its cardholder) stored for the memory measurement. */
  memoryCards: number;
  /** Card creates started at once through the provider against the rate limit. */
  pacerCards: number;
  authorizerRounds: number;
  engine: EngineOptions;
}

// Full: several minutes on 2 cores (500 cards at 25 requests/s). Quick: about two minutes, for a first look.
const FULL: Sizes = {
  emulatorRounds: 500,
  memoryCards: 1000,
  pacerCards: 100,
  authorizerRounds: 1000,
  engine: { smallCards: 10, midCards: 50, largeCards: 500, previews: 3 },
};
const QUICK: Sizes = {
  emulatorRounds: 150,
  memoryCards: 300,
  pacerCards: 51,
  authorizerRounds: 300,
  engine: { smallCards: 10, midCards: 20, largeCards: 100, previews: 1 },
};

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Each emulator measurement gets an emulator of its own, closed afterwards. */
async function withIssuingAccount(measure: (issuing: IssuingAccount) => Promise<Measurement[]>): Promise<Measurement[]> {
  const issuing = await startIssuingAccount();
  try {
    return await measure(issuing);
  } finally {
    await issuing.emulator.close();
  }
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const sizes = quick ? QUICK : FULL;
  const started = performance.now();
  await setup({ stripeMock: false });
  const sections: Array<[string, () => Promise<Measurement[]>]> = [
    // Memory first: the process has not yet grown its heap for the other measurements.
    ['emulator memory', () => withIssuingAccount((issuing) => measureEmulatorMemory(issuing, sizes.memoryCards))],
    ['emulator request cost', () => withIssuingAccount((issuing) => measureEmulatorRequests(issuing, sizes.emulatorRounds))],
    ['provider pacer', () => withIssuingAccount((issuing) => measureProviderPacer(issuing, sizes.pacerCards))],
    ['authorizer answer time', () => measureAuthorizer(sizes.authorizerRounds)],
    ['engine + provider through the real CLI', () => measureEngine(sizes.engine, progress)],
  ];
  const measurements: Measurement[] = [];
  for (const [name, measure] of sections) {
    progress(`${name}…`);
    measurements.push(...(await measure()));
  }
  const [load1] = os.loadavg();
  console.log(
    `\nnpm run bench${quick ? ' -- --quick' : ''}: Node ${process.version}, ${os.cpus().length} cores, ` +
      `load average ${load1.toFixed(2)}, ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
  );
  console.log(
    formatTable(
      ['what', 'value', 'bound', 'bound value', 'ratio'],
      measurements.map((m) => [m.what, formatQuantity(m.value), m.bound.what, formatQuantity(m.bound), formatRatio(m)]),
    ),
  );
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
