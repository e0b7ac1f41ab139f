import { isLiveKey, isTestKey } from '../provider/settings';
// Simulations move money with Stripe's test helpers: they run in test mode only. Refused before any
// call: a stack whose stripe-issuing:mode is `live`, and any key that is not a test key.

export class SimulationRefused extends Error {}

export function assertTestOnly(input: { stack: string; mode: unknown; apiKey: string | undefined }): void {
  if (input.mode === 'live') {
    throw new SimulationRefused(
      `stack ${input.stack} is in live mode (stripe-issuing:mode: live): simulations run only on test-mode stacks.`,
    );
  }
  if (!input.apiKey) {
    throw new SimulationRefused('STRIPE_API_KEY is not set: simulations need a Stripe test key (sk_test_… or rk_test_…).');
  }
  if (isLiveKey(input.apiKey)) {
    throw new SimulationRefused('STRIPE_API_KEY is a live key: simulations accept only test keys (sk_test_… or rk_test_…).');
  }
  if (!isTestKey(input.apiKey)) {
    throw new SimulationRefused('STRIPE_API_KEY is not a Stripe test key: it must start with sk_test_ or rk_test_.');
  }
}
