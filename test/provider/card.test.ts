import { expect } from 'chai';
import type Stripe from 'stripe';
import type { Emulator } from '../../emulator';
import { cardProvider } from '../../provider/resources/card';
import { financialAccountProvider } from '../../provider/resources/financialAccount';
import { financialAccountFeaturesProvider } from '../../provider/resources/financialAccountFeatures';
import {
  ADDRESS,
  create,
  engine,
  expectAcceptedByStripeMock,
  failureOf,
  hidden,
  issuingAccount,
  type Managed,
  plan,
  refresh,
  startStripe,
  stopStripe,
  update,
} from './support';

const ACCOUNT = 'acct_1CardSuite';

describe('Card provider against the emulator', () => {
  let emulator: Emulator;
  let stripe: Stripe;
  let cardholderId: string;
  let financialAccountId: string;
  const on = { stripeAccount: ACCOUNT };
  const cardArgs = () => ({
    ...hidden('card'),
    account: ACCOUNT,
    cardholder: cardholderId,
    financialAccount: financialAccountId,
    currency: 'usd',
    type: 'virtual',
  });

  before(async () => {
    ({ emulator, stripe } = await startStripe({ seedAccounts: [ACCOUNT] }));
    ({ financialAccountId, cardholderId } = await issuingAccount(ACCOUNT));
  });
  after(() => stopStripe(emulator));

  it('creates with one request carrying an idempotency key, metadata naming stack and name, and safe outputs', async () => {
    const before = emulator.requests().length;
    const card = await create(cardProvider, cardArgs());
    const [list, post, ...rest] = emulator.requests().slice(before);
    // First a look for a card an interrupted run left on the account (once per process), then the create.
    expect([list.method, list.path, list.query, post.method, post.path, rest]).to.deep.equal([
      'GET',
      '/v1/issuing/cards',
      'limit=100',
      'POST',
      '/v1/issuing/cards',
      [],
    ]);
    expect(post.idempotencyKey).to.match(/^pulumi-[0-9a-f]{64}$/);
    expect(post.stripeAccount).to.equal(ACCOUNT);
    expect(card.id).to.match(/^ic_/);
    expect(card.outs).to.include({ status: 'inactive', currency: 'usd', type: 'virtual' });
    expect(card.outs.brand).to.be.a('string');
    expect(card.outs.last4).to.match(/^\d{4}$/);
    expect(card.outs.expMonth).to.be.within(1, 12);
    expect(card.outs).to.not.have.any.keys('number', 'cvc');
    expect(JSON.stringify(card.outs)).to.not.match(/\d{13,19}/);
    const stored = await stripe.issuing.cards.retrieve(card.id, {}, on);
    expect(stored.metadata).to.deep.equal({ pulumi_stack: 'provider-test', pulumi_name: 'card' });
  });

  it('plans no change after create and after refresh (one request per refresh)', async () => {
    const card = await create(cardProvider, { ...cardArgs(), pulumiName: 'steady' });
    expect(await plan(cardProvider, card, { ...cardArgs(), pulumiName: 'steady' })).to.include({ changes: false });
    const before = emulator.requests().length;
    const refreshed = (await refresh(cardProvider, card))!;
    expect(emulator.requests().length - before).to.equal(1);
    expect(refreshed.inputs).to.deep.equal(card.inputs);
    expect(await plan(cardProvider, refreshed, { ...cardArgs(), pulumiName: 'steady' })).to.include({ changes: false });
  });

  it("a physical card with shipping plans no change after refresh (Stripe's shipping defaults normalized)", async () => {
    const args = {
      ...cardArgs(),
      pulumiName: 'plastic',
      type: 'physical',
      shipping: { name: 'Jenny Rosen', address: ADDRESS, service: 'express' },
    };
    const card = await create(cardProvider, args);
    expect(card.inputs.shipping).to.deep.include({ service: 'express', type: 'individual', requireSignature: true });
    const refreshed = (await refresh(cardProvider, card))!;
    expect(refreshed.inputs.shipping).to.deep.equal(card.inputs.shipping);
    expect(await plan(cardProvider, refreshed, args)).to.include({ changes: false });
  });

  it('refresh shows an out-of-band change; update restores it; replaces on create-only fields', async () => {
    const args = { ...cardArgs(), pulumiName: 'drift', spendingControls: { spendingLimits: [{ amount: 5000, interval: 'daily' }] } };
    let card: Managed = await create(cardProvider, args);
    await stripe.issuing.cards.update(card.id, { status: 'active', metadata: { note: 'dashboard' } }, on);
    card = (await refresh(cardProvider, card))!;
    expect(card.inputs).to.include({ status: 'active' });
    expect(card.inputs.metadata).to.deep.equal({ note: 'dashboard' });
    expect(await plan(cardProvider, card, args)).to.deep.equal({ changes: true, replaces: [] });
    card = await update(cardProvider, card, args);
    const restored = await stripe.issuing.cards.retrieve(card.id, {}, on);
    expect(restored.status).to.equal('inactive');
    expect(restored.metadata).to.deep.equal({ pulumi_stack: 'provider-test', pulumi_name: 'drift' });
    expect(restored.spending_controls.spending_limits).to.deep.include({ amount: 5000, interval: 'daily', categories: null });
    expect(await plan(cardProvider, (await refresh(cardProvider, card))!, args)).to.include({ changes: false });
    expect((await plan(cardProvider, card, { ...args, currency: 'eur' })).replaces).to.deep.equal(['currency']);
  });

  // stripe 23.1.0 Issuing.CardUpdateParams.financial_account: reassigned, not reissued.
  it('moves a card to another financial account with one update, keeping the card; refuses dropping the account', async () => {
    const second = (await create(financialAccountProvider, { ...hidden('fa-second'), account: ACCOUNT, supportedCurrencies: ['usd'] })).id;
    await create(financialAccountFeaturesProvider, {
      ...hidden('features-second'),
      account: ACCOUNT,
      financialAccount: second,
      features: ['card_issuing'],
    });
    const args = { ...cardArgs(), pulumiName: 'mover', status: 'active' };
    const card = await create(cardProvider, args);
    const moved = { ...args, financialAccount: second };
    expect(await plan(cardProvider, card, moved)).to.deep.equal({ changes: true, replaces: [] });
    const before = emulator.requests().length;
    const updated = await update(cardProvider, card, moved);
    const sent = emulator.requests().slice(before);
    expect(sent.map((r) => `${r.method} ${r.path}`)).to.deep.equal([`POST /v1/issuing/cards/${card.id}`]);
    expect(sent[0].params).to.include({ financial_account: second });
    expect(updated.outs).to.include({ last4: card.outs.last4, financialAccount: second });
    const stored = await stripe.issuing.cards.retrieve(card.id, {}, on);
    expect([stored.status, stored.financial_account]).to.deep.equal(['active', second]);
    expect(await plan(cardProvider, (await refresh(cardProvider, updated))!, moved)).to.include({ changes: false });
    const dropped = (await engine(cardProvider).check!(updated.inputs, { ...moved, financialAccount: undefined })).failures ?? [];
    expect(dropped.map((f) => f.property)).to.deep.equal(['financialAccount']);
    expect(dropped[0].reason).to.match(/Stripe cannot unset it/);
  });

  // Stripe's update endpoints leave unprovided parameters unchanged; CardUpdateParams.SpendingControls:
  // "Provide an empty value to unset this control" (merchant countries, card presences).
  it('updates status and spending controls in place: the whole object, with empty values for dropped controls', async () => {
    const args = {
      ...cardArgs(),
      pulumiName: 'mutable',
      spendingControls: { blockedCategories: ['bakeries'], blockedMerchantCountries: ['KP'] },
    };
    let card = await create(cardProvider, args);
    const next = {
      ...args,
      status: 'active',
      spendingControls: {
        blockedCategories: ['bakeries'],
        allowedCardPresences: ['present'],
        spendingLimits: [{ amount: 2500, interval: 'per_authorization' }],
      },
    };
    const before = emulator.requests().length;
    card = await update(cardProvider, card, next);
    const [sent] = emulator.requests().slice(before);
    expect(decodeURIComponent(sent.body))
      .to.include('spending_controls[blocked_merchant_countries]=&')
      .and.include('spending_controls[blocked_categories][0]=bakeries')
      .and.include('spending_controls[allowed_card_presences][0]=present');
    const stored = await stripe.issuing.cards.retrieve(card.id, {}, on);
    expect(stored.status).to.equal('active');
    expect(stored.spending_controls).to.deep.include({
      blocked_categories: ['bakeries'],
      blocked_merchant_countries: null,
      allowed_card_presences: ['present'],
    });
    expect(stored.spending_controls.spending_limits).to.deep.equal([{ amount: 2500, interval: 'per_authorization', categories: null }]);
    expect(await plan(cardProvider, (await refresh(cardProvider, card))!, next)).to.include({ changes: false });

    // Categories and limits have no empty value: dropping them is refused before any call.
    const dropped =
      (await engine(cardProvider).check!(card.inputs, { ...next, spendingControls: { allowedCardPresences: ['present'] } })).failures ?? [];
    expect(dropped.map((f) => f.property)).to.have.members(['spendingControls.blockedCategories', 'spendingControls.spendingLimits']);
  });

  // stripe 23.1.0 Issuing.CardCreateParams / CardUpdateParams.personalization_design.
  it('prints a physical card with the declared personalization design and changes it in place; it cannot be removed', async () => {
    const args = {
      ...cardArgs(),
      pulumiName: 'designed',
      type: 'physical',
      shipping: { name: 'Jenny Rosen', address: ADDRESS },
      personalizationDesign: 'ipcd_1Standard',
    };
    let card = await create(cardProvider, args);
    expect((await stripe.issuing.cards.retrieve(card.id, {}, on)).personalization_design).to.equal('ipcd_1Standard');
    expect(await plan(cardProvider, (await refresh(cardProvider, card))!, args)).to.include({ changes: false });

    const next = { ...args, personalizationDesign: 'ipcd_1Custom' };
    expect(await plan(cardProvider, card, next)).to.deep.equal({ changes: true, replaces: [] });
    const before = emulator.requests().length;
    card = await update(cardProvider, card, next);
    const [sent, ...rest] = emulator.requests().slice(before);
    expect([sent.method, sent.path, rest]).to.deep.equal(['POST', `/v1/issuing/cards/${card.id}`, []]);
    expect(decodeURIComponent(sent.body)).to.include('personalization_design=ipcd_1Custom');
    const stored = await stripe.issuing.cards.retrieve(card.id, {}, on);
    expect([stored.id, stored.personalization_design]).to.deep.equal([card.id, 'ipcd_1Custom']);
    expect(await plan(cardProvider, (await refresh(cardProvider, card))!, next)).to.include({ changes: false });

    const { failures } = await engine(cardProvider).check!(card.inputs, { ...next, personalizationDesign: undefined });
    expect((failures ?? []).map((f) => f.property)).to.deep.equal(['personalizationDesign']);
  });

  it('says plainly at check that Stripe cannot remove blocked categories once set, and sends nothing; countries can go', async () => {
    const args = {
      ...cardArgs(),
      pulumiName: 'controlled',
      spendingControls: { blockedCategories: ['bakeries'], allowedMerchantCountries: ['US'] },
    };
    const card = await create(cardProvider, args);
    const before = emulator.requests().length;
    // The engine checks the new arguments against the last deployment's inputs before any step of the `up`.
    for (const removed of [
      { ...args, spendingControls: undefined },
      { ...args, spendingControls: { blockedCategories: [] } },
    ]) {
      const { failures } = await engine(cardProvider).check!(card.inputs, removed);
      expect(failures).to.have.length(1);
      expect(failures![0].property).to.equal('spendingControls.blockedCategories');
      expect(failures![0].reason).to.match(/Stripe cannot unset it .*keep a value, or replace the Card/);
    }
    expect(emulator.requests().length).to.equal(before);
    expect(
      (await engine(cardProvider).check!(card.inputs, { ...args, spendingControls: { blockedCategories: ['bakeries'] } })).failures ?? [],
    ).to.deep.equal([]);
    // Dropping them while a create-only field replaces the card is fine: the new card never has them.
    expect(
      (await engine(cardProvider).check!(card.inputs, { ...args, spendingControls: undefined, currency: 'eur' })).failures ?? [],
    ).to.deep.equal([]);
  });

  it('a card frozen outside the stack: refresh records it, up refuses to reactivate it, status inactive accepts it', async () => {
    const args = { ...cardArgs(), pulumiName: 'frozen', declaredAt: 'issuing.accounts.a.cardholders.h.cards.frozen', status: 'active' };
    let card: Managed = await create(cardProvider, args);
    await stripe.issuing.cards.update(card.id, { status: 'inactive' }, on);
    card = (await refresh(cardProvider, card))!;
    expect(card.inputs.status).to.equal('inactive');
    expect(card.outs.outOfBandStatus).to.equal('inactive');
    // A second refresh keeps knowing it is a freeze, not the stack's own inactive.
    card = (await refresh(cardProvider, card))!;
    expect(card.outs.outOfBandStatus).to.equal('inactive');
    expect(await plan(cardProvider, card, args)).to.deep.equal({ changes: true, replaces: [] });
    const before = emulator.requests().length;
    const refused = await failureOf(() => update(cardProvider, card, args));
    expect(refused).to.contain(`Card frozen (${card.id}) is frozen outside the stack`);
    expect(refused).to.contain('set stacks/Pulumi.provider-test.yaml: issuing.accounts.a.cardholders.h.cards.frozen.status to inactive');
    expect(emulator.requests().slice(before), 'nothing sent to Stripe').to.deep.equal([]);
    expect((await stripe.issuing.cards.retrieve(card.id, {}, on)).status).to.equal('inactive');

    const accepted = { ...args, status: 'inactive' };
    expect(await plan(cardProvider, card, accepted)).to.deep.equal({ changes: true, replaces: [] });
    const beforeAccepting = emulator.requests().length;
    card = await update(cardProvider, card, accepted);
    expect(card.outs).not.to.have.property('outOfBandStatus');
    expect(emulator.requests().slice(beforeAccepting), 'accepting sends nothing either').to.deep.equal([]);
    expect(await plan(cardProvider, (await refresh(cardProvider, card))!, accepted)).to.include({ changes: false });
    // Once accepted, active again is an ordinary reviewed change that Stripe carries out.
    card = await update(cardProvider, (await refresh(cardProvider, card))!, args);
    expect((await stripe.issuing.cards.retrieve(card.id, {}, on)).status).to.equal('active');
  });

  it('a card canceled outside the stack stays in state as canceled: up refuses to re-issue it, status canceled accepts it', async () => {
    const args = { ...cardArgs(), pulumiName: 'phoenix', status: 'active' };
    let card: Managed = await create(cardProvider, args);
    await stripe.issuing.cards.update(card.id, { status: 'canceled' }, on);
    card = (await refresh(cardProvider, card))!;
    expect(card.id).to.be.a('string');
    expect(card.inputs.status).to.equal('canceled');
    expect(await plan(cardProvider, card, args)).to.deep.equal({ changes: true, replaces: [] });
    const before = emulator.requests().length;
    expect(await failureOf(() => update(cardProvider, card, args))).to.contain(`Card phoenix (${card.id}) was canceled outside the stack`);
    expect(emulator.requests().slice(before), 'no card issued').to.deep.equal([]);

    const accepted = { ...args, status: 'canceled' };
    expect(await plan(cardProvider, card, accepted)).to.deep.equal({ changes: false, replaces: [] });
    const cards = await stripe.issuing.cards.list({ limit: 100 }, on);
    expect(cards.data.filter((c) => c.metadata.pulumi_name === 'phoenix').map((c) => c.status)).to.deep.equal(['canceled']);
  });

  it('status canceled cancels an issued card (permanent); a new card cannot be created canceled', async () => {
    const args = { ...cardArgs(), pulumiName: 'retired', status: 'active' };
    let card: Managed = await create(cardProvider, args);
    card = await update(cardProvider, card, { ...args, status: 'canceled' });
    expect((await stripe.issuing.cards.retrieve(card.id, {}, on)).status).to.equal('canceled');
    expect(await plan(cardProvider, (await refresh(cardProvider, card))!, { ...args, status: 'canceled' })).to.include({ changes: false });
    expect(await failureOf(() => create(cardProvider, { ...cardArgs(), pulumiName: 'born-canceled', status: 'canceled' }))).to.contain(
      'a card cannot be created canceled',
    );
  });

  it('cancels a card as lost in one update, reads the reason back, and refuses a reason without status canceled', async () => {
    const args = { ...cardArgs(), pulumiName: 'lost', status: 'active' };
    let card: Managed = await create(cardProvider, args);
    expect(card.outs.created).to.equal((await stripe.issuing.cards.retrieve(card.id, {}, on)).created);
    const { failures } = await engine(cardProvider).check!(card.inputs, { ...args, cancellationReason: 'lost' });
    expect(failures).to.deep.equal([{ property: 'cancellationReason', reason: 'is only allowed with status canceled' }]);

    const lost = { ...args, status: 'canceled', cancellationReason: 'lost' };
    expect(await plan(cardProvider, card, lost)).to.deep.equal({ changes: true, replaces: [] });
    const before = emulator.requests().length;
    card = await update(cardProvider, card, lost);
    const [sent, ...rest] = emulator.requests().slice(before);
    expect([sent.method, sent.path, rest]).to.deep.equal(['POST', `/v1/issuing/cards/${card.id}`, []]);
    expect(decodeURIComponent(sent.body)).to.include('cancellation_reason=lost');
    const stored = await stripe.issuing.cards.retrieve(card.id, {}, on);
    expect([stored.status, stored.cancellation_reason]).to.deep.equal(['canceled', 'lost']);
    const refreshed = (await refresh(cardProvider, card))!;
    expect(refreshed.inputs.cancellationReason).to.equal('lost');
    expect(await plan(cardProvider, refreshed, lost)).to.include({ changes: false });
  });

  it('a create repeated after a lost response yields one card', async () => {
    const args = { ...cardArgs(), pulumiName: 'lost-response' };
    // Stripe executes the create, the response never arrives (also for the SDK's own retries).
    emulator.setFaults({ dropConnectionRatio: 1 });
    let failure: Error | undefined;
    try {
      await create(cardProvider, args);
    } catch (error) {
      failure = error as Error;
    } finally {
      emulator.setFaults({});
    }
    expect(failure?.message).to.match(/Card lost-response: create failed/);
    const orphans = (await stripe.issuing.cards.list({ cardholder: cardholderId, limit: 100 }, on)).data.filter(
      (c) => c.metadata.pulumi_name === 'lost-response',
    );
    expect(orphans).to.have.length(1);
    // The next `pulumi up` runs the same create again.
    const card = await create(cardProvider, args);
    expect(card.id).to.equal(orphans[0].id);
    const all = (await stripe.issuing.cards.list({ cardholder: cardholderId, limit: 100 }, on)).data.filter(
      (c) => c.metadata.pulumi_name === 'lost-response',
    );
    expect(all.map((c) => c.id)).to.deep.equal([card.id]);
  });

  it('adopts an existing card by ID: takes it over, marks it, then plans no change', async () => {
    const existing = await stripe.issuing.cards.create(
      { cardholder: cardholderId, financial_account: financialAccountId, currency: 'usd', type: 'virtual', status: 'active' },
      on,
    );
    const args = { ...cardArgs(), pulumiName: 'adopted', status: 'active', adoptId: existing.id };
    const before = emulator.requests().length;
    const card = await create(cardProvider, args);
    expect(card.id).to.equal(existing.id);
    // retrieve, then one update writing the managed metadata.
    expect(
      emulator
        .requests()
        .slice(before)
        .map((r) => r.method),
    ).to.deep.equal(['GET', 'POST']);
    const stored = await stripe.issuing.cards.retrieve(existing.id, {}, on);
    expect(stored.metadata).to.deep.equal({ pulumi_stack: 'provider-test', pulumi_name: 'adopted' });
    expect(await plan(cardProvider, (await refresh(cardProvider, card))!, args)).to.include({ changes: false });
  });

  it('refuses to adopt a card another stack or resource manages, naming the owner, and writes nothing', async () => {
    const owned = (metadata: Record<string, string>) =>
      stripe.issuing.cards.create(
        { cardholder: cardholderId, financial_account: financialAccountId, currency: 'usd', type: 'virtual', metadata },
        on,
      );
    for (const [metadata, owner] of [
      [{ pulumi_stack: 'prod', pulumi_name: 'theirs' }, 'stack "prod" as "theirs"'],
      [{ pulumi_stack: 'provider-test', pulumi_name: 'sibling' }, 'stack "provider-test" as "sibling"'],
      [{ pulumi_name: 'loose' }, 'stack "(none)" as "loose"'],
    ] as const) {
      const existing = await owned(metadata);
      const before = emulator.requests().length;
      const message = await failureOf(() => create(cardProvider, { ...cardArgs(), pulumiName: 'usurper', adoptId: existing.id }));
      expect(message).to.include(
        `cannot adopt ${existing.id}: its metadata says it is managed by ${owner}, not by stack "provider-test" as "usurper"`,
      );
      expect(
        emulator
          .requests()
          .slice(before)
          .map((r) => r.method),
      ).to.deep.equal(['GET']);
      expect((await stripe.issuing.cards.retrieve(existing.id, {}, on)).metadata).to.deep.equal(metadata);
    }
    // Metadata naming this very resource (e.g. state lost after a create) is ours: adoption goes ahead.
    const mine = await owned({ pulumi_stack: 'provider-test', pulumi_name: 'reclaimed' });
    expect((await create(cardProvider, { ...cardArgs(), pulumiName: 'reclaimed', adoptId: mine.id })).id).to.equal(mine.id);
  });

  it('refuses to adopt a card whose create-only fields differ, naming them', async () => {
    const existing = await stripe.issuing.cards.create(
      { cardholder: cardholderId, financial_account: financialAccountId, currency: 'usd', type: 'virtual' },
      on,
    );
    let message = '';
    try {
      await create(cardProvider, { ...cardArgs(), pulumiName: 'mismatch', currency: 'eur', adoptId: existing.id });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.match(/differs in fields Stripe cannot change \(currency\)/);
  });

  it('refuses to adopt a card whose arguments drop spending controls it has that Stripe cannot unset', async () => {
    const existing = await stripe.issuing.cards.create(
      {
        cardholder: cardholderId,
        financial_account: financialAccountId,
        currency: 'usd',
        type: 'virtual',
        spending_controls: { blocked_categories: ['bakeries'] },
      },
      on,
    );
    const message = await failureOf(() => create(cardProvider, { ...cardArgs(), pulumiName: 'adopt-controls', adoptId: existing.id }));
    expect(message).to.match(/spendingControls\.blockedCategories/);
    expect((await stripe.issuing.cards.retrieve(existing.id, {}, on)).spending_controls.blocked_categories).to.deep.equal(['bakeries']);
  });

  it('destroy cancels the card; an already canceled card deletes cleanly', async () => {
    const card = await create(cardProvider, { ...cardArgs(), pulumiName: 'doomed' });
    await engine(cardProvider).delete!(card.id, card.outs);
    expect((await stripe.issuing.cards.retrieve(card.id, {}, on)).status).to.equal('canceled');
    await engine(cardProvider).delete!(card.id, card.outs);
  });

  it("errors name the resource and Stripe's reason, without the key", async () => {
    let message = '';
    try {
      await create(cardProvider, { ...cardArgs(), pulumiName: 'orphan', cardholder: 'ich_doesNotExist' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.match(/^Card orphan: create failed: .*ich_doesNotExist/);
    expect(message).to.not.include('sk_test_');
  });

  it("sent only requests that Stripe's stripe-mock also accepts", async () => {
    await expectAcceptedByStripeMock(emulator);
  });
});

// Issue 24 area 6: Stripe's refusal names the symptom (the card_issuing feature); the provider adds the
// cause, the account's capability waiting on settings.card_issuing.tos_acceptance, and the stack-file key.
describe('Card provider: a card refused for a prerequisite names it', () => {
  const NO_TERMS = 'acct_1CardNoTerms';
  let emulator: Emulator;

  before(async () => {
    ({ emulator } = await startStripe({ seedAccounts: [NO_TERMS], seedTosAccepted: false }));
  });
  after(() => stopStripe(emulator));

  it('names the capability, what it waits on, and tosAcceptance.card_issuing of the stack file', async () => {
    const { financialAccountId, cardholderId } = await issuingAccount(NO_TERMS);
    const message = await failureOf(() =>
      create(cardProvider, {
        ...hidden('card'),
        account: NO_TERMS,
        cardholder: cardholderId,
        financialAccount: financialAccountId,
        currency: 'usd',
        type: 'virtual',
      }),
    );
    expect(message).to.include('its card_issuing feature is restricted');
    expect(message).to.include(
      `Cause: the account ${NO_TERMS}'s treasury capability is inactive, waiting on settings.treasury.tos_acceptance.date, settings.treasury.tos_acceptance.ip: set stripe-issuing:issuing.accounts.<name>.tosAcceptance.treasury (date, ip) in the stack file for the account with id ${NO_TERMS}; ` +
        `the account ${NO_TERMS}'s card_issuing capability is inactive, waiting on settings.card_issuing.tos_acceptance.date, settings.card_issuing.tos_acceptance.ip: set stripe-issuing:issuing.accounts.<name>.tosAcceptance.card_issuing (date, ip) in the stack file for the account with id ${NO_TERMS}.`,
    );
    expect(message).to.match(/param financial_account/);
  });

  it('names the account by its stack-file key when the card comes from a stack file (declaredAt)', async () => {
    const { financialAccountId, cardholderId } = await issuingAccount(NO_TERMS);
    const message = await failureOf(() =>
      create(cardProvider, {
        ...hidden('card-from-file'),
        account: NO_TERMS,
        cardholder: cardholderId,
        financialAccount: financialAccountId,
        currency: 'usd',
        type: 'virtual',
        declaredAt: 'issuing.accounts.no-terms.cardholders.jane.cards.travel',
      }),
    );
    expect(message).to.include('set stripe-issuing:issuing.accounts.no-terms.tosAcceptance.card_issuing (date, ip) in the stack file');
    expect(message).to.not.include('<name>');
  });
});
