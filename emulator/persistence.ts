// Optional persistence of the whole state to a JSON file, written atomically after each change. The file
// is Stripe's side of the world (emulated card numbers, webhook signing secrets), so only its owner may
// read it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EmulatorState } from './store';

export function loadState(file: string): EmulatorState | null {
  if (!fs.existsSync(file)) return null;
  const text = fs.readFileSync(file, 'utf8');
  try {
    const state = JSON.parse(text) as EmulatorState;
    if (!state.platformAccountId || !state.accounts || !state.scopes) throw new Error('missing platformAccountId, accounts or scopes');
    return state;
  } catch (error) {
    throw new Error(
      `The emulator state file ${file} is not valid emulator state (${(error as Error).message}); move it away to start fresh.`,
    );
  }
}

export function saveState(file: string, state: EmulatorState): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(state), { mode: 0o600 });
  fs.renameSync(temporary, file);
}
