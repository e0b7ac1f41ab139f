// Rule 6: faults on demand — rate limit, injected 5xx, latency and dropped connections, set per run.
import { expect } from 'chai';
import type Stripe from 'stripe';
import { BILLING, onboardedAccount } from '../../testbed/stripe-objects';
import { stripeError, useEmulator } from './harness';

describe('emulator: faults', () => {
  const h = useEmulator();

  afterEach(() => h.emulator.setFaults({}));

  it('answers 429 rate_limit beyond the requests allowed per second', async () => {
    h.emulator.setFaults({ rateLimitPerSecond: 25 });
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => h.stripe.accounts.list({ limit: 1 })));
    const limited = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason as Stripe.errors.StripeError);
    expect(limited).to.have.length(5);
    expect(limited.map((e) => [e.type, e.statusCode, e.code])).to.deep.equal(Array(5).fill(['StripeRateLimitError', 429, 'rate_limit']));
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect((await h.stripe.accounts.list({ limit: 1 })).object).to.equal('list');
  });

  it('injects 500 api_error before a request executes, and stops when faults are cleared', async () => {
    const account = await onboardedAccount(h.stripe);
    h.emulator.setFaults({ serverErrorRatio: 1 });
    const error = await stripeError(
      h.stripe.issuing.cardholders.create({ name: 'Jenny Rosen', billing: BILLING }, { stripeAccount: account }),
    );
    expect([error.type, error.statusCode]).to.deep.equal(['StripeAPIError', 500]);
    h.emulator.setFaults({});
    expect((await h.stripe.issuing.cardholders.list({}, { stripeAccount: account })).data).to.have.length(0);
  });

  it('adds latency to every response', async () => {
    h.emulator.setFaults({ latencyMs: 300 });
    const started = Date.now();
    await h.stripe.accounts.list({ limit: 1 });
    expect(Date.now() - started).to.be.at.least(300);
  });

  it('drops the connection after executing, so only an idempotent retry avoids a duplicate', async () => {
    const account = await onboardedAccount(h.stripe);
    h.emulator.setFaults({ dropConnectionRatio: 1 });
    const create = () =>
      h.stripe.issuing.cardholders.create(
        { name: 'Jenny Rosen', billing: BILLING },
        { stripeAccount: account, idempotencyKey: 'dropped-create' },
      );
    const lost = await stripeError(create());
    expect(lost.type).to.equal('StripeConnectionError');
    h.emulator.setFaults({});
    const retried = await create();
    expect(retried.lastResponse.headers['idempotent-replayed']).to.equal('true');
    expect((await h.stripe.issuing.cardholders.list({}, { stripeAccount: account })).data.map((c) => c.id)).to.deep.equal([retried.id]);
  });

  it('refuses invalid fault settings', () => {
    expect(() => h.emulator.setFaults({ serverErrorRatio: 2 })).to.throw('Invalid fault option serverErrorRatio: 2');
  });
});
