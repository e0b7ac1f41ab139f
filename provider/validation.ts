/**
 * Pure validators for resource arguments: each reports failures with the exact property path (as
 * written in the resource arguments, camelCase) and what is allowed. No I/O; reused by `npm run validate`.
 */
import { MERCHANT_CATEGORIES } from './merchantCategories';
import { ACCOUNT_CAPABILITIES, API_VERSIONS, WEBHOOK_EVENT_TYPES } from './stripeNames';

export interface Failure {
  property: string;
  reason: string;
}
export type Failures = Failure[];

/** Stripe's limits on an object's metadata (all keys, the provider's own included). */
export const METADATA_LIMITS = { keys: 50, keyLength: 40, valueLength: 500 } as const;
/** Metadata keys the provider writes itself on every object it creates. */
export const MANAGED_METADATA_KEYS = ['pulumi_stack', 'pulumi_name'] as const;
/** What is left for the user's own keys once the provider's are written: 48. */
export const USER_METADATA_KEYS = METADATA_LIMITS.keys - MANAGED_METADATA_KEYS.length;
export const SPENDING_LIMIT_INTERVALS = ['per_authorization', 'daily', 'weekly', 'monthly', 'yearly', 'all_time'] as const;
export const CARDHOLDER_NAME_MAX = 24;

// Region codes that name groups, not countries.
// An array, not a Set: captured Sets do not survive the closure serialization of dynamic providers.
const NON_COUNTRY_REGIONS: readonly string[] = ['EU', 'EZ', 'UN', 'QO', 'ZZ'];

export function isCountryCode(value: unknown): boolean {
  if (typeof value !== 'string' || !/^[A-Z]{2}$/.test(value) || NON_COUNTRY_REGIONS.includes(value)) return false;
  // Built per call: an Intl object captured at module scope cannot be closure-serialized.
  const name = new Intl.DisplayNames(['en'], { type: 'region' }).of(value);
  return name !== undefined && name !== value;
}

export function isCurrencyCode(value: unknown): boolean {
  return typeof value === 'string' && /^[a-z]{3}$/.test(value) && Intl.supportedValuesOf('currency').includes(value.toUpperCase());
}

const show = (value: unknown) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export function requireString(failures: Failures, path: string, value: unknown): value is string {
  if (typeof value === 'string' && value.length > 0) return true;
  failures.push({ property: path, reason: value === undefined ? 'is required' : `must be a non-empty string, got ${show(value)}` });
  return false;
}

export function optionalString(failures: Failures, path: string, value: unknown, maxLength?: number): void {
  if (value === undefined) return;
  if (typeof value !== 'string') failures.push({ property: path, reason: `must be a string, got ${show(value)}` });
  else if (maxLength !== undefined && value.length > maxLength) {
    failures.push({ property: path, reason: `must be at most ${maxLength} characters, got ${value.length}` });
  }
}

export function optionalBoolean(failures: Failures, path: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') {
    failures.push({ property: path, reason: `must be true or false, got ${show(value)}` });
  }
}

export function oneOf(failures: Failures, path: string, value: unknown, allowed: readonly string[], required = false): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    failures.push({ property: path, reason: `must be one of ${allowed.join(', ')}; got ${show(value)}` });
  }
}

export function objectAt(failures: Failures, path: string, value: unknown): value is Record<string, unknown> {
  if (isPlainObject(value)) return true;
  if (value !== undefined) failures.push({ property: path, reason: `must be an object, got ${show(value)}` });
  return false;
}

export function listAt(failures: Failures, path: string, value: unknown): value is unknown[] {
  if (Array.isArray(value)) return true;
  if (value !== undefined) failures.push({ property: path, reason: `must be a list, got ${show(value)}` });
  return false;
}

export function accountId(failures: Failures, path: string, value: unknown): void {
  if (requireString(failures, path, value) && !/^acct_[A-Za-z0-9]+$/.test(value)) {
    failures.push({ property: path, reason: `must be a connected account ID (acct_...), got ${show(value)}` });
  }
}

export function stripeId(failures: Failures, path: string, value: unknown, prefix: string, required = true): void {
  if (value === undefined && !required) return;
  if (requireString(failures, path, value) && !value.startsWith(prefix)) {
    failures.push({ property: path, reason: `must be a Stripe ID starting with "${prefix}", got ${show(value)}` });
  }
}

export function countryCode(failures: Failures, path: string, value: unknown, required = false): void {
  if (value === undefined && !required) return;
  if (!isCountryCode(value)) {
    failures.push({ property: path, reason: `must be a two-letter ISO 3166-1 country code in upper case (e.g. "US"), got ${show(value)}` });
  }
}

export function currencyCode(failures: Failures, path: string, value: unknown, required = false): void {
  if (value === undefined && !required) return;
  if (!isCurrencyCode(value)) {
    failures.push({
      property: path,
      reason: `must be a three-letter ISO 4217 currency code in lower case (e.g. "usd"), got ${show(value)}`,
    });
  }
}

export function email(failures: Failures, path: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || value.length > 800 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
    failures.push({ property: path, reason: `must be an email address like "name@example.com", got ${show(value)}` });
  }
}

export function phoneNumber(failures: Failures, path: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !/^\+[1-9]\d{6,14}$/.test(value)) {
    failures.push({ property: path, reason: `must be an E.164 phone number like "+14155550100", got ${show(value)}` });
  }
}

export function cardholderName(failures: Failures, path: string, value: unknown): void {
  if (!requireString(failures, path, value)) return;
  if (value.length > CARDHOLDER_NAME_MAX) {
    failures.push({ property: path, reason: `is printed on cards: at most ${CARDHOLDER_NAME_MAX} characters, got ${value.length}` });
  }
  if (!/^[\p{L} .'-]+$/u.test(value)) {
    failures.push({
      property: path,
      reason: `is printed on cards: letters, spaces, "." "'" and "-" only (no digits or other special characters), got ${show(value)}`,
    });
  }
}

// Stripe (`individual.first_name`, `last_name`): "cannot contain any numbers, special characters (except periods,
// commas, hyphens, spaces and apostrophes) or non-latin letters". Latin letters: ASCII, Latin-1, Extended-A and -B.
export const LEGAL_NAME_PATTERN = "^[A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F .,'-]+$";

/** A cardholder's first or last name as Stripe takes it. */
export function legalName(failures: Failures, path: string, value: unknown): void {
  if (value === undefined || !requireString(failures, path, value)) return;
  if (!new RegExp(LEGAL_NAME_PATTERN).test(value)) {
    failures.push({
      property: path,
      reason: `latin letters, spaces, "." "," "'" and "-" only (no digits, other special characters or non-latin letters), got ${show(value)}`,
    });
  }
}

/** Stripe asks for a four-digit birth year; earlier years are typing mistakes, not cardholders. */
export const OLDEST_BIRTH_YEAR = 1900;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const isoDate = (year: number, month: number, day: number) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** A date of birth `{day, month, year}` that exists in the calendar and is not in the future. */
export function birthDate(failures: Failures, path: string, value: unknown, today = new Date()): void {
  if (!objectAt(failures, path, value)) return;
  const ranges = { day: [1, 31], month: [1, 12], year: [OLDEST_BIRTH_YEAR, today.getUTCFullYear()] } as const;
  let inRange = true;
  for (const [part, [min, max]] of Object.entries(ranges)) {
    const item = value[part];
    if (!Number.isInteger(item) || (item as number) < min || (item as number) > max) {
      failures.push({ property: `${path}.${part}`, reason: `must be a whole number from ${min} to ${max}, got ${show(item)}` });
      inRange = false;
    }
  }
  if (!inRange) return;
  const { day, month, year } = value as { day: number; month: number; year: number };
  const days = daysInMonth(year, month);
  if (day > days) {
    failures.push({
      property: `${path}.day`,
      reason: `must be a real date: ${isoDate(year, month, 1).slice(0, 7)} has ${days} days, got ${day}`,
    });
  } else if (Date.UTC(year, month - 1, day) > today.getTime()) {
    failures.push({ property: path, reason: `must not be in the future, got ${isoDate(year, month, day)}` });
  }
}

function isIpv6(text: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || !text.includes(':')) return false;
  try {
    new URL(`http://[${text}]/`);
    return true;
  } catch {
    return false;
  }
}

/** An IPv4 or IPv6 address (where a cardholder accepted the terms). */
export function ipAddress(failures: Failures, path: string, value: unknown): void {
  if (value === undefined) return;
  // A literal here, not a module constant: provider code is closure-serialized.
  const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
  if (typeof value !== 'string' || !(ipv4.test(value) || isIpv6(value))) {
    failures.push({ property: path, reason: `must be an IPv4 or IPv6 address like "203.0.113.7", got ${show(value)}` });
  }
}

/** A moment that has happened, in Unix seconds (an acceptance date). */
export function pastTimestamp(failures: Failures, path: string, value: unknown, now = Date.now()): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || (value as number) < 0) {
    failures.push({ property: path, reason: `must be a Unix timestamp in seconds, got ${show(value)}` });
  } else if ((value as number) * 1000 > now) {
    failures.push({
      property: path,
      reason: `must not be in the future, got ${show(value)} (${new Date((value as number) * 1000).toISOString()})`,
    });
  }
}

/** One of the account capabilities Stripe lists (`AccountCreateParams.Capabilities`). */
export function capabilityName(failures: Failures, path: string, value: unknown): void {
  if (requireString(failures, path, value) && !ACCOUNT_CAPABILITIES.includes(value)) {
    failures.push({
      property: path,
      reason: `must be a Stripe account capability such as card_issuing, treasury, transfers or us_bank_account_ach_payments, got ${show(value)}`,
    });
  }
}

/** A webhook event type Stripe lists, or `*` for all of them. */
export function webhookEventType(failures: Failures, path: string, value: unknown): void {
  if (typeof value !== 'string' || !WEBHOOK_EVENT_TYPES.includes(value)) {
    failures.push({ property: path, reason: `must be a Stripe event type such as "issuing_card.created", or "*", got ${show(value)}` });
  }
}

/** A Stripe API version, such as the pinned `2026-10-28.endive`. */
export function apiVersion(failures: Failures, path: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'string' || !API_VERSIONS.includes(value))) {
    failures.push({ property: path, reason: `must be a Stripe API version such as "2026-10-28.endive", got ${show(value)}` });
  }
}

/** Merchant categories as Stripe names them (spending controls and the authorizer's rules). */
export function categoryList(failures: Failures, path: string, value: unknown): void {
  if (!listAt(failures, path, value)) return;
  value.forEach((item, i) => {
    if (typeof item !== 'string' || !MERCHANT_CATEGORIES.includes(item)) {
      failures.push({
        property: `${path}[${i}]`,
        reason: `must be one of Stripe's merchant categories (e.g. "fast_food_restaurants", "betting_casino_gambling"), got ${show(item)}`,
      });
    }
  });
}

export function metadata(failures: Failures, path: string, value: unknown): void {
  if (!objectAt(failures, path, value)) return;
  const entries = Object.entries(value);
  if (entries.length > USER_METADATA_KEYS) {
    failures.push({
      property: path,
      reason:
        `may hold at most ${USER_METADATA_KEYS} keys, got ${entries.length}: Stripe allows ${METADATA_LIMITS.keys} ` +
        `and the provider writes ${MANAGED_METADATA_KEYS.join(' and ')} itself`,
    });
  }
  for (const [key, item] of entries) {
    const at = `${path}.${key}`;
    if (key.length === 0 || key.length > METADATA_LIMITS.keyLength || /[[\]]/.test(key)) {
      failures.push({ property: at, reason: `metadata keys must be 1–${METADATA_LIMITS.keyLength} characters without "[" or "]"` });
    }
    if ((MANAGED_METADATA_KEYS as readonly string[]).includes(key)) {
      failures.push({ property: at, reason: `is written by the provider itself (stack and resource name); choose another key` });
    }
    if (typeof item !== 'string') failures.push({ property: at, reason: `metadata values must be strings, got ${show(item)}` });
    else if (item.length > METADATA_LIMITS.valueLength) {
      failures.push({
        property: at,
        reason: `metadata values must be at most ${METADATA_LIMITS.valueLength} characters, got ${item.length}`,
      });
    }
  }
}

export function address(failures: Failures, path: string, value: unknown, required = false): void {
  if (value === undefined && required) {
    failures.push({ property: path, reason: 'is required (line1, city, postalCode, country)' });
    return;
  }
  if (!objectAt(failures, path, value)) return;
  requireString(failures, `${path}.line1`, value.line1);
  requireString(failures, `${path}.city`, value.city);
  requireString(failures, `${path}.postalCode`, value.postalCode);
  countryCode(failures, `${path}.country`, value.country, true);
  optionalString(failures, `${path}.line2`, value.line2);
  optionalString(failures, `${path}.state`, value.state);
  unknownKeys(failures, path, value, ['line1', 'line2', 'city', 'postalCode', 'state', 'country']);
}

export function unknownKeys(failures: Failures, path: string, value: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      failures.push({ property: path ? `${path}.${key}` : key, reason: `is not a known argument; allowed: ${allowed.join(', ')}` });
    }
  }
}

function exclusive(failures: Failures, path: string, value: Record<string, unknown>, first: string, second: string): void {
  const set = (key: string) => Array.isArray(value[key]) && (value[key] as unknown[]).length > 0;
  if (set(first) && set(second)) {
    failures.push({ property: `${path}.${second}`, reason: `cannot be combined with ${path}.${first}: give allowed or blocked, not both` });
  }
}

function countryList(failures: Failures, path: string, value: unknown): void {
  if (!listAt(failures, path, value)) return;
  value.forEach((item, i) => {
    countryCode(failures, `${path}[${i}]`, item, true);
  });
}

const CARD_PRESENCES = ['present', 'not_present'] as const;

function presenceList(failures: Failures, path: string, value: unknown): void {
  if (!listAt(failures, path, value)) return;
  value.forEach((item, i) => {
    oneOf(failures, `${path}[${i}]`, item, CARD_PRESENCES, true);
  });
}

/**
 * Spending controls of cards and cardholders (stripe 23.1.0 Issuing.CardUpdateParams.SpendingControls
 * and CardholderUpdateParams.SpendingControls); `spendingLimitsCurrency` exists for cardholders only.
 */
export function spendingControls(failures: Failures, path: string, value: unknown, { cardholder = false } = {}): void {
  if (!objectAt(failures, path, value)) return;
  unknownKeys(failures, path, value, [
    'allowedCategories',
    'blockedCategories',
    'allowedMerchantCountries',
    'blockedMerchantCountries',
    'allowedCardPresences',
    'blockedCardPresences',
    'spendingLimits',
    ...(cardholder ? ['spendingLimitsCurrency'] : []),
  ]);
  categoryList(failures, `${path}.allowedCategories`, value.allowedCategories);
  categoryList(failures, `${path}.blockedCategories`, value.blockedCategories);
  countryList(failures, `${path}.allowedMerchantCountries`, value.allowedMerchantCountries);
  countryList(failures, `${path}.blockedMerchantCountries`, value.blockedMerchantCountries);
  presenceList(failures, `${path}.allowedCardPresences`, value.allowedCardPresences);
  presenceList(failures, `${path}.blockedCardPresences`, value.blockedCardPresences);
  currencyCode(failures, `${path}.spendingLimitsCurrency`, value.spendingLimitsCurrency);
  exclusive(failures, path, value, 'allowedCategories', 'blockedCategories');
  exclusive(failures, path, value, 'allowedMerchantCountries', 'blockedMerchantCountries');
  exclusive(failures, path, value, 'allowedCardPresences', 'blockedCardPresences');
  if (!listAt(failures, `${path}.spendingLimits`, value.spendingLimits)) return;
  value.spendingLimits.forEach((limit, i) => {
    const at = `${path}.spendingLimits[${i}]`;
    if (!objectAt(failures, at, limit)) return;
    unknownKeys(failures, at, limit, ['amount', 'interval', 'categories']);
    if (!Number.isInteger(limit.amount) || (limit.amount as number) <= 0) {
      failures.push({
        property: `${at}.amount`,
        reason: `must be a positive whole number in the smallest currency unit (cents), got ${show(limit.amount)}`,
      });
    }
    oneOf(failures, `${at}.interval`, limit.interval, SPENDING_LIMIT_INTERVALS, true);
    categoryList(failures, `${at}.categories`, limit.categories);
  });
}
