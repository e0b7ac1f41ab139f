// The one request handler both adapters (local HTTP server, AWS Lambda function URL) call:
// verify the Stripe signature, refuse stale/replayed/malformed requests with a clear 400,
// decide, and answer the way Stripe's real-time authorization webhook requires.
import { performance } from 'node:perf_hooks';
import Stripe from 'stripe';
import { readAuthorizationRequest } from './authorization';
import { decide, type DecisionReason } from './decide';
import type { RecentEventIds } from './replay';
import { isRecord, type RuleSet } from './rules';

export const AUTHORIZATION_REQUEST_EVENT = 'issuing_authorization.request';
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
      amount: number;
      approvedAmount?: number;
      currency: string;
      merchantCategory: string;
      merchantCountry: string | null;
      elapsedMs: number;
    }
  | { event: 'request_rejected'; status: number; error: string; elapsedMs: number };

export interface HandledRequest extends HttpResponse {
  log: AuthorizerLogEntry;
}

/** A signature may be `tolerance` old or, per our own check, `tolerance` ahead: remember ids that long. */
export function replayRetentionMs(toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): number {
  return 2 * toleranceSeconds * 1000;
}

export function handleRequest(request: HttpRequest, options: AuthorizerOptions): HandledRequest {
  const started = performance.now();
  const elapsedMs = () => Math.round((performance.now() - started) * 1000) / 1000;
  try {
    const authorization = readAuthorizationRequest(verifiedAuthorizationEvent(request, options).data.object);
    const decision = decide(authorization, options.rules);
    const answer = decision.amount === undefined
      ? { approved: decision.approved }
      : { approved: decision.approved, amount: decision.amount };
    return {
      status: 200,
      headers: { 'Stripe-Version': options.stripeVersion, 'Content-Type': 'application/json' },
      body: JSON.stringify(answer),
      log: {
        event: 'authorization_decided',
        authorization: authorization.id,
        approved: decision.approved,
        reason: decision.reason,
        ...(decision.source === undefined ? {} : { source: decision.source }),
        amount: authorization.amount,
        ...(decision.amount === undefined ? {} : { approvedAmount: decision.amount }),
        currency: authorization.currency,
        merchantCategory: authorization.merchantCategory,
        merchantCountry: authorization.merchantCountry,
        elapsedMs: elapsedMs(),
      },
    };
  } catch (error) {
    const message = error instanceof RejectedRequest ? error.message : `malformed request: ${firstLine(error)}`;
    return {
      status: 400,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ error: message }),
      log: { event: 'request_rejected', status: 400, error: message, elapsedMs: elapsedMs() },
    };
  }
}

class RejectedRequest extends Error {}

function verifiedAuthorizationEvent(request: HttpRequest, options: AuthorizerOptions): { id: string; data: { object: unknown } } {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const signature = header(request.headers, 'stripe-signature');
  if (!signature) throw new RejectedRequest('missing Stripe-Signature header');
  let event: unknown;
  try {
    event = Stripe.webhooks.constructEvent(request.body, signature, options.secret, tolerance);
  } catch (error) {
    // Stripe's messages are fixed texts; JSON.parse's would quote the body, so it gets our own.
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw new RejectedRequest(`Stripe-Signature rejected: ${firstLine(error)}`);
    }
    if (error instanceof SyntaxError) throw new RejectedRequest('body is not valid JSON');
    throw new RejectedRequest(`request could not be verified: ${firstLine(error)}`);
  }
  // Stripe's check only bounds the age; a timestamp far ahead would stay valid forever.
  const signedAt = Number(/(?:^|,)t=(\d+)/.exec(signature)?.[1]);
  if (signedAt * 1000 - Date.now() > tolerance * 1000) {
    throw new RejectedRequest(`Stripe-Signature rejected: timestamp is more than ${tolerance} s in the future`);
  }
  if (!isRecord(event) || typeof event.id !== 'string' || !isRecord(event.data)) {
    throw new RejectedRequest('body is not a Stripe event: expected an object with `id`, `type` and `data`');
  }
  if (event.type !== AUTHORIZATION_REQUEST_EVENT) {
    throw new RejectedRequest(
      `unsupported event type ${JSON.stringify(event.type)}: this endpoint answers only ${AUTHORIZATION_REQUEST_EVENT}`);
  }
  if (!options.recentEvents.remember(event.id)) {
    throw new RejectedRequest(`event ${event.id} was already received: replayed requests are refused`);
  }
  return { id: event.id, data: { object: event.data.object } };
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
