/**
 * The live-mode guard, checked by the program before it declares anything so that `pulumi preview`
 * fails early with the stack file named (the provider checks again at every call). The key itself
 * never appears in a message: only where it came from and which kind it is.
 */

import { apiBaseProblem, isLiveKey } from '../provider/settings';
import type { Mode } from './types';

export interface KeySource {
  key: string | undefined;
  /** Where the key came from, for messages: the config key or the environment variable. */
  origin: string;
}

/** Problems as `[path, message]`, path relative to the stack file's config. */
export function keyModeProblems(mode: Mode, source: KeySource): { path: string; message: string }[] {
  if (source.key === undefined || source.key === '') {
    return [
      {
        path: 'stripeApiKey',
        message: 'no Stripe API key: run `pulumi config set --secret stripe-issuing:stripeApiKey <key>` or set STRIPE_API_KEY',
      },
    ];
  }
  if (isLiveKey(source.key) && mode !== 'live') {
    return [
      {
        path: 'mode',
        message: `is "${mode}" but the Stripe key (${source.origin}) is a live key: a live key is refused unless the stack says \`stripe-issuing:mode: live\``,
      },
    ];
  }
  if (!isLiveKey(source.key) && mode === 'live') {
    return [
      {
        path: 'mode',
        message: `is "live" but the Stripe key (${source.origin}) is not a live key (sk_live_… / rk_live_…): a live stack refuses test keys`,
      },
    ];
  }
  return [];
}

/**
 * Where the key may be sent: `stripe-issuing:stripeApiBase` in the stack file, or STRIPE_API_BASE when
 * the stack file sets none (the provider checks again at every call, refresh and destroy included).
 */
export function apiBaseProblems(mode: Mode, source: { value: unknown; origin: string }): { path: string; message: string }[] {
  if (typeof source.value !== 'string' || source.value === '') return [];
  const problem = apiBaseProblem(source.value, mode);
  return problem ? [{ path: source.origin, message: problem }] : [];
}
