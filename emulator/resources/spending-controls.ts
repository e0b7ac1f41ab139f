// Spending controls shared by cards and cardholders: how they are stored from parameters and how an
// authorization is checked against them. On update the given controls are merged into the stored ones
// and an empty value unsets a control: Stripe's update endpoints leave unprovided parameters unchanged,
// and stripe 23.1.0 Issuing.CardUpdateParams.SpendingControls / CardholderUpdateParams.SpendingControls
// say "Provide an empty value to unset this control" for the merchant-country and card-presence lists.
import type Stripe from 'stripe';
import { invalidRequest } from '../errors';

export type SpendingControls = Stripe.Issuing.Cardholder.SpendingControls;

/** The lists stripe 23.1.0 documents as unset by an empty value (the pinned overlay accepts '' there). */
type EmptyableList = 'allowed_merchant_countries' | 'blocked_merchant_countries' | 'allowed_card_presences' | 'blocked_card_presences';
type ControlsParams = NonNullable<Stripe.Issuing.CardholderUpdateParams['spending_controls']>;
/**
 * Spending controls as a card or cardholder call gives them: the cardholder update's type (card
 * controls are the same less `spending_limits_currency`), with '' on the emptyable lists, which the
 * type declares as plain arrays although its description says "Provide an empty value to unset".
 */
export type GivenSpendingControls = { [K in keyof ControlsParams]?: K extends EmptyableList ? ControlsParams[K] | '' : ControlsParams[K] };

const EXCLUSIVE_PAIRS = [
  ['allowed_categories', 'blocked_categories'],
  ['allowed_merchant_countries', 'blocked_merchant_countries'],
  ['allowed_card_presences', 'blocked_card_presences'],
] as const;

export function spendingControlsFromParams(
  given: GivenSpendingControls = {},
  currency: string | null,
  param = 'spending_controls',
): SpendingControls {
  for (const [allowed, blocked] of EXCLUSIVE_PAIRS) {
    if (listed(given[allowed]) && listed(given[blocked])) {
      throw invalidRequest(`You may only specify one of these parameters: ${param}[${allowed}], ${param}[${blocked}].`, {
        code: 'parameters_exclusive',
        param: `${param}[${allowed}]`,
      });
    }
  }
  const limits = listed(given.spending_limits) ?? [];
  return {
    allowed_card_presences: listed(given.allowed_card_presences),
    allowed_categories: listed(given.allowed_categories),
    allowed_merchant_countries: listed(given.allowed_merchant_countries),
    blocked_card_presences: listed(given.blocked_card_presences),
    blocked_categories: listed(given.blocked_categories),
    blocked_merchant_countries: listed(given.blocked_merchant_countries),
    spending_limits: limits.map((limit, i) => {
      if (limit.amount < 0) {
        throw invalidRequest(`Invalid ${param}[spending_limits][${i}][amount]: must be zero or positive.`, {
          param: `${param}[spending_limits][${i}][amount]`,
        });
      }
      return { amount: limit.amount, categories: listed(limit.categories), interval: limit.interval };
    }),
    spending_limits_currency: limits.length > 0 ? (given.spending_limits_currency ?? currency) : (given.spending_limits_currency ?? null),
  };
}

/** The stored controls with the given ones merged in (a given '' unsets that control). */
export function mergedSpendingControls(
  current: SpendingControls | null,
  given: GivenSpendingControls,
  currency: string | null,
  param = 'spending_controls',
): SpendingControls {
  const stored = Object.fromEntries(Object.entries(current ?? {}).filter(([, value]) => value !== null));
  return spendingControlsFromParams({ ...stored, ...given }, currency, param);
}

/** A list that was given and is not empty; null for an absent, unset ('') or empty one. */
function listed<T>(value: T[] | '' | null | undefined): T[] | null {
  return Array.isArray(value) && value.length > 0 ? value : null;
}

export interface Purchase {
  amount: number;
  currency: string;
  category: string;
  country: string | null;
  cardPresent: boolean;
  at: number;
}

/** Amounts already approved on the card or cardholder, for limits with a time window. */
export type SpentSince = (sinceSeconds: number, categories: string[] | null) => number;

export function allowedBySpendingControls(controls: SpendingControls | null, purchase: Purchase, spentSince: SpentSince): boolean {
  if (!controls) return true;
  const presence = purchase.cardPresent ? 'present' : 'not_present';
  if (controls.allowed_categories && !controls.allowed_categories.includes(purchase.category as never)) return false;
  if (controls.blocked_categories?.includes(purchase.category as never)) return false;
  if (purchase.country && controls.allowed_merchant_countries && !controls.allowed_merchant_countries.includes(purchase.country))
    return false;
  if (purchase.country && controls.blocked_merchant_countries?.includes(purchase.country)) return false;
  if (controls.allowed_card_presences && !controls.allowed_card_presences.includes(presence)) return false;
  if (controls.blocked_card_presences?.includes(presence)) return false;
  return (controls.spending_limits ?? []).every((limit) => {
    if (limit.categories && !limit.categories.includes(purchase.category as never)) return true;
    if (limit.interval === 'per_authorization') return purchase.amount <= limit.amount;
    const since = windowStart(limit.interval, purchase.at);
    return spentSince(since, limit.categories as string[] | null) + purchase.amount <= limit.amount;
  });
}

/** Start of the UTC calendar window Stripe counts a limit over. */
function windowStart(interval: string, at: number): number {
  const date = new Date(at * 1000);
  const utc = (y: number, m: number, d: number) => Date.UTC(y, m, d) / 1000;
  switch (interval) {
    case 'daily':
      return utc(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    case 'weekly':
      return utc(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - date.getUTCDay());
    case 'monthly':
      return utc(date.getUTCFullYear(), date.getUTCMonth(), 1);
    case 'yearly':
      return utc(date.getUTCFullYear(), 0, 1);
    default:
      return 0;
  }
}
