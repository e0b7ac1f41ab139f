import * as fs from 'node:fs';

/**
 * Processes found through /proc by a variable in their environment. Tests mark what they start (a
 * workspace, a whole test run) with such a variable, which the Pulumi CLI passes on to its language host,
 * the program and every plugin, so what a killed CLI leaves behind can be found without knowing its PIDs.
 */
export interface FoundProcess {
  pid: number;
  command: string;
}

/** Live processes (zombies excluded) whose environment holds `name=value`. Linux only: /proc. */
export function processesMarked(name: string, value: string): FoundProcess[] {
  const marker = Buffer.from(`${name}=${value}\0`);
  const found: FoundProcess[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!Buffer.concat([Buffer.from('\0'), fs.readFileSync(`/proc/${pid}/environ`)]).includes(Buffer.concat([Buffer.from('\0'), marker])))
        continue;
      // Field 3 of /proc/PID/stat, after the parenthesised name: Z is a zombie, already dead.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      found.push({ pid, command });
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return found;
}

/** Waits up to `graceMs` for the marked processes to exit on their own, then SIGKILLs the rest; returns those. */
export async function reapMarked(name: string, value: string, graceMs = 0): Promise<FoundProcess[]> {
  const deadline = Date.now() + graceMs;
  let left = processesMarked(name, value);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    left = processesMarked(name, value);
  }
  return killAll(left);
}

/** The same, synchronously and without grace: for cleanups that cannot wait. */
export function killMarked(name: string, value: string): FoundProcess[] {
  return killAll(processesMarked(name, value));
}

function killAll(found: FoundProcess[]): FoundProcess[] {
  for (const { pid } of found) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return found;
}
