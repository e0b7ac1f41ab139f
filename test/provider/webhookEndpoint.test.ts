import { expect } from 'chai';
import type Stripe from 'stripe';
import type { Emulator } from '../../emulator';
import { webhookEndpointProvider } from '../../provider/resources/webhookEndpoint';
import {
  create,
  engine,
  expectAcceptedByStripeMock,
  hidden,
  type Managed,
  plan,
  refresh,
  startStripe,
  stopStripe,
  update,
} from './support';

/** The provider as the engine calls it. */
const provider = engine(webhookEndpointProvider);

const args = (name: string, extra: Record<string, unknown> = {}) => ({
  ...hidden(name),
  url: 'https://hooks.example.com/stripe',
  enabledEvents: ['issuing_authorization.request', 'issuing_card.updated'],
  connect: true,
  ...extra,
});

describe('WebhookEndpoint provider against the emulator', () => {
  let emulator: Emulator;
  let stripe: Stripe;

  before(async () => ({ emulator, stripe } = await startStripe()));
  after(() => stopStripe(emulator));

  it('creates a platform endpoint; the signing secret is an output kept across refresh', async () => {
    const endpoint = await create(provider, args('hook'));
    expect(endpoint.id).to.match(/^we_/);
    expect(endpoint.outs.secret).to.match(/^whsec_/);
    expect(endpoint.inputs).to.not.have.property('secret');
    const refreshed = (await refresh(provider, endpoint))!;
    expect(refreshed.outs.secret).to.equal(endpoint.outs.secret);
    expect(refreshed.inputs).to.deep.equal(endpoint.inputs);
    expect(await plan(provider, refreshed, args('hook'))).to.deep.equal({ changes: false, replaces: [] });
  });

  it('updates url and events in place; connect and apiVersion replace', async () => {
    let endpoint: Managed = await create(provider, args('mutable'));
    await stripe.webhookEndpoints.update(endpoint.id, { url: 'https://elsewhere.example.com/x' });
    endpoint = (await refresh(provider, endpoint))!;
    expect(endpoint.inputs.url).to.equal('https://elsewhere.example.com/x');
    const next = args('mutable', { enabledEvents: ['*'], description: 'all events' });
    expect(await plan(provider, endpoint, next)).to.deep.equal({ changes: true, replaces: [] });
    endpoint = await update(provider, endpoint, next);
    const stored = await stripe.webhookEndpoints.retrieve(endpoint.id);
    expect(stored).to.deep.include({ url: 'https://hooks.example.com/stripe', enabled_events: ['*'], description: 'all events' });
    expect(endpoint.outs.secret).to.match(/^whsec_/);
    expect((await plan(provider, endpoint, args('mutable', { connect: false, apiVersion: '2026-10-28.endive' }))).replaces).to.deep.equal([
      'connect',
      'apiVersion',
    ]);
  });

  it('a replayed create after the endpoint was deleted makes a new endpoint with a fresh secret', async () => {
    const first = await create(provider, args('phoenix'));
    await stripe.webhookEndpoints.del(first.id);
    expect(await refresh(provider, first)).to.equal(undefined);
    const second = await create(provider, args('phoenix'));
    expect(second.id).to.not.equal(first.id);
    expect(second.outs.secret).to.match(/^whsec_/);
  });

  it('destroy deletes the endpoint; deleting it again succeeds', async () => {
    const endpoint = await create(provider, args('doomed'));
    await provider.delete!(endpoint.id, endpoint.outs);
    let status = 0;
    try {
      await stripe.webhookEndpoints.retrieve(endpoint.id);
    } catch (error) {
      status = (error as { statusCode: number }).statusCode;
    }
    expect(status).to.equal(404);
    await provider.delete!(endpoint.id, endpoint.outs);
  });

  it("sent only requests that Stripe's stripe-mock also accepts", () => expectAcceptedByStripeMock(emulator));
});
