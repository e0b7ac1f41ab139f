// Drives the emulator through every request shape the project sends, with the real `stripe` client,
// then replays each accepted request against Stripe's stripe-mock: any refusal fails, naming the request.

import * as http from 'node:http';
import { expect } from 'chai';
import type Stripe from 'stripe';
import { SERVED_OPERATIONS } from '../../emulator/spec/served-operations';
import { BILLING } from '../../testbed/stripe-objects';
import { useEmulator } from '../emulator/harness';
import { replayAgainstStripeMock } from './replay';

describe('conformance: emulator requests replayed against stripe-mock', () => {
  const h = useEmulator();
  let approver: http.Server;

  before(async () => {
    approver = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'stripe-version': '2026-10-28.endive' });
      res.end(JSON.stringify({ approved: true }));
    });
    await new Promise<void>((resolve) => approver.listen(0, '127.0.0.1', resolve));
  });
  after(() => new Promise<void>((resolve) => approver.close(() => resolve())));

  it('exercises every served operation and stripe-mock accepts every request the emulator accepted', async () => {
    const stripe = h.stripe;
    const account = await stripe.accounts.create({
      type: 'custom',
      country: 'US',
      email: 'ops@example.com',
      metadata: { team: 'issuing' },
    });
    await stripe.accounts.update(account.id, {
      settings: {
        card_issuing: { tos_acceptance: { date: 1700000000, ip: '127.0.0.1', user_agent: 'conformance' } },
        treasury: { tos_acceptance: { date: 1700000000, ip: '127.0.0.1' } },
      },
    });
    await stripe.accounts.retrieve(account.id);
    await stripe.accounts.list({ limit: 3 });
    for (const capability of ['transfers', 'treasury', 'card_issuing']) {
      await stripe.accounts.updateCapability(
        account.id,
        capability,
        { requested: true },
        { idempotencyKey: `cap-${account.id}-${capability}` },
      );
    }
    await stripe.accounts.updateCapability(account.id, 'card_payments', { requested: true });
    await stripe.accounts.updateCapability(account.id, 'card_payments', { requested: false });
    await stripe.accounts.listCapabilities(account.id);
    await stripe.accounts.retrieveCapability(account.id, 'card_issuing');
    await stripe.accountLinks.create({
      account: account.id,
      type: 'account_onboarding',
      collection_options: { fields: 'currently_due' },
      return_url: 'https://platform.example/onboarding/done',
      refresh_url: 'https://platform.example/onboarding/expired',
    });
    const on = { stripeAccount: account.id };

    const fa = await stripe.treasury.financialAccounts.create(
      {
        supported_currencies: ['usd'],
        features: {
          card_issuing: { requested: true },
          financial_addresses: { aba: { requested: true } },
          inbound_transfers: { ach: { requested: true } },
          outbound_payments: { ach: { requested: true }, us_domestic_wire: { requested: true } },
          outbound_transfers: { ach: { requested: true }, us_domestic_wire: { requested: true } },
          intra_stripe_flows: { requested: true },
          deposit_insurance: { requested: true },
        },
        platform_restrictions: { inbound_flows: 'unrestricted', outbound_flows: 'unrestricted' },
        nickname: 'Operating',
        metadata: { purpose: 'cards' },
      },
      { ...on, idempotencyKey: 'fa-create-1' },
    );
    await stripe.treasury.financialAccounts.update(
      fa.id,
      { nickname: 'Operating account', metadata: { purpose: '' }, platform_restrictions: { outbound_flows: 'unrestricted' } },
      on,
    );
    await stripe.treasury.financialAccounts.update(fa.id, { nickname: '' }, on);
    await stripe.treasury.financialAccounts.retrieve(fa.id, {}, on);
    await stripe.treasury.financialAccounts.list({ status: 'open', limit: 10 }, on);
    await stripe.treasury.financialAccounts.updateFeatures(
      fa.id,
      { intra_stripe_flows: { requested: false }, deposit_insurance: { requested: true } },
      on,
    );
    await stripe.treasury.financialAccounts.retrieveFeatures(fa.id, {}, on);
    const credit = await stripe.testHelpers.treasury.receivedCredits.create(
      { financial_account: fa.id, amount: 50_000, currency: 'usd', network: 'ach', description: 'funding' },
      on,
    );
    await stripe.treasury.receivedCredits.retrieve(credit.id, {}, on);
    await stripe.treasury.receivedCredits.list({ financial_account: fa.id }, on);
    const debit = await stripe.testHelpers.treasury.receivedDebits.create(
      {
        financial_account: fa.id,
        amount: 1_000,
        currency: 'usd',
        network: 'ach',
        description: 'utility bill',
        initiating_payment_method_details: {
          type: 'us_bank_account',
          us_bank_account: { account_holder_name: 'Power Co', account_number: '000123456789', routing_number: '110000000' },
        },
      },
      on,
    );
    await stripe.testHelpers.treasury.receivedDebits.create(
      { financial_account: fa.id, amount: 1_000_000, currency: 'usd', network: 'ach' },
      on,
    );
    await stripe.treasury.receivedDebits.retrieve(debit.id, {}, on);
    await stripe.treasury.receivedDebits.list({ financial_account: fa.id, status: 'failed', limit: 5 }, on);
    const treasuryTransactions = await stripe.treasury.transactions.list(
      { financial_account: fa.id, status: 'posted', order_by: 'posted_at', limit: 5 },
      on,
    );
    await stripe.treasury.transactions.retrieve(treasuryTransactions.data[0].id, { expand: ['entries'] }, on);

    const cardholder = await stripe.issuing.cardholders.create(
      {
        name: 'Jenny Rosen',
        type: 'individual',
        email: 'jenny@example.com',
        phone_number: '+18008675309',
        billing: { address: { ...BILLING.address, line2: 'Suite 1' } },
        individual: {
          first_name: 'Jenny',
          last_name: 'Rosen',
          dob: { day: 1, month: 2, year: 1990 },
          card_issuing: { user_terms_acceptance: { date: 1700000000, ip: '127.0.0.1', user_agent: 'conformance' } },
        },
        spending_controls: {
          blocked_categories: ['betting_casino_gambling'],
          spending_limits: [{ amount: 100_000, interval: 'monthly' }],
          spending_limits_currency: 'usd',
        },
        preferred_locales: ['en', 'fr'],
        status: 'active',
        metadata: { employee: '42' },
      },
      { ...on, idempotencyKey: 'cardholder-create-1' },
    );
    await stripe.issuing.cardholders.update(
      cardholder.id,
      {
        email: 'jenny.rosen@example.com',
        phone_number: '+18005550100',
        billing: BILLING,
        individual: { first_name: 'Jen', last_name: 'Rosen' },
        spending_controls: { blocked_categories: ['betting_casino_gambling', 'pawn_shops'], allowed_merchant_countries: ['US'] },
        preferred_locales: ['en'],
        metadata: { employee: '' },
      },
      on,
    );
    await stripe.issuing.cardholders.retrieve(cardholder.id, {}, on);
    await stripe.issuing.cardholders.list({ status: 'active', type: 'individual', limit: 5 }, on);
    const company = await stripe.issuing.cardholders.create(
      { name: 'Rocket Rides', type: 'company', billing: BILLING, company: { tax_id: '000000000' } },
      on,
    );

    const virtual = await stripe.issuing.cards.create(
      {
        cardholder: cardholder.id,
        financial_account: fa.id,
        currency: 'usd',
        type: 'virtual',
        status: 'active',
        spending_controls: {
          spending_limits: [{ amount: 20_000, interval: 'per_authorization', categories: ['taxicabs_limousines'] }],
          blocked_merchant_countries: ['KP'],
        },
        metadata: { team: 'ops' },
      },
      { ...on, idempotencyKey: 'card-create-1' },
    );
    const physical = await stripe.issuing.cards.create(
      {
        cardholder: company.id,
        financial_account: fa.id,
        currency: 'usd',
        type: 'physical',
        second_line: 'Rocket Rides',
        shipping: {
          name: 'Rocket Rides',
          address: BILLING.address,
          service: 'express',
          type: 'individual',
          require_signature: true,
          phone_number: '+18008675309',
        },
      },
      on,
    );
    await stripe.issuing.cards.update(
      physical.id,
      { shipping: { name: 'Rocket Rides HQ', address: BILLING.address, service: 'priority', type: 'bulk' } },
      on,
    );
    await stripe.issuing.cards.update(
      virtual.id,
      {
        spending_controls: { allowed_categories: ['taxicabs_limousines'], spending_limits: [{ amount: 30_000, interval: 'daily' }] },
        metadata: { team: 'finance' },
      },
      on,
    );
    await stripe.issuing.cards.update(virtual.id, { status: 'inactive' }, on);
    await stripe.issuing.cards.update(virtual.id, { status: 'active' }, on);
    await stripe.issuing.cards.retrieve(virtual.id, {}, on);
    await stripe.issuing.cards.list({ cardholder: cardholder.id, status: 'active', type: 'virtual', limit: 2 }, on);
    for (const step of ['submit', 'ship', 'deliver', 'return'] as const) {
      await stripe.testHelpers.issuing.cards[`${step === 'return' ? 'returnCard' : `${step}Card`}` as 'shipCard'](physical.id, {}, on);
    }
    const failing = await stripe.issuing.cards.create(
      { cardholder: company.id, currency: 'usd', type: 'physical', shipping: { name: 'Rocket Rides', address: BILLING.address } },
      on,
    );
    await stripe.testHelpers.issuing.cards.failCard(failing.id, {}, on);

    const endpoint = await stripe.webhookEndpoints.create(
      {
        url: `http://127.0.0.1:${(approver.address() as { port: number }).port}/stripe`,
        enabled_events: ['issuing_authorization.request', 'issuing_card.updated'],
        connect: true,
        description: 'real-time authorizations',
        metadata: { stack: 'dev' },
      },
      { idempotencyKey: 'endpoint-create-1' },
    );
    await stripe.webhookEndpoints.update(endpoint.id, {
      enabled_events: ['issuing_authorization.request'],
      description: '',
      metadata: { stack: 'prod' },
    });
    await stripe.webhookEndpoints.update(endpoint.id, { disabled: true });
    await stripe.webhookEndpoints.update(endpoint.id, { disabled: false });
    await stripe.webhookEndpoints.retrieve(endpoint.id);
    await stripe.webhookEndpoints.list({ limit: 10 });

    const authorization = await stripe.testHelpers.issuing.authorizations.create(
      {
        card: virtual.id,
        amount: 2_000,
        currency: 'usd',
        merchant_data: { category: 'taxicabs_limousines', name: 'Rocket Rides', city: 'San Francisco', country: 'US' },
        authorization_method: 'online',
        is_amount_controllable: true,
      },
      on,
    );
    expect(authorization.approved, 'the approving endpoint approves').to.equal(true);
    await stripe.testHelpers.issuing.authorizations.increment(authorization.id, { increment_amount: 500 }, on);
    await stripe.testHelpers.issuing.authorizations.reverse(authorization.id, { reverse_amount: 200 }, on);
    await stripe.testHelpers.issuing.authorizations.finalizeAmount(authorization.id, { final_amount: 2_100 }, on);
    await stripe.testHelpers.issuing.authorizations.capture(authorization.id, { capture_amount: 2_100, close_authorization: true }, on);
    const toExpire = await stripe.testHelpers.issuing.authorizations.create(
      { card: virtual.id, amount: 100, merchant_data: { category: 'taxicabs_limousines' } },
      on,
    );
    await stripe.testHelpers.issuing.authorizations.expire(toExpire.id, {}, on);
    await stripe.issuing.authorizations.update(toExpire.id, { metadata: { note: 'expired' } }, on);
    await stripe.issuing.authorizations.retrieve(toExpire.id, {}, on);
    await stripe.issuing.authorizations.list({ card: virtual.id, status: 'closed', limit: 5 }, on);
    await approveAndDeclineWhilePending(stripe, endpoint.id, virtual.id, on);

    const [capture] = (await stripe.issuing.transactions.list({ card: virtual.id, type: 'capture' }, on)).data;
    await stripe.issuing.transactions.retrieve(capture.id, {}, on);
    await stripe.issuing.transactions.update(capture.id, { metadata: { receipt: 'r-1' } }, on);
    await stripe.testHelpers.issuing.transactions.refund(capture.id, { refund_amount: 100 }, on);
    const forced = await stripe.testHelpers.issuing.transactions.createForceCapture(
      { card: virtual.id, amount: 700, currency: 'usd', merchant_data: { category: 'taxicabs_limousines', name: 'Rocket Rides' } },
      on,
    );
    await stripe.testHelpers.issuing.transactions.createUnlinkedRefund(
      { card: virtual.id, amount: 300, currency: 'usd', merchant_data: { category: 'taxicabs_limousines' } },
      on,
    );

    await stripe.treasury.receivedDebits.retrieve(forced.treasury!.received_debit!, {}, on);
    const dispute = await stripe.issuing.disputes.create(
      {
        treasury: { received_debit: forced.treasury!.received_debit! },
        evidence: { reason: 'fraudulent', fraudulent: { explanation: '' } },
        metadata: { ticket: 'T-1' },
      },
      on,
    );
    await stripe.issuing.disputes.update(
      dispute.id,
      { amount: 600, evidence: { reason: 'fraudulent', fraudulent: { explanation: 'Card was stolen before this purchase.' } } },
      on,
    );
    await stripe.issuing.disputes.submit(dispute.id, { metadata: { submitted_by: 'ops' } }, on);
    await stripe.issuing.disputes.retrieve(dispute.id, {}, on);
    await stripe.issuing.disputes.list({ status: 'submitted', limit: 3 }, on);

    const events = await stripe.events.list({ types: ['issuing_card.created', 'issuing_card.updated'], limit: 20 }, on);
    await stripe.events.retrieve(events.data[0].id, {}, on);

    await stripe.issuing.cards.update(virtual.id, { status: 'canceled', cancellation_reason: 'lost' }, on);
    for (const card of [physical, failing]) await stripe.issuing.cards.update(card.id, { status: 'canceled' }, on);
    const spare = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'] }, on);
    await stripe.treasury.financialAccounts.close(spare.id, {}, on);
    await stripe.issuing.cardholders.update(cardholder.id, { status: 'inactive' }, on);
    await stripe.webhookEndpoints.del(endpoint.id);

    const recorded = h.emulator.requests();
    const exercised = new Set(recorded.filter((r) => r.status >= 200 && r.status < 300).map((r) => r.operation));
    expect(
      SERVED_OPERATIONS.filter((operation) => !exercised.has(operation)),
      'served operations never exercised successfully',
    ).to.deep.equal([]);
    const replayed = await replayAgainstStripeMock(recorded);
    expect(replayed).to.be.greaterThan(SERVED_OPERATIONS.length);
  });
});

/** The deprecated approve/decline endpoints answer while the real-time request is pending. */
async function approveAndDeclineWhilePending(
  stripe: Stripe,
  endpointId: string,
  cardId: string,
  on: { stripeAccount: string },
): Promise<void> {
  const answered: Array<Promise<unknown>> = [];
  const listener = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        data: { object: { id: string; pending_request: { amount: number } } };
      };
      const id = event.data.object.id;
      const decide =
        answered.length === 0
          ? stripe.issuing.authorizations.approve(id, { amount: 50, metadata: { by: 'api' } }, on)
          : stripe.issuing.authorizations.decline(id, {}, on);
      answered.push(decide);
      void decide.finally(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  try {
    await stripe.webhookEndpoints.update(endpointId, { url: `http://127.0.0.1:${(listener.address() as { port: number }).port}/decide` });
    const approved = await stripe.testHelpers.issuing.authorizations.create(
      { card: cardId, amount: 100, is_amount_controllable: true, merchant_data: { category: 'taxicabs_limousines' } },
      on,
    );
    const declined = await stripe.testHelpers.issuing.authorizations.create(
      { card: cardId, amount: 100, merchant_data: { category: 'taxicabs_limousines' } },
      on,
    );
    await Promise.all(answered);
    expect([approved.approved, approved.amount, declined.approved]).to.deep.equal([true, 50, false]);
    await stripe.testHelpers.issuing.authorizations.reverse(approved.id, {}, on);
  } finally {
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  }
}
