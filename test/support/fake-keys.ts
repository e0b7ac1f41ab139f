/**
 * Live-looking Stripe keys for tests of the live-mode guards and of redaction. Built at run time so that
 * no literal in the repository looks like a leaked live key to secret scanners.
 */
export function fakeLiveKey(kind: 'sk' | 'rk' = 'sk', tail = 'NotARealKey0000'): string {
  return [kind, 'live', tail].join('_');
}
