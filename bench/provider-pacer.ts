/**
 * The provider's request pacer (provider/pacer.ts) on its own: `cards` card creates started at once
 * through the card provider's check + create, as the engine calls them, against the emulator holding
 * Stripe's test-mode limit. Bound: the requests divided by the limit, the time they need at 25 per
 * second. The ratio is the time the pacer loses over that (its 5 % headroom included).
 */
import { performance } from 'node:perf_hooks';
import type * as pulumi from '@pulumi/pulumi';
import { cardProvider } from '../provider/resources/card';
import { CONFIG_KEYS, configureFromStack } from '../provider/settings';
import type { IssuingAccount } from './issuing-account';
import { type Measurement, quantity } from './measure';

/** Stripe's test-mode limit; the emulator applies it over a rolling one-second window. */
export const TEST_MODE_RATE_LIMIT = 25;

export async function measureProviderPacer(issuing: IssuingAccount, cards: number): Promise<Measurement[]> {
  // The stack config the engine hands to `configure`: the emulator's key and URL.
  const config: Record<string, string> = { [CONFIG_KEYS.apiKey]: 'sk_test_emulator', [CONFIG_KEYS.apiBase]: issuing.emulator.url };
  await configureFromStack({ config: { get: (key: string) => config[key], require: (key: string) => config[key] } });
  const holder = await issuing.cardholder();
  const createCard = async (index: number) => {
    const args = {
      pulumiStack: 'bench',
      pulumiName: `acme-jane-card${index}`,
      account: issuing.account,
      cardholder: holder.id,
      financialAccount: issuing.financialAccount,
      currency: 'usd',
      type: 'virtual',
      status: 'active',
    };
    // As the engine calls it: with untyped properties.
    const provider: pulumi.dynamic.ResourceProvider = cardProvider;
    const checked = await provider.check!({}, args);
    if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
    await provider.create(checked.inputs);
  };

  const first = issuing.emulator.requests().length;
  issuing.emulator.setFaults({ rateLimitPerSecond: TEST_MODE_RATE_LIMIT });
  const started = performance.now();
  const outcomes = await Promise.allSettled(Array.from({ length: cards }, (_, i) => createCard(i + 1)));
  const elapsedMs = performance.now() - started;
  issuing.emulator.setFaults({});
  const requests = issuing.emulator.requests().slice(first);
  const accepted = requests.filter((r) => r.status !== 429).length;
  const failed = outcomes.filter((o) => o.status === 'rejected').length;
  return [
    {
      what: `provider pacer: ${cards} card creates at once, ${TEST_MODE_RATE_LIMIT} req/s limit`,
      value: quantity(elapsedMs / 1000, 's'),
      bound: {
        what: `least time for ${accepted} requests at ${TEST_MODE_RATE_LIMIT} req/s`,
        ...quantity(accepted / TEST_MODE_RATE_LIMIT, 's'),
      },
    },
    {
      what: 'provider pacer: 429 answers received',
      value: quantity(requests.length - accepted, 'requests'),
      bound: { what: 'requests the creates needed (accepted)', ...quantity(accepted, 'requests') },
    },
    {
      what: 'provider pacer: creates that failed',
      value: quantity(failed, 'requests'),
      bound: { what: 'none', ...quantity(0, 'requests') },
    },
  ];
}
