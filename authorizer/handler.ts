// The one request handler both adapters (local HTTP server, AWS Lambda function URL) call:
// verify the Stripe signature, refuse unsigned/stale/replayed requests with a clear 400, decide
// every signed one, and answer the way Stripe's real-time authorization webhook requires.
import { performance } from 'node:perf_hooks';
import Stripe from 'stripe';
import { type AuthorizationRequest, readAuthorizationRequest } from './authorization';
import { type DecisionReason, decide } from './decide';
import type { RecentEventIds } from './replay';
import { isRecord } from './rule-set';
import { AUTHORIZATION_REQUEST_EVENT, type RuleSet } from './types';

export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface HttpRequest {
  /** The raw body exactly as received: the signature covers these bytes. */
  body: string | Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface AuthorizerOptions {
  /** The webhook endpoint's signing secret (`whsec_…`). */
  secret: string;
  rules: RuleSet;
  /** Sent back as the `Stripe-Version` header Stripe requires on the answer. */
  stripeVersion: string;
  /** Ids of events already answered; retain them at least 2 × tolerance (see `replayRetentionMs`). */
  recentEvents: RecentEventIds;
  toleranceSeconds?: number;
}

/** One log line per request. It never holds card data: only ids, amounts, merchant category and country. */
export type AuthorizerLogEntry =
  | {
      event: 'authorization_decided';
      authorization: string;
      approved: boolean;
      reason: DecisionReason;
      source?: string;
      /** `pending_request.amount`: what this request adds to the hold. */
      amount: number;
      /** What the authorization held before this request (see `AuthorizationRequest.heldAmount`). */
      heldAmount: number;
      approvedAmount?: number;
      currency: string;
      merchantCategory: string;
      merchantCountry: string | null;
      elapsedMs: number;
    }
  | {
      /** Signed by Stripe but declined before (kill switch) or without (unreadable) reading the authorization. */
      event: 'authorization_declined_unread';
      approved: false;
      reason: 'kill_switch' | 'unreadable_request';
      error?: string;
      elapsedMs: number;
    }
  | { event: 'request_rejected'; status: number; error: string; elapsedMs: number };

export interface HandledRequest extends HttpResponse {
  log: AuthorizerLogEntry;
  /** The signature did not verify with this secret: an adapter may re-read the secret and try once more. */
  signatureRejected?: boolean;
}

/** A signature may be `tolerance` old or, per our own check, `tolerance` ahead: remember ids that long. */
export function replayRetentionMs(toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): number {
  return 2 * toleranceSeconds * 1000;
}

const rejected = (message: string, elapsedMs: number, badSignature = false): HandledRequest => ({
  status: 400,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ error: message }),
  log: { event: 'request_rejected', status: 400, error: message, elapsedMs },
  ...(badSignature ? { signatureRejected: true } : {}),
});

/**
 * The 400 for a request that no signing secret could make valid: no body, no or a garbled
 * `Stripe-Signature` header, a timestamp outside the tolerance either way. Undefined when the request may
 * be Stripe's. It needs no secret, so an adapter calls it before any work (the Lambda: before it reads
 * the secret from Secrets Manager), and a flood of unsigned requests costs no call to anything.
 */
export function refuseUnsigned(request: HttpRequest, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): HandledRequest | undefined {
  const started = performance.now();
  try {
    plausibleSignatureHeader(request, toleranceSeconds);
    return undefined;
  } catch (error) {
    if (!(error instanceof RejectedRequest)) throw error;
    return rejected(error.message, Math.round((performance.now() - started) * 1000) / 1000);
  }
}

/**
 * Unsigned, forged, stale or replayed requests get a 400. Every request Stripe signed gets a decision
 * (HTTP 200): the stack's kill switch first, before the body is even read; a body that cannot be read as
 * an authorization request is declined and logged, never left to Stripe's timeout fallback.
 */
export function handleRequest(request: HttpRequest, options: AuthorizerOptions): HandledRequest {
  const started = performance.now();
  const elapsedMs = () => Math.round((performance.now() - started) * 1000) / 1000;
  const answer = (body: object) => ({
    status: 200,
    headers: { 'Stripe-Version': options.stripeVersion, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const declineUnread = (reason: 'kill_switch' | 'unreadable_request', error?: string): HandledRequest => ({
    ...answer({ approved: false }),
    log: {
      event: 'authorization_declined_unread',
      approved: false,
      reason,
      ...(error === undefined ? {} : { error }),
      elapsedMs: elapsedMs(),
    },
  });
  let payload: string;
  try {
    payload = verifiedPayload(request, options);
  } catch (error) {
    const message = error instanceof RejectedRequest ? error.message : `request could not be verified: ${firstLine(error)}`;
    return rejected(message, elapsedMs(), error instanceof RejectedRequest && error.badSignature);
  }
  if (options.rules.killSwitch) return declineUnread('kill_switch');
  let authorization: AuthorizationRequest;
  try {
    const event = authorizationEvent(payload);
    if (!options.recentEvents.remember(event.id)) {
      return rejected(`event ${event.id} was already received: replayed requests are refused`, elapsedMs());
    }
    authorization = readAuthorizationRequest(event.data.object, event.account);
  } catch (error) {
    return declineUnread('unreadable_request', firstLine(error));
  }
  const decision = decide(authorization, options.rules);
  return {
    ...answer(decision.amount === undefined ? { approved: decision.approved } : { approved: decision.approved, amount: decision.amount }),
    log: {
      event: 'authorization_decided',
      authorization: authorization.id,
      approved: decision.approved,
      reason: decision.reason,
      ...(decision.source === undefined ? {} : { source: decision.source }),
      amount: authorization.amount,
      heldAmount: authorization.heldAmount,
      ...(decision.amount === undefined ? {} : { approvedAmount: decision.amount }),
      currency: authorization.currency,
      merchantCategory: authorization.merchantCategory,
      merchantCountry: authorization.merchantCountry,
      elapsedMs: elapsedMs(),
    },
  };
}

class RejectedRequest extends Error {
  constructor(
    message: string,
    readonly badSignature = false,
  ) {
    super(message);
  }
}

/**
 * The `Stripe-Signature` header, once the request has a body and the header has a timestamp inside the
 * tolerance and a `v1` signature: what stripe-node checks before it computes the signature, plus the
 * future bound it lacks. Throws a RejectedRequest otherwise.
 */
function plausibleSignatureHeader(request: HttpRequest, tolerance: number): string {
  const signature = header(request.headers, 'stripe-signature');
  if (!signature) throw new RejectedRequest('missing Stripe-Signature header');
  if (request.body.length === 0) throw new RejectedRequest('Stripe-Signature rejected: No webhook payload was provided.');
  // Read as stripe-node's parseHeader reads it: the last `t=` wins, every `v1=` is a candidate.
  const signedAt = signatureTimestamp(signature);
  if (!Number.isFinite(signedAt)) {
    throw new RejectedRequest('Stripe-Signature rejected: Unable to extract timestamp and signatures from header');
  }
  if (!signature.split(',').some((item) => item.split('=')[0] === 'v1')) {
    throw new RejectedRequest('Stripe-Signature rejected: No signatures found with expected scheme');
  }
  // stripe-node bounds only the age (seconds, floored); a timestamp far ahead would stay valid forever.
  if (Math.floor(Date.now() / 1000) - signedAt > tolerance) {
    throw new RejectedRequest('Stripe-Signature rejected: Timestamp outside the tolerance zone');
  }
  if (signedAt * 1000 - Date.now() > tolerance * 1000) {
    throw new RejectedRequest(`Stripe-Signature rejected: timestamp is more than ${tolerance} s in the future`);
  }
  return signature;
}

/** The body, once Stripe's signature over it verifies and its timestamp is neither stale nor ahead. */
function verifiedPayload(request: HttpRequest, options: AuthorizerOptions): string {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const signature = plausibleSignatureHeader(request, tolerance);
  const verifier = Stripe.webhooks.signature;
  if (!verifier) throw new Error('the stripe package offers no webhook signature verification');
  try {
    verifier.verifyHeader(request.body, signature, options.secret, tolerance);
  } catch (error) {
    // Stripe's messages are fixed texts: they never quote the body, the header or the secret.
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw new RejectedRequest(`Stripe-Signature rejected: ${firstLine(error)}`, true);
    }
    throw error;
  }
  return Buffer.isBuffer(request.body) ? request.body.toString('utf8') : request.body;
}

/** stripe-node's `parseHeader`: every `t=` item overwrites the timestamp, read with `parseInt`. */
export function signatureTimestamp(signature: string): number {
  return signature.split(',').reduce((timestamp, item) => {
    const [key, value] = item.split('=');
    return key === 't' ? parseInt(value, 10) : timestamp;
  }, NaN);
}

/** A signed body as an `issuing_authorization.request` event; throws saying what it is instead. */
function authorizationEvent(payload: string): { id: string; account?: unknown; data: { object: unknown } } {
  let event: unknown;
  try {
    event = JSON.parse(payload);
  } catch {
    // JSON.parse's message would quote the body, so it gets our own.
    throw new Error('body is not valid JSON');
  }
  if (!isRecord(event) || typeof event.id !== 'string' || !isRecord(event.data)) {
    throw new Error('body is not a Stripe event: expected an object with `id`, `type` and `data`');
  }
  if (event.type !== AUTHORIZATION_REQUEST_EVENT) {
    throw new Error(`unsupported event type ${JSON.stringify(event.type)}: this endpoint answers only ${AUTHORIZATION_REQUEST_EVENT}`);
  }
  return { id: event.id, account: event.account, data: { object: event.data.object } };
}

function header(headers: HttpRequest['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].trim();
}
