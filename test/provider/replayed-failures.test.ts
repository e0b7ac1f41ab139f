// A create that failed is stored under its idempotency key by Stripe (the emulator does the same) and
// replayed with `Idempotent-Replayed: true`. Once the cause is fixed outside the inputs, the same
// declaration must create the object, still exactly once.
import { expect } from 'chai';
import type Stripe from 'stripe';
import type { Emulator } from '../../emulator';
import { forgetOwnedLists } from '../../provider/engine/crash-safe-create';
import { cardProvider } from '../../provider/resources/card';
import { financialAccountProvider } from '../../provider/resources/financialAccount';
import {
  checked,
  create,
  engine,
  expectAcceptedByStripeMock,
  hidden,
  namedCardholder,
  requestIssuingCapabilities,
  startStripe,
  stopStripe,
} from './support';

const ACCOUNT = 'acct_1ReplayedFailures';
const NOT_FUNDING = /cannot fund cards: its card_issuing feature is unrequested/;

describe('Create after a stored failure (emulator replays stored 4xx like Stripe)', () => {
  let emulator: Emulator;
  let stripe: Stripe;
  let cardholderId: string;
  const on = { stripeAccount: ACCOUNT };

  /** One per test (Stripe allows three open per account): without the card_issuing feature: cards drawing on it fail until it is requested. */
  async function unfundedAccount(name: string): Promise<string> {
    return (await create(financialAccountProvider, { ...hidden(name), account: ACCOUNT, supportedCurrencies: ['usd'] })).id;
  }
  const cardArgs = (name: string, financialAccount: string) => ({
    ...hidden(name),
    account: ACCOUNT,
    cardholder: cardholderId,
    financialAccount,
    currency: 'usd',
    type: 'virtual',
  });

  /** The provider's create as the engine calls it; the error message, or the new ID. */
  async function attempt(
    args: Record<string, unknown>,
  ): Promise<{ id?: string; error?: string; sent: { key: string | null; status: number }[] }> {
    const inputs = await checked(cardProvider, args);
    forgetOwnedLists(); // each attempt is a run of its own, in a new provider process
    const before = emulator.requests().length;
    const outcome = await engine(cardProvider)
      .create(inputs)
      .then(
        ({ id }) => ({ id }),
        (error: Error) => ({ error: error.message }),
      );
    const sent = emulator
      .requests()
      .slice(before)
      .filter((r) => r.method === 'POST' && r.path === '/v1/issuing/cards');
    return { ...outcome, sent: sent.map((r) => ({ key: r.idempotencyKey, status: r.status })) };
  }
  const requestFeature = (financialAccount: string) =>
    stripe.treasury.financialAccounts.updateFeatures(financialAccount, { card_issuing: { requested: true } }, on);
  const cardsOn = async (financialAccount: string) =>
    (await stripe.issuing.cards.list({ cardholder: cardholderId, limit: 100 }, on)).data.filter(
      (c) => c.financial_account === financialAccount,
    );

  before(async () => {
    ({ emulator, stripe } = await startStripe({ seedAccounts: [ACCOUNT] }));
    await requestIssuingCapabilities(ACCOUNT);
    cardholderId = await namedCardholder(ACCOUNT);
  });
  after(() => stopStripe(emulator));

  it('once the cause is fixed, moves past the replayed failure to a new key and creates the card', async () => {
    const fa = await unfundedAccount('fixed');
    const failed = await attempt(cardArgs('fixed', fa));
    // A first-time failure is reported as Stripe gave it, after one request.
    expect(failed.error).to.match(NOT_FUNDING);
    expect(failed.error).to.match(
      /^Card fixed: create failed: .*\(HTTP 400, StripeInvalidRequestError, param financial_account, request req_\w+\)$/,
    );
    expect(failed.sent).to.have.length(1);
    expect(failed.sent[0].status).to.equal(400);
    await requestFeature(fa);

    const created = await attempt(cardArgs('fixed', fa));
    expect(created.error).to.equal(undefined);
    expect(created.id).to.match(/^ic_/);
    // The stored failure replayed under the first key, then one create under a key derived from it.
    expect(created.sent.map((s) => s.status)).to.deep.equal([400, 200]);
    expect(created.sent[0].key).to.equal(failed.sent[0].key);
    expect(created.sent[1].key)
      .to.match(/^pulumi-[0-9a-f]{64}$/)
      .and.not.equal(created.sent[0].key);
    const replayed = emulator.requests().filter((r) => r.idempotencyKey === failed.sent[0].key);
    expect(replayed.map((r) => r.status)).to.deep.equal([400, 400]);

    // The engine lost the response and creates again: the card its metadata names is found, no create is sent.
    const again = await attempt(cardArgs('fixed', fa));
    expect(again.id).to.equal(created.id);
    expect(again.sent).to.deep.equal([]);
    expect((await cardsOn(fa)).map((c) => c.id)).to.deep.equal([created.id]);
  });

  it('reports a new failure under the derived key as it is, and continues the chain from it next time', async () => {
    const fa = await unfundedAccount('twice');
    const first = await attempt(cardArgs('twice', fa));
    const second = await attempt(cardArgs('twice', fa));
    // Still unfunded: the replay is passed, and the new key's own (first-time) failure is the answer.
    expect(second.error).to.match(NOT_FUNDING);
    expect(second.sent.map((s) => s.status)).to.deep.equal([400, 400]);
    expect(second.sent[0].key).to.equal(first.sent[0].key);
    await requestFeature(fa);
    const third = await attempt(cardArgs('twice', fa));
    expect(third.sent.map((s) => s.key)).to.deep.equal([...second.sent.map((s) => s.key), third.sent[2].key]);
    expect(third.sent.map((s) => s.status)).to.deep.equal([400, 400, 200]);
    expect((await cardsOn(fa)).map((c) => c.id)).to.deep.equal([third.id]);
  });

  it('gives up after a bounded number of replays, naming the last failure', async () => {
    const fa = await unfundedAccount('bounded');
    // Each failed run adds one stored failure to the chain: the tenth run walks nine replays and
    // fails anew on the tenth key; the eleventh finds ten replays and stops there.
    for (let run = 1; run <= 10; run++) {
      const failed = await attempt(cardArgs('bounded', fa));
      expect(failed.error, `run ${run}`).to.match(NOT_FUNDING);
      expect(failed.sent, `run ${run}`).to.have.length(run);
    }
    await requestFeature(fa);
    const stuck = await attempt(cardArgs('bounded', fa));
    expect(stuck.sent).to.have.length(10);
    expect(stuck.error).to.match(
      /^Card bounded: create failed: Stripe replayed 10 earlier outcomes \(dead objects or failures\) for this resource's idempotency keys, the last a failure: The financial account fa_\w+ cannot fund cards/,
    );
    expect(stuck.error).to.match(/Stripe forgets keys after 24 hours, or change an input to start a new key chain$/);
    expect(await cardsOn(fa)).to.deep.equal([]);
    // A changed input starts a new chain.
    const renamed = await attempt({ ...cardArgs('bounded', fa), metadata: { attempt: 'new' } });
    expect(renamed.id).to.match(/^ic_/);
  });

  it("sent only requests that Stripe's stripe-mock also accepts", async () => {
    await expectAcceptedByStripeMock(emulator);
  });
});
