/**
 * Nothing is duplicated by a crash: the CLI is killed after Stripe created a card but before the
 * response (and so the state) came back; the next `up` must end with exactly one card, the one in state,
 * also when the card was edited in between (a new idempotency key) or Stripe forgot the key (24 h).
 */
import { expect } from 'chai';
import Stripe from 'stripe';
import { type Emulator, startEmulator } from '../../emulator';
import { createWorkspace, stateResources, TestStack, type Workspace } from '../../testbed/workspace';

const ACCOUNT = 'acct_1CrashTestAcme';

type Cards = Record<string, Record<string, unknown>>;

function issuing(cards: Cards) {
  return {
    accounts: {
      acme: {
        id: ACCOUNT,
        capabilities: ['transfers', 'treasury', 'card_issuing'],
        financialAccount: { supportedCurrencies: ['usd'], features: ['card_issuing'] },
        cardholders: {
          jane: {
            name: 'Jane Rivera',
            billing: { address: { line1: '510 Townsend St', city: 'San Francisco', state: 'CA', postalCode: '94103', country: 'US' } },
            individual: { firstName: 'Jane', lastName: 'Rivera' },
            ...(Object.keys(cards).length > 0 ? { cards } : {}),
          },
        },
      },
    },
  };
}

describe('a crash after Stripe created a card (real CLI, killed with SIGKILL)', () => {
  let emulator: Emulator;
  let stripe: Stripe;
  let workspace: Workspace;
  let stack: TestStack;
  const cardCreates = () => emulator.requests().filter((r) => r.method === 'POST' && r.path === '/v1/issuing/cards');
  const cardsInStripe = async () => (await stripe.issuing.cards.list({ limit: 100 }, { stripeAccount: ACCOUNT })).data;

  before(async () => {
    emulator = await startEmulator({ seedAccounts: [ACCOUNT], seedTosAccepted: true });
    stripe = new Stripe('sk_test_crash', { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
    workspace = createWorkspace({ env: { STRIPE_API_BASE: emulator.url, STRIPE_API_KEY: 'sk_test_crash' } });
    stack = await TestStack.create(workspace, 'crash');
    stack.setConfigValue('stripe-issuing:issuing', issuing({}));
    await stack.up();
  });

  after(async () => {
    workspace?.cleanup();
    await emulator?.close();
  });

  const dailyLimit = (amount: number) => ({ status: 'active', spendingControls: { spendingLimits: [{ amount, interval: 'daily' }] } });
  const liveCardsNamed = async (name: string) =>
    (await stripe.issuing.cards.list({ limit: 100 }, { stripeAccount: ACCOUNT })).data.filter(
      (c) => c.metadata.pulumi_name === name && c.status !== 'canceled',
    );

  /** `up` with these cards, killed right after Stripe created the first card (its response lost), then unlocked. */
  async function killedAfterCardCreate(cards: Cards): Promise<void> {
    stack.setConfigValue('stripe-issuing:issuing', issuing(cards));
    const createsBefore = cardCreates().length;
    emulator.setFaults({ dropConnectionRatio: 1 });
    const { killed } = await stack.upKilledWhen(() =>
      cardCreates()
        .slice(createsBefore)
        .some((r) => r.status === 0),
    );
    emulator.setFaults({});
    expect(killed, 'the CLI was killed mid-create').to.equal(true);
    await stack.run(['cancel', '--yes']);
    // A provider process of the killed run may still be retrying its lost request: let it finish first.
    for (let seen = -1; seen !== emulator.requests().length; ) {
      seen = emulator.requests().length;
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }

  it('leaves exactly one card after the killed up is run again', async () => {
    stack.setConfigValue('stripe-issuing:issuing', issuing({ travel: { status: 'active' } }));
    // Every response to a write is lost after Stripe executed it; the CLI dies right after the first.
    emulator.setFaults({ dropConnectionRatio: 1 });
    const { killed } = await stack.upKilledWhen(() => cardCreates().some((r) => r.status === 0));
    emulator.setFaults({});
    expect(killed, 'the CLI was killed mid-create').to.equal(true);
    expect(await cardsInStripe()).to.have.length(1);
    expect(stateResources(await stack.exportState())).not.to.have.property('Card:acme-jane-travel');

    // What the CLI tells a user after a crash: the dead process's lock must be removed first.
    await stack.run(['cancel', '--yes']);
    await stack.up();
    const cards = await cardsInStripe();
    expect(cards, 'no second card').to.have.length(1);
    expect(stateResources(await stack.exportState())['Card:acme-jane-travel'].id).to.equal(cards[0].id);
    await stack.expectNoChangesPreview();
  });

  it('leaves exactly one card, with the new limit, when the card was edited before the next up', async () => {
    const travel = { status: 'active' };
    await killedAfterCardCreate({ travel, edited: dailyLimit(1000) });
    expect(await liveCardsNamed('acme-jane-edited')).to.have.length(1);
    stack.setConfigValue('stripe-issuing:issuing', issuing({ travel, edited: dailyLimit(2500) }));
    await stack.up();
    const cards = await liveCardsNamed('acme-jane-edited');
    expect(cards, 'no second card').to.have.length(1);
    expect(cards[0].spending_controls.spending_limits).to.deep.equal([{ amount: 2500, interval: 'daily', categories: null }]);
    expect(stateResources(await stack.exportState())['Card:acme-jane-edited'].id).to.equal(cards[0].id);
    await stack.expectNoChangesPreview();
  });

  it('leaves exactly one card when Stripe no longer honours the idempotency key', async () => {
    const cards = { travel: { status: 'active' }, edited: dailyLimit(2500), forgotten: dailyLimit(1000) };
    await killedAfterCardCreate(cards);
    expect(await liveCardsNamed('acme-jane-forgotten'), 'the killed run created the card').to.have.length(1);
    emulator.forgetIdempotencyKeys();
    await stack.up();
    const live = await liveCardsNamed('acme-jane-forgotten');
    expect(live, 'no second card').to.have.length(1);
    expect(stateResources(await stack.exportState())['Card:acme-jane-forgotten'].id).to.equal(live[0].id);
    await stack.expectNoChangesPreview();
  });
});
