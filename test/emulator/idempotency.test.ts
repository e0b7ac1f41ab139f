// Rule 3: idempotency like Stripe, scoped per account and key.
import { expect } from 'chai';
import { activeCardholder, BILLING, onboardedAccount } from '../../testbed/stripe-objects';
import { stripeError, useEmulator } from './harness';

describe('emulator: idempotency', () => {
  const h = useEmulator();
  let account: string;

  before(async () => {
    account = await onboardedAccount(h.stripe);
  });

  const create = (key: string, name = 'Jenny Rosen', stripeAccount = account) =>
    h.stripe.issuing.cardholders.create(
      { name, billing: BILLING, individual: { first_name: 'Jenny', last_name: 'Rosen' } },
      { stripeAccount, idempotencyKey: key },
    );

  it('replays the first response for the same key and parameters, with Idempotent-Replayed', async () => {
    const first = await create('same-key');
    const second = await create('same-key');
    expect(second.id).to.equal(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).to.equal('true');
    expect(first.lastResponse.headers['idempotent-replayed']).to.equal(undefined);
    const all = await h.stripe.issuing.cardholders.list({ limit: 100 }, { stripeAccount: account });
    expect(all.data.filter((c) => c.id === first.id)).to.have.length(1);
  });

  it('refuses the same key with different parameters with a 400 idempotency_error', async () => {
    await create('reused-key');
    const error = await stripeError(create('reused-key', 'Other Person'));
    expect([error.type, error.statusCode]).to.deep.equal(['StripeIdempotencyError', 400]);
    expect(error.message).to.match(/^Keys for idempotent requests can only be used with the same parameters/);
  });

  it('scopes keys per account', async () => {
    const other = await onboardedAccount(h.stripe);
    const here = await create('shared-key');
    const there = await create('shared-key', 'Jenny Rosen', other);
    expect(there.id).not.to.equal(here.id);
    expect(there.lastResponse.headers['idempotent-replayed']).to.equal(undefined);
  });

  it('replays errors of requests that executed, but not parameter errors', async () => {
    const key = 'failing-key';
    const missing = await stripeError(
      h.stripe.issuing.cards.create(
        { cardholder: 'ich_missing', currency: 'usd', type: 'virtual' },
        { stripeAccount: account, idempotencyKey: key },
      ),
    );
    const replayed = await stripeError(
      h.stripe.issuing.cards.create(
        { cardholder: 'ich_missing', currency: 'usd', type: 'virtual' },
        { stripeAccount: account, idempotencyKey: key },
      ),
    );
    expect([missing.code, replayed.code, replayed.headers?.['idempotent-replayed']]).to.deep.equal([
      'resource_missing',
      'resource_missing',
      'true',
    ]);
    const invalid = await stripeError(
      h.stripe.issuing.cards.create({ currency: 'usd' } as never, { stripeAccount: account, idempotencyKey: 'fix-me' }),
    );
    expect(invalid.code).to.equal('parameter_missing');
    const cardholder = await activeCardholder(h.stripe, account);
    const fixed = await h.stripe.issuing.cards.create(
      { cardholder: cardholder.id, currency: 'usd', type: 'virtual' },
      { stripeAccount: account, idempotencyKey: 'fix-me' },
    );
    expect(fixed.status).to.equal('inactive');
  });
});
