/**
 * Every Issuing resource through the real CLI against the emulator, driven by the stack file as users
 * drive it: up → no-change preview → no-change refresh → drift → update vs replace → out-of-band delete
 * → adopt → destroy, each checked against the Stripe API with the real client.
 */
import { expect } from 'chai';
import * as crypto from 'node:crypto';
import Stripe from 'stripe';
import { startEmulator, type Emulator } from '../../emulator';
import { createWorkspace, stateResources, TestStack, Workspace, type StateExport } from '../harness';

const ACCOUNT = 'acct_1LifecycleAcme';
const ISSUING_KEY = 'stripe-issuing:issuing';

/** The stack's whole issuing setup; tests edit a copy of it as a user edits the YAML. */
function baseIssuing() {
    return {
        accounts: {
            acme: {
                id: ACCOUNT,
                capabilities: ['transfers', 'treasury', 'card_issuing'],
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

describe('Issuing resources through the real CLI (lifecycle against the emulator)', function () {
    let emulator: Emulator;
    let stripe: Stripe;
    let workspace: Workspace;
    let stack: TestStack;
    let issuing: ReturnType<typeof baseIssuing>;
    const apiKey = `sk_test_lifecycle_${crypto.randomBytes(8).toString('hex')}`;
    const onAccount = { stripeAccount: ACCOUNT };

    const jane = () => issuing.accounts.acme.cardholders.jane;
    const travel = () => (jane().cards as Record<string, Record<string, unknown>>).travel;
    const ids = async () => Object.fromEntries(Object.entries(stateResources(await stack.exportState())).map(([name, r]) => [name, r.id as string]));
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
        const endpoint = stateResources(state).events;
        expect(endpoint.outputs?.secret, 'the webhook secret is stored as a secret').to.have.property('ciphertext');
        return state;
    }

    before(async function () {
        emulator = await startEmulator({ seedAccounts: [ACCOUNT] });
        stripe = new Stripe(apiKey, { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
        workspace = createWorkspace({ env: { STRIPE_API_BASE: emulator.url, STRIPE_API_KEY: '' } });
        stack = await TestStack.create(workspace, 'lifecycle');
        // The key goes through stack config as a secret: configure() must find it there.
        await stack.setConfig('stripe-issuing:stripeApiKey', apiKey, { secret: true });
        issuing = baseIssuing();
        saveIssuing();
    });

    after(async function () {
        workspace?.cleanup();
        await emulator?.close();
    });

    it('creates everything on up, with a clean state', async function () {
        await stack.up();
        const id = await ids();
        const card = await stripe.issuing.cards.retrieve(id['acme-jane-travel'], {}, onAccount);
        expect(card.status).to.equal('active');
        expect(card.cardholder.id).to.equal(id['acme-jane']);
        expect(card.financial_account).to.equal(id.acme);
        const capability = await stripe.accounts.retrieveCapability(ACCOUNT, 'card_issuing');
        expect(capability.requested).to.equal(true);
        const features = await stripe.treasury.financialAccounts.retrieveFeatures(id.acme, {}, onAccount);
        expect(features.card_issuing?.requested).to.equal(true);
        await expectCleanState();
    });

    it('shows no changes in a preview and a refresh right after up', async function () {
        await stack.expectNoChangesPreview();
        await stack.refresh({ expectNoChanges: true });
        await stack.expectNoChangesPreview();
    });

    it('sees out-of-band changes on refresh and puts them back on up', async function () {
        const id = await ids();
        await stripe.issuing.cardholders.update(id['acme-jane'], { email: 'someone.else@acme.example' }, onAccount);
        await stripe.issuing.cards.update(id['acme-jane-travel'], { status: 'inactive' }, onAccount);
        await stripe.treasury.financialAccounts.update(id.acme, { nickname: 'Renamed in the Dashboard' }, onAccount);
        await stripe.webhookEndpoints.update(id.events, { description: 'edited by hand' });

        await stack.refreshShowingChanges();
        const ops = await stack.previewOps();
        for (const name of ['acme-jane', 'acme-jane-travel', 'acme', 'events']) expect(ops[name], name).to.equal('update');

        await stack.up();
        expect((await stripe.issuing.cardholders.retrieve(id['acme-jane'], {}, onAccount)).email).to.equal('jane@acme.example');
        expect((await stripe.issuing.cards.retrieve(id['acme-jane-travel'], {}, onAccount)).status).to.equal('active');
        expect((await stripe.treasury.financialAccounts.retrieve(id.acme, {}, onAccount)).nickname).to.equal('Lifecycle operating');
        expect((await stripe.webhookEndpoints.retrieve(id.events)).description).to.equal('lifecycle test');
        await stack.expectNoChangesPreview();
    });

    it('updates in place what Stripe can update', async function () {
        const before = await ids();
        jane().email = 'jane.rivera@acme.example';
        travel().spendingControls = { spendingLimits: [{ amount: 75000, interval: 'monthly' }] };
        issuing.accounts.acme.financialAccount.nickname = 'Acme travel';
        saveIssuing();
        const ops = await stack.previewOps();
        expect(ops).to.include({ 'acme-jane': 'update', 'acme-jane-travel': 'update', acme: 'update' });
        await stack.up();
        expect(await ids()).to.deep.equal(before);
        const card = await stripe.issuing.cards.retrieve(before['acme-jane-travel'], {}, onAccount);
        expect(card.spending_controls.spending_limits?.map((l) => [l.amount, l.interval])).to.deep.equal([[75000, 'monthly']]);
        await expectCleanState();
    });

    it('replaces what Stripe fixes at creation, cancelling the old card', async function () {
        const before = await ids();
        jane().name = 'Jane R Okafor';
        saveIssuing();
        const ops = await stack.previewOps();
        expect(ops['acme-jane']).to.equal('replace');
        expect(ops['acme-jane-travel'], 'a card belongs to one cardholder').to.equal('replace');
        await stack.up();
        const after = await ids();
        expect(after['acme-jane']).not.to.equal(before['acme-jane']);
        expect((await stripe.issuing.cardholders.retrieve(before['acme-jane'], {}, onAccount)).status).to.equal('inactive');
        expect((await stripe.issuing.cards.retrieve(before['acme-jane-travel'], {}, onAccount)).status).to.equal('canceled');
        expect((await stripe.issuing.cards.retrieve(after['acme-jane-travel'], {}, onAccount)).status).to.equal('active');
        await stack.expectNoChangesPreview();
    });

    it('drops an object deleted out of band on refresh and recreates it on up', async function () {
        const before = await ids();
        await stripe.issuing.cards.update(before['acme-jane-travel'], { status: 'canceled' }, onAccount);
        await stack.refreshShowingChanges();
        expect(await ids()).not.to.have.property('acme-jane-travel');
        expect((await stack.previewOps())['acme-jane-travel']).to.equal('create');
        await stack.up();
        const after = await ids();
        expect(after['acme-jane-travel']).to.be.a('string').and.not.equal(before['acme-jane-travel']);
        expect((await stripe.issuing.cards.retrieve(after['acme-jane-travel'], {}, onAccount)).status).to.equal('active');
        await stack.expectNoChangesPreview();
    });

    it('adopts an existing cardholder by ID without replacing it', async function () {
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
        expect((await ids())['acme-sam']).to.equal(existing.id);
        await stack.expectNoChangesPreview();
        await stack.refresh({ expectNoChanges: true });
    });

    it('destroys for real: card canceled, cardholders inactive, capabilities unrequested, financial account closed', async function () {
        const id = await ids();
        await stack.destroy();
        expect((await stripe.issuing.cards.retrieve(id['acme-jane-travel'], {}, onAccount)).status).to.equal('canceled');
        expect((await stripe.issuing.cardholders.retrieve(id['acme-jane'], {}, onAccount)).status).to.equal('inactive');
        expect((await stripe.issuing.cardholders.retrieve(id['acme-sam'], {}, onAccount)).status).to.equal('inactive');
        expect((await stripe.treasury.financialAccounts.retrieve(id.acme, {}, onAccount)).status).to.equal('closed');
        for (const capability of ['card_issuing', 'treasury', 'transfers']) {
            expect((await stripe.accounts.retrieveCapability(ACCOUNT, capability)).requested, capability).to.equal(false);
        }
        await stripe.webhookEndpoints.retrieve(id.events).then(
            () => expect.fail('the webhook endpoint should be deleted'),
            (err: Stripe.errors.StripeError) => expect(err.code).to.equal('resource_missing'),
        );
    });
});
