import { classifyKey } from '../provider/settings';
// Simulations move money with Stripe's test helpers: they run in test mode only. Refused before any
// call: a stack whose stripe-issuing:mode is `live`, and any key the key guard does not classify as a
// test key (provider/settings.ts classifyKey, which the program, the provider and every script share).

export class SimulationRefused extends Error {}

/** The stack part of the guard: checked first, before the key (and before a Stripe target is chosen). */
export function assertTestStack(stack: string, mode: unknown): void {
  if (mode === 'live') {
    throw new SimulationRefused(`stack ${stack} is in live mode (stripe-issuing:mode: live): simulations run only on test-mode stacks.`);
  }
}

export function assertTestOnly(input: { stack: string; mode: unknown; apiKey: string | undefined }): void {
  assertTestStack(input.stack, input.mode);
  if (!input.apiKey) {
    throw new SimulationRefused('STRIPE_API_KEY is not set: simulations need a Stripe test key (sk_test_… or rk_test_…).');
  }
  const kind = classifyKey(input.apiKey);
  if ('refused' in kind) {
    throw new SimulationRefused(`STRIPE_API_KEY ${kind.refused}: simulations need a Stripe test key (sk_test_… or rk_test_…).`);
  }
  if (kind.mode === 'live') {
    throw new SimulationRefused('STRIPE_API_KEY is a live key: simulations accept only test keys (sk_test_… or rk_test_…).');
  }
}
