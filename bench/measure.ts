/**
 * What a benchmark reports: a measured value next to a bound measured (or fixed by Stripe) in the same
 * run, and their ratio. Absolute timings depend on the machine and its load; ratios against a bound
 * taken under the same conditions are what can be compared between runs.
 */
import { performance } from 'node:perf_hooks';

export interface Quantity {
  value: number;
  unit: Unit;
}

export type Unit = 'ms' | 's' | 'MB' | 'req/s' | 'requests' | 'bytes';

export interface Measurement {
  what: string;
  value: Quantity;
  bound: { what: string } & Quantity;
}

export function quantity(value: number, unit: Unit): Quantity {
  return { value, unit };
}

export function formatQuantity({ value, unit }: Quantity): string {
  if (unit === 'requests') return `${value} req`;
  if (unit === 'bytes') return `${Math.round(value)} B`;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

/** value / bound; a bound of 0 (e.g. "no Stripe request") is either met exactly or exceeded. */
export function formatRatio({ value, bound }: Measurement): string {
  if (bound.value === 0) return value.value === 0 ? 'at bound' : 'above bound';
  const ratio = value.value / bound.value;
  // Two significant digits below 1, so that 0.0022x (far inside a budget) does not print as 0.00x.
  return `${ratio >= 1 || ratio === 0 ? ratio.toFixed(2) : ratio.toPrecision(2)}x`;
}

export function median(samples: number[]): number {
  return quantile(samples, 0.5);
}

/** Nearest-rank quantile: a value that was actually observed. */
export function quantile(samples: number[], fraction: number): number {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

/** Wall time of one call, in milliseconds. */
export async function timeMs(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/**
 * Times `subject` and `bound` alternately, so that load from other processes on the machine falls on
 * both alike; the first `warmup` rounds (JIT, connection setup) are not kept.
 */
export async function interleaved(
  rounds: number,
  warmup: number,
  subject: () => Promise<unknown>,
  bound: () => Promise<unknown>,
): Promise<{ subject: number[]; bound: number[] }> {
  const samples = { subject: [] as number[], bound: [] as number[] };
  for (let round = 0; round < warmup + rounds; round++) {
    const subjectMs = await timeMs(subject);
    const boundMs = await timeMs(bound);
    if (round < warmup) continue;
    samples.subject.push(subjectMs);
    samples.bound.push(boundMs);
  }
  return samples;
}
