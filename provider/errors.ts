// Anything shaped like a Stripe secret: API keys, webhook signing secrets, client secrets.
const SECRET_PATTERN = /\b(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9*]+|\bwhsec_[A-Za-z0-9*]+|\b\w+_secret_[A-Za-z0-9]+/g;
// Card numbers (13–19 digits, possibly grouped) never appear in our messages; scrub them anyway.
const PAN_PATTERN = /\b(?:\d[ -]?){12,18}\d\b/g;

// A cardholder's email and phone (E.164, as the stack file and Stripe write it) in free text: an error
// Stripe words around a value, a log line.
const EMAIL_PATTERN = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g;
const PHONE_PATTERN = /\+[1-9]\d{7,14}\b/g;

/** Removes secrets and the personal data text can be recognised by from text that may reach logs, errors or state. */
export function redact(text: string): string {
  return text
    .replace(SECRET_PATTERN, '[redacted]')
    .replace(PAN_PATTERN, '[redacted]')
    .replace(EMAIL_PATTERN, '[personal data]')
    .replace(PHONE_PATTERN, '[personal data]');
}

/**
 * Fields (argument paths of a cardholder or card) whose values are personal data: email, phone, the
 * billing and shipping addresses, the date of birth, the tax ID. Reports (pull-request comments, drift
 * issues) show such a field as changed, never its value: redact cannot recognise an address in text.
 */
const PERSONAL_FIELD = /^(?:email|phoneNumber|billing|individual\.dob|company\.taxId|shipping\.(?:address|phoneNumber))(?:$|[.[])/;
export const PERSONAL_DATA_SHOWN_AS = '[personal data]';

/** `value` of the field at `path` with every personal part replaced by PERSONAL_DATA_SHOWN_AS (undefined stays undefined). */
export function withoutPersonalData(path: string, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (PERSONAL_FIELD.test(path)) return PERSONAL_DATA_SHOWN_AS;
  if (Array.isArray(value)) return value.map((item, index) => withoutPersonalData(`${path}[${index}]`, item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, withoutPersonalData(path === '' ? key : `${path}.${key}`, item)]),
    );
  }
  return value;
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
