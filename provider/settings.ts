import type * as pulumi from '@pulumi/pulumi';
import { STRIPE_RATE_LIMITS } from './pacer';

/** Where and how the provider talks to Stripe, resolved in the provider process, never serialized. */
export interface StripeSettings {
  apiKey: string;
  /** Base URL override (the emulator), e.g. `http://127.0.0.1:12111`. */
  apiBase?: string;
  apiVersion?: string;
  mode: 'test' | 'live';
  /** This stack's share of the key's rate limit; Stripe's default for the mode when unset. */
  maxRequestsPerSecond?: number;
}

/** Stack config keys, namespace `stripe-issuing` (the Pulumi project name). */
export const CONFIG_KEYS = {
  apiKey: 'stripe-issuing:stripeApiKey',
  apiBase: 'stripe-issuing:stripeApiBase',
  apiVersion: 'stripe-issuing:stripeApiVersion',
  mode: 'stripe-issuing:mode',
  maxRequestsPerSecond: 'stripe-issuing:maxRequestsPerSecond',
} as const;

type ConfiguredValues = Partial<Record<keyof typeof CONFIG_KEYS, string>>;

// The configured values live on globalThis, not in a closure or module variable, so that closure
// serialization of a provider object can never capture the key, even in a process that configured it.
// A string key, not a Symbol: closure serialization cannot recreate a captured Symbol.for(...) value.
const SLOT = '__stripeIssuingProviderConfig';
type Slot = { [SLOT]?: ConfiguredValues };

/** `configure` of every provider: remembers the stack config for this process. */
export async function configureFromStack(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  const values: ConfiguredValues = {};
  for (const [field, key] of Object.entries(CONFIG_KEYS) as [keyof typeof CONFIG_KEYS, string][]) {
    const value = req.config.get(key);
    if (value !== undefined && value !== '') values[field] = value;
  }
  (globalThis as Slot)[SLOT] = values;
}

/** Secret (`sk_`) or restricted (`rk_`) keys, by mode: the one place that tells live keys from test keys. */
export const isLiveKey = (key: string): boolean => /^(sk|rk)_live_/.test(key);
export const isTestKey = (key: string): boolean => /^(sk|rk)_test_/.test(key);

/** Requests per second this stack may send with its key: the setting, else Stripe's limit for the mode. */
export function requestRate(setting: string | undefined, mode: StripeSettings['mode']): number {
  if (setting === undefined || setting === '') return STRIPE_RATE_LIMITS[mode];
  const rate = Number(setting);
  if (!(Number.isFinite(rate) && rate > 0)) {
    throw new Error(`${CONFIG_KEYS.maxRequestsPerSecond} must be a positive number of requests per second, got "${setting}".`);
  }
  return rate;
}

/**
 * Stack config first, then `STRIPE_API_KEY` / `STRIPE_API_BASE` / `STRIPE_API_VERSION` / `STRIPE_MODE` /
 * `STRIPE_MAX_REQUESTS_PER_SECOND`.
 */
export function resolveSettings(env: NodeJS.ProcessEnv = process.env): StripeSettings {
  const configured = (globalThis as Slot)[SLOT] ?? {};
  const apiKey = configured.apiKey ?? env.STRIPE_API_KEY;
  if (!apiKey) {
    throw new Error(
      `No Stripe API key: set it with \`pulumi config set --secret ${CONFIG_KEYS.apiKey} <key>\` ` +
        'or the STRIPE_API_KEY environment variable.',
    );
  }
  const modeText = configured.mode ?? env.STRIPE_MODE ?? 'test';
  if (modeText !== 'test' && modeText !== 'live') {
    throw new Error(`${CONFIG_KEYS.mode} must be "test" or "live", got "${modeText}".`);
  }
  const mode = modeText;
  const keyIsLive = isLiveKey(apiKey);
  if (keyIsLive && mode !== 'live') {
    throw new Error(
      `Refusing a live Stripe key on a stack that is not in live mode: set ${CONFIG_KEYS.mode} to "live" ` +
        'on stacks meant to change live data.',
    );
  }
  if (!keyIsLive && mode === 'live') {
    throw new Error(`${CONFIG_KEYS.mode} is "live" but the Stripe key is not a live key (sk_live_/rk_live_).`);
  }
  const apiBase = configured.apiBase ?? env.STRIPE_API_BASE;
  const apiVersion = configured.apiVersion ?? env.STRIPE_API_VERSION;
  const maxRequestsPerSecond = requestRate(configured.maxRequestsPerSecond ?? env.STRIPE_MAX_REQUESTS_PER_SECOND, mode);
  return { apiKey, mode, maxRequestsPerSecond, ...(apiBase ? { apiBase } : {}), ...(apiVersion ? { apiVersion } : {}) };
}
