// Rule 2 (Issuing objects): card status rules, cardholder rules, secrets only on explicit expand.
import { expect } from 'chai';
import { activeCardholder, BILLING, issuingFinancialAccount, onboardedAccount } from '../../testbed/stripe-objects';
import { stripeError, useEmulator } from './harness';

describe('emulator: cardholders and cards', () => {
  const h = useEmulator();
  let account: string;
  let financialAccount: string;
  const on = () => ({ stripeAccount: account });

  before(async () => {
    account = await onboardedAccount(h.stripe);
    financialAccount = (await issuingFinancialAccount(h.stripe, account)).id;
  });

  it('refuses cardholder names that cannot be printed on a card', async () => {
    for (const name of ['Jenny Rosen 2', 'A very long cardholder name indeed', 'Jenny@Rosen']) {
      const error = await stripeError(activeCardholder(h.stripe, account, { name }));
      expect([error.param, error.message]).to.deep.equal([
        'name',
        `Invalid name: '${name}' is printed on cards, so it must be at most 24 characters of letters, spaces, periods, apostrophes and hyphens (no digits or other special characters).`,
      ]);
    }
  });

  it('reports past-due requirements for an individual without names and refuses to activate its cards', async () => {
    const nameless = await h.stripe.issuing.cardholders.create({ name: 'Jenny Rosen', billing: BILLING, type: 'individual' }, on());
    expect(nameless.requirements).to.deep.equal({
      disabled_reason: 'requirements.past_due',
      past_due: ['individual.first_name', 'individual.last_name'],
    });
    const error = await stripeError(
      h.stripe.issuing.cards.create({ cardholder: nameless.id, currency: 'usd', type: 'virtual', status: 'active' }, on()),
    );
    expect([error.param, error.message]).to.deep.equal([
      'status',
      `The card cannot be activated: its cardholder ${nameless.id} has past-due requirements (individual.first_name, individual.last_name). Update the cardholder first.`,
    ]);
    const fixed = await h.stripe.issuing.cardholders.update(nameless.id, { individual: { first_name: 'Jenny', last_name: 'Rosen' } }, on());
    expect(fixed.requirements.past_due).to.deep.equal([]);
  });

  it('starts a card inactive unless told otherwise, with the cardholder as an object', async () => {
    const cardholder = await activeCardholder(h.stripe, account);
    const card = await h.stripe.issuing.cards.create(
      { cardholder: cardholder.id, currency: 'usd', type: 'virtual', financial_account: financialAccount },
      on(),
    );
    expect([card.status, card.financial_account, card.brand, card.last4]).to.deep.equal(['inactive', financialAccount, 'Visa', card.last4]);
    expect(card.cardholder).to.deep.equal(cardholder);
    expect(card).not.to.have.property('number');
    expect(card).not.to.have.property('cvc');
  });

  it('keeps canceled permanent', async () => {
    const cardholder = await activeCardholder(h.stripe, account);
    const card = await h.stripe.issuing.cards.create(
      { cardholder: cardholder.id, currency: 'usd', type: 'virtual', status: 'active' },
      on(),
    );
    const canceled = await h.stripe.issuing.cards.update(card.id, { status: 'canceled', cancellation_reason: 'lost' }, on());
    expect([canceled.status, canceled.cancellation_reason]).to.deep.equal(['canceled', 'lost']);
    const error = await stripeError(h.stripe.issuing.cards.update(card.id, { status: 'active' }, on()));
    expect([error.param, error.message]).to.deep.equal([
      'status',
      `The card ${card.id} is canceled; canceled cards cannot be reactivated or changed.`,
    ]);
  });

  it("needs the financial account's card_issuing feature to be active", async () => {
    const fa = await h.stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'] }, on());
    const cardholder = await activeCardholder(h.stripe, account);
    const error = await stripeError(
      h.stripe.issuing.cards.create({ cardholder: cardholder.id, currency: 'usd', type: 'virtual', financial_account: fa.id }, on()),
    );
    expect([error.param, error.message]).to.deep.equal([
      'financial_account',
      `The financial account ${fa.id} cannot fund cards: its card_issuing feature is unrequested. Request the feature and wait until it is active.`,
    ]);
  });

  // stripe 23.1.0 Issuing.CardUpdateParams.financial_account: a card is reassigned, not reissued.
  it('moves a card to another financial account in place: same card and number, spending from the new account', async () => {
    const owner = await onboardedAccount(h.stripe);
    const onOwner = { stripeAccount: owner };
    const [first, second] = [await issuingFinancialAccount(h.stripe, owner), await issuingFinancialAccount(h.stripe, owner)];
    for (const fa of [first, second]) {
      await h.stripe.testHelpers.treasury.receivedCredits.create(
        { financial_account: fa.id, amount: 10_000, currency: 'usd', network: 'ach' },
        onOwner,
      );
    }
    const cardholder = await activeCardholder(h.stripe, owner);
    const card = await h.stripe.issuing.cards.create(
      { cardholder: cardholder.id, currency: 'usd', type: 'virtual', status: 'active', financial_account: first.id },
      onOwner,
    );
    const number = (await h.stripe.issuing.cards.retrieve(card.id, { expand: ['number'] }, onOwner)).number;
    const moved = await h.stripe.issuing.cards.update(card.id, { financial_account: second.id }, onOwner);
    expect([moved.id, moved.status, moved.financial_account, moved.last4]).to.deep.equal([card.id, 'active', second.id, card.last4]);
    expect((await h.stripe.issuing.cards.retrieve(card.id, { expand: ['number'] }, onOwner)).number).to.equal(number);
    expect((await h.stripe.issuing.cards.list({ cardholder: cardholder.id }, onOwner)).data.map((c) => c.id)).to.deep.equal([card.id]);
    const event = (await h.stripe.events.list({ type: 'issuing_card.updated' }, onOwner)).data[0];
    expect((event.data.previous_attributes as { financial_account?: string }).financial_account).to.equal(first.id);

    await h.stripe.testHelpers.issuing.authorizations.create({ card: card.id, amount: 2_500 }, onOwner);
    const cash = async (fa: string) => (await h.stripe.treasury.financialAccounts.retrieve(fa, {}, onOwner)).balance.cash.usd;
    expect([await cash(first.id), await cash(second.id)]).to.deep.equal([10_000, 7_500]);

    const unfunded = await h.stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'] }, onOwner);
    const refused = await stripeError(h.stripe.issuing.cards.update(card.id, { financial_account: unfunded.id }, onOwner));
    expect([refused.param, refused.message]).to.deep.equal([
      'financial_account',
      `The financial account ${unfunded.id} cannot fund cards: its card_issuing feature is unrequested. Request the feature and wait until it is active.`,
    ]);
    await h.stripe.issuing.cards.update(card.id, { status: 'canceled' }, onOwner);
    const canceled = await stripeError(h.stripe.issuing.cards.update(card.id, { financial_account: first.id }, onOwner));
    expect(canceled.message).to.equal(`The card ${card.id} is canceled; canceled cards cannot be reassigned.`);
  });

  it("ships physical cards only, through Stripe's shipping lifecycle", async () => {
    const cardholder = await activeCardholder(h.stripe, account);
    expect(
      (await stripeError(h.stripe.issuing.cards.create({ cardholder: cardholder.id, currency: 'usd', type: 'physical' }, on()))).code,
    ).to.equal('parameter_missing');
    const virtualShipping = await stripeError(
      h.stripe.issuing.cards.create(
        { cardholder: cardholder.id, currency: 'usd', type: 'virtual', shipping: { name: 'J', address: BILLING.address } },
        on(),
      ),
    );
    expect(virtualShipping.param).to.equal('shipping');
    const card = await h.stripe.issuing.cards.create(
      {
        cardholder: cardholder.id,
        currency: 'usd',
        type: 'physical',
        shipping: { name: 'Jenny Rosen', address: BILLING.address, service: 'express' },
      },
      on(),
    );
    expect([card.shipping?.status, card.shipping?.require_signature, card.shipping?.type]).to.deep.equal(['pending', true, 'individual']);
    const shipped = await h.stripe.testHelpers.issuing.cards.shipCard(card.id, {}, on());
    expect(shipped.shipping?.status).to.equal('shipped');
    const late = await stripeError(h.stripe.issuing.cards.update(card.id, { shipping: { name: 'Other', address: BILLING.address } }, on()));
    expect(late.message).to.match(/already been shipped/);
    expect((await h.stripe.testHelpers.issuing.cards.deliverCard(card.id, {}, on())).shipping?.status).to.equal('delivered');
    expect((await stripeError(h.stripe.testHelpers.issuing.cards.shipCard(card.id, {}, on()))).message).to.match(
      /shipping status is delivered/,
    );
  });

  it('returns the number and CVC only to an explicit expand on retrieve', async () => {
    const cardholder = await activeCardholder(h.stripe, account);
    const card = await h.stripe.issuing.cards.create({ cardholder: cardholder.id, currency: 'usd', type: 'virtual' }, on());
    const plain = await h.stripe.issuing.cards.retrieve(card.id, {}, on());
    expect(plain.number).to.equal(undefined);
    const revealed = await h.stripe.issuing.cards.retrieve(card.id, { expand: ['number', 'cvc'] }, on());
    expect(revealed.number).to.match(/^\d{16}$/);
    expect(revealed.number?.endsWith(card.last4)).to.equal(true);
    expect(revealed.cvc).to.match(/^\d{3}$/);
    const listed = await h.stripe.issuing.cards.list({ cardholder: cardholder.id }, on());
    expect(listed.data[0].number).to.equal(undefined);
  });

  it('cancels a lost card when it is replaced and links the two', async () => {
    const cardholder = await activeCardholder(h.stripe, account);
    const lost = await h.stripe.issuing.cards.create(
      { cardholder: cardholder.id, currency: 'usd', type: 'virtual', status: 'active' },
      on(),
    );
    const replacement = await h.stripe.issuing.cards.create(
      { currency: 'usd', type: 'virtual', replacement_for: lost.id, replacement_reason: 'lost' },
      on(),
    );
    const old = await h.stripe.issuing.cards.retrieve(lost.id, {}, on());
    expect([old.status, old.cancellation_reason, old.replaced_by, replacement.replacement_for]).to.deep.equal([
      'canceled',
      'lost',
      replacement.id,
      lost.id,
    ]);
  });

  it('refuses spending controls that allow and block the same dimension', async () => {
    const error = await stripeError(
      activeCardholder(h.stripe, account, { spending_controls: { allowed_categories: ['bakeries'], blocked_categories: ['pawn_shops'] } }),
    );
    expect([error.code, error.param]).to.deep.equal(['parameters_exclusive', 'spending_controls[allowed_categories]']);
  });

  // Update endpoints leave unprovided parameters unchanged; CardUpdateParams.SpendingControls: "Provide an
  // empty value to unset this control" (merchant countries, card presences).
  it('merges spending controls on update; an empty value unsets a country or presence control', async () => {
    const cardholder = await activeCardholder(h.stripe, account);
    const card = await h.stripe.issuing.cards.create(
      {
        cardholder: cardholder.id,
        currency: 'usd',
        type: 'virtual',
        spending_controls: {
          allowed_merchant_countries: ['US'],
          blocked_card_presences: ['not_present'],
          spending_limits: [{ amount: 900, interval: 'daily' }],
        },
      },
      on(),
    );
    const merged = await h.stripe.issuing.cards.update(card.id, { spending_controls: { blocked_categories: ['pawn_shops'] } }, on());
    expect(merged.spending_controls).to.deep.include({
      allowed_merchant_countries: ['US'],
      blocked_card_presences: ['not_present'],
      blocked_categories: ['pawn_shops'],
      spending_limits: [{ amount: 900, interval: 'daily', categories: null }],
    });
    const emptied = await h.stripe.issuing.cards.update(
      card.id,
      {
        spending_controls: { allowed_merchant_countries: '' as unknown as string[], blocked_card_presences: '' as unknown as ['present'] },
      },
      on(),
    );
    expect(emptied.spending_controls).to.deep.include({
      allowed_merchant_countries: null,
      blocked_card_presences: null,
      blocked_categories: ['pawn_shops'],
    });
    const clash = await stripeError(
      h.stripe.issuing.cards.update(card.id, { spending_controls: { allowed_categories: ['bakeries'] } }, on()),
    );
    expect([clash.code, clash.param]).to.deep.equal(['parameters_exclusive', 'spending_controls[allowed_categories]']);
    const noEmpty = await stripeError(
      h.stripe.issuing.cards.update(card.id, { spending_controls: { blocked_categories: '' as unknown as ['bakeries'] } }, on()),
    );
    expect([noEmpty.code, noEmpty.param]).to.deep.equal(['parameter_invalid_empty', 'spending_controls[blocked_categories]']);
  });
});
