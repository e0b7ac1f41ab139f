// A realistic `issuing_authorization.request` event (shape of stripe-node 23's Issuing.Authorization)
// and signing helpers built on the real `stripe` package, for the authorizer's tests and benchmark.
import Stripe from 'stripe';
import type { RuleSet } from '../authorizer/types';

export const SECRET = 'whsec_test_authorizer_unit_secret';
// Sentinels planted in the card object: they must never surface in answers or log lines.
export const CARD_NUMBER = '4000009990000001';
export const CARD_CVC = '987';

export interface EventOptions {
  eventId?: string;
  authorizationId?: string;
  /** `pending_request.amount`: what the request adds to the hold (for an increment, the increment). */
  amount?: number;
  /** `pending_request.merchant_amount` and `merchant_currency`, when the merchant charges in another currency. */
  merchantAmount?: { amount: number; currency: string };
  /** An increment: the authorization's `amount` now, and its earlier requests (default: a first request, 0 and none). */
  held?: { amount: number; history: Array<{ amount: number; approved: boolean }> };
  amountControllable?: boolean;
  category?: string;
  country?: string | null;
  cardName?: string;
  cardholderName?: string;
  /** `pulumi_stack` of the card and cardholder (default FIXTURE_STACK); null: no such metadata. */
  stack?: string | null;
  /** The event's `account` (default FIXTURE_ACCOUNT); null: none. */
  account?: string | null;
}

export const FIXTURE_STACK = 'unit';
export const FIXTURE_ACCOUNT = 'acct_fixture';

/** Rules of stack FIXTURE_STACK declaring card `travel-card`, cardholder `jenny` and every named entry on FIXTURE_ACCOUNT. */
export function fixtureRules(parts: Partial<RuleSet> = {}): RuleSet {
  const onFixtureAccount = (names: string[]) => Object.fromEntries(names.map((name) => [name, FIXTURE_ACCOUNT]));
  return {
    stack: FIXTURE_STACK,
    unknownCards: 'decline',
    accounts: {
      cards: onFixtureAccount(['travel-card', ...Object.keys(parts.cards ?? {})]),
      cardholders: onFixtureAccount(['jenny', ...Object.keys(parts.cardholders ?? {})]),
    },
    cardholders: {},
    cards: {},
    ...parts,
  };
}

let sequence = 0;

export function authorizationEvent(options: EventOptions = {}): Record<string, unknown> {
  sequence += 1;
  const amount = options.amount ?? 1500;
  const stack = options.stack === undefined ? FIXTURE_STACK : options.stack;
  const labels = (name: string | undefined) => ({
    ...(name === undefined ? {} : { pulumi_name: name }),
    ...(name === undefined || stack === null ? {} : { pulumi_stack: stack }),
  });
  const cardholder = {
    id: 'ich_fixture',
    object: 'issuing.cardholder',
    name: 'Jenny Rosen',
    email: 'jenny@example.com',
    metadata: labels(options.cardholderName),
  };
  const card = {
    id: 'ic_fixture',
    object: 'issuing.card',
    brand: 'Visa',
    last4: CARD_NUMBER.slice(-4),
    exp_month: 12,
    exp_year: 2030,
    number: CARD_NUMBER,
    cvc: CARD_CVC,
    cardholder,
    metadata: labels(options.cardName),
    status: 'active',
  };
  return {
    id: options.eventId ?? `evt_fixture_${sequence}_${Date.now()}`,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type: 'issuing_authorization.request',
    ...(options.account === null ? {} : { account: options.account ?? FIXTURE_ACCOUNT }),
    data: {
      object: {
        id: options.authorizationId ?? `iauth_fixture_${sequence}`,
        object: 'issuing.authorization',
        amount: options.held?.amount ?? 0,
        approved: (options.held?.history ?? []).some((request) => request.approved),
        authorization_method: 'online',
        card,
        cardholder: cardholder.id,
        currency: 'usd',
        livemode: false,
        merchant_amount: 0,
        merchant_currency: 'usd',
        merchant_data: {
          category: options.category ?? 'taxicabs_limousines',
          category_code: '4121',
          city: 'San Francisco',
          country: options.country === undefined ? 'US' : options.country,
          name: 'Rocket Rides',
          network_id: '1234567890',
          postal_code: '94107',
          state: 'CA',
        },
        metadata: {},
        pending_request: {
          amount,
          amount_details: null,
          currency: 'usd',
          is_amount_controllable: options.amountControllable ?? false,
          merchant_amount: options.merchantAmount?.amount ?? amount,
          merchant_currency: options.merchantAmount?.currency ?? 'usd',
          network_risk_score: null,
        },
        request_history: (options.held?.history ?? []).map((request) => ({
          ...request,
          amount_details: null,
          authorization_code: request.approved ? 'S498162' : null,
          created: Math.floor(Date.now() / 1000),
          currency: 'usd',
          merchant_amount: request.amount,
          merchant_currency: 'usd',
          network_risk_score: null,
          reason: request.approved ? 'webhook_approved' : 'webhook_declined',
          reason_message: null,
          requested_at: Math.floor(Date.now() / 1000),
        })),
        status: 'pending',
        transactions: [],
      },
    },
  };
}

/** Signs `payload` as Stripe does; `secondsAgo` backdates the signature timestamp. */
export function signedRequest(payload: string, options: { secret?: string; secondsAgo?: number } = {}) {
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? SECRET,
    timestamp: Math.floor(Date.now() / 1000) - (options.secondsAgo ?? 0),
  });
  return { body: payload, headers: { 'stripe-signature': signature, 'content-type': 'application/json' } };
}
