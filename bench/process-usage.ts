/**
 * What a `pulumi` command's process tree uses, sampled from /proc (Linux) while it runs: peak resident
 * memory and CPU seconds of the CLI itself (the engine and the file backend), the program (language
 * host and the Node process running index.ts), and the dynamic-provider processes
 * (`pulumi-resource-pulumi-nodejs` and the node process behind it). A coarse profile: which process
 * the time of an `up` goes to.
 */
import * as fs from 'node:fs';

export type ProcessGroup = 'cli' | 'program' | 'provider';

export interface ProcessUsage {
  peakMB: Record<ProcessGroup, number>;
  cpuSeconds: Record<ProcessGroup, number>;
}

const TICKS_PER_SECOND = 100;

interface Sample {
  parent: number;
  cpuTicks: number;
  command: string;
}

function readProcess(pid: number): Sample | undefined {
  try {
    // Fields after the command name (which may hold spaces) start at the last ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // ppid is field 4, utime and stime fields 14 and 15 of the whole line (index 1, 11, 12 here).
    return {
      parent: Number(fields[1]),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
      command: fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'),
    };
  } catch {
    return undefined; // ended between the listing and the read
  }
}

function rssMB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples the tree under `rootPid` every `everyMs` until `stop()`. */
export function sampleProcessUsage(rootPid: number, everyMs = 100): { stop(): ProcessUsage } {
  const usage: ProcessUsage = { peakMB: { cli: 0, program: 0, provider: 0 }, cpuSeconds: { cli: 0, program: 0, provider: 0 } };
  // Last CPU time seen per process and its group: a process that ended keeps what it used.
  const seen = new Map<number, { group: ProcessGroup; cpuTicks: number }>();
  const sample = () => {
    const processes = new Map<number, Sample>();
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const found = readProcess(Number(entry));
      if (found) processes.set(Number(entry), found);
    }
    const groupOf = new Map<number, ProcessGroup>([[rootPid, 'cli']]);
    const resolve = (pid: number): ProcessGroup | undefined => {
      if (groupOf.has(pid)) return groupOf.get(pid);
      const found = processes.get(pid);
      if (!found || found.parent <= 1) return undefined;
      const parentGroup = resolve(found.parent);
      const group =
        parentGroup === undefined
          ? undefined
          : /dynamic-provider|pulumi-resource-pulumi-nodejs/.test(found.command)
            ? 'provider'
            : parentGroup === 'cli'
              ? 'program'
              : parentGroup;
      if (group) groupOf.set(pid, group);
      return group;
    };
    const memory: Record<ProcessGroup, number> = { cli: 0, program: 0, provider: 0 };
    for (const [pid, found] of processes) {
      const group = resolve(pid);
      if (group === undefined) continue;
      memory[group] += rssMB(pid);
      seen.set(pid, { group, cpuTicks: found.cpuTicks });
    }
    for (const group of Object.keys(memory) as ProcessGroup[]) usage.peakMB[group] = Math.max(usage.peakMB[group], memory[group]);
  };
  const timer = setInterval(sample, everyMs);
  sample();
  return {
    stop() {
      clearInterval(timer);
      sample();
      for (const { group, cpuTicks } of seen.values()) usage.cpuSeconds[group] += cpuTicks / TICKS_PER_SECOND;
      return usage;
    },
  };
}
