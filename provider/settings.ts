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

/** The only base URL a live key is ever sent to. */
export const STRIPE_API_ORIGIN = 'https://api.stripe.com';

const isLoopbackHost = (hostname: string): boolean =>
  hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);

/**
 * Why a stack in `mode` must not send its key to `apiBase`, or undefined when it may: a live key goes
 * only to Stripe's API; plain HTTP only to this machine (the emulator), on any stack. Pure: the stack
 * file's validation and the provider (for STRIPE_API_BASE) share it.
 */
export function apiBaseProblem(apiBase: string, mode: 'test' | 'live'): string | undefined {
  let url: URL;
  try {
    url = new URL(apiBase);
  } catch {
    return `is not a URL: expected ${STRIPE_API_ORIGIN}, or http://127.0.0.1:<port> for the emulator`;
  }
  if (mode === 'live' && url.origin !== STRIPE_API_ORIGIN) {
    return `points a live stack at ${url.origin}: a live key goes only to Stripe's API (${STRIPE_API_ORIGIN}); remove the override`;
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return (
      `is plain HTTP to ${url.hostname}, which is not this machine: the key would cross the network unencrypted; ` +
      'use https, or a loopback address (127.0.0.1, localhost, [::1]) for the emulator'
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `uses ${url.protocol}: expected https (or http on loopback)`;
  return undefined;
}

/** Throws naming `origin` (the config key or environment variable) when the key must not go to `apiBase`. */
export function assertKeyMayGoTo(apiBase: string, mode: 'test' | 'live', origin: string): void {
  const problem = apiBaseProblem(apiBase, mode);
  if (problem) throw new Error(`Refusing to send the Stripe key: ${origin} ${problem}.`);
}

/**
 * Stack config first, then `STRIPE_API_KEY` / `STRIPE_API_BASE` / `STRIPE_API_VERSION` /
 * `STRIPE_MAX_REQUESTS_PER_SECOND`; the mode only from the stack.
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
  // The stack says whether it is live; the environment cannot (refresh and destroy skip the program's checks).
  const modeText = configured.mode ?? 'test';
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
  if (apiBase) assertKeyMayGoTo(apiBase, mode, configured.apiBase ? CONFIG_KEYS.apiBase : 'STRIPE_API_BASE');
  const apiVersion = configured.apiVersion ?? env.STRIPE_API_VERSION;
  const maxRequestsPerSecond = requestRate(configured.maxRequestsPerSecond ?? env.STRIPE_MAX_REQUESTS_PER_SECOND, mode);
  return { apiKey, mode, maxRequestsPerSecond, ...(apiBase ? { apiBase } : {}), ...(apiVersion ? { apiVersion } : {}) };
}
