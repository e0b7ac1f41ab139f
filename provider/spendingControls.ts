import { compact, sortedSet, UNKNOWN } from './canonical';
import { toStripe } from './casing';

export interface SpendingLimit {
  amount: number;
  interval: 'per_authorization' | 'daily' | 'weekly' | 'monthly' | 'yearly' | 'all_time';
  categories?: string[];
}

export type CardPresence = 'present' | 'not_present';

/** Spending controls of a card or cardholder, as resource arguments. */
export interface SpendingControls {
  allowedCategories?: string[];
  blockedCategories?: string[];
  allowedMerchantCountries?: string[];
  blockedMerchantCountries?: string[];
  allowedCardPresences?: CardPresence[];
  blockedCardPresences?: CardPresence[];
  spendingLimits?: SpendingLimit[];
  /** Cardholders only: the currency of `spendingLimits` (Stripe derives it when not given). */
  spendingLimitsCurrency?: string;
}

/**
 * Controls Stripe's update endpoints unset with an empty value (stripe 23.1.0
 * Issuing.CardUpdateParams.SpendingControls / CardholderUpdateParams.SpendingControls: "Provide an
 * empty value to unset this control"). The others have no documented way to be unset once given.
 */
export const EMPTYABLE_CONTROLS = [
  'allowedMerchantCountries',
  'blockedMerchantCountries',
  'allowedCardPresences',
  'blockedCardPresences',
] as const satisfies readonly (keyof SpendingControls)[];

/** Controls of a card or cardholder `check` refuses to drop once given: no empty value unsets them. */
export const UNSETTABLE_CONTROLS = [
  'allowedCategories',
  'blockedCategories',
  'spendingLimits',
] as const satisfies readonly (keyof SpendingControls)[];

/**
 * One spelling for "the same controls": sets sorted, empty lists and Stripe's nulls dropped.
 * `spendingLimitsCurrency` is kept only when `withCurrency` (declared on a cardholder); Stripe derives it
 * otherwise. Undefined when nothing is controlled.
 */
export function canonicalSpendingControls(value: unknown, { withCurrency = false } = {}): SpendingControls | undefined {
  if (value === UNKNOWN) return value as unknown as SpendingControls;
  const controls = (value ?? {}) as SpendingControls;
  return compact({
    allowedCategories: sortedSet(controls.allowedCategories),
    blockedCategories: sortedSet(controls.blockedCategories),
    allowedMerchantCountries: sortedSet(controls.allowedMerchantCountries),
    blockedMerchantCountries: sortedSet(controls.blockedMerchantCountries),
    allowedCardPresences: sortedSet(controls.allowedCardPresences) as CardPresence[] | undefined,
    blockedCardPresences: sortedSet(controls.blockedCardPresences) as CardPresence[] | undefined,
    spendingLimits: controls.spendingLimits?.map(
      (limit) => compact({ amount: limit.amount, interval: limit.interval, categories: sortedSet(limit.categories) }) as SpendingLimit,
    ),
    spendingLimitsCurrency: withCurrency ? controls.spendingLimitsCurrency : undefined,
  });
}

/**
 * The whole desired object for an update, with an empty value for every emptyable control the old
 * inputs had and the new ones drop: right whether Stripe merges the object or replaces it. Dropping the
 * other controls is refused by `check` beforehand (`UNSETTABLE_CONTROLS`).
 */
export function spendingControlsParam(news: SpendingControls | undefined, olds: SpendingControls | undefined): Record<string, unknown> {
  const param: Record<string, unknown> = { ...toStripe(news ?? {}) };
  for (const control of EMPTYABLE_CONTROLS) {
    if (olds?.[control] !== undefined && news?.[control] === undefined) Object.assign(param, toStripe({ [control]: '' }));
  }
  return param;
}
