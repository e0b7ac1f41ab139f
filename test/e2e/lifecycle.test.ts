/**
 * Every Issuing resource through the real CLI against the emulator, driven by the stack file as users
 * drive it: up → no-change preview → no-change refresh → drift → update vs replace → out-of-band delete
 * → adopt → destroy, each checked against the Stripe API with the real client.
 */

import * as crypto from 'node:crypto';
import { expect } from 'chai';
import * as yaml from 'js-yaml';
import Stripe from 'stripe';
import { type Emulator, startEmulator } from '../../emulator';
import {
  createWorkspace,
  type PulumiCommandError,
  type StateExport,
  stateResources,
  TestStack,
  type Workspace,
} from '../../testbed/workspace';
import { replayAgainstStripeMock } from '../conformance/replay';
import { expectNoPlainPersonalData } from '../support/personal-data';

const ACCOUNT = 'acct_1LifecycleAcme';
// Resources by `Type:name`, as the harness keys them.
const CARD = 'Card:acme-jane-travel';
const HOLDER = 'Cardholder:acme-jane';
const SAM = 'Cardholder:acme-sam';
const FA = 'FinancialAccount:acme';
const FEATURES = 'FinancialAccountFeatures:acme';
const HOOK = 'WebhookEndpoint:events';
const capability = (name: string) => `AccountCapability:acme-${name}`;
const ISSUING_KEY = 'stripe-issuing:issuing';
/** Jane's date of birth, declared encrypted with `pulumi config set --secret --path`. */
const DOB = { day: 7, month: 9, year: 1979 };

/** The stack's whole issuing setup; tests edit a copy of it as a user edits the YAML. */
function baseIssuing() {
  return {
    accounts: {
      acme: {
        id: ACCOUNT,
        // card_payments: a capability Stripe lets go of (the emulator treats the other three as permanent).
        capabilities: ['transfers', 'treasury', 'card_issuing', 'card_payments'],
        financialAccount: { nickname: 'Lifecycle operating', supportedCurrencies: ['usd'], features: ['card_issuing'] },
        cardholders: {
          jane: {
            name: 'Jane Rivera',
            email: 'jane@acme.example',
            billing: { address: { line1: '510 Townsend St', city: 'San Francisco', state: 'CA', postalCode: '94103', country: 'US' } },
            individual: { firstName: 'Jane', lastName: 'Rivera' },
            cards: {
              travel: { status: 'active', spendingControls: { spendingLimits: [{ amount: 50000, interval: 'monthly' }] } },
            },
          } as Record<string, unknown>,
        },
      },
    },
    webhookEndpoints: {
      events: { url: 'http://127.0.0.1:9/stripe-events', enabledEvents: ['issuing_card.created'], description: 'lifecycle test' },
    },
  };
}

describe('Issuing resources through the real CLI (lifecycle against the emulator)', () => {
  let emulator: Emulator;
  let stripe: Stripe;
  let workspace: Workspace;
  let stack: TestStack;
  let issuing: ReturnType<typeof baseIssuing>;
  const apiKey = `sk_test_lifecycle_${crypto.randomBytes(8).toString('hex')}`;
  const onAccount = { stripeAccount: ACCOUNT };

  const jane = () => issuing.accounts.acme.cardholders.jane;
  const travel = () => (jane().cards as Record<string, Record<string, unknown>>).travel;
  const ids = async () =>
    Object.fromEntries(Object.entries(stateResources(await stack.exportState())).map(([key, r]) => [key, r.id as string]));
  const saveIssuing = () => stack.setConfigValue(ISSUING_KEY, issuing);

  /** After every up: no key, no card number or CVC in state; the webhook secret only encrypted. */
  async function expectCleanState(): Promise<StateExport> {
    const state = await stack.exportState();
    const text = JSON.stringify(state);
    expect(text).not.to.contain(apiKey);
    const cards = await stripe.issuing.cards.list({ limit: 100 }, onAccount);
    for (const card of cards.data) {
      const full = await stripe.issuing.cards.retrieve(card.id, { expand: ['number', 'cvc'] }, onAccount);
      if (full.number) expect(text).not.to.contain(full.number);
      if (full.cvc) expect(text).not.to.match(new RegExp(`"${full.cvc}"`));
    }
    const endpoint = stateResources(state)[HOOK];
    expect(endpoint.outputs?.secret, 'the webhook secret is stored as a secret').to.have.property('ciphertext');
    expectNoPlainPersonalData(state, DOB);
    return state;
  }

  before(async () => {
    emulator = await startEmulator({ seedAccounts: [ACCOUNT], seedTosAccepted: true });
    stripe = new Stripe(apiKey, { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
    workspace = createWorkspace({ env: { STRIPE_API_BASE: emulator.url, STRIPE_API_KEY: '' } });
    stack = await TestStack.create(workspace, 'lifecycle');
    // The key goes through stack config as a secret: configure() must find it there.
    await stack.setConfig('stripe-issuing:stripeApiKey', apiKey, { secret: true });
    issuing = baseIssuing();
    saveIssuing();
    for (const [part, value] of Object.entries(DOB)) {
      await stack.setConfig(`${ISSUING_KEY}.accounts.acme.cardholders.jane.individual.dob.${part}`, String(value), {
        secret: true,
        path: true,
      });
    }
    // Later edits keep the encrypted values, as a user editing the YAML does.
    issuing = (yaml.load(stack.readStackFile()) as { config: Record<string, typeof issuing> }).config[ISSUING_KEY];
  });

  after(async () => {
    workspace?.cleanup();
    await emulator?.close();
  });

  it('creates everything on up, with a clean state', async () => {
    await stack.up();
    const id = await ids();
    const card = await stripe.issuing.cards.retrieve(id[CARD], {}, onAccount);
    expect(card.status).to.equal('active');
    expect(card.cardholder.id).to.equal(id[HOLDER]);
    expect(card.financial_account).to.equal(id[FA]);
    const capability = await stripe.accounts.retrieveCapability(ACCOUNT, 'card_issuing');
    expect(capability.requested).to.equal(true);
    const features = await stripe.treasury.financialAccounts.retrieveFeatures(id[FA], {}, onAccount);
    expect(features.card_issuing?.requested).to.equal(true);
    await expectCleanState();
  });

  it('shows no changes in a preview and a refresh right after up', async () => {
    await stack.expectNoChangesPreview();
    await stack.refresh({ expectNoChanges: true });
    await stack.expectNoChangesPreview();
  });

  it('sees out-of-band changes on refresh and puts them back on up', async () => {
    const id = await ids();
    await stripe.issuing.cardholders.update(id[HOLDER], { email: 'someone.else@acme.example' }, onAccount);
    // A freeze (status inactive) is never put back: see 'keeps a card canceled out of band' and test/e2e/freeze.test.ts.
    await stripe.issuing.cards.update(id[CARD], { metadata: { note: 'dashboard' } }, onAccount);
    await stripe.treasury.financialAccounts.update(id[FA], { nickname: 'Renamed in the Dashboard' }, onAccount);
    await stripe.webhookEndpoints.update(id[HOOK], { description: 'edited by hand' });

    await stack.refresh();
    const ops = await stack.previewOps();
    for (const key of [HOLDER, CARD, FA, HOOK]) expect(ops[key], key).to.equal('update');

    await stack.up();
    expect((await stripe.issuing.cardholders.retrieve(id[HOLDER], {}, onAccount)).email).to.equal('jane@acme.example');
    expect((await stripe.issuing.cards.retrieve(id[CARD], {}, onAccount)).metadata).not.to.have.property('note');
    expect((await stripe.treasury.financialAccounts.retrieve(id[FA], {}, onAccount)).nickname).to.equal('Lifecycle operating');
    expect((await stripe.webhookEndpoints.retrieve(id[HOOK])).description).to.equal('lifecycle test');
    await stack.expectNoChangesPreview();
  });

  it('updates in place what Stripe can update', async () => {
    const before = await ids();
    jane().email = 'jane.rivera@acme.example';
    travel().spendingControls = { spendingLimits: [{ amount: 75000, interval: 'monthly' }] };
    issuing.accounts.acme.financialAccount.nickname = 'Acme travel';
    saveIssuing();
    const ops = await stack.previewOps();
    expect(ops).to.include({ [HOLDER]: 'update', [CARD]: 'update', [FA]: 'update' });
    await stack.up();
    expect(await ids()).to.deep.equal(before);
    const card = await stripe.issuing.cards.retrieve(before[CARD], {}, onAccount);
    expect(card.spending_controls.spending_limits?.map((l) => [l.amount, l.interval])).to.deep.equal([[75000, 'monthly']]);
    await expectCleanState();
  });

  it('replaces what Stripe fixes at creation, cancelling the old card', async () => {
    const before = await ids();
    jane().name = 'Jane R Okafor';
    saveIssuing();
    const ops = await stack.previewOps();
    expect(ops[HOLDER]).to.equal('replace');
    expect(ops[CARD], 'a card belongs to one cardholder').to.equal('replace');
    await stack.up();
    const after = await ids();
    expect(after[HOLDER]).not.to.equal(before[HOLDER]);
    expect((await stripe.issuing.cardholders.retrieve(before[HOLDER], {}, onAccount)).status).to.equal('inactive');
    expect((await stripe.issuing.cards.retrieve(before[CARD], {}, onAccount)).status).to.equal('canceled');
    expect((await stripe.issuing.cards.retrieve(after[CARD], {}, onAccount)).status).to.equal('active');
    await stack.expectNoChangesPreview();
  });

  it('keeps a card canceled out of band in state; up never re-issues it; a new entry issues a new card', async () => {
    const before = await ids();
    await stripe.issuing.cards.update(before[CARD], { status: 'canceled' }, onAccount);
    await stack.refresh();
    expect((await ids())[CARD], 'still in state: nothing recreates it').to.equal(before[CARD]);
    const refused = await stack.run(['up', '--yes', '--skip-preview']).then(
      () => '',
      (error: Error) => error.message,
    );
    expect(refused).to.contain(`Card acme-jane-travel (${before[CARD]}) was canceled outside the stack`);
    expect(refused).to.contain('set stacks/Pulumi.lifecycle.yaml: issuing.accounts.acme.cardholders.jane.cards.travel.status to canceled');
    const declared = { ...travel() };
    travel().status = 'canceled';
    saveIssuing();
    await stack.up();
    await stack.expectNoChangesPreview();
    // A new card: the canceled one leaves the stack (nothing to cancel), then the entry comes back.
    delete (jane().cards as Record<string, unknown>).travel;
    saveIssuing();
    await stack.up();
    (jane().cards as Record<string, unknown>).travel = declared;
    saveIssuing();
    expect((await stack.previewOps())[CARD]).to.equal('create');
    await stack.up();
    const after = await ids();
    expect(after[CARD]).to.be.a('string').and.not.equal(before[CARD]);
    expect((await stripe.issuing.cards.retrieve(after[CARD], {}, onAccount)).status).to.equal('active');
    await stack.expectNoChangesPreview();
  });

  it('adopts an existing cardholder by ID without replacing it', async () => {
    const existing = await stripe.issuing.cardholders.create(
      {
        name: 'Sam Okafor',
        email: 'sam@acme.example',
        billing: { address: { line1: '510 Townsend St', city: 'San Francisco', state: 'CA', postal_code: '94103', country: 'US' } },
        individual: { first_name: 'Sam', last_name: 'Okafor' },
      },
      onAccount,
    );
    (issuing.accounts.acme.cardholders as Record<string, Record<string, unknown>>).sam = {
      adoptId: existing.id,
      name: 'Sam Okafor',
      email: 'sam@acme.example',
      billing: { address: { line1: '510 Townsend St', city: 'San Francisco', state: 'CA', postalCode: '94103', country: 'US' } },
      individual: { firstName: 'Sam', lastName: 'Okafor' },
    };
    saveIssuing();
    await stack.up();
    expect((await ids())[SAM]).to.equal(existing.id);
    await stack.expectNoChangesPreview();
    await stack.refresh({ expectNoChanges: true });
  });

  it('adopts an existing card by ID without replacing it', async () => {
    const id = await ids();
    const existing = await stripe.issuing.cards.create(
      { cardholder: id[HOLDER], financial_account: id[FA], currency: 'usd', type: 'virtual', status: 'inactive' },
      onAccount,
    );
    (jane().cards as Record<string, Record<string, unknown>>).spare = { adoptId: existing.id, status: 'inactive' };
    saveIssuing();
    await stack.up();
    expect((await ids())['Card:acme-jane-spare']).to.equal(existing.id);
    await stack.expectNoChangesPreview();
  });

  it('sees a capability and a feature unrequested out of band, and up requests them again', async () => {
    const id = await ids();
    await stripe.treasury.financialAccounts.updateFeatures(id[FA], { card_issuing: { requested: false } }, onAccount);
    await stripe.accounts.updateCapability(ACCOUNT, 'card_payments', { requested: false });
    await stack.refresh();
    const ops = await stack.previewOps();
    expect(ops[capability('card_payments')], 'an unrequested capability is gone').to.equal('create');
    expect(['create', 'update'], `features: ${ops[FEATURES]}`).to.include(ops[FEATURES]);
    await stack.up();
    expect((await stripe.accounts.retrieveCapability(ACCOUNT, 'card_payments')).requested).to.equal(true);
    expect((await stripe.treasury.financialAccounts.retrieveFeatures(id[FA], {}, onAccount)).card_issuing?.requested).to.equal(true);
    await stack.expectNoChangesPreview();
  });

  it('leaves a capability removed from the stack requested in Stripe, and unrequests it only when asked', async function () {
    this.timeout(600_000); // several ups in a row
    const account = issuing.accounts.acme as { capabilities: string[]; unrequestOnRemove?: boolean };
    account.capabilities = ['transfers', 'treasury', 'card_issuing'];
    saveIssuing();
    expect(await stack.previewOps()).to.deep.equal({ [capability('card_payments')]: 'delete' });
    await stack.up();
    expect((await stripe.accounts.retrieveCapability(ACCOUNT, 'card_payments')).requested, 'left requested').to.equal(true);

    // Asking for it: the capability comes back with the option, then leaves for real.
    account.capabilities = ['transfers', 'treasury', 'card_issuing', 'card_payments'];
    account.unrequestOnRemove = true;
    saveIssuing();
    await stack.up();
    account.capabilities = ['transfers', 'treasury', 'card_issuing'];
    saveIssuing();
    await stack.up();
    expect((await stripe.accounts.retrieveCapability(ACCOUNT, 'card_payments')).requested, 'unrequested').to.equal(false);
    delete account.unrequestOnRemove;
    saveIssuing();
    await stack.up();
    await stack.expectNoChangesPreview();
  });

  it('requests another financial-account feature in place', async () => {
    issuing.accounts.acme.financialAccount.features = ['card_issuing', 'deposit_insurance'];
    saveIssuing();
    const ops = await stack.previewOps();
    expect(ops, 'only the features change').to.deep.equal({ [FEATURES]: 'update' });
    await stack.up();
    const features = await stripe.treasury.financialAccounts.retrieveFeatures((await ids())[FA], {}, onAccount);
    expect(features.deposit_insurance?.requested).to.equal(true);
    await stack.expectNoChangesPreview();
  });

  it('platform restrictions: up warns that the cards cannot authorize and which features are restricted, as statuses, not drift; lifting them clears the warnings', async () => {
    const account = issuing.accounts.acme.financialAccount as Record<string, unknown>;
    account.platformRestrictions = { outboundFlows: 'restricted' };
    account.features = ['card_issuing', 'deposit_insurance', 'intra_stripe_flows'];
    saveIssuing();
    expect(await stack.previewOps()).to.deep.equal({ [FA]: 'update', [FEATURES]: 'update' });
    const restricted = await stack.up();
    const id = await ids();
    const shown = restricted.stdout + restricted.stderr;
    expect(shown).to.include(
      `financial account ${id[FA]}: platformRestrictions.outboundFlows is restricted: cards on this account cannot authorize (declined not_allowed)`,
    );
    expect(shown).to.include(
      `financial account ${id[FA]}: feature intra_stripe_flows is restricted by the platform's own restriction (platform_restrictions.outbound_flows, restricted_by_platform)`,
    );
    const fa = await stripe.treasury.financialAccounts.retrieve(id[FA], {}, onAccount);
    expect([fa.active_features, fa.restricted_features]).to.deep.equal([['card_issuing', 'deposit_insurance'], ['intra_stripe_flows']]);
    const authorization = await stripe.testHelpers.issuing.authorizations.create(
      { card: id[CARD], amount: 100, currency: 'usd' },
      onAccount,
    );
    expect([authorization.approved, authorization.request_history[0].reason]).to.deep.equal([false, 'not_allowed']);
    await stack.expectNoChangesPreview();

    delete account.platformRestrictions;
    saveIssuing();
    const lifted = await stack.up();
    expect(lifted.stdout + lifted.stderr).not.to.match(/is restricted/);
    expect((await stripe.treasury.financialAccounts.retrieve(id[FA], {}, onAccount)).restricted_features).to.deep.equal([]);
    await stack.expectNoChangesPreview();
  });

  it('webhook endpoint: events update in place, connect replaces, an out-of-band delete is recreated', async () => {
    const endpoint = issuing.webhookEndpoints.events as Record<string, unknown>;
    endpoint.enabledEvents = ['issuing_card.created', 'issuing_card.updated'];
    saveIssuing();
    expect((await stack.previewOps())[HOOK]).to.equal('update');
    await stack.up();
    const first = (await ids())[HOOK];
    expect((await stripe.webhookEndpoints.retrieve(first)).enabled_events).to.have.members([
      'issuing_card.created',
      'issuing_card.updated',
    ]);

    endpoint.connect = true;
    saveIssuing();
    expect((await stack.previewOps())[HOOK]).to.equal('replace');
    await stack.up();
    const second = (await ids())[HOOK];
    expect(second).not.to.equal(first);
    await stripe.webhookEndpoints.retrieve(first).then(
      () => expect.fail('the replaced endpoint should be deleted'),
      (err: Stripe.errors.StripeError) => expect(err.code).to.equal('resource_missing'),
    );

    await stripe.webhookEndpoints.del(second);
    await stack.refresh();
    expect(await ids()).not.to.have.property(HOOK);
    await stack.up();
    expect((await ids())[HOOK])
      .to.be.a('string')
      .and.not.equal(second);
    await expectCleanState();
    await stack.expectNoChangesPreview();
  });

  it('refuses in preview, before any Stripe call, to remove a field Stripe cannot unset', async () => {
    const email = jane().email;
    delete (jane() as { email?: string }).email;
    saveIssuing();
    const requestsBefore = emulator.requests().length;
    const failure = await stack.run(['preview']).then(
      () => expect.fail('the preview should fail'),
      (err: PulumiCommandError) => err,
    );
    expect(failure.result.stdout + failure.result.stderr).to.match(/email.*Stripe cannot unset it/);
    expect(emulator.requests().length, 'no Stripe call').to.equal(requestsBefore);
    jane().email = email;
    saveIssuing();
    await stack.expectNoChangesPreview();
  });

  // stripe 23.1.0 Issuing.CardUpdateParams.financial_account: a card is reassigned, not reissued.
  it('moves the cards to another financial account in place (same cards), and back to a new managed one', async function () {
    this.timeout(600_000); // several ups in a row
    const before = await ids();
    const managed = issuing.accounts.acme.financialAccount;
    const other = await stripe.treasury.financialAccounts.create(
      { supported_currencies: ['usd'], features: { card_issuing: { requested: true } } },
      onAccount,
    );
    (issuing.accounts.acme as Record<string, unknown>).financialAccount = { id: other.id, features: ['card_issuing'] };
    saveIssuing();
    const ops = await stack.previewOps();
    expect(ops, 'cards update, nothing replaces a card').to.include({ [CARD]: 'update', 'Card:acme-jane-spare': 'update', [FA]: 'delete' });
    await stack.up();
    const moved = await ids();
    expect([moved[CARD], moved['Card:acme-jane-spare']]).to.deep.equal([before[CARD], before['Card:acme-jane-spare']]);
    const card = await stripe.issuing.cards.retrieve(before[CARD], {}, onAccount);
    expect([card.status, card.financial_account]).to.deep.equal(['active', other.id]);
    expect((await stripe.treasury.financialAccounts.retrieve(before[FA], {}, onAccount)).status, 'the old managed account closes').to.equal(
      'closed',
    );
    await stack.expectNoChangesPreview();

    issuing.accounts.acme.financialAccount = managed;
    saveIssuing();
    await stack.up();
    const back = await ids();
    expect(back[CARD]).to.equal(before[CARD]);
    expect(back[FA]).to.be.a('string').and.not.equal(before[FA]);
    expect((await stripe.issuing.cards.retrieve(before[CARD], {}, onAccount)).financial_account).to.equal(back[FA]);
    await stack.expectNoChangesPreview();
  });

  it('destroys for real: card canceled, cardholders inactive, financial account closed; capabilities stay requested', async () => {
    const id = await ids();
    await stack.destroy();
    expect((await stripe.issuing.cards.retrieve(id[CARD], {}, onAccount)).status).to.equal('canceled');
    expect((await stripe.issuing.cards.retrieve(id['Card:acme-jane-spare'], {}, onAccount)).status).to.equal('canceled');
    expect((await stripe.issuing.cardholders.retrieve(id[HOLDER], {}, onAccount)).status).to.equal('inactive');
    expect((await stripe.issuing.cardholders.retrieve(id[SAM], {}, onAccount)).status).to.equal('inactive');
    expect((await stripe.treasury.financialAccounts.retrieve(id[FA], {}, onAccount)).status).to.equal('closed');
    // Capabilities may serve other stacks and products: destroy leaves them requested by default.
    for (const capability of ['card_issuing', 'treasury', 'transfers']) {
      expect((await stripe.accounts.retrieveCapability(ACCOUNT, capability)).requested, capability).to.equal(true);
    }
    expect(stateResources(await stack.exportState())).to.deep.equal({});
    await stripe.webhookEndpoints.retrieve(id[HOOK]).then(
      () => expect.fail('the webhook endpoint should be deleted'),
      (err: Stripe.errors.StripeError) => expect(err.code).to.equal('resource_missing'),
    );
  });

  it("every request sent during this lifecycle is accepted by Stripe's stripe-mock", async () => {
    const replayed = await replayAgainstStripeMock(emulator.requests());
    expect(replayed).to.be.greaterThan(50);
  });
});
