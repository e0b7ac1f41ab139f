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

/** The forms of key a stack accepts, for messages. */
const KEY_FORMS = 'sk_test_… or rk_test_… on a test stack, sk_live_… or rk_live_… on a live stack';

/**
 * What a Stripe API key is, from its text alone: the one classification every guard uses (the program's
 * preflight, the provider at every call, every script). Only secret (`sk_`) and restricted (`rk_`) keys
 * call the API, and their prefix says the mode (Stripe, "API keys": `sk_test_`, `sk_live_`, `rk_test_`,
 * `rk_live_`). Anything else is refused, never guessed at: whitespace anywhere (a secret file's trailing
 * newline, a pasted space would hide the prefix or reach Stripe as part of the key), another kind of
 * Stripe credential (`pk_`, `whsec_`), an unknown text. `refused` says why, never with the key in it.
 */
export function classifyKey(key: string): { mode: StripeSettings['mode'] } | { refused: string } {
  if (/\s/.test(key)) {
    return { refused: 'contains whitespace (a space, tab or line break, e.g. the trailing newline of a secret file): remove it' };
  }
  const known = /^(?:sk|rk)_(test|live)_[\x21-\x7e]+$/.exec(key);
  if (known) return { mode: known[1] as StripeSettings['mode'] };
  if (/^pk_(?:test|live)_/.test(key)) {
    return { refused: 'is a publishable key (pk_…), which cannot manage Issuing: use a secret (sk_…) or restricted (rk_…) key' };
  }
  if (key.startsWith('whsec_')) return { refused: "is a webhook endpoint's signing secret (whsec_…), not an API key" };
  return { refused: 'is not a Stripe secret or restricted key' };
}

/** Why a key must not be used, as the stack setting it concerns (a key of CONFIG_KEYS) and what is allowed. */
export interface KeyProblem {
  setting: 'apiKey' | 'mode';
  message: string;
}

/**
 * Why the key from `origin` (the config key or environment variable, for messages) must not be used on a
 * stack in `mode`, or undefined: a live key only on a live stack, a test key only on a test stack, and
 * nothing that classifyKey refuses. The message never contains the key.
 */
export function keyProblem(key: string | undefined, mode: StripeSettings['mode'], origin: string): KeyProblem | undefined {
  if (key === undefined || key === '') {
    return {
      setting: 'apiKey',
      message: `no Stripe API key: run \`pulumi config set --secret ${CONFIG_KEYS.apiKey} <key>\` or set STRIPE_API_KEY`,
    };
  }
  const kind = classifyKey(key);
  if ('refused' in kind) return { setting: 'apiKey', message: `the Stripe key (${origin}) ${kind.refused}; allowed: ${KEY_FORMS}` };
  if (kind.mode === 'live' && mode !== 'live') {
    return {
      setting: 'mode',
      message: `is "${mode}" but the Stripe key (${origin}) is a live key: a live key is refused unless the stack says \`${CONFIG_KEYS.mode}: live\``,
    };
  }
  if (kind.mode !== 'live' && mode === 'live') {
    return {
      setting: 'mode',
      message: `is "live" but the Stripe key (${origin}) is not a live key (sk_live_… / rk_live_…): a live stack refuses test keys`,
    };
  }
  return undefined;
}

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
  // The stack says whether it is live; the environment cannot (refresh and destroy skip the program's checks).
  const modeText = configured.mode ?? 'test';
  if (modeText !== 'test' && modeText !== 'live') {
    throw new Error(`${CONFIG_KEYS.mode} must be "test" or "live", got "${modeText}".`);
  }
  const mode = modeText;
  const problem = keyProblem(apiKey, mode, configured.apiKey ? CONFIG_KEYS.apiKey : 'STRIPE_API_KEY');
  if (problem) throw new Error(`${CONFIG_KEYS[problem.setting]}: ${problem.message}.`);
  const apiBase = configured.apiBase ?? env.STRIPE_API_BASE;
  if (apiBase) assertKeyMayGoTo(apiBase, mode, configured.apiBase ? CONFIG_KEYS.apiBase : 'STRIPE_API_BASE');
  const apiVersion = configured.apiVersion ?? env.STRIPE_API_VERSION;
  const maxRequestsPerSecond = requestRate(configured.maxRequestsPerSecond ?? env.STRIPE_MAX_REQUESTS_PER_SECOND, mode);
  return { apiKey: apiKey as string, mode, maxRequestsPerSecond, ...(apiBase ? { apiBase } : {}), ...(apiVersion ? { apiVersion } : {}) };
}
