// Issue 24: the card and authorization lifecycle as Stripe runs it, through the real client. Each test
// names the source of its rule (emulator/README.md's table has them all).
import { expect } from 'chai';
import type Stripe from 'stripe';
import { activeCardholder, issuingFinancialAccount, onboardedAccount } from '../../testbed/stripe-objects';
import { stripeError, useEmulator } from './harness';

describe('emulator: authorization and card lifecycle (issue 24)', () => {
  const h = useEmulator();
  let account: string;
  const on = () => ({ stripeAccount: account });

  async function fundedCard(fund: number, card: Partial<Stripe.Issuing.CardCreateParams> = {}) {
    const fa = await issuingFinancialAccount(h.stripe, account);
    await h.stripe.testHelpers.treasury.receivedCredits.create(
      { financial_account: fa.id, amount: fund, currency: 'usd', network: 'ach' },
      on(),
    );
    const cardholder = await activeCardholder(h.stripe, account);
    const created = await h.stripe.issuing.cards.create(
      { cardholder: cardholder.id, currency: 'usd', type: 'virtual', financial_account: fa.id, status: 'active', ...card },
      on(),
    );
    return { fa, cardholder, card: created };
  }

  const balance = async (fa: string) => (await h.stripe.treasury.financialAccounts.retrieve(fa, {}, on())).balance;
  const reveal = (id: string) => h.stripe.issuing.cards.retrieve(id, { expand: ['number', 'cvc'] }, on());

  beforeEach(async () => {
    account = await onboardedAccount(h.stripe);
  });

  describe('authorizations', () => {
    // Changelog 2025-03-31.basil (issuing-authorizations-expired): "Authorizations that have been
    // reversed can't be captured ... Authorizations that have been expired by Stripe can be captured later."
    it('captures an expired authorization later, from cash, and closes it', async () => {
      const { fa, card } = await fundedCard(10_000);
      const authorization = await h.stripe.testHelpers.issuing.authorizations.create({ card: card.id, amount: 3_000 }, on());
      const expired = await h.stripe.testHelpers.issuing.authorizations.expire(authorization.id, {}, on());
      expect([expired.status, expired.amount]).to.deep.equal(['expired', 0]);
      expect(await balance(fa.id)).to.deep.equal({ cash: { usd: 10_000 }, inbound_pending: { usd: 0 }, outbound_pending: { usd: 0 } });
      const captured = await h.stripe.testHelpers.issuing.authorizations.capture(authorization.id, {}, on());
      expect([captured.status, captured.transactions.map((t) => [t.type, t.amount])]).to.deep.equal(['closed', [['capture', -3_000]]]);
      expect((await balance(fa.id)).cash.usd).to.equal(7_000);
    });

    // Issuing transactions (stripe.com/docs/issuing/transactions): "Spending controls, real time
    // authorization controls, and card status ... don't apply for capture".
    it('captures an expired authorization even after its card was canceled', async () => {
      const { card } = await fundedCard(10_000);
      const authorization = await h.stripe.testHelpers.issuing.authorizations.create({ card: card.id, amount: 2_000 }, on());
      await h.stripe.testHelpers.issuing.authorizations.expire(authorization.id, {}, on());
      await h.stripe.issuing.cards.update(card.id, { status: 'canceled' }, on());
      const captured = await h.stripe.testHelpers.issuing.authorizations.capture(authorization.id, { capture_amount: 1_500 }, on());
      expect([captured.status, captured.transactions.map((t) => t.amount)]).to.deep.equal(['closed', [-1_500]]);
    });

    it('refuses to reverse or increment an expired authorization, and to capture a reversed one', async () => {
      const { card } = await fundedCard(10_000);
      const helpers = h.stripe.testHelpers.issuing.authorizations;
      const expired = await helpers.create({ card: card.id, amount: 1_000 }, on());
      await helpers.expire(expired.id, {}, on());
      expect((await stripeError(helpers.reverse(expired.id, {}, on()))).message).to.match(/is expired; only pending/);
      expect((await stripeError(helpers.increment(expired.id, { increment_amount: 100 }, on()))).message).to.match(/is expired/);
      const reversed = await helpers.create({ card: card.id, amount: 1_000 }, on());
      await helpers.reverse(reversed.id, {}, on());
      expect((await stripeError(helpers.capture(reversed.id, {}, on()))).message).to.match(/is reversed; only pending/);
    });

    // Issuing merchant categories (docs.stripe.com/issuing/categories): each category has its MCC.
    it('gives merchant_data a category_code that agrees with its category', async () => {
      const { card } = await fundedCard(10_000);
      const codes: Array<[string, string]> = [];
      for (const category of ['taxicabs_limousines', 'hotels_motels_and_resorts', 'airlines_air_carriers', 'service_stations']) {
        const authorization = await h.stripe.testHelpers.issuing.authorizations.create(
          { card: card.id, amount: 100, merchant_data: { category: category as never } },
          on(),
        );
        codes.push([authorization.merchant_data.category, authorization.merchant_data.category_code]);
        const transaction = (await h.stripe.testHelpers.issuing.authorizations.capture(authorization.id, {}, on())).transactions[0];
        expect(transaction.merchant_data.category_code).to.equal(authorization.merchant_data.category_code);
      }
      expect(codes).to.deep.equal([
        ['taxicabs_limousines', '4121'],
        ['hotels_motels_and_resorts', '7011'],
        ['airlines_air_carriers', '4511'],
        ['service_stations', '5541'],
      ]);
    });

    // The same table's first rows (the part of the page the stored copies hold), every one a category of
    // the pinned types; a category outside the table has no code rather than a wrong one.
    it('knows the MCC of every category in the table’s stored rows, and none for the rest', async () => {
      const { card } = await fundedCard(10_000);
      const codeOf = async (category: string) =>
        (
          await h.stripe.testHelpers.issuing.authorizations.create(
            { card: card.id, amount: 100, merchant_data: { category: category as never } },
            on(),
          )
        ).merchant_data.category_code;
      expect(await codeOf('agricultural_cooperative')).to.equal('0763');
      expect(await codeOf('automobile_associations')).to.equal('8675');
      expect(await codeOf('aquariums')).to.equal('7998');
      expect(await codeOf('veterinary_services')).to.equal(null);
    });

    // TestHelpers AuthorizationCreateParams.verification_data: "Verifications that Stripe performed on
    // information that the cardholder provided to the merchant".
    it('keeps the verification_data given to the test helper', async () => {
      const { card } = await fundedCard(10_000);
      const authorization = await h.stripe.testHelpers.issuing.authorizations.create(
        {
          card: card.id,
          amount: 100,
          verification_data: {
            address_line1_check: 'mismatch',
            address_postal_code_check: 'match',
            cvc_check: 'mismatch',
            expiry_check: 'not_provided',
            three_d_secure: { result: 'authenticated' },
          },
        },
        on(),
      );
      const stored = (await h.stripe.issuing.authorizations.retrieve(authorization.id, {}, on())).verification_data;
      expect([
        stored.address_line1_check,
        stored.address_postal_code_check,
        stored.cvc_check,
        stored.expiry_check,
        stored.three_d_secure,
      ]).to.deep.equal(['mismatch', 'match', 'mismatch', 'not_provided', { result: 'authenticated' }]);
    });

    // Capture params `close_authorization`: "Defaults to true. Set to false to enable multi-capture flows."
    it('keeps the rest held across captures with close_authorization false', async () => {
      const { fa, card } = await fundedCard(10_000);
      const helpers = h.stripe.testHelpers.issuing.authorizations;
      const authorization = await helpers.create({ card: card.id, amount: 5_000 }, on());
      const first = await helpers.capture(authorization.id, { capture_amount: 2_000, close_authorization: false }, on());
      expect([first.status, first.amount]).to.deep.equal(['pending', 3_000]);
      expect(await balance(fa.id)).to.deep.equal({ cash: { usd: 5_000 }, inbound_pending: { usd: 0 }, outbound_pending: { usd: 3_000 } });
      const second = await helpers.capture(authorization.id, { capture_amount: 1_000, close_authorization: false }, on());
      expect([second.status, second.amount, second.transactions.map((t) => t.amount)]).to.deep.equal(['pending', 2_000, [-2_000, -1_000]]);
      expect(second.treasury?.received_debits).to.have.length(2);
      const reversed = await helpers.reverse(authorization.id, {}, on());
      expect([reversed.status, reversed.amount]).to.deep.equal(['reversed', 0]);
      expect(await balance(fa.id)).to.deep.equal({ cash: { usd: 7_000 }, inbound_pending: { usd: 0 }, outbound_pending: { usd: 0 } });
    });
  });

  describe('Treasury transactions', () => {
    const transactions = async (fa: string, params: Partial<Stripe.Treasury.TransactionListParams> = {}) =>
      (await h.stripe.treasury.transactions.list({ financial_account: fa, ...params }, on())).data;
    const sum = (list: Stripe.Treasury.Transaction[], kind: keyof Stripe.Treasury.Transaction.BalanceImpact) =>
      list.reduce((total, t) => total + t.balance_impact[kind], 0);

    // types Treasury.Transaction ("Transactions represent changes to a FinancialAccount's balance"),
    // ReceivedCredit.transaction / ReceivedDebit.transaction ("The Transaction associated with this object").
    it('records a posted Transaction for each received credit and debit, linked both ways', async () => {
      const fa = await issuingFinancialAccount(h.stripe, account);
      const credit = await h.stripe.testHelpers.treasury.receivedCredits.create(
        { financial_account: fa.id, amount: 5_000, currency: 'usd', network: 'ach' },
        on(),
      );
      const debit = await h.stripe.testHelpers.treasury.receivedDebits.create(
        { financial_account: fa.id, amount: 1_200, currency: 'usd', network: 'ach' },
        on(),
      );
      const failed = await h.stripe.testHelpers.treasury.receivedDebits.create(
        { financial_account: fa.id, amount: 99_000, currency: 'usd', network: 'ach' },
        on(),
      );
      expect(failed.transaction).to.equal(null);
      const listed = await transactions(fa.id);
      expect(listed.map((t) => [t.flow_type, t.flow, t.amount, t.status])).to.deep.equal([
        ['received_debit', debit.id, -1_200, 'posted'],
        ['received_credit', credit.id, 5_000, 'posted'],
      ]);
      expect([credit.transaction, debit.transaction]).to.deep.equal([listed[1].id, listed[0].id]);
      const retrieved = await h.stripe.treasury.transactions.retrieve(credit.transaction as string, {}, on());
      expect(retrieved).to.include({ object: 'treasury.transaction', financial_account: fa.id, currency: 'usd' });
      expect(retrieved.balance_impact).to.deep.equal({ cash: 5_000, inbound_pending: 0, outbound_pending: 0 });
      expect(retrieved.status_transitions.posted_at).to.be.a('number');
      expect(retrieved).not.to.have.property('entries');
      const expanded = await h.stripe.treasury.transactions.retrieve(credit.transaction as string, { expand: ['entries'] }, on());
      expect(expanded.entries?.data.map((e) => [e.type, e.balance_impact.cash, e.transaction])).to.deep.equal([
        ['received_credit', 5_000, credit.transaction],
      ]);
      // The sum of the Transactions is the balance.
      expect(sum(listed, 'cash')).to.equal((await balance(fa.id)).cash.usd);
    });

    // types Issuing.Authorization.Treasury.transaction ("The Treasury Transaction associated with this
    // authorization"), TransactionEntry.Type `issuing_authorization_hold` / `issuing_authorization_release`,
    // Transaction.BalanceImpact.outbound_pending ("held for pending outbound flows").
    it('names the authorization’s Transaction: its hold moves cash to outbound_pending, capture releases it', async () => {
      const { fa, card } = await fundedCard(10_000);
      const helpers = h.stripe.testHelpers.issuing.authorizations;
      const authorization = await helpers.create({ card: card.id, amount: 3_000 }, on());
      const id = authorization.treasury?.transaction;
      expect(id).to.be.a('string');
      const held = await h.stripe.treasury.transactions.retrieve(id!, { expand: ['entries'] }, on());
      expect([held.flow_type, held.flow, held.amount, held.status]).to.deep.equal([
        'issuing_authorization',
        authorization.id,
        -3_000,
        'open',
      ]);
      expect(held.balance_impact).to.deep.equal({ cash: -3_000, inbound_pending: 0, outbound_pending: 3_000 });
      expect(await transactions(fa.id, { status: 'open' })).to.have.length(1);
      const captured = await helpers.capture(authorization.id, { capture_amount: 2_500 }, on());
      const after = await h.stripe.treasury.transactions.retrieve(id!, { expand: ['entries'] }, on());
      expect([after.status, after.status_transitions.void_at !== null]).to.deep.equal(['void', true]);
      expect(after.entries?.data.map((e) => e.type)).to.deep.equal(['issuing_authorization_release', 'issuing_authorization_hold']);
      expect(after.balance_impact).to.deep.equal({ cash: 0, inbound_pending: 0, outbound_pending: 0 });
      const debit = await h.stripe.treasury.receivedDebits.retrieve(captured.treasury!.received_debits[0], {}, on());
      const capture = await h.stripe.treasury.transactions.retrieve(debit.transaction as string, {}, on());
      expect([capture.flow_type, capture.amount, capture.status]).to.deep.equal(['received_debit', -2_500, 'posted']);
      const all = await transactions(fa.id);
      const now = await balance(fa.id);
      expect([sum(all, 'cash'), sum(all, 'outbound_pending')]).to.deep.equal([now.cash.usd, now.outbound_pending.usd]);
      expect(now.cash.usd).to.equal(7_500);
    });

    it('keeps the Transaction open while part is held, and voids it when the rest is reversed', async () => {
      const { fa, card } = await fundedCard(10_000);
      const helpers = h.stripe.testHelpers.issuing.authorizations;
      const authorization = await helpers.create({ card: card.id, amount: 4_000 }, on());
      await helpers.increment(authorization.id, { increment_amount: 1_000 }, on());
      await helpers.reverse(authorization.id, { reverse_amount: 2_000 }, on());
      const id = authorization.treasury!.transaction!;
      const partly = await h.stripe.treasury.transactions.retrieve(id, {}, on());
      expect([partly.status, partly.balance_impact.outbound_pending]).to.deep.equal(['open', 3_000]);
      expect((await balance(fa.id)).outbound_pending.usd).to.equal(3_000);
      await helpers.reverse(authorization.id, {}, on());
      const voided = await h.stripe.treasury.transactions.retrieve(id, {}, on());
      expect([voided.status, voided.balance_impact.cash, voided.balance_impact.outbound_pending]).to.deep.equal(['void', 0, 0]);
      expect((await transactions(fa.id, { status: 'void' })).map((t) => t.id)).to.deep.equal([id]);
    });

    // types TransactionListParams.financial_account (required).
    it('requires financial_account on the list', async () => {
      const error = await stripeError(h.stripe.treasury.transactions.list({} as Stripe.Treasury.TransactionListParams, on()));
      expect(error.param).to.equal('financial_account');
    });
  });

  describe('card replacement', () => {
    // Replacement cards guide (docs.stripe.com/issuing/cards/replacements), "New card number / New
    // security code / New expiry": expired and damaged No/Yes/Yes, lost/stolen Yes/Yes/Yes.
    for (const reason of ['damaged', 'expired'] as const) {
      it(`keeps the card number for a ${reason} card, with a new security code and expiry`, async () => {
        const { card } = await fundedCard(1_000);
        const replacement = await h.stripe.issuing.cards.create(
          { currency: 'usd', type: 'virtual', replacement_for: card.id, replacement_reason: reason },
          on(),
        );
        const [original, replaced] = [await reveal(card.id), await reveal(replacement.id)];
        expect(replaced.number).to.equal(original.number);
        expect(replaced.last4).to.equal(original.last4);
        expect(replaced.cvc).not.to.equal(original.cvc);
        expect([replaced.exp_month, replaced.exp_year]).not.to.deep.equal([original.exp_month, original.exp_year]);
      });
    }

    for (const reason of ['lost', 'stolen'] as const) {
      it(`issues a new card number for a ${reason} card`, async () => {
        const { card } = await fundedCard(1_000);
        const replacement = await h.stripe.issuing.cards.create(
          { currency: 'usd', type: 'virtual', replacement_for: card.id, replacement_reason: reason },
          on(),
        );
        expect((await reveal(replacement.id)).number).not.to.equal((await reveal(card.id)).number);
      });
    }

    // Same guide: "The cardholder can continue to use the original card before the replacement card is
    // activated ... Activating the replacement card cancels the original card if it isn't already canceled."
    it('leaves a damaged original usable until the replacement is activated, then cancels it', async () => {
      const { card } = await fundedCard(10_000);
      const replacement = await h.stripe.issuing.cards.create(
        { currency: 'usd', type: 'virtual', replacement_for: card.id, replacement_reason: 'damaged' },
        on(),
      );
      const before = await h.stripe.issuing.cards.retrieve(card.id, {}, on());
      expect([before.status, before.replaced_by]).to.deep.equal(['active', replacement.id]);
      const stillUsable = await h.stripe.testHelpers.issuing.authorizations.create({ card: card.id, amount: 100 }, on());
      expect(stillUsable.approved).to.equal(true);
      await h.stripe.issuing.cards.update(replacement.id, { status: 'active' }, on());
      const after = await h.stripe.issuing.cards.retrieve(card.id, {}, on());
      expect([after.status, after.cancellation_reason]).to.deep.equal(['canceled', null]);
      const declined = await h.stripe.testHelpers.issuing.authorizations.create({ card: card.id, amount: 100 }, on());
      expect([declined.approved, declined.request_history[0].reason]).to.deep.equal([false, 'card_canceled']);
    });

    it('cancels the original at once when the replacement is created active', async () => {
      const { card } = await fundedCard(1_000);
      await h.stripe.issuing.cards.create(
        { currency: 'usd', type: 'virtual', replacement_for: card.id, replacement_reason: 'expired', status: 'active' },
        on(),
      );
      expect((await h.stripe.issuing.cards.retrieve(card.id, {}, on())).status).to.equal('canceled');
    });

    // Card.SpendingControls.spending_limits (types): "Limit spending with amount-based rules that apply
    // across any cards this card replaced (i.e., its replacement_for card and that card's replacement_for
    // card, up the chain)."
    it('counts what the replaced cards spent against the replacement’s limits, up the chain', async () => {
      const limits = { spending_limits: [{ amount: 5_000, interval: 'monthly' as const }] };
      const { card } = await fundedCard(20_000, { spending_controls: limits });
      const helpers = h.stripe.testHelpers.issuing.authorizations;
      expect((await helpers.create({ card: card.id, amount: 2_000 }, on())).approved).to.equal(true);
      const second = await h.stripe.issuing.cards.create(
        { currency: 'usd', type: 'virtual', replacement_for: card.id, replacement_reason: 'damaged', spending_controls: limits },
        on(),
      );
      await h.stripe.issuing.cards.update(second.id, { status: 'active' }, on());
      expect((await helpers.create({ card: second.id, amount: 2_000 }, on())).approved).to.equal(true);
      const third = await h.stripe.issuing.cards.create(
        {
          currency: 'usd',
          type: 'virtual',
          replacement_for: second.id,
          replacement_reason: 'lost',
          spending_controls: limits,
          status: 'active',
        },
        on(),
      );
      const over = await helpers.create({ card: third.id, amount: 1_500 }, on());
      expect([over.approved, over.request_history[0].reason]).to.deep.equal([false, 'spending_controls']);
      expect((await helpers.create({ card: third.id, amount: 1_000 }, on())).approved).to.equal(true);
    });
  });

  describe('card data and controls', () => {
    const SHIPPING = {
      name: 'Jenny Rosen',
      address: { line1: '1 Main St', city: 'San Francisco', state: 'CA', postal_code: '94103', country: 'US' },
    };

    // types Issuing.Card.number / .cvc: "only available for virtual cards, and will be omitted unless you
    // explicitly request it with the expand parameter".
    it('reveals number and cvc through expand for a virtual card only', async () => {
      const { cardholder, card } = await fundedCard(1_000);
      const physical = await h.stripe.issuing.cards.create(
        { cardholder: cardholder.id, currency: 'usd', type: 'physical', shipping: SHIPPING },
        on(),
      );
      const [virtualShown, physicalShown] = [await reveal(card.id), await reveal(physical.id)];
      expect([typeof virtualShown.number, typeof virtualShown.cvc]).to.deep.equal(['string', 'string']);
      expect(physicalShown).not.to.have.property('number');
      expect(physicalShown).not.to.have.property('cvc');
    });

    // types CardCreateParams.lifecycle_controls (pinned API): "Rules that control the lifecycle of this card".
    it('keeps lifecycle_controls as given', async () => {
      const { card } = await fundedCard(1_000, { lifecycle_controls: { cancel_after: { payment_count: 3 } } });
      expect(card.lifecycle_controls).to.deep.equal({ cancel_after: { payment_count: 3 } });
      expect((await h.stripe.issuing.cards.retrieve(card.id, {}, on())).lifecycle_controls).to.deep.equal({
        cancel_after: { payment_count: 3 },
      });
    });

    // types CardCreateParams.second_line: "The second line to print on the card. Max length: 24 characters."
    // types Issuing.Card.LifecycleControls.CancelAfter.payment_count: "The card is automatically cancelled
    // when it makes this number of non-zero payment authorizations and transactions."
    it('cancels the card once it has made payment_count payments', async () => {
      const { card } = await fundedCard(10_000, { lifecycle_controls: { cancel_after: { payment_count: 2 } } });
      const helpers = h.stripe.testHelpers.issuing.authorizations;
      const first = await helpers.create({ card: card.id, amount: 500 }, on());
      await helpers.capture(first.id, {}, on());
      expect((await h.stripe.issuing.cards.retrieve(card.id, {}, on())).status).to.equal('active');
      const second = await helpers.create({ card: card.id, amount: 1 }, on());
      const canceled = await h.stripe.issuing.cards.retrieve(card.id, {}, on());
      expect([canceled.status, canceled.cancellation_reason]).to.deep.equal(['canceled', null]);
      // The second payment's capture still goes through; a third payment is declined.
      expect((await helpers.capture(second.id, {}, on())).status).to.equal('closed');
      const third = await helpers.create({ card: card.id, amount: 100 }, on());
      expect([third.approved, third.request_history[0].reason]).to.deep.equal([false, 'card_canceled']);
    });

    it('counts a force capture as a payment', async () => {
      const { card } = await fundedCard(10_000, { lifecycle_controls: { cancel_after: { payment_count: 1 } } });
      await h.stripe.testHelpers.issuing.transactions.createForceCapture({ card: card.id, amount: 300 }, on());
      expect((await h.stripe.issuing.cards.retrieve(card.id, {}, on())).status).to.equal('canceled');
    });

    it('refuses a second_line longer than 24 characters and keeps one of 24', async () => {
      const cardholder = await activeCardholder(h.stripe, account);
      const create = (second_line: string) =>
        h.stripe.issuing.cards.create({ cardholder: cardholder.id, currency: 'usd', type: 'virtual', second_line }, on());
      const error = await stripeError(create('A'.repeat(25)));
      expect([error.param, error.type]).to.deep.equal(['second_line', 'StripeInvalidRequestError']);
      expect((await create('B'.repeat(24))).second_line).to.equal('B'.repeat(24));
    });
  });

  describe('cardholder rules', () => {
    // types CardholderCreateParams.Individual.first_name / last_name: "cannot contain any numbers, special
    // characters (except periods, commas, hyphens, spaces and apostrophes) or non-latin letters".
    it('refuses individual first and last names with numbers, other special characters or non-Latin letters', async () => {
      for (const [field, value] of [
        ['first_name', 'Jenny2'],
        ['first_name', 'Jenny!'],
        ['last_name', 'Розен'],
      ] as const) {
        const error = await stripeError(
          activeCardholder(h.stripe, account, { individual: { first_name: 'Jenny', last_name: 'Rosen', [field]: value } }),
        );
        expect(error.param).to.equal(`individual[${field}]`);
      }
      const accepted = await activeCardholder(h.stripe, account, { individual: { first_name: 'Zoë-Anne', last_name: "O'Brien, Jr." } });
      expect([accepted.individual?.first_name, accepted.individual?.last_name]).to.deep.equal(['Zoë-Anne', "O'Brien, Jr."]);
    });

    // types CardholderCreateParams.phone_number: "This will be transformed to E.164 if it is not provided in that format already."
    it('stores a phone number in E.164', async () => {
      const formatted = await activeCardholder(h.stripe, account, { phone_number: '+1 (555) 010-0199' });
      expect(formatted.phone_number).to.equal('+15550100199');
      const international = await activeCardholder(h.stripe, account, { phone_number: '0044 20 7946 0958' });
      expect(international.phone_number).to.equal('+442079460958');
      const listed = await h.stripe.issuing.cardholders.list({ phone_number: '+15550100199' }, on());
      expect(listed.data.map((c) => c.id)).to.deep.equal([formatted.id]);
    });

    // types CardholderCreateParams.SpendingControls.spending_limits_currency: "Defaults to your merchant country's currency."
    it("defaults spending_limits_currency to the account's currency", async () => {
      const cardholder = await activeCardholder(h.stripe, account, {
        spending_controls: { spending_limits: [{ amount: 10_000, interval: 'daily' }] },
      });
      expect(cardholder.spending_controls?.spending_limits_currency).to.equal('usd');
    });
  });

  describe('object shapes', () => {
    // API reference: the Issuing Dispute's balance_transactions and the Issuing Transaction's
    // purchase_details are expandable (types: optional); returned only when expanded.
    it('returns a dispute’s balance_transactions and a transaction’s purchase_details only when expanded', async () => {
      const { card } = await fundedCard(10_000);
      const authorization = await h.stripe.testHelpers.issuing.authorizations.create({ card: card.id, amount: 1_000 }, on());
      const [capture] = (await h.stripe.testHelpers.issuing.authorizations.capture(authorization.id, {}, on())).transactions;
      expect(capture).not.to.have.property('purchase_details');
      const retrieved = await h.stripe.issuing.transactions.retrieve(capture.id, {}, on());
      expect(retrieved).not.to.have.property('purchase_details');
      const expandedTransaction = await h.stripe.issuing.transactions.retrieve(capture.id, { expand: ['purchase_details'] }, on());
      expect(expandedTransaction.purchase_details).to.equal(null);
      const dispute = await h.stripe.issuing.disputes.create(
        { treasury: { received_debit: capture.treasury?.received_debit as string }, evidence: { reason: 'fraudulent' } },
        on(),
      );
      expect(dispute).not.to.have.property('balance_transactions');
      expect(await h.stripe.issuing.disputes.retrieve(dispute.id, {}, on())).not.to.have.property('balance_transactions');
      const expanded = await h.stripe.issuing.disputes.retrieve(dispute.id, { expand: ['balance_transactions'] }, on());
      expect(expanded.balance_transactions).to.deep.equal([]);
      const listed = await h.stripe.issuing.disputes.list({ expand: ['data.balance_transactions'] }, on());
      expect(listed.data[0].balance_transactions).to.deep.equal([]);
      expect((await h.stripe.issuing.disputes.list({}, on())).data[0]).not.to.have.property('balance_transactions');
    });

    // Events carry the object as the API renders it without `expand`: the same includable properties
    // are left out of `data.object` (stripe-mock spec x-expandableFields, as above).
    it('renders event data.object like a response without expand', async () => {
      const { card } = await fundedCard(10_000);
      const authorization = await h.stripe.testHelpers.issuing.authorizations.create({ card: card.id, amount: 1_000 }, on());
      const [capture] = (await h.stripe.testHelpers.issuing.authorizations.capture(authorization.id, {}, on())).transactions;
      await h.stripe.issuing.disputes.create(
        { treasury: { received_debit: capture.treasury?.received_debit as string }, evidence: { reason: 'fraudulent' } },
        on(),
      );
      const [created] = (await h.stripe.events.list({ type: 'issuing_dispute.created' }, on())).data;
      expect(created.data.object).to.include({ object: 'issuing.dispute' });
      expect(created.data.object).not.to.have.property('balance_transactions');
      const [transactionEvent] = (await h.stripe.events.list({ type: 'issuing_transaction.created' }, on())).data;
      expect(transactionEvent.data.object).not.to.have.property('purchase_details');
    });
  });
});
