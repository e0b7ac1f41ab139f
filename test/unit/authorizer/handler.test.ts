import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import Stripe from 'stripe';
import { type AuthorizerOptions, type HandledRequest, handleRequest, replayRetentionMs } from '../../../authorizer/handler';
import { RecentEventIds } from '../../../authorizer/replay';
import {
  authorizationEvent,
  CARD_CVC,
  CARD_NUMBER,
  type EventOptions,
  fixtureRules,
  SECRET,
  signedRequest,
} from '../../../testbed/authorization-events';

function options(overrides: Partial<AuthorizerOptions> = {}): AuthorizerOptions {
  return {
    secret: SECRET,
    rules: fixtureRules({ cards: { 'travel-card': { maxAmount: 5000, blockedCountries: ['RU'] } } }),
    stripeVersion: Stripe.API_VERSION,
    recentEvents: new RecentEventIds(replayRetentionMs()),
    ...overrides,
  };
}

function send(event: EventOptions, overrides: Partial<AuthorizerOptions> = {}): HandledRequest {
  const payload = JSON.stringify(authorizationEvent({ cardName: 'travel-card', ...event }));
  return handleRequest(signedRequest(payload), options(overrides));
}

/** A signed request answered with a decline (HTTP 200) it could not read the authorization for, logged with why. */
function expectDeclinedUnread(result: HandledRequest, error: string | RegExp): void {
  expect([result.status, JSON.parse(result.body)]).to.deep.equal([200, { approved: false }]);
  expect(result.headers['Stripe-Version']).to.equal(Stripe.API_VERSION);
  expect(result.log).to.include({ event: 'authorization_declined_unread', approved: false, reason: 'unreadable_request' });
  const logged = (result.log as { error: string }).error;
  if (typeof error === 'string') expect(logged).to.equal(error);
  else expect(logged).to.match(error);
}

function expectRejected(result: HandledRequest, error: string | RegExp): void {
  expect(result.status).to.equal(400);
  expect(result.log.event).to.equal('request_rejected');
  const body = JSON.parse(result.body) as { error: string };
  if (typeof error === 'string') expect(body.error).to.equal(error);
  else expect(body.error).to.match(error);
}

describe('authorizer handleRequest()', () => {
  describe('answers a validly signed authorization request as Stripe requires', () => {
    it('approves with HTTP 200, the Stripe-Version header and {approved: true}', () => {
      const result = send({ amount: 1200 });
      expect(result.status).to.equal(200);
      expect(result.headers).to.deep.equal({ 'Stripe-Version': Stripe.API_VERSION, 'Content-Type': 'application/json' });
      expect(JSON.parse(result.body)).to.deep.equal({ approved: true });
    });

    it('declines with {approved: false} and no amount', () => {
      const result = send({ country: 'RU' });
      expect(result.status).to.equal(200);
      expect(JSON.parse(result.body)).to.deep.equal({ approved: false });
      expect(result.log).to.include({ approved: false, reason: 'country_blocked', source: 'card:travel-card' });
    });

    it('adds amount only when the request is amount-controllable and the amount is lowered', () => {
      expect(JSON.parse(send({ amount: 9000, amountControllable: true }).body)).to.deep.equal({ approved: true, amount: 5000 });
      expect(JSON.parse(send({ amount: 9000, amountControllable: false }).body)).to.deep.equal({ approved: false });
      expect(JSON.parse(send({ amount: 100, amountControllable: true }).body)).to.deep.equal({ approved: true });
    });

    it('echoes the configured Stripe-Version', () => {
      expect(send({}, { stripeVersion: '2025-01-27.acacia' }).headers['Stripe-Version']).to.equal('2025-01-27.acacia');
    });

    it('finds the signature header whatever its case', () => {
      const payload = JSON.stringify(authorizationEvent({ cardName: 'travel-card' }));
      const { headers, body } = signedRequest(payload);
      const result = handleRequest({ body: Buffer.from(body), headers: { 'Stripe-Signature': headers['stripe-signature'] } }, options());
      expect(result.status).to.equal(200);
    });
  });

  describe('logs each decision without card data', () => {
    it('logs authorization id, decision, reason, amounts and merchant category/country only', () => {
      const result = send({ authorizationId: 'iauth_logged', amount: 9000, amountControllable: true, category: 'airlines_air_carriers' });
      expect(result.log).to.deep.include({
        event: 'authorization_decided',
        authorization: 'iauth_logged',
        approved: true,
        reason: 'amount_lowered_to_max',
        source: 'card:travel-card',
        amount: 9000,
        heldAmount: 0,
        approvedAmount: 5000,
        currency: 'usd',
        merchantCategory: 'airlines_air_carriers',
        merchantCountry: 'US',
      });
      expect(result.log.elapsedMs).to.be.a('number');
      for (const output of [JSON.stringify(result.log), result.body]) {
        expect(output).not.to.contain(CARD_NUMBER);
        expect(output).not.to.contain(CARD_CVC);
        expect(output).not.to.contain('ic_fixture');
        expect(output).not.to.contain('Jenny Rosen');
      }
    });

    it('never puts the secret, the signature or the body into a rejection', () => {
      const payload = JSON.stringify(authorizationEvent());
      const request = signedRequest(payload, { secret: 'whsec_some_other_secret' });
      const result = handleRequest(request, options());
      const output = JSON.stringify(result);
      expect(output).not.to.contain(SECRET);
      expect(output).not.to.contain(request.headers['stripe-signature']);
      expect(output).not.to.contain(CARD_NUMBER);
    });
  });

  describe('rejects requests that are not authentic, fresh and new with a clear 400', () => {
    it('rejects a request without a Stripe-Signature header', () => {
      const payload = JSON.stringify(authorizationEvent());
      expectRejected(handleRequest({ body: payload, headers: {} }, options()), 'missing Stripe-Signature header');
    });

    it('rejects a signature made with another secret (forged)', () => {
      const request = signedRequest(JSON.stringify(authorizationEvent()), { secret: 'whsec_forged' });
      expectRejected(handleRequest(request, options()), /^Stripe-Signature rejected: No signatures found matching the expected signature/);
    });

    it('rejects a body altered after signing', () => {
      const request = signedRequest(JSON.stringify(authorizationEvent({ amount: 100 })));
      const tampered = { ...request, body: request.body.replace('"amount":100', '"amount":1') };
      expectRejected(handleRequest(tampered, options()), /^Stripe-Signature rejected: No signatures found matching/);
    });

    it('rejects a garbled signature header', () => {
      const payload = JSON.stringify(authorizationEvent());
      expectRejected(
        handleRequest({ body: payload, headers: { 'stripe-signature': 'garbage' } }, options()),
        'Stripe-Signature rejected: Unable to extract timestamp and signatures from header',
      );
    });

    it('rejects a signature older than the tolerance (stale) and accepts one just inside it', () => {
      const payload = () => JSON.stringify(authorizationEvent());
      expectRejected(
        handleRequest(signedRequest(payload(), { secondsAgo: 301 }), options()),
        'Stripe-Signature rejected: Timestamp outside the tolerance zone',
      );
      expect(handleRequest(signedRequest(payload(), { secondsAgo: 290 }), options()).status).to.equal(200);
      expectRejected(
        handleRequest(signedRequest(payload(), { secondsAgo: 31 }), options({ toleranceSeconds: 30 })),
        'Stripe-Signature rejected: Timestamp outside the tolerance zone',
      );
    });

    it('rejects a signature timestamped beyond the tolerance in the future', () => {
      expectRejected(
        handleRequest(signedRequest(JSON.stringify(authorizationEvent()), { secondsAgo: -400 }), options()),
        'Stripe-Signature rejected: timestamp is more than 300 s in the future',
      );
    });

    it('reads the timestamp as stripe-node does: a leading t= cannot hide a future one', () => {
      const payload = JSON.stringify(authorizationEvent({ cardName: 'travel-card' }));
      const now = Math.floor(Date.now() / 1000);
      const future = now + 400;
      // stripe-node verifies the last t= (the future one); a check reading the first would see "now".
      const v1 = createHmac('sha256', SECRET).update(`${future}.${payload}`).digest('hex');
      const result = handleRequest({ body: payload, headers: { 'stripe-signature': `t=${now},t=${future},v1=${v1}` } }, options());
      expectRejected(result, 'Stripe-Signature rejected: timestamp is more than 300 s in the future');
    });

    it('marks a signature that does not verify with the secret, so that an adapter may re-read it', () => {
      const forged = handleRequest(signedRequest(JSON.stringify(authorizationEvent()), { secret: 'whsec_rolled' }), options());
      expect(forged.signatureRejected).to.equal(true);
      expect(handleRequest({ body: '{}', headers: {} }, options()).signatureRejected).to.not.equal(true);
    });

    it('rejects a replayed event id, even re-signed with a new timestamp', () => {
      const shared = options();
      const payload = JSON.stringify(authorizationEvent({ eventId: 'evt_replayed', cardName: 'travel-card' }));
      expect(handleRequest(signedRequest(payload), shared).status).to.equal(200);
      expectRejected(
        handleRequest(signedRequest(payload), shared),
        'event evt_replayed was already received: replayed requests are refused',
      );
      expectRejected(handleRequest(signedRequest(payload, { secondsAgo: 5 }), shared), /already received/);
    });

    it('does not let a forged request with a known event id poison the replay guard', () => {
      const shared = options();
      const payload = JSON.stringify(authorizationEvent({ eventId: 'evt_target' }));
      expectRejected(handleRequest(signedRequest(payload, { secret: 'whsec_forged' }), shared), /No signatures found/);
      expect(handleRequest(signedRequest(payload), shared).status).to.equal(200);
    });
  });

  describe('decides every signed request: kill switch first, unreadable bodies declined (200) and logged', () => {
    it('declines under the stack kill switch before reading the body', () => {
      const result = handleRequest(signedRequest('not even JSON'), options({ rules: fixtureRules({ killSwitch: true }) }));
      expect([result.status, JSON.parse(result.body)]).to.deep.equal([200, { approved: false }]);
      expect(result.log).to.include({ event: 'authorization_declined_unread', reason: 'kill_switch' });
    });

    it('still refuses an unsigned empty body with a 400', () => {
      expectRejected(handleRequest(signedRequest(''), options()), 'Stripe-Signature rejected: No webhook payload was provided.');
    });

    const cases: Array<[string, string, string | RegExp]> = [
      ['a body that is not JSON', 'approved=true&amount=1', 'body is not valid JSON'],
      ['truncated JSON', '{"id":"evt_1","type":"issuing_authorization.request","data":{', 'body is not valid JSON'],
      ['a JSON array', '[1,2,3]', 'body is not a Stripe event: expected an object with `id`, `type` and `data`'],
      ['JSON null', 'null', 'body is not a Stripe event: expected an object with `id`, `type` and `data`'],
      ['an event without data', '{"id":"evt_nodata","type":"issuing_authorization.request"}', /^body is not a Stripe event/],
      [
        'another event type',
        JSON.stringify({ id: 'evt_other', type: 'issuing_card.created', data: { object: {} } }),
        'unsupported event type "issuing_card.created": this endpoint answers only issuing_authorization.request',
      ],
      [
        'a thin (v2) event notification',
        JSON.stringify({ id: 'evt_thin', object: 'v2.core.event', type: 'v1.issuing_authorization.request' }),
        /^body is not a Stripe event/,
      ],
    ];
    for (const [name, payload, error] of cases) {
      it(`declines ${name}`, () => {
        expectDeclinedUnread(handleRequest(signedRequest(payload), options()), error);
      });
    }

    const fieldCases: Array<[string, (object: Record<string, any>) => void, string]> = [
      [
        'no pending_request',
        (o) => {
          o.pending_request = null;
        },
        'data.object.pending_request is null: the authorization has already been decided',
      ],
      [
        'a fractional amount',
        (o) => {
          o.pending_request.amount = 12.5;
        },
        'data.object.pending_request.amount: expected a whole number of minor currency units',
      ],
      // Fail closed: without what is held already, the total after the request cannot be known.
      [
        'no amount held',
        (o) => {
          delete o.amount;
        },
        'data.object.amount: expected a whole number of minor currency units',
      ],
      [
        'no request_history',
        (o) => {
          delete o.request_history;
        },
        'data.object.request_history: expected a list',
      ],
      [
        'a request_history entry without its amount',
        (o) => {
          o.request_history = [{ approved: true }];
        },
        'data.object.request_history[0].amount: expected a whole number of minor currency units',
      ],
      [
        'a request_history entry without approved',
        (o) => {
          o.request_history = [{ amount: 100 }];
        },
        'data.object.request_history[0].approved: expected true or false',
      ],
      [
        'a pending request in another currency than the authorization',
        (o) => {
          o.pending_request.currency = 'eur';
        },
        "data.object.pending_request.currency: eur is not the authorization's currency usd",
      ],
      [
        'no is_amount_controllable',
        (o) => {
          delete o.pending_request.is_amount_controllable;
        },
        'data.object.pending_request.is_amount_controllable: expected true or false',
      ],
      [
        'no merchant category',
        (o) => {
          delete o.merchant_data.category;
        },
        'data.object.merchant_data.category: expected a non-empty string',
      ],
      [
        'a numeric merchant country',
        (o) => {
          o.merchant_data.country = 840;
        },
        'data.object.merchant_data.country: expected a country code or null',
      ],
      [
        'no card',
        (o) => {
          delete o.card;
        },
        'data.object.card: expected an object',
      ],
      [
        'no id',
        (o) => {
          delete o.id;
        },
        'data.object.id: expected a non-empty string',
      ],
    ];
    for (const [name, mutate, error] of fieldCases) {
      it(`declines an authorization with ${name}`, () => {
        const event = authorizationEvent() as { data: { object: Record<string, unknown> } };
        mutate(event.data.object);
        expectDeclinedUnread(handleRequest(signedRequest(JSON.stringify(event)), options()), error);
      });
    }

    it('survives deeply nested and binary garbage bodies', () => {
      const nested = '['.repeat(100_000) + ']'.repeat(100_000);
      expectDeclinedUnread(handleRequest(signedRequest(nested), options()), /^body is not a Stripe event|^body is not valid JSON/);
      const binary = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 256));
      const signature = Stripe.webhooks.generateTestHeaderString({ payload: binary.toString('utf8'), secret: SECRET });
      expectDeclinedUnread(
        handleRequest({ body: binary, headers: { 'stripe-signature': signature } }, options()),
        'body is not valid JSON',
      );
    });
  });
});
