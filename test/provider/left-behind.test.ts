// A create that Stripe executed but whose result never reached the state (a killed `up`) leaves an
// object whose metadata names the stack and resource. The next create finds it through Stripe's list
// and takes it over, whatever the idempotency key: after an edit of the inputs, or after Stripe forgot
// the key. Two such objects are an error naming both.
import { expect } from 'chai';
import type Stripe from 'stripe';
import type { Emulator } from '../../emulator';
import { forgetOwnedLists } from '../../provider/engine/crash-safe-create';
import { cardProvider } from '../../provider/resources/card';
import { ADDRESS, create, engine, expectAcceptedByStripeMock, failureOf, hidden, issuingAccount, startStripe, stopStripe } from './support';

const ACCOUNT = 'acct_1LeftBehind';

describe('Create takes over what an interrupted create left in Stripe', () => {
  let emulator: Emulator;
  let stripe: Stripe;
  let cardholderId: string;
  let financialAccountId: string;
  const on = { stripeAccount: ACCOUNT };
  const cardArgs = (name: string, limit: number) => ({
    ...hidden(name),
    account: ACCOUNT,
    cardholder: cardholderId,
    financialAccount: financialAccountId,
    currency: 'usd',
    type: 'virtual',
    spendingControls: { spendingLimits: [{ amount: limit, interval: 'daily' }] },
  });
  const cardsNamed = async (name: string) =>
    (await stripe.issuing.cards.list({ cardholder: cardholderId, limit: 100 }, on)).data.filter(
      (c) => c.metadata.pulumi_name === name && c.status !== 'canceled',
    );
  /** What a killed `up` leaves: Stripe created the card, the engine never got its ID. */
  const createdThenLost = async (name: string, limit: number) => {
    emulator.setFaults({ dropConnectionRatio: 1 });
    const error = await failureOf(() => create(cardProvider, cardArgs(name, limit)));
    emulator.setFaults({});
    expect(error).to.match(/create failed/);
    expect(await cardsNamed(name)).to.have.length(1);
  };

  before(async () => {
    ({ emulator, stripe } = await startStripe({ seedAccounts: [ACCOUNT] }));
    ({ financialAccountId, cardholderId } = await issuingAccount(ACCOUNT));
  });
  after(() => stopStripe(emulator));

  it('after an edit (a new idempotency key): takes over the card and applies the edit, one card in the end', async () => {
    await createdThenLost('edited', 1000);
    const card = await create(cardProvider, cardArgs('edited', 2000));
    const cards = await cardsNamed('edited');
    expect(cards.map((c) => c.id)).to.deep.equal([card.id]);
    expect(cards[0].spending_controls.spending_limits).to.deep.equal([{ amount: 2000, interval: 'daily', categories: null }]);
  });

  it('after Stripe forgot the idempotency key: takes over the card, one card in the end', async () => {
    await createdThenLost('forgotten', 1000);
    emulator.forgetIdempotencyKeys();
    const card = await create(cardProvider, cardArgs('forgotten', 1000));
    expect((await cardsNamed('forgotten')).map((c) => c.id)).to.deep.equal([card.id]);
  });

  it('does not take a card whose create-only fields differ (the card a replacement replaces)', async () => {
    const old = await create(cardProvider, cardArgs('replaced', 1000));
    const replacement = await create(cardProvider, {
      ...cardArgs('replaced', 1000),
      type: 'physical',
      shipping: { name: 'Jenny Rosen', address: ADDRESS },
    });
    expect(replacement.id).to.not.equal(old.id);
  });

  it("lists the account's cards once per provider process, not once per card", async () => {
    forgetOwnedLists();
    const before = emulator.requests().length;
    const made = await Promise.all(
      [1, 2, 3, 4, 5].map(async (n) =>
        engine(cardProvider).create((await engine(cardProvider).check!({}, cardArgs(`batch-${n}`, 1000))).inputs),
      ),
    );
    const sent = emulator
      .requests()
      .slice(before)
      .map((r) => `${r.method} ${r.path}`);
    expect(
      sent.filter((r) => r === 'GET /v1/issuing/cards'),
      'list requests',
    ).to.have.length(1);
    expect(
      sent.filter((r) => r === 'POST /v1/issuing/cards'),
      'creates',
    ).to.have.length(5);
    expect(new Set(made.map((m) => m.id)).size).to.equal(5);
  });

  it('refuses when two live cards say they are this resource, naming both', async () => {
    const metadata = { pulumi_stack: 'provider-test', pulumi_name: 'twice' };
    const made = await Promise.all(
      [1, 2].map(() =>
        stripe.issuing.cards.create(
          { cardholder: cardholderId, financial_account: financialAccountId, currency: 'usd', type: 'virtual', metadata },
          on,
        ),
      ),
    );
    const error = await failureOf(() => create(cardProvider, cardArgs('twice', 1000)));
    for (const card of made) expect(error).to.contain(card.id);
    expect(error).to.contain('keep one: set adoptId to it');
    expect(await cardsNamed('twice')).to.have.length(2);
  });

  it("sent only requests that Stripe's stripe-mock also accepts", async () => {
    await expectAcceptedByStripeMock(emulator);
  });
});
