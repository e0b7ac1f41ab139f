// Rule 5: events and webhooks — signed deliveries verifiable with stripe.webhooks.constructEvent,
// Connect routing, and the synchronous issuing_authorization.request decision within 2 s.
import { expect } from 'chai';
import type Stripe from 'stripe';
import { activeCardholder, BILLING, onboardedAccount } from '../../testbed/stripe-objects';
import { startWebhookReceiver, useEmulator, type WebhookReceiver } from './harness';

describe('emulator: events and webhooks', () => {
  const h = useEmulator();
  const receivers: WebhookReceiver[] = [];
  const endpoints: string[] = [];

  async function receiver(answer?: Parameters<typeof startWebhookReceiver>[0]): Promise<WebhookReceiver> {
    const started = await startWebhookReceiver(answer);
    receivers.push(started);
    return started;
  }

  async function endpoint(
    params: Stripe.WebhookEndpointCreateParams,
    options: Stripe.RequestOptions = {},
  ): Promise<Stripe.WebhookEndpoint> {
    const created = await h.stripe.webhookEndpoints.create(params, options);
    endpoints.push(created.id);
    return created;
  }

  afterEach(async () => {
    for (const id of endpoints.splice(0)) await h.stripe.webhookEndpoints.del(id).catch(() => undefined);
    await h.emulator.settleWebhooks();
    for (const r of receivers.splice(0)) await r.close();
  });

  it('delivers platform events signed like Stripe, and returns the secret only on create', async () => {
    const target = await receiver();
    const created = await endpoint({ url: target.url, enabled_events: ['issuing_cardholder.created'] });
    expect(created.secret).to.match(/^whsec_/);
    expect((await h.stripe.webhookEndpoints.retrieve(created.id)).secret).to.equal(undefined);
    const cardholder = await h.stripe.issuing.cardholders.create({ name: 'Platform Person', billing: BILLING });
    await h.emulator.settleWebhooks();
    expect(target.received).to.have.length(1);
    const event = h.stripe.webhooks.constructEvent(target.received[0].payload, target.received[0].signature, created.secret!);
    expect([event.type, (event.data.object as Stripe.Issuing.Cardholder).id, event.account]).to.deep.equal([
      'issuing_cardholder.created',
      cardholder.id,
      undefined,
    ]);
    const listed = await h.stripe.events.list({ type: 'issuing_cardholder.created' });
    expect(listed.data[0].id).to.equal(event.id);
  });

  it("sends connected-account events to Connect endpoints with `account` set, and to that account's own endpoints", async () => {
    const account = await onboardedAccount(h.stripe);
    const connect = await receiver();
    const platformOnly = await receiver();
    const own = await receiver();
    const connectEndpoint = await endpoint({ url: connect.url, enabled_events: ['*'], connect: true });
    await endpoint({ url: platformOnly.url, enabled_events: ['*'] });
    await endpoint({ url: own.url, enabled_events: ['issuing_card.created'] }, { stripeAccount: account });
    const cardholder = await activeCardholder(h.stripe, account);
    await h.stripe.issuing.cards.create({ cardholder: cardholder.id, currency: 'usd', type: 'virtual' }, { stripeAccount: account });
    await h.emulator.settleWebhooks();
    const connectEvents = connect.received.map((r) => h.stripe.webhooks.constructEvent(r.payload, r.signature, connectEndpoint.secret!));
    expect(connectEvents.map((e) => e.type)).to.deep.equal(['issuing_cardholder.created', 'issuing_card.created']);
    expect(connectEvents.every((e) => e.account === account)).to.equal(true);
    expect(platformOnly.received).to.have.length(0);
    expect(own.received.map((r) => JSON.parse(r.payload).type)).to.deep.equal(['issuing_card.created']);
  });

  it('skips disabled endpoints and refuses non-loopback URLs quietly, recording the refusal', async () => {
    const quiet = await receiver();
    const disabled = await endpoint({ url: quiet.url, enabled_events: ['*'] });
    await h.stripe.webhookEndpoints.update(disabled.id, { disabled: true });
    const remote = await endpoint({ url: 'https://hooks.example.com/stripe', enabled_events: ['issuing_cardholder.created'] });
    const cardholder = await h.stripe.issuing.cardholders.create({ name: 'Quiet Person', billing: BILLING });
    await h.emulator.settleWebhooks();
    expect(quiet.received).to.have.length(0);
    const refusal = h.emulator.webhookDeliveries().find((d) => d.endpointId === remote.id);
    expect(refusal).to.include({ outcome: 'refused', url: 'https://hooks.example.com/stripe', eventType: 'issuing_cardholder.created' });
    expect(cardholder.id).to.match(/^ich_/);
  });

  describe('real-time authorizations (issuing_authorization.request)', () => {
    let account: string;
    let card: Stripe.Issuing.Card;

    beforeEach(async () => {
      account = await onboardedAccount(h.stripe);
      const cardholder = await activeCardholder(h.stripe, account);
      card = await h.stripe.issuing.cards.create(
        { cardholder: cardholder.id, currency: 'usd', type: 'virtual', status: 'active' },
        { stripeAccount: account },
      );
    });

    async function decideWith(answer: Parameters<typeof startWebhookReceiver>[0], amount = 1_000, isAmountControllable = false) {
      const decider = await receiver(answer);
      const created = await endpoint({ url: decider.url, enabled_events: ['issuing_authorization.request'], connect: true });
      const authorization = await h.stripe.testHelpers.issuing.authorizations.create(
        { card: card.id, amount, is_amount_controllable: isAmountControllable },
        { stripeAccount: account },
      );
      return { authorization, decider, secret: created.secret! };
    }

    const json =
      (body: unknown, status = 200) =>
      (_payload: string, res: import('http').ServerResponse) => {
        res.writeHead(status, { 'content-type': 'application/json', 'stripe-version': '2026-10-28.endive' });
        res.end(JSON.stringify(body));
      };

    it('approves when the endpoint answers approved: true, applying amount and metadata', async () => {
      const { authorization, decider, secret } = await decideWith(
        json({ approved: true, amount: 600, metadata: { rule: 'partial' } }),
        1_000,
        true,
      );
      expect([authorization.approved, authorization.amount, authorization.request_history[0].reason, authorization.metadata]).to.deep.equal(
        [true, 600, 'webhook_approved', { rule: 'partial' }],
      );
      const request = h.stripe.webhooks.constructEvent(decider.received[0].payload, decider.received[0].signature, secret);
      const pending = request.data.object as Stripe.Issuing.Authorization;
      expect([request.type, request.account, pending.pending_request?.amount, pending.status]).to.deep.equal([
        'issuing_authorization.request',
        account,
        1_000,
        'pending',
      ]);
    });

    it('declines with webhook_declined when the endpoint answers approved: false', async () => {
      const { authorization } = await decideWith(json({ approved: false }));
      expect([authorization.approved, authorization.status, authorization.request_history[0].reason]).to.deep.equal([
        false,
        'closed',
        'webhook_declined',
      ]);
    });

    it('declines with webhook_timeout when no answer comes within 2 seconds', async () => {
      const started = Date.now();
      const { authorization } = await decideWith((_payload, res) => setTimeout(() => res.end('{"approved":true}'), 2_500));
      expect(authorization.request_history[0].reason).to.equal('webhook_timeout');
      expect(Date.now() - started).to.be.within(1_900, 2_450);
    });

    it('declines with webhook_error on an error status or a body that is not a decision', async () => {
      expect((await decideWith(json({ approved: true }, 500))).authorization.request_history[0].reason).to.equal('webhook_error');
      await h.stripe.webhookEndpoints.del(endpoints.pop()!);
      expect((await decideWith((_p, res) => res.end('not json'))).authorization.request_history[0].reason).to.equal('webhook_error');
    });

    // Issuing real-time authorizations, "Webhook response": Return 200; Stripe-Version header required.
    it('counts an answer only as a 200 with a Stripe-Version header; otherwise declines with webhook_error', async () => {
      const withHeaders = (status: number, headers: Record<string, string>) => (_payload: string, res: import('http').ServerResponse) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify({ approved: true }));
      };
      const noVersion = await decideWith(withHeaders(200, {}));
      expect([noVersion.authorization.approved, noVersion.authorization.request_history[0].reason]).to.deep.equal([false, 'webhook_error']);
      await h.stripe.webhookEndpoints.del(endpoints.pop()!);
      const accepted = await decideWith(withHeaders(202, { 'stripe-version': '2026-10-28.endive' }));
      expect(accepted.authorization.request_history[0].reason).to.equal('webhook_error');
      await h.stripe.webhookEndpoints.del(endpoints.pop()!);
      const counted = await decideWith(withHeaders(200, { 'stripe-version': '2026-10-28.endive' }));
      expect([counted.authorization.approved, counted.authorization.request_history[0].reason]).to.deep.equal([true, 'webhook_approved']);
      const log = h.emulator
        .webhookDeliveries()
        .filter((d) => d.eventType === 'issuing_authorization.request')
        .slice(-3);
      expect(log.map((d) => [d.outcome, d.status, d.error])).to.deep.equal([
        ['failed', 200, 'HTTP 200 without a Stripe-Version header: a decision needs one'],
        ['failed', 202, 'HTTP 202: a decision counts only as a 200'],
        ['delivered', 200, null],
      ]);
    });

    it('does not ask the platform when Stripe declines first', async () => {
      await h.stripe.issuing.cards.update(card.id, { status: 'inactive' }, { stripeAccount: account });
      const { authorization, decider } = await decideWith(json({ approved: true }));
      expect([authorization.request_history[0].reason, decider.received.length]).to.deep.equal(['card_inactive', 0]);
    });
  });
});
