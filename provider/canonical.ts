// The engine's placeholder for a value not known until apply (preview of a dependent resource).
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some(containsUnknown);
}

/**
 * Stripe's "nothing set" shapes (null, empty list, empty object) and an absent argument mean the
 * same thing; dropping them gives one spelling for comparison, so defaults never show as a diff.
 */
export function compact<T>(value: T): T | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    return value.length === 0 ? undefined : (value.map((item) => compact(item) ?? item) as T);
  }
  if (typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => [key, compact(item)] as const)
    .filter(([, item]) => item !== undefined);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as T);
}

/** Lists whose order Stripe does not keep or does not care about (categories, countries, events). */
export function sortedSet<T>(values: readonly T[] | null | undefined): T[] | undefined {
  if (!values || values.length === 0) return undefined;
  return [...new Set(values)].sort();
}

/** JSON with sorted keys: one text per value, for comparison and idempotency keys. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Structural equality of canonical values, key order ignored, absent = null. */
export const sameValue = (a: unknown, b: unknown): boolean => stableJson(compact(a)) === stableJson(compact(b));
