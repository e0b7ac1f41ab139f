// Rule 2 (money): authorizations declined with Stripe's reasons, holds, captures, refunds and the
// financial-account balance, and disputes checked at submit.
import { expect } from 'chai';
import Stripe from 'stripe';
import type { AuthorizerLogEntry } from '../../authorizer/handler';
import { startLocalAuthorizer } from '../../authorizer/local';
import type { RuleSet } from '../../authorizer/types';
import { completeEvidence, DISPUTE_REASONS } from '../../simulate/evidence';
import { activeCardholder, issuingFinancialAccount, onboardedAccount } from '../../testbed/stripe-objects';
import { stripeError, useEmulator } from './harness';

describe('emulator: authorizations, transactions and disputes', () => {
  const h = useEmulator();
  let account: string;
  const on = () => ({ stripeAccount: account });

  async function fundedCard(
    options: {
      fund?: number;
      card?: Partial<Stripe.Issuing.CardCreateParams>;
      fa?: Partial<Stripe.Treasury.FinancialAccountCreateParams>;
    } = {},
  ) {
    const fa = await issuingFinancialAccount(h.stripe, account, options.fa);
    if (options.fund)
      await h.stripe.testHelpers.treasury.receivedCredits.create(
        { financial_account: fa.id, amount: options.fund, currency: 'usd', network: 'ach' },
        on(),
      );
    const cardholder = await activeCardholder(h.stripe, account);
    const card = await h.stripe.issuing.cards.create(
      { cardholder: cardholder.id, currency: 'usd', type: 'virtual', financial_account: fa.id, status: 'active', ...options.card },
      on(),
    );
    return { fa, cardholder, card };
  }

  const authorize = (card: string, amount: number, category = 'taxicabs_limousines', country = 'US') =>
    h.stripe.testHelpers.issuing.authorizations.create({ card, amount, merchant_data: { category: category as never, country } }, on());

  const balance = async (fa: string) => (await h.stripe.treasury.financialAccounts.retrieve(fa, {}, on())).balance;

  beforeEach(async () => {
    account = await onboardedAccount(h.stripe);
  });

  it('approves within funds, holds the amount, and captures it into a transaction', async () => {
    const { fa, card } = await fundedCard({ fund: 10_000 });
    const authorization = await authorize(card.id, 2_500);
    expect([authorization.approved, authorization.status, authorization.amount, authorization.request_history[0].reason]).to.deep.equal([
      true,
      'pending',
      2_500,
      'card_active',
    ]);
    expect(await balance(fa.id)).to.deep.equal({ cash: { usd: 7_500 }, inbound_pending: { usd: 0 }, outbound_pending: { usd: 2_500 } });
    const captured = await h.stripe.testHelpers.issuing.authorizations.capture(authorization.id, { capture_amount: 2_000 }, on());
    expect([captured.status, captured.amount, captured.transactions.map((t) => [t.type, t.amount])]).to.deep.equal([
      'closed',
      0,
      [['capture', -2_000]],
    ]);
    expect(await balance(fa.id)).to.deep.equal({ cash: { usd: 8_000 }, inbound_pending: { usd: 0 }, outbound_pending: { usd: 0 } });
    const refund = await h.stripe.testHelpers.issuing.transactions.refund(captured.transactions[0].id, { refund_amount: 500 }, on());
    expect([refund.type, refund.amount]).to.deep.equal(['refund', 500]);
    expect((await balance(fa.id)).cash.usd).to.equal(8_500);
    const over = await stripeError(
      h.stripe.testHelpers.issuing.transactions.refund(captured.transactions[0].id, { refund_amount: 1_600 }, on()),
    );
    expect(over.message).to.match(/at most 1500/);
  });

  it('declines with insufficient_funds when the financial account cannot cover the amount', async () => {
    const { fa, card } = await fundedCard({ fund: 1_000 });
    const authorization = await authorize(card.id, 1_001);
    expect([authorization.approved, authorization.status, authorization.request_history[0].reason]).to.deep.equal([
      false,
      'closed',
      'insufficient_funds',
    ]);
    expect((await balance(fa.id)).cash.usd).to.equal(1_000);
  });

  it('declines inactive and canceled cards, and inactive cardholders', async () => {
    const { card, cardholder } = await fundedCard({ fund: 10_000, card: { status: 'inactive' } });
    expect((await authorize(card.id, 100)).request_history[0].reason).to.equal('card_inactive');
    await h.stripe.issuing.cards.update(card.id, { status: 'active' }, on());
    await h.stripe.issuing.cardholders.update(cardholder.id, { status: 'inactive' }, on());
    expect((await authorize(card.id, 100)).request_history[0].reason).to.equal('cardholder_inactive');
    await h.stripe.issuing.cards.update(card.id, { status: 'canceled' }, on());
    expect((await authorize(card.id, 100)).request_history[0].reason).to.equal('card_canceled');
  });

  it('declines with not_allowed while the platform restricts outbound flows', async () => {
    const { fa, card } = await fundedCard({ fund: 10_000 });
    await h.stripe.treasury.financialAccounts.update(fa.id, { platform_restrictions: { outbound_flows: 'restricted' } }, on());
    expect((await authorize(card.id, 100)).request_history[0].reason).to.equal('not_allowed');
  });

  it('declines with spending_controls on categories, countries and limits of card and cardholder', async () => {
    const { card, cardholder } = await fundedCard({
      fund: 100_000,
      card: {
        spending_controls: {
          blocked_categories: ['betting_casino_gambling'],
          spending_limits: [
            { amount: 5_000, interval: 'per_authorization' },
            { amount: 8_000, interval: 'daily' },
          ],
        },
      },
    });
    expect((await authorize(card.id, 100, 'betting_casino_gambling')).request_history[0].reason).to.equal('spending_controls');
    expect((await authorize(card.id, 5_001)).request_history[0].reason).to.equal('spending_controls');
    expect((await authorize(card.id, 5_000)).approved).to.equal(true);
    expect((await authorize(card.id, 3_001)).request_history[0].reason).to.equal('spending_controls');
    expect((await authorize(card.id, 3_000)).approved).to.equal(true);
    await h.stripe.issuing.cardholders.update(cardholder.id, { spending_controls: { blocked_merchant_countries: ['FR'] } }, on());
    // Updates merge: the limits stay unless replaced.
    await h.stripe.issuing.cards.update(card.id, { spending_controls: { blocked_categories: ['pawn_shops'] } }, on());
    expect((await authorize(card.id, 100, 'bakeries', 'US')).request_history[0].reason, 'daily limit still there').to.equal(
      'spending_controls',
    );
    await h.stripe.issuing.cards.update(card.id, { spending_controls: { spending_limits: [{ amount: 50_000, interval: 'daily' }] } }, on());
    expect((await authorize(card.id, 100, 'bakeries', 'FR')).request_history[0].reason).to.equal('spending_controls');
    expect((await authorize(card.id, 100, 'bakeries', 'US')).approved).to.equal(true);
  });

  it('expires, reverses and increments pending authorizations, releasing or adding to the hold', async () => {
    const { fa, card } = await fundedCard({ fund: 10_000 });
    const first = await authorize(card.id, 1_000);
    await h.stripe.testHelpers.issuing.authorizations.increment(first.id, { increment_amount: 500 }, on());
    expect((await balance(fa.id)).outbound_pending.usd).to.equal(1_500);
    const partly = await h.stripe.testHelpers.issuing.authorizations.reverse(first.id, { reverse_amount: 400 }, on());
    expect([partly.status, partly.amount]).to.deep.equal(['pending', 1_100]);
    const reversed = await h.stripe.testHelpers.issuing.authorizations.reverse(first.id, {}, on());
    expect([reversed.status, reversed.amount]).to.deep.equal(['reversed', 0]);
    const second = await authorize(card.id, 700);
    expect((await h.stripe.testHelpers.issuing.authorizations.expire(second.id, {}, on())).status).to.equal('expired');
    expect(await balance(fa.id)).to.deep.equal({ cash: { usd: 10_000 }, inbound_pending: { usd: 0 }, outbound_pending: { usd: 0 } });
    // An expired authorization can still be captured (issue 24, lifecycle-fidelity.test.ts); not reversed.
    expect((await stripeError(h.stripe.testHelpers.issuing.authorizations.reverse(second.id, {}, on()))).message).to.match(
      /is expired; only pending/,
    );
  });

  // Types Issuing.Authorization.PendingRequest.amount: "The additional amount Stripe will hold if the
  // authorization is approved"; Authorization.amount: "The total amount that was authorized". Incremental
  // authorizations are approved or declined "with the same webhook integration as normal authorizations".
  it('asks the real-time authorizer about each increment (pending_request the increment, amount the hold) and honours its answer: the cap holds on the total', async () => {
    const { fa, card } = await fundedCard({ fund: 500_000, card: { metadata: { pulumi_name: 'hotel-card', pulumi_stack: 'unit' } } });
    const rules: RuleSet = {
      stack: 'unit',
      unknownCards: 'decline',
      accounts: { cards: { 'hotel-card': account }, cardholders: {} },
      cardholders: {},
      cards: { 'hotel-card': { maxAmount: 200_000 } },
    };
    const endpoint = await h.stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:9/',
      enabled_events: ['issuing_authorization.request'],
      connect: true,
    });
    const decisions: AuthorizerLogEntry[] = [];
    const authorizer = await startLocalAuthorizer({
      port: 0,
      secret: endpoint.secret as string,
      rules,
      stripeVersion: Stripe.API_VERSION,
      log: (entry) => decisions.push(entry),
    });
    const increment = (id: string, amount: number, controllable = false) =>
      h.stripe.testHelpers.issuing.authorizations.increment(id, { increment_amount: amount, is_amount_controllable: controllable }, on());
    const last = (authorization: Stripe.Issuing.Authorization) => {
      const { amount, approved, reason } = authorization.request_history[authorization.request_history.length - 1];
      return { amount, approved, reason };
    };
    try {
      await h.stripe.webhookEndpoints.update(endpoint.id, { url: authorizer.url });
      const hotel = await authorize(card.id, 150_000);
      expect([hotel.approved, hotel.amount, last(hotel)]).to.deep.equal([
        true,
        150_000,
        { amount: 150_000, approved: true, reason: 'webhook_approved' },
      ]);
      // 150 000 held + 100 000 is over the 200 000 cap: declined, the hold stays as it was.
      const past = await increment(hotel.id, 100_000);
      expect([past.status, past.amount, last(past)]).to.deep.equal([
        'pending',
        150_000,
        { amount: 100_000, approved: false, reason: 'webhook_declined' },
      ]);
      expect((await balance(fa.id)).outbound_pending.usd).to.equal(150_000);
      // Amount-controllable: approved for what is left under the cap, never the cap again.
      const partial = await increment(hotel.id, 100_000, true);
      expect([partial.amount, last(partial)]).to.deep.equal([200_000, { amount: 50_000, approved: true, reason: 'webhook_approved' }]);
      expect(last(await increment(hotel.id, 1, true))).to.deep.equal({ amount: 1, approved: false, reason: 'webhook_declined' });
      expect(await balance(fa.id)).to.deep.include({ cash: { usd: 300_000 }, outbound_pending: { usd: 200_000 } });
      expect(
        decisions.map((entry) =>
          entry.event === 'authorization_decided' ? [entry.amount, entry.heldAmount, entry.reason, entry.approvedAmount] : entry.event,
        ),
      ).to.deep.equal([
        [150_000, 0, 'within_rules', undefined],
        [100_000, 150_000, 'over_max_amount', undefined],
        [100_000, 150_000, 'amount_lowered_to_max', 50_000],
        [1, 200_000, 'over_max_amount', undefined],
      ]);
    } finally {
      await authorizer.close();
      await h.stripe.webhookEndpoints.del(endpoint.id);
    }
  });

  it('force-captures and refunds without an authorization', async () => {
    const { fa, card } = await fundedCard({ fund: 10_000 });
    const forced = await h.stripe.testHelpers.issuing.transactions.createForceCapture(
      { card: card.id, amount: 1_200, currency: 'usd' },
      on(),
    );
    const refund = await h.stripe.testHelpers.issuing.transactions.createUnlinkedRefund(
      { card: card.id, amount: 200, currency: 'usd' },
      on(),
    );
    expect([forced.type, forced.amount, forced.authorization, refund.type, refund.amount]).to.deep.equal([
      'capture',
      -1_200,
      null,
      'refund',
      200,
    ]);
    expect((await balance(fa.id)).cash.usd).to.equal(9_000);
    const listed = await h.stripe.issuing.transactions.list({ card: card.id, type: 'refund' }, on());
    expect(listed.data.map((t) => t.id)).to.deep.equal([refund.id]);
  });

  // Issuing.Transaction.treasury: the ReceivedDebit (capture) or ReceivedCredit (refund) representing it.
  it('moves card spending through Treasury: a capture is a ReceivedDebit, a refund a ReceivedCredit, network card', async () => {
    const { fa, card } = await fundedCard({ fund: 10_000 });
    const authorization = await authorize(card.id, 3_000);
    const captured = await h.stripe.testHelpers.issuing.authorizations.capture(authorization.id, {}, on());
    const capture = captured.transactions[0];
    const debit = await h.stripe.treasury.receivedDebits.retrieve(capture.treasury!.received_debit!, {}, on());
    expect(debit).to.deep.include({ amount: 3_000, network: 'card', status: 'succeeded', financial_account: fa.id });
    expect(debit.linked_flows).to.deep.include({ issuing_transaction: capture.id, issuing_authorization: authorization.id });
    expect(debit.initiating_payment_method_details).to.deep.include({ type: 'issuing_card', issuing_card: card.id });
    expect(captured.treasury?.received_debits).to.deep.equal([debit.id]);
    const refund = await h.stripe.testHelpers.issuing.transactions.refund(capture.id, { refund_amount: 500 }, on());
    const credit = await h.stripe.treasury.receivedCredits.retrieve(refund.treasury!.received_credit!, {}, on());
    expect(credit).to.deep.include({ amount: 500, network: 'card', status: 'succeeded' });
    expect(credit.linked_flows.issuing_transaction).to.equal(refund.id);
    expect((await h.stripe.issuing.authorizations.retrieve(authorization.id, {}, on())).treasury?.received_credits).to.deep.equal([
      credit.id,
    ]);
    expect((await balance(fa.id)).cash.usd, 'the balance moved once').to.equal(7_500);
  });

  // DisputeCreateParams.transaction: "For transaction on Treasury FinancialAccounts, use treasury.received_debit".
  it('creates disputes on captures (by received debit on a financial account), checks evidence at submit, freezes them once submitted; a won one reverses the debit', async () => {
    const { fa, card } = await fundedCard({ fund: 10_000 });
    const forced = await h.stripe.testHelpers.issuing.transactions.createForceCapture(
      { card: card.id, amount: 1_000, currency: 'usd' },
      on(),
    );
    const receivedDebit = forced.treasury!.received_debit!;
    const byTransaction = await stripeError(h.stripe.issuing.disputes.create({ transaction: forced.id }, on()));
    expect([byTransaction.param, byTransaction.message]).to.deep.equal([
      'transaction',
      `The transaction ${forced.id} is on a Treasury financial account: dispute it with treasury[received_debit]=${receivedDebit} instead of transaction.`,
    ]);
    const tooMuch = await stripeError(
      h.stripe.issuing.disputes.create({ treasury: { received_debit: receivedDebit }, amount: 1_001 }, on()),
    );
    expect(tooMuch.param).to.equal('amount');
    const dispute = await h.stripe.issuing.disputes.create(
      { treasury: { received_debit: receivedDebit }, evidence: { reason: 'fraudulent' } },
      on(),
    );
    expect([dispute.status, dispute.amount, dispute.transaction, dispute.treasury]).to.deep.equal([
      'unsubmitted',
      1_000,
      forced.id,
      { debit_reversal: null, received_debit: receivedDebit },
    ]);
    expect((await stripeError(h.stripe.issuing.disputes.create({ treasury: { received_debit: receivedDebit } }, on()))).message).to.match(
      /already has the dispute/,
    );
    const incomplete = await stripeError(h.stripe.issuing.disputes.submit(dispute.id, {}, on()));
    expect(incomplete.param).to.equal('evidence[fraudulent][explanation]');
    await h.stripe.issuing.disputes.update(
      dispute.id,
      { evidence: { reason: 'fraudulent', fraudulent: { explanation: 'Card stolen' } } },
      on(),
    );
    const submitted = await h.stripe.issuing.disputes.submit(dispute.id, {}, on());
    expect([submitted.status, submitted.evidence.fraudulent?.explanation]).to.deep.equal(['submitted', 'Card stolen']);
    expect((await stripeError(h.stripe.issuing.disputes.update(dispute.id, { amount: 10 }, on()))).message).to.match(/is submitted/);
    expect((await balance(fa.id)).cash.usd).to.equal(9_000);
    h.emulator.resolveDispute(account, dispute.id, 'won');
    const won = await h.stripe.issuing.disputes.retrieve(dispute.id, {}, on());
    expect(won.status).to.equal('won');
    expect(won.treasury?.debit_reversal).to.match(/^debrev_/);
    expect((await h.stripe.treasury.receivedDebits.retrieve(receivedDebit, {}, on())).linked_flows.debit_reversal).to.equal(
      won.treasury?.debit_reversal,
    );
    expect((await balance(fa.id)).cash.usd, 'the reversal returns the money').to.equal(10_000);
    const reversal = (await h.stripe.events.list({ type: 'treasury.debit_reversal.created' }, on())).data[0].data
      .object as Stripe.Treasury.DebitReversal;
    expect(reversal).to.deep.include({ id: won.treasury?.debit_reversal, amount: 1_000, received_debit: receivedDebit, network: 'card' });
    expect((await h.stripe.issuing.transactions.retrieve(forced.id, {}, on())).dispute).to.equal(dispute.id);
  });

  // Issuing.DisputeResource.submit: "Stripe validates that all evidence fields required for the dispute's
  // reason are present". Per reason: without the reason's explanation (or with evidence only under another
  // reason) submit is a 400 naming the field; the simulation's complete evidence submits.
  it("checks at submit the evidence each reason requires; the simulation's complete evidence passes for every reason", async () => {
    const { card } = await fundedCard({ fund: 20_000 });
    const capture = () =>
      h.stripe.testHelpers.issuing.transactions.createForceCapture({ card: card.id, amount: 1_000, currency: 'usd' }, on());
    const original = await capture();
    for (const reason of DISPUTE_REASONS) {
      const debit = (await capture()).treasury!.received_debit!;
      const complete = completeEvidence(reason, { capturedAt: original.created, originalTransaction: original.id });
      const otherReason = reason === 'other' ? 'fraudulent' : 'other';
      const misfiled = await h.stripe.issuing.disputes.create(
        { treasury: { received_debit: debit }, evidence: { ...completeEvidence(otherReason, { capturedAt: original.created }), reason } },
        on(),
      );
      const refused = await stripeError(h.stripe.issuing.disputes.submit(misfiled.id, {}, on()));
      expect([refused.statusCode, refused.type, refused.param], reason).to.deep.equal([
        400,
        'StripeInvalidRequestError',
        `evidence[${reason}][explanation]`,
      ]);
      expect(refused.message).to.equal(
        `The dispute ${misfiled.id} cannot be submitted: evidence[${reason}][explanation] is required for reason ${reason}.`,
      );
      // Emptying the explanation ('' unsets an evidence property) makes it incomplete again.
      const section = complete[reason] as Record<string, unknown>;
      await h.stripe.issuing.disputes.update(misfiled.id, { evidence: { reason, [reason]: { ...section, explanation: '' } } }, on());
      expect((await stripeError(h.stripe.issuing.disputes.submit(misfiled.id, {}, on()))).param, reason).to.equal(
        `evidence[${reason}][explanation]`,
      );
      await h.stripe.issuing.disputes.update(misfiled.id, { evidence: complete }, on());
      const submitted = await h.stripe.issuing.disputes.submit(misfiled.id, {}, on());
      expect([submitted.status, submitted.evidence.reason], reason).to.deep.equal(['submitted', reason]);
      expect(submitted.evidence[reason], reason).to.deep.include(section);
    }
  });
});
