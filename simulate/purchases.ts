// Which test purchase to make on which card, decided from the card's spending controls (as Stripe
// checks them) and the stack's authorizer rules (as the handler decides), before any purchase is made.
import type Stripe from 'stripe';
import { type Decision, decide } from '../authorizer/decide';
import type { AuthorizationRules, RuleSet } from '../authorizer/types';
import { allowedBySpendingControls } from '../emulator/resources/spending-controls';

/** Spending controls as Stripe returns them (the provider's `SpendingControls` is the stack file's shape). */
export type StripeSpendingControls = Stripe.Issuing.Cardholder.SpendingControls;

export interface CardFacts {
  name: string;
  cardholderName: string;
  currency: string;
  /** Card and cardholder active, and the card spends from a financial account. */
  usable: boolean;
  /** The card's and its cardholder's spending controls: Stripe checks both. */
  controls: StripeSpendingControls[];
}

export interface PlannedPurchase {
  amount: number;
  currency: string;
  category: string;
  country: string;
}

/** Small enough to fit any sensible limit and to repeat without using up daily or weekly limits. */
export const SMALL_AMOUNT = 1000;
const FALLBACK_CATEGORIES = ['computer_software_stores', 'eating_places_restaurants'];
const FALLBACK_COUNTRIES = ['US', 'CA', 'GB'];

/** A purchase that Stripe's controls and the authorizer both let through. */
export function approvedPurchase(card: CardFacts, rules: RuleSet): PlannedPurchase | undefined {
  if (!card.usable) return undefined;
  const amount = Math.min(SMALL_AMOUNT, ...limits(card).map((limit) => limit.amount));
  if (amount <= 0) return undefined;
  return merchants(card, rules)
    .map((merchant) => ({ amount, currency: card.currency, ...merchant }))
    .find((purchase) => passesStripe(card, purchase) && authorizerApproves(card, purchase, rules));
}

/** The approved purchase with its amount one unit over the lowest spending limit that applies to it. */
export function overLimitPurchase(card: CardFacts, rules: RuleSet): PlannedPurchase | undefined {
  const base = approvedPurchase(card, rules);
  if (base === undefined) return undefined;
  const applying = limits(card).filter((limit) => !limit.categories || limit.categories.includes(base.category as never));
  if (applying.length === 0) return undefined;
  return { ...base, amount: Math.min(...applying.map((limit) => limit.amount)) + 1 };
}

/**
 * A purchase Stripe's controls let through and the authorizer's own rules decline: over a
 * `maxAmount` first, else a merchant category or country the rules refuse.
 */
export function authorizerDeclinedPurchase(card: CardFacts, rules: RuleSet): PlannedPurchase | undefined {
  const base = approvedPurchase(card, rules);
  if (base === undefined) return undefined;
  const caps = ruleLevels(card, rules).flatMap((level) => (level.maxAmount !== undefined ? [level.maxAmount] : []));
  const candidates = [
    ...caps.sort((a, b) => a - b).map((cap) => ({ ...base, amount: cap + 1 })),
    ...merchants(card, rules).map((merchant) => ({ ...base, ...merchant })),
  ];
  return candidates.find((purchase) => passesStripe(card, purchase) && !authorizerApproves(card, purchase, rules));
}

/** A purchase to increment up to the authorizer's cap, then one unit past it. */
export interface PlannedIncrements extends PlannedPurchase {
  /** The lowest `maxAmount` that applies: the most the authorization may hold. */
  cap: number;
  /** Takes what the purchase holds to the cap exactly: approved. */
  withinCap: number;
  /** One unit past the cap: declined by the authorizer. */
  pastCap: number;
}

/**
 * The approved purchase, then increments to the cap and past it, on a card whose Stripe controls allow
 * even the total past the cap (Stripe does not say whether a per-authorization or window limit counts an
 * increment alone or the total, so the total is assumed): the decline must be the authorizer's.
 */
export function incrementedPurchase(card: CardFacts, rules: RuleSet): PlannedIncrements | undefined {
  const base = approvedPurchase(card, rules);
  if (base === undefined) return undefined;
  const caps = ruleLevels(card, rules).flatMap((level) => (level.maxAmount !== undefined ? [level.maxAmount] : []));
  for (const cap of caps.sort((a, b) => a - b)) {
    const planned = { ...base, cap, withinCap: cap - base.amount, pastCap: 1 };
    if (
      planned.withinCap > 0 &&
      passesStripe(card, { ...base, amount: cap + 1 }) &&
      authorizerDecision(card, { ...base, amount: planned.withinCap }, rules, base.amount).approved &&
      authorizerDecision(card, { ...base, amount: planned.pastCap }, rules, cap).reason === 'over_max_amount'
    ) {
      return planned;
    }
  }
  return undefined;
}

/** The first card (in stack-file order) a purchase can be planned on. */
export function firstPlanned<C extends CardFacts, P extends PlannedPurchase>(
  cards: readonly C[],
  plan: (card: C) => P | undefined,
): { card: C; purchase: P } | undefined {
  for (const card of cards) {
    const purchase = plan(card);
    if (purchase) return { card, purchase };
  }
  return undefined;
}

function limits(card: CardFacts) {
  return card.controls.flatMap((controls) => controls.spending_limits ?? []);
}

// Window limits are checked as if nothing had been spent yet: the simulation cannot see other spending.
function passesStripe(card: CardFacts, purchase: PlannedPurchase): boolean {
  return card.controls.every((controls) => allowedBySpendingControls(controls, { ...purchase, cardPresent: false, at: 0 }, () => 0));
}

function authorizerApproves(card: CardFacts, purchase: PlannedPurchase, rules: RuleSet): boolean {
  return authorizerDecision(card, purchase, rules).approved;
}

/** The handler's decision on `purchase` as a request adding to `heldAmount` already held. */
function authorizerDecision(card: CardFacts, purchase: PlannedPurchase, rules: RuleSet, heldAmount = 0): Decision {
  return decide(
    {
      id: 'planned-purchase',
      amount: purchase.amount,
      heldAmount,
      currency: purchase.currency,
      amountControllable: false,
      merchantCategory: purchase.category,
      merchantCountry: purchase.country,
      // A card of the simulated stack, as the provider labels it in Stripe.
      account: rules.accounts.cards[card.name] ?? null,
      cardName: card.name,
      cardStack: rules.stack,
      cardholderName: card.cardholderName,
      cardholderStack: rules.stack,
    },
    rules,
  );
}

// Every rule set that may apply to the card; `decide` picks the ones that do.
function ruleLevels(card: CardFacts, rules: RuleSet): AuthorizationRules[] {
  return [rules.default, rules.cardholders[card.cardholderName], rules.cards[card.name]].filter(
    (level): level is AuthorizationRules => level !== undefined,
  );
}

/** Merchant categories × countries worth trying: those the controls and rules name, then common ones. */
function merchants(card: CardFacts, rules: RuleSet): Array<{ category: string; country: string }> {
  const levels = ruleLevels(card, rules);
  const categories = unique([
    ...card.controls.flatMap((controls) => controls.allowed_categories ?? []),
    ...levels.flatMap((level) => [...(level.allowedCategories ?? []), ...(level.blockedCategories ?? [])]),
    ...FALLBACK_CATEGORIES,
  ]);
  const countries = unique([
    ...FALLBACK_COUNTRIES.slice(0, 1),
    ...card.controls.flatMap((controls) => [
      ...(controls.allowed_merchant_countries ?? []),
      ...(controls.blocked_merchant_countries ?? []),
    ]),
    ...levels.flatMap((level) => [...(level.allowedCountries ?? []), ...(level.blockedCountries ?? [])]),
    ...FALLBACK_COUNTRIES,
  ]);
  return categories.flatMap((category) => countries.map((country) => ({ category, country })));
}

const unique = (values: string[]) => [...new Set(values)];
