// Rule 2 (request side) and metadata limits: Stripe-Account scoping, nested form params and '' to clear,
// unknown / missing / create-only / enum / empty errors worded like Stripe and naming the key path.
import { expect } from 'chai';
import { activeCardholder, BILLING, issuingFinancialAccount, onboardedAccount } from '../../testbed/stripe-objects';
import { stripeError, useEmulator } from './harness';

describe('emulator: parameters and account scoping', () => {
  const h = useEmulator();
  let account: string;
  let other: string;

  before(async () => {
    account = await onboardedAccount(h.stripe);
    other = await onboardedAccount(h.stripe);
  });

  it('scopes objects to the Stripe-Account they were created on', async () => {
    const cardholder = await activeCardholder(h.stripe, account);
    const fromOther = await stripeError(h.stripe.issuing.cardholders.retrieve(cardholder.id, {}, { stripeAccount: other }));
    expect([fromOther.statusCode, fromOther.code, fromOther.param]).to.deep.equal([404, 'resource_missing', 'cardholder']);
    expect(fromOther.message).to.equal(`No such issuing cardholder: '${cardholder.id}'`);
    const fromPlatform = await stripeError(h.stripe.issuing.cardholders.retrieve(cardholder.id));
    expect(fromPlatform.code).to.equal('resource_missing');
    const listed = await h.stripe.issuing.cardholders.list({}, { stripeAccount: other });
    expect(listed.data.map((c) => c.id)).not.to.include(cardholder.id);
  });

  it('refuses a Stripe-Account the platform has no access to', async () => {
    const error = await stripeError(h.stripe.issuing.cards.list({}, { stripeAccount: 'acct_doesnotexist' }));
    expect([error.statusCode, error.code]).to.deep.equal([403, 'account_invalid']);
  });

  it('decodes nested params and arrays, and treats an empty string as clear', async () => {
    const cardholder = await activeCardholder(h.stripe, account, {
      metadata: { team: 'ops', cost_center: '42' },
      spending_controls: {
        blocked_categories: ['betting_casino_gambling', 'pawn_shops'],
        spending_limits: [{ amount: 5000, interval: 'daily', categories: ['taxicabs_limousines'] }],
      },
    });
    expect(cardholder.spending_controls?.blocked_categories).to.deep.equal(['betting_casino_gambling', 'pawn_shops']);
    expect(cardholder.spending_controls?.spending_limits).to.deep.equal([
      { amount: 5000, interval: 'daily', categories: ['taxicabs_limousines'] },
    ]);
    expect(cardholder.billing.address.line1).to.equal(BILLING.address.line1);
    const updated = await h.stripe.issuing.cardholders.update(
      cardholder.id,
      { metadata: { team: '', region: 'eu' } },
      { stripeAccount: account },
    );
    expect(updated.metadata).to.deep.equal({ cost_center: '42', region: 'eu' });
    const fa = await issuingFinancialAccount(h.stripe, account, { nickname: 'Ops' });
    const cleared = await h.stripe.treasury.financialAccounts.update(fa.id, { nickname: '' }, { stripeAccount: account });
    expect(cleared.nickname).to.equal(null);
  });

  it('answers unknown parameters with parameter_unknown and the full key path', async () => {
    const top = await stripeError(
      h.stripe.issuing.cardholders.create({ name: 'Jenny Rosen', billing: BILLING, nickname: 'J' } as never, { stripeAccount: account }),
    );
    expect([top.statusCode, top.code, top.param, top.message]).to.deep.equal([
      400,
      'parameter_unknown',
      'nickname',
      'Received unknown parameter: nickname',
    ]);
    const nested = await stripeError(
      h.stripe.issuing.cardholders.create({ name: 'Jenny Rosen', billing: { address: { ...BILLING.address, floor: '3' } } } as never, {
        stripeAccount: account,
      }),
    );
    expect([nested.code, nested.param]).to.deep.equal(['parameter_unknown', 'billing[address][floor]']);
  });

  it('answers missing required parameters with parameter_missing', async () => {
    const error = await stripeError(h.stripe.issuing.cardholders.create({ name: 'Jenny Rosen' } as never, { stripeAccount: account }));
    expect([error.code, error.param, error.message]).to.deep.equal(['parameter_missing', 'billing', 'Missing required param: billing.']);
    const nested = await stripeError(
      h.stripe.issuing.cardholders.create(
        { name: 'Jenny Rosen', billing: { address: { line1: 'x', city: 'y', country: 'US' } } } as never,
        { stripeAccount: account },
      ),
    );
    expect(nested.param).to.equal('billing[address][postal_code]');
  });

  it('refuses create-only parameters on update and says why', async () => {
    const cardholder = await activeCardholder(h.stripe, account);
    const error = await stripeError(
      h.stripe.issuing.cardholders.update(cardholder.id, { name: 'Other Name' } as never, { stripeAccount: account }),
    );
    expect([error.code, error.param]).to.deep.equal(['parameter_unknown', 'name']);
    expect(error.message).to.equal("Received unknown parameter: name ('name' can only be set when the object is created)");
  });

  it('refuses values outside an enum, listing what is allowed', async () => {
    const error = await stripeError(
      h.stripe.issuing.cardholders.create({ name: 'Jenny Rosen', billing: BILLING, type: 'robot' } as never, { stripeAccount: account }),
    );
    expect([error.type, error.param, error.message]).to.deep.equal([
      'StripeInvalidRequestError',
      'type',
      "Invalid type: 'robot' is not allowed; must be one of company or individual",
    ]);
  });

  it('refuses an empty string where a value cannot be unset, and non-integers where integers are expected', async () => {
    const empty = await stripeError(h.stripe.issuing.cardholders.create({ name: '', billing: BILLING }, { stripeAccount: account }));
    expect([empty.code, empty.param]).to.deep.equal(['parameter_invalid_empty', 'name']);
    const integer = await stripeError(
      h.stripe.testHelpers.treasury.receivedCredits.create(
        { financial_account: 'fa_x', amount: 'ten' as never, currency: 'usd', network: 'ach' },
        { stripeAccount: account },
      ),
    );
    expect([integer.code, integer.param, integer.message]).to.deep.equal([
      'parameter_invalid_integer',
      'amount',
      "Invalid integer: ten (parameter 'amount')",
    ]);
  });

  it('enforces metadata limits: 50 keys, 40-character keys, 500-character values', async () => {
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect((await stripeError(activeCardholder(h.stripe, account, { metadata: tooMany }))).param).to.equal('metadata');
    const longKey = await stripeError(activeCardholder(h.stripe, account, { metadata: { ['k'.repeat(41)]: 'v' } }));
    expect(longKey.message).to.match(/^Metadata keys can have up to 40 characters/);
    const longValue = await stripeError(activeCardholder(h.stripe, account, { metadata: { note: 'v'.repeat(501) } }));
    expect([longValue.param, longValue.message]).to.deep.equal([
      'metadata[note]',
      "Metadata values can have up to 500 characters, but you passed in a value that is 501 characters (key 'note').",
    ]);
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'.repeat(500)]));
    expect(Object.keys((await activeCardholder(h.stripe, account, { metadata: fifty })).metadata)).to.have.length(50);
  });
});
