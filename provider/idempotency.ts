import { createHash } from 'crypto';
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
