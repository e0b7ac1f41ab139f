// Resource arguments are camelCase, Stripe parameters snake_case. Metadata keys are user data and
// keep their spelling.
// Arrays, not Sets: captured Sets do not survive the closure serialization of dynamic providers.
const VERBATIM_KEYS: readonly string[] = ['metadata'];

export const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function convertKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => convertKeys(item, rename));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      rename(key),
      VERBATIM_KEYS.includes(key) || VERBATIM_KEYS.includes(rename(key)) ? item : convertKeys(item, rename),
    ]),
  );
}

/** camelCase arguments → Stripe request parameters. */
export const toStripe = <T = Record<string, unknown>>(value: unknown): T => convertKeys(value, snake) as T;

/** Stripe object fields → camelCase arguments/outputs. */
export const fromStripe = <T = Record<string, unknown>>(value: unknown): T => convertKeys(value, camel) as T;
