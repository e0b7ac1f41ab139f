// Anything shaped like a Stripe secret: API keys, webhook signing secrets, client secrets.
const SECRET_PATTERN = /\b(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9*]+|\bwhsec_[A-Za-z0-9*]+|\b\w+_secret_[A-Za-z0-9]+/g;
// Card numbers (13–19 digits, possibly grouped) never appear in our messages; scrub them anyway.
const PAN_PATTERN = /\b(?:\d[ -]?){12,18}\d\b/g;

/** Removes secrets from text that may reach logs, errors or state. */
export function redact(text: string): string {
  return text.replace(SECRET_PATTERN, '[redacted]').replace(PAN_PATTERN, '[redacted]');
}

interface StripeErrorFields {
  type?: string;
  message?: string;
  code?: string;
  param?: string;
  statusCode?: number;
  requestId?: string;
}

/** True when Stripe answered that the object does not exist (for this account). */
export function isMissing(error: unknown): boolean {
  const e = error as StripeErrorFields;
  return e?.statusCode === 404 || e?.code === 'resource_missing';
}

/**
 * Turns any failure into an Error whose message says what was being done, what Stripe answered
 * (type, code, param, request id) and carries no secret. The original error is not chained: its
 * fields (raw headers, request options) may hold the key.
 */
export function translateError(action: string, error: unknown): Error {
  const e = (error ?? {}) as StripeErrorFields;
  const details = [
    e.statusCode !== undefined ? `HTTP ${e.statusCode}` : undefined,
    e.type,
    e.code ? `code ${e.code}` : undefined,
    e.param ? `param ${e.param}` : undefined,
    e.requestId ? `request ${e.requestId}` : undefined,
  ].filter(Boolean);
  const message = e.message ?? String(error);
  return new Error(redact(`${action}: ${message}${details.length ? ` (${details.join(', ')})` : ''}`));
}

/** Stripe has fields that can be changed but never removed once set: say so before sending anything. */
export function cannotUnset(owner: string, field: string): Error {
  return new Error(
    `Stripe cannot remove ${field} from ${owner} once set (the API refuses to unset it): ` +
      'give it a value instead, or replace the object',
  );
}
