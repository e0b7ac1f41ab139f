/**
 * The live-mode guard, checked by the program before it declares anything so that `pulumi preview`
 * fails early with the stack file named (the provider checks again at every call, with the same
 * provider/settings.ts keyProblem). The key itself never appears in a message: only where it came from
 * and which kind it is.
 */

import { apiBaseProblem, CONFIG_KEYS, keyProblem } from '../provider/settings';
import { renderPath } from './paths';
import type { Mode } from './types';

/** The key guard as a stack-file problem: `[path, message]`, path relative to the stack file's config. */
export function keyModeProblems(mode: Mode, key: string | undefined, origin: string): { path: string; message: string }[] {
  const problem = keyProblem(key, mode, origin);
  return problem ? [{ path: renderPath(['config', CONFIG_KEYS[problem.setting]]), message: problem.message }] : [];
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
