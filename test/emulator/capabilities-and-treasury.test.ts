// Rule 2 (Connect and Treasury): capability prerequisites and activation, feature statuses with
// status_details, and when a financial account may close.
import { expect } from 'chai';
import { startEmulator } from '../../emulator';
import { activeCardholder, clientFor, issuingFinancialAccount, onboardedAccount, TOS } from '../../testbed/stripe-objects';
import { stripeError, useEmulator } from './harness';

describe('emulator: capabilities', () => {
  const h = useEmulator();

  it('requires transfers before treasury', async () => {
    const account = await h.stripe.accounts.create({ type: 'custom', settings: { treasury: { tos_acceptance: TOS } } });
    const error = await stripeError(h.stripe.accounts.updateCapability(account.id, 'treasury', { requested: true }));
    expect([error.statusCode, error.param]).to.deep.equal([400, 'requested']);
    expect(error.message).to.match(/treasury capability requires the transfers capability/);
    await h.stripe.accounts.updateCapability(account.id, 'transfers', { requested: true });
    const treasury = await h.stripe.accounts.updateCapability(account.id, 'treasury', { requested: true });
    expect([treasury.requested, treasury.status]).to.deep.equal([true, 'active']);
  });

  // Stripe, Account capabilities: "Attempting to remove or unrequest a permanent capability returns an error."
  it('refuses to unrequest a permanent capability and lets a non-permanent one go', async () => {
    const account = await onboardedAccount(h.stripe);
    for (const name of ['card_issuing', 'treasury', 'transfers']) {
      const refusal = await stripeError(h.stripe.accounts.updateCapability(account, name, { requested: false }));
      expect([refusal.statusCode, refusal.type, refusal.param]).to.deep.equal([400, 'StripeInvalidRequestError', 'requested']);
      expect(refusal.message).to.equal(`The ${name} capability is permanent once requested and cannot be unrequested.`);
      expect((await h.stripe.accounts.retrieveCapability(account, name)).requested, name).to.equal(true);
    }
    const onUpdate = await stripeError(h.stripe.accounts.update(account, { capabilities: { treasury: { requested: false } } }));
    expect(onUpdate.param).to.equal('capabilities[treasury]');
    await h.stripe.accounts.updateCapability(account, 'card_payments', { requested: true });
    const removed = await h.stripe.accounts.updateCapability(account, 'card_payments', { requested: false });
    expect([removed.requested, removed.status]).to.deep.equal([false, 'unrequested']);
  });

  it("keeps a capability inactive with requirements until the account accepts that product's terms", async () => {
    const account = await h.stripe.accounts.create({ type: 'custom' });
    const capability = await h.stripe.accounts.updateCapability(account.id, 'card_issuing', { requested: true });
    expect(capability.status).to.equal('inactive');
    expect(capability.requirements?.currently_due).to.deep.equal([
      'settings.card_issuing.tos_acceptance.date',
      'settings.card_issuing.tos_acceptance.ip',
    ]);
    await h.stripe.accounts.update(account.id, { settings: { card_issuing: { tos_acceptance: TOS } } });
    expect((await h.stripe.accounts.retrieveCapability(account.id, 'card_issuing')).status).to.equal('active');
    expect((await h.stripe.accounts.retrieve(account.id)).capabilities).to.deep.equal({ card_issuing: 'active' });
  });

  it('lists capabilities and refuses unknown ones', async () => {
    const account = await onboardedAccount(h.stripe);
    const names = (await h.stripe.accounts.listCapabilities(account)).data.map((c) => c.id);
    expect(names).to.deep.equal(['card_issuing', 'transfers', 'treasury']);
    const unknown = await stripeError(h.stripe.accounts.retrieveCapability(account, 'time_travel'));
    expect([unknown.statusCode, unknown.code]).to.deep.equal([404, 'resource_missing']);
  });

  it('refuses card_issuing when the platform is not onboarded to Issuing', async () => {
    const emulator = await startEmulator({ platformIssuing: false });
    try {
      const stripe = clientFor(emulator);
      const account = await stripe.accounts.create({ type: 'custom' });
      const error = await stripeError(stripe.accounts.updateCapability(account.id, 'card_issuing', { requested: true }));
      expect(error.message).to.match(/platform is not onboarded to Issuing/);
      const onCreate = await stripeError(stripe.accounts.create({ type: 'custom', capabilities: { card_issuing: { requested: true } } }));
      expect(onCreate.param).to.equal('capabilities[card_issuing]');
    } finally {
      await emulator.close();
    }
  });
});

describe('emulator: pending activation', () => {
  const h = useEmulator({ activation: 'pending' });

  it('holds capabilities and features pending until Stripe-side controls activate them', async () => {
    const account = await onboardedAccount(h.stripe);
    expect((await h.stripe.accounts.retrieveCapability(account, 'treasury')).status).to.equal('pending');
    const fa = await issuingFinancialAccount(h.stripe, account);
    const features = await h.stripe.treasury.financialAccounts.retrieveFeatures(fa.id, {}, { stripeAccount: account });
    // FinancialAccount Feature object: requirements_pending_verification = "Stripe is in the process of verifying the user".
    expect(features.card_issuing).to.deep.equal({
      requested: true,
      status: 'pending',
      status_details: [{ code: 'requirements_pending_verification', resolution: null }],
    });
    for (const capability of ['transfers', 'treasury', 'card_issuing']) h.emulator.activateCapability(account, capability);
    const activating = await h.stripe.treasury.financialAccounts.retrieveFeatures(fa.id, {}, { stripeAccount: account });
    expect(activating.card_issuing?.status_details).to.deep.equal([{ code: 'activating', resolution: null }]);
    expect((await h.stripe.accounts.retrieveCapability(account, 'card_issuing')).status).to.equal('active');
    expect((await h.stripe.treasury.financialAccounts.retrieve(fa.id, {}, { stripeAccount: account })).pending_features).to.have.members([
      'card_issuing',
      'financial_addresses.aba',
    ]);
    h.emulator.activateFinancialAccountFeatures(account, fa.id, ['card_issuing']);
    const after = await h.stripe.treasury.financialAccounts.retrieve(fa.id, {}, { stripeAccount: account });
    expect([after.active_features, after.pending_features]).to.deep.equal([['card_issuing'], ['financial_addresses.aba']]);
    const events = (await h.stripe.events.list({ type: 'capability.updated' }, { stripeAccount: account })).data;
    expect(events.map((e) => (e.data.object as { status: string }).status)).to.include('active');
  });

  it('lets a test control disable a capability, which restricts the features that depend on it', async () => {
    const account = await onboardedAccount(h.stripe);
    for (const capability of ['transfers', 'treasury', 'card_issuing']) h.emulator.activateCapability(account, capability);
    const fa = await issuingFinancialAccount(h.stripe, account);
    h.emulator.activateFinancialAccountFeatures(account, fa.id);
    h.emulator.setCapabilityStatus(account, 'card_issuing', 'inactive');
    const features = await h.stripe.treasury.financialAccounts.retrieveFeatures(fa.id, {}, { stripeAccount: account });
    expect(features.card_issuing?.status_details).to.deep.equal([{ code: 'requirements_past_due', resolution: 'provide_information' }]);
  });
});

describe('emulator: Treasury financial accounts', () => {
  const h = useEmulator();
  let account: string;
  const on = () => ({ stripeAccount: account });

  // A fresh account per test: Stripe allows three open financial accounts per account.
  beforeEach(async () => {
    account = await onboardedAccount(h.stripe);
  });

  it('allows three open financial accounts per account', async () => {
    for (let i = 0; i < 3; i++) await issuingFinancialAccount(h.stripe, account);
    expect((await stripeError(issuingFinancialAccount(h.stripe, account))).message).to.match(/already has 3 open financial accounts/);
  });

  it('needs the treasury capability to create a financial account', async () => {
    const bare = await h.stripe.accounts.create({ type: 'custom' });
    const error = await stripeError(
      h.stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'] }, { stripeAccount: bare.id }),
    );
    expect(error.message).to.match(/has not requested the treasury capability/);
  });

  it('restricts the card_issuing feature when the card_issuing capability is not requested', async () => {
    const treasuryOnly = await h.stripe.accounts.create({
      type: 'custom',
      capabilities: { transfers: { requested: true }, treasury: { requested: true } },
      settings: { treasury: { tos_acceptance: TOS } },
    });
    const fa = await issuingFinancialAccount(h.stripe, treasuryOnly.id);
    expect(fa.restricted_features).to.deep.equal(['card_issuing']);
    const features = await h.stripe.treasury.financialAccounts.retrieveFeatures(fa.id, {}, { stripeAccount: treasuryOnly.id });
    expect(features.card_issuing?.status_details).to.deep.equal([{ code: 'capability_not_requested', resolution: 'provide_information' }]);
  });

  // Financial account features guide, "Available features": the ACH features need treasury and us_bank_account_ach_payments.
  it('restricts the ACH features until us_bank_account_ach_payments is requested', async () => {
    const fa = await h.stripe.treasury.financialAccounts.create(
      {
        supported_currencies: ['usd'],
        features: {
          inbound_transfers: { ach: { requested: true } },
          outbound_payments: { ach: { requested: true } },
          outbound_transfers: { ach: { requested: true } },
          deposit_insurance: { requested: true },
        },
      },
      on(),
    );
    expect(fa.restricted_features).to.have.members(['inbound_transfers.ach', 'outbound_payments.ach', 'outbound_transfers.ach']);
    expect(fa.active_features).to.deep.equal(['deposit_insurance']);
    const features = await h.stripe.treasury.financialAccounts.retrieveFeatures(fa.id, {}, on());
    const notRequested = [{ code: 'capability_not_requested', resolution: 'provide_information' }];
    expect([
      features.inbound_transfers?.ach?.status_details,
      features.outbound_payments?.ach?.status_details,
      features.outbound_transfers?.ach?.status_details,
    ]).to.deep.equal([notRequested, notRequested, notRequested]);
    await h.stripe.accounts.updateCapability(account, 'us_bank_account_ach_payments', { requested: true });
    const after = await h.stripe.treasury.financialAccounts.retrieve(fa.id, {}, on());
    expect(after.restricted_features).to.deep.equal([]);
    expect(after.active_features).to.include.members(['inbound_transfers.ach', 'outbound_payments.ach', 'outbound_transfers.ach']);
  });

  // Financial account features guide (platform restrictions): outbound_flows / inbound_flows restrict the
  // features that move money that way, with restricted_by_platform naming the restriction; card_issuing
  // itself stays active (its authorizations are declined: authorizations.test.ts).
  it('restricts the features of a restricted direction with restricted_by_platform, leaving card_issuing active', async () => {
    const all = {
      card_issuing: { requested: true },
      deposit_insurance: { requested: true },
      financial_addresses: { aba: { requested: true } },
      intra_stripe_flows: { requested: true },
      inbound_transfers: { ach: { requested: true } },
      outbound_payments: { ach: { requested: true }, us_domestic_wire: { requested: true } },
      outbound_transfers: { ach: { requested: true }, us_domestic_wire: { requested: true } },
    };
    await h.stripe.accounts.updateCapability(account, 'us_bank_account_ach_payments', { requested: true });
    const byPlatform = (restriction: string) => [{ code: 'restricted_by_platform', resolution: 'remove_restriction', restriction }];
    const outbound = await h.stripe.treasury.financialAccounts.create(
      {
        supported_currencies: ['usd'],
        features: all,
        platform_restrictions: { outbound_flows: 'restricted' },
      },
      on(),
    );
    const outboundFeatures = [
      'financial_addresses.aba',
      'intra_stripe_flows',
      'outbound_payments.ach',
      'outbound_payments.us_domestic_wire',
      'outbound_transfers.ach',
      'outbound_transfers.us_domestic_wire',
    ];
    expect(outbound.restricted_features).to.have.members(outboundFeatures);
    expect(outbound.active_features).to.have.members(['card_issuing', 'deposit_insurance', 'inbound_transfers.ach']);
    expect(outbound.pending_features).to.deep.equal([]);
    // The address still receives money (only some of its functionality is restricted), so it stays listed.
    expect(outbound.financial_addresses.map((a) => a.type)).to.deep.equal(['aba']);
    const features = await h.stripe.treasury.financialAccounts.retrieveFeatures(outbound.id, {}, on());
    expect(features.card_issuing).to.deep.equal({ requested: true, status: 'active', status_details: [] });
    for (const feature of [
      features.financial_addresses?.aba,
      features.intra_stripe_flows,
      features.outbound_payments?.ach,
      features.outbound_payments?.us_domestic_wire,
      features.outbound_transfers?.ach,
      features.outbound_transfers?.us_domestic_wire,
    ]) {
      expect(feature).to.deep.equal({ requested: true, status: 'restricted', status_details: byPlatform('outbound_flows') });
    }
    expect(features.inbound_transfers?.ach?.status).to.equal('active');

    const inbound = await h.stripe.treasury.financialAccounts.create(
      {
        supported_currencies: ['usd'],
        features: all,
        platform_restrictions: { inbound_flows: 'restricted' },
      },
      on(),
    );
    expect(inbound.restricted_features).to.have.members(['financial_addresses.aba', 'inbound_transfers.ach', 'intra_stripe_flows']);
    expect(inbound.active_features).to.include.members([
      'card_issuing',
      'deposit_insurance',
      'outbound_payments.ach',
      'outbound_transfers.us_domestic_wire',
    ]);
    const inboundFeatures = await h.stripe.treasury.financialAccounts.retrieveFeatures(inbound.id, {}, on());
    expect(inboundFeatures.inbound_transfers?.ach?.status_details).to.deep.equal(byPlatform('inbound_flows'));

    // Both directions: one detail per restriction on the features that move money both ways.
    const both = await h.stripe.treasury.financialAccounts.update(
      inbound.id,
      { platform_restrictions: { outbound_flows: 'restricted' } },
      on(),
    );
    expect(both.active_features).to.have.members(['card_issuing', 'deposit_insurance']);
    const bothFeatures = await h.stripe.treasury.financialAccounts.retrieveFeatures(inbound.id, {}, on());
    expect(bothFeatures.intra_stripe_flows?.status_details).to.deep.equal([
      ...byPlatform('inbound_flows'),
      ...byPlatform('outbound_flows'),
    ]);

    const lifted = await h.stripe.treasury.financialAccounts.update(
      inbound.id,
      { platform_restrictions: { outbound_flows: 'unrestricted', inbound_flows: 'unrestricted' } },
      on(),
    );
    expect(lifted.restricted_features).to.deep.equal([]);
    expect(lifted.active_features).to.have.members(['card_issuing', 'deposit_insurance', ...outboundFeatures, 'inbound_transfers.ach']);
    const events = (await h.stripe.events.list({ type: 'treasury.financial_account.features_status_updated' }, on())).data;
    expect(events.some((e) => (e.data.object as { id: string }).id === inbound.id)).to.equal(true);
  });

  it('adds and removes features with requested true/false', async () => {
    const fa = await issuingFinancialAccount(h.stripe, account);
    const updated = await h.stripe.treasury.financialAccounts.updateFeatures(
      fa.id,
      { outbound_payments: { us_domestic_wire: { requested: true } }, card_issuing: { requested: false } },
      on(),
    );
    expect(updated.card_issuing).to.equal(undefined);
    expect(updated.outbound_payments?.us_domestic_wire?.status).to.equal('active');
  });

  it('refuses to close with a balance or live cards, and closing is permanent', async () => {
    const fa = await issuingFinancialAccount(h.stripe, account);
    await h.stripe.testHelpers.treasury.receivedCredits.create(
      { financial_account: fa.id, amount: 1000, currency: 'usd', network: 'ach' },
      on(),
    );
    expect((await stripeError(h.stripe.treasury.financialAccounts.close(fa.id, {}, on()))).message).to.match(/while it holds a balance/);

    const empty = await issuingFinancialAccount(h.stripe, account);
    const cardholder = await activeCardholder(h.stripe, account);
    const card = await h.stripe.issuing.cards.create(
      { cardholder: cardholder.id, currency: 'usd', type: 'virtual', financial_account: empty.id },
      on(),
    );
    expect((await stripeError(h.stripe.treasury.financialAccounts.close(empty.id, {}, on()))).message).to.include(card.id);
    await h.stripe.issuing.cards.update(card.id, { status: 'canceled' }, on());
    const closed = await h.stripe.treasury.financialAccounts.close(empty.id, {}, on());
    expect([closed.status, closed.status_details.closed?.reasons]).to.deep.equal(['closed', ['closed_by_platform']]);
    expect((await stripeError(h.stripe.treasury.financialAccounts.update(empty.id, { nickname: 'again' }, on()))).message).to.match(
      /is closed/,
    );
    const features = await h.stripe.treasury.financialAccounts.retrieveFeatures(empty.id, {}, on());
    expect(features.card_issuing?.status_details[0].code).to.equal('financial_account_closed');
  });

  it('keeps the ABA account number out of responses unless expanded', async () => {
    const fa = await issuingFinancialAccount(h.stripe, account);
    expect(fa.financial_addresses[0].aba?.account_number).to.equal(undefined);
    const expanded = await h.stripe.treasury.financialAccounts.retrieve(
      fa.id,
      { expand: ['financial_addresses.aba.account_number'] },
      on(),
    );
    expect(expanded.financial_addresses[0].aba?.account_number).to.match(/^\d+$/);
  });
});
