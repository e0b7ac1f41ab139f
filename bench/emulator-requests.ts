/**
 * Emulator request cost: card creates and retrieves through the real `stripe` client, against the
 * same calls answered by a bare loopback server with a canned copy of the emulator's own answer. Both
 * go through the same client, transport and connection handling, so the ratio is the emulator's work
 * (validation, idempotency, store, events, expansion) relative to the cost of the call itself.
 */
import Stripe from 'stripe';
import type { IssuingAccount } from './issuing-account';
import { startCannedServer } from './loopback';
import { interleaved, type Measurement, median, quantity } from './measure';

export async function measureEmulatorRequests(issuing: IssuingAccount, rounds: number): Promise<Measurement[]> {
  const onAccount = { stripeAccount: issuing.account };
  const holder = await issuing.cardholder();
  const sample = await issuing.card(holder.id);
  // The emulator answers pretty-printed JSON; the canned answer is the same bytes.
  const cannedCard = JSON.stringify(sample, null, 2);
  const canned = await startCannedServer(() => cannedCard);
  try {
    // The options of the emulator tests' client (testbed/stripe-objects.ts), pointed at the canned server.
    const bare = new Stripe('sk_test_emulator', { host: '127.0.0.1', port: canned.port, protocol: 'http', maxNetworkRetries: 0 });
    const createParams = {
      cardholder: holder.id,
      financial_account: issuing.financialAccount,
      currency: 'usd',
      type: 'virtual',
      status: 'active',
    } as const;
    const warmup = Math.ceil(rounds / 10);
    const creates = await interleaved(
      rounds,
      warmup,
      () => issuing.card(holder.id),
      () => bare.issuing.cards.create(createParams, onAccount),
    );
    const retrieves = await interleaved(
      rounds,
      warmup,
      () => issuing.stripe.issuing.cards.retrieve(sample.id, {}, onAccount),
      () => bare.issuing.cards.retrieve(sample.id, {}, onAccount),
    );
    const bound = (samples: number[]) => ({
      what: 'same call, canned answer from a bare loopback server (median)',
      ...quantity(median(samples), 'ms'),
    });
    return [
      { what: `emulator: card create, median of ${rounds}`, value: quantity(median(creates.subject), 'ms'), bound: bound(creates.bound) },
      {
        what: `emulator: card retrieve, median of ${rounds}`,
        value: quantity(median(retrieves.subject), 'ms'),
        bound: bound(retrieves.bound),
      },
    ];
  } finally {
    await canned.close();
  }
}
