/**
 * Emulator memory: heap growth (after full collections) while it stores cardholders with one card
 * each, per 1,000 cards, against the bound of the compact JSON size of those same objects as the
 * client received them. The growth includes everything the emulator keeps per request (request
 * record, events, idempotency answers), so the ratio says how many bytes of memory one byte of Stripe
 * data costs. RSS is not reported: in one process it mostly shows the allocator reusing pages freed by
 * the client's garbage (0–8 MB for the same work across runs), which says nothing about the emulator.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { IssuingAccount } from './issuing-account';
import { type Measurement, quantity } from './measure';

const MB = 1024 * 1024;
const PARALLEL_REQUESTS = 8;

/** V8's collector, reachable without restarting Node with --expose-gc. */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function settledHeapBytes(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export async function measureEmulatorMemory(issuing: IssuingAccount, cards: number): Promise<Measurement[]> {
  const gc = collector();
  const before = settledHeapBytes(gc);
  let jsonBytes = 0;
  for (let created = 0; created < cards; created += PARALLEL_REQUESTS) {
    const batch = Math.min(PARALLEL_REQUESTS, cards - created);
    const sizes = await Promise.all(
      Array.from({ length: batch }, async () => {
        const holder = await issuing.cardholder();
        const card = await issuing.card(holder.id);
        return Buffer.byteLength(JSON.stringify(holder)) + Buffer.byteLength(JSON.stringify(card));
      }),
    );
    jsonBytes += sizes.reduce((sum, size) => sum + size, 0);
  }
  const after = settledHeapBytes(gc);
  const per1000 = (bytes: number) => (bytes / MB) * (1000 / cards);
  const scope = cards === 1000 ? '' : ` (${cards} made, scaled)`;
  return [
    {
      what: `emulator: heap growth per 1,000 cards + cardholders${scope}`,
      value: quantity(per1000(after - before), 'MB'),
      bound: { what: 'compact JSON of those cardholders and cards', ...quantity(per1000(jsonBytes), 'MB') },
    },
  ];
}
