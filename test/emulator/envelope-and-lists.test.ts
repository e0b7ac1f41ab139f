// Rule 4: error envelope, status codes and request-id; authentication; pagination and filters; expand;
// the Stripe-Version header recorded.

import * as http from 'node:http';
import { expect } from 'chai';
import Stripe from 'stripe';
import { activeCardholder, clientFor, onboardedAccount } from '../../testbed/stripe-objects';
import { stripeError, useEmulator } from './harness';

function rawGet(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      })
      .on('error', reject);
  });
}

describe('emulator: errors, lists, expand and headers', () => {
  const h = useEmulator();
  let account: string;
  const on = () => ({ stripeAccount: account });

  before(async () => {
    account = await onboardedAccount(h.stripe);
  });

  it("answers errors in Stripe's envelope with a request-id header", async () => {
    const response = await rawGet(h.emulator.port, '/v1/issuing/cards/ic_nope', {
      authorization: 'Bearer sk_test_x',
      'stripe-account': account,
    });
    expect(response.status).to.equal(404);
    expect(response.headers['request-id']).to.match(/^req_[A-Za-z0-9]{14}$/);
    expect(response.body).to.deep.equal({
      error: {
        type: 'invalid_request_error',
        code: 'resource_missing',
        doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
        message: "No such issuing card: 'ic_nope'",
        param: 'card',
        request_log_url: `https://dashboard.stripe.com/test/logs/${response.headers['request-id']}`,
      },
    });
    const error = await stripeError(h.stripe.issuing.cards.retrieve('ic_nope', {}, on()));
    expect(error.requestId).to.match(/^req_/);
  });

  it('accepts any sk_test_ key and refuses others with 401', async () => {
    expect((await clientFor(h.emulator, 'sk_test_another_key').accounts.list()).object).to.equal('list');
    const live = await stripeError(clientFor(h.emulator, 'sk_live_nope').accounts.list());
    expect([live.type, live.statusCode]).to.deep.equal(['StripeAuthenticationError', 401]);
    expect(live.message).not.to.include('sk_live_nope');
    const none = await rawGet(h.emulator.port, '/v1/accounts', {});
    expect([none.status, none.body.error.message]).to.deep.equal([
      401,
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    ]);
  });

  it('answers unknown URLs with 404 like Stripe', async () => {
    const response = await rawGet(h.emulator.port, '/v1/charges', { authorization: 'Bearer sk_test_x' });
    expect([response.status, response.body.error.message]).to.deep.equal([
      404,
      'Unrecognized request URL (GET: /v1/charges). The emulator serves only the Stripe endpoints this project uses.',
    ]);
  });

  it('paginates newest first with limit, starting_after, ending_before and has_more', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await activeCardholder(h.stripe, account, { email: `p${i}@example.com` })).id);
    const newest = [...created].reverse();
    const page1 = await h.stripe.issuing.cardholders.list({ limit: 2 }, on());
    expect([page1.data.map((c) => c.id), page1.has_more, page1.url]).to.deep.equal([newest.slice(0, 2), true, '/v1/issuing/cardholders']);
    const page2 = await h.stripe.issuing.cardholders.list({ limit: 2, starting_after: newest[1] }, on());
    expect(page2.data.map((c) => c.id)).to.deep.equal(newest.slice(2, 4));
    const back = await h.stripe.issuing.cardholders.list({ limit: 2, ending_before: newest[2] }, on());
    expect([back.data.map((c) => c.id), back.has_more]).to.deep.equal([newest.slice(0, 2), false]);
    const all = await h.stripe.issuing.cardholders.list({ limit: 2 }, on()).autoPagingToArray({ limit: 100 });
    expect(all.map((c) => c.id).filter((id) => created.includes(id))).to.deep.equal(newest);
    expect((await stripeError(h.stripe.issuing.cardholders.list({ limit: 101 }, on()))).param).to.equal('limit');
    const filtered = await h.stripe.issuing.cardholders.list({ email: 'p3@example.com' }, on());
    expect(filtered.data.map((c) => c.id)).to.deep.equal([created[3]]);
  });

  it('expands ids into objects on request, also inside lists', async () => {
    const cardholder = await activeCardholder(h.stripe, account);
    const card = await h.stripe.issuing.cards.create(
      { cardholder: cardholder.id, currency: 'usd', type: 'virtual', status: 'active' },
      on(),
    );
    const authorization = await h.stripe.testHelpers.issuing.authorizations.create({ card: card.id, amount: 100 }, on());
    expect(authorization.cardholder).to.equal(cardholder.id);
    const expanded = await h.stripe.issuing.authorizations.retrieve(authorization.id, { expand: ['cardholder'] }, on());
    expect((expanded.cardholder as Stripe.Issuing.Cardholder).name).to.equal('Jenny Rosen');
    const list = await h.stripe.issuing.authorizations.list({ card: card.id, expand: ['data.cardholder'] }, on());
    expect((list.data[0].cardholder as Stripe.Issuing.Cardholder).id).to.equal(cardholder.id);
    const bad = await stripeError(h.stripe.issuing.authorizations.retrieve(authorization.id, { expand: ['merchant_data.name'] }, on()));
    expect([bad.param, bad.message]).to.deep.equal(['expand', 'This property cannot be expanded (merchant_data.name).']);
  });

  it('records every request with its Stripe-Version, account, idempotency key and status', async () => {
    const pinned = new Stripe('sk_test_x', {
      host: '127.0.0.1',
      port: h.emulator.port,
      protocol: 'http',
      apiVersion: '2026-10-28.endive' as Stripe.LatestApiVersion,
      maxNetworkRetries: 0,
    });
    const cardholder = await pinned.issuing.cardholders.create(
      { name: 'Recorded Person', billing: { address: { line1: '1 Main St', city: 'SF', postal_code: '94103', country: 'US' } } },
      on(),
    );
    const recorded = h.emulator.requests().find((r) => r.method === 'POST' && r.params.name === 'Recorded Person');
    expect(recorded).to.include({
      path: '/v1/issuing/cardholders',
      stripeAccount: account,
      stripeVersion: '2026-10-28.endive',
      status: 200,
      operation: 'POST /v1/issuing/cardholders',
    });
    expect(recorded?.idempotencyKey).to.be.a('string');
    expect(recorded?.params).to.deep.include({ name: 'Recorded Person' });
    expect(cardholder.lastResponse.headers['stripe-version']).to.equal('2026-10-28.endive');
  });
});

describe('emulator: malformed requests', () => {
  const h = useEmulator();

  it('answers a body that is not valid form encoding with a 400, not a crash', async () => {
    const response = await new Promise<{ status: number; body: any }>((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port: h.emulator.port,
          method: 'POST',
          path: '/v1/webhook_endpoints',
          headers: { authorization: 'Bearer sk_test_x', 'content-type': 'application/x-www-form-urlencoded' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
        },
      );
      request.on('error', reject);
      request.end('url=%zz');
    });
    expect([response.status, response.body.error.message]).to.deep.equal([
      400,
      "Invalid form encoding: '%zz' is not valid percent-encoding.",
    ]);
  });
});
