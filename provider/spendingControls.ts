import { UNKNOWN, compact, sortedSet } from './canonical';
import { toStripe } from './casing';

export interface SpendingLimit {
  amount: number;
  interval: 'per_authorization' | 'daily' | 'weekly' | 'monthly' | 'yearly' | 'all_time';
  categories?: string[];
}

/** Spending controls of a card or cardholder, as resource arguments. */
export interface SpendingControls {
  allowedCategories?: string[];
  blockedCategories?: string[];
  allowedMerchantCountries?: string[];
  blockedMerchantCountries?: string[];
  spendingLimits?: SpendingLimit[];
}

/**
 * One spelling for "the same controls": sets sorted, empty lists and Stripe's nulls dropped,
 * `spendingLimitsCurrency` (derived by Stripe) ignored. Undefined when nothing is controlled.
 */
export function canonicalSpendingControls(value: unknown): SpendingControls | undefined {
  if (value === UNKNOWN) return value as unknown as SpendingControls;
  const controls = (value ?? {}) as SpendingControls;
  return compact({
    allowedCategories: sortedSet(controls.allowedCategories),
    blockedCategories: sortedSet(controls.blockedCategories),
    allowedMerchantCountries: sortedSet(controls.allowedMerchantCountries),
    blockedMerchantCountries: sortedSet(controls.blockedMerchantCountries),
    spendingLimits: controls.spendingLimits?.map((limit) =>
      compact({ amount: limit.amount, interval: limit.interval, categories: sortedSet(limit.categories) }) as SpendingLimit),
  });
}

/**
 * The whole object for an update: Stripe replaces spending controls as a unit, so lists left out are
 * cleared. Removing them all is impossible (`spending_controls` cannot be unset, empty lists are not
 * sent): the resources list `spendingControls` as `unsettable`, so `check` refuses that beforehand.
 */
export function spendingControlsParam(controls: SpendingControls): Record<string, unknown> {
  return toStripe(controls);
}
