import { createHash } from 'node:crypto';
import { stableJson } from './canonical';

// Stripe accepts keys up to 255 characters; a prefix plus a SHA-256 stays far below.
const KEY_PREFIX = 'pulumi-';

/** Idempotency-Key from stable facts (type, stack, logical name, create parameters). */
export function idempotencyKey(facts: unknown): string {
  return KEY_PREFIX + createHash('sha256').update(stableJson(facts)).digest('hex');
}

/**
 * The key for a new attempt after Stripe replayed `previousKey` with an object that has since died
 * (canceled, closed, deleted): the same inputs must then make a new object, still idempotently.
 */
export function keyAfterDeadObject(previousKey: string, deadObjectId: string): string {
  return idempotencyKey({ after: previousKey, dead: deadObjectId });
}

/** True when Stripe answered from its idempotency cache instead of performing the request. */
export function wasReplayed(response: { lastResponse?: { headers?: Record<string, string> } }): boolean {
  return response.lastResponse?.headers?.['idempotent-replayed'] === 'true';
}

interface StripeErrorLike {
  statusCode?: number;
  headers?: Record<string, string>;
  raw?: { type?: string; code?: string; param?: string; message?: string; request_log_url?: string };
}

/**
 * Stripe stores the response of every request whose execution started, 4xx errors included (only
 * requests that fail parameter validation or collide with one in flight are not stored), and replays it
 * for the same key and parameters. For a replayed 4xx this returns what identifies the stored failure:
 * the fields of the replayed body, which Stripe sends back unchanged (its `request_log_url` names the
 * original request), so every later replay of it gives the same value and the same next key. The
 * `Request-Id` of a replay is not used: it may be the replay's own.
 *
 * A replayed 5xx is not a failure to move past: the original request may have created the object,
 * and a new key could create a second one. It stays as it is until Stripe prunes the key (24 h).
 */
export function replayedClientFailure(error: unknown): Record<string, unknown> | undefined {
  const e = (error ?? {}) as StripeErrorLike;
  if (e.headers?.['idempotent-replayed'] !== 'true') return undefined;
  if (e.statusCode === undefined || e.statusCode < 400 || e.statusCode > 499) return undefined;
  const raw = e.raw ?? {};
  return { status: e.statusCode, type: raw.type, code: raw.code, param: raw.param, message: raw.message, log: raw.request_log_url };
}

/**
 * The key for a new attempt after Stripe replayed `previousKey`'s stored 4xx: what failed then (e.g. a
 * capability not active yet) may have been fixed since, and the same inputs must be tried again, still
 * idempotently: a lost response is replayed on the next run, not created twice.
 */
export function keyAfterFailure(previousKey: string, failure: Record<string, unknown>): string {
  return idempotencyKey({ after: previousKey, failed: failure });
}
