import * as crypto from 'node:crypto';
import { processesMarked, reapMarked } from '../../testbed/processes';

/**
 * Mocha's global fixtures (loaded by .mocharc.json): every process a test starts inherits this marker, and
 * after the last test the run fails, naming them, if any is still alive. Processes a normal CLI run stops
 * (the dynamic provider after `up`) get a few seconds to exit; what stays is killed so the machine is clean.
 */
const RUN_MARKER = 'STRIPE_ISSUING_TEST_RUN';
const GRACE_MS = 15_000;

export function mochaGlobalSetup(): void {
  process.env[RUN_MARKER] = crypto.randomBytes(8).toString('hex');
}

export async function mochaGlobalTeardown(): Promise<void> {
  const run = process.env[RUN_MARKER] ?? '';
  if (processesMarked(RUN_MARKER, run).length === 0) return;
  const left = await reapMarked(RUN_MARKER, run, GRACE_MS);
  if (left.length === 0) return;
  const lines = left.map(({ pid, command }) => `  ${pid}  ${command.slice(0, 200)}`).join('\n');
  throw new Error(
    `${left.length} process(es) started by this test run were still alive ${GRACE_MS / 1000} s after the last test (now killed):\n${lines}`,
  );
}
