// The approve/decline decision: pure, synchronous, no I/O, so it answers well inside Stripe's 2 s.
import type { AuthorizationRequest } from './authorization';
import type { AuthorizationRules, RuleSet } from './types';

export type DecisionReason =
  | 'kill_switch'
  | 'category_not_allowed'
  | 'category_blocked'
  | 'country_not_allowed'
  | 'country_blocked'
  | 'over_max_amount'
  | 'amount_lowered_to_max'
  | 'within_rules'
  | 'no_rules'
  | 'unknown_card'
  | 'unreadable_request';

export interface Decision {
  approved: boolean;
  reason: DecisionReason;
  /** Which rules decided: `stack`, `default`, `cardholder:<name>` or `card:<name>`; absent for `no_rules`, `unknown_card`. */
  source?: string;
  /**
   * The amount to hold for this request when lower than requested (only for amount-controllable
   * requests): part of `pending_request.amount`, so that what is held already plus it is the cap.
   */
  amount?: number;
}

interface RuleLevel {
  source: string;
  rules: AuthorizationRules;
}

/**
 * A card that is not this stack's (see `isDeclared`) gets the stack's `unknownCards` answer. For the
 * stack's cards, card rules apply on top of cardholder rules: every level must pass. `default` stands
 * in for a cardholder without its own entry. The lowest `maxAmount` caps the total the authorization
 * holds once the request is approved (what it holds already plus `pending_request.amount`, so an
 * increment counts with the hold it adds to): over it, an amount-controllable request is approved for
 * what is left under the cap, if anything is; any other is declined.
 */
export function decide(authorization: AuthorizationRequest, ruleSet: RuleSet): Decision {
  if (ruleSet.killSwitch) return { approved: false, reason: 'kill_switch', source: 'stack' };
  if (!isDeclared(authorization.cardName, authorization.cardStack, authorization, ruleSet.accounts.cards, ruleSet)) {
    return { approved: ruleSet.unknownCards === 'approve', reason: 'unknown_card' };
  }
  const levels = applicableLevels(authorization, ruleSet);
  if (levels.length === 0) return { approved: true, reason: 'no_rules' };

  for (const { source, rules } of levels) {
    const reason = declineReason(authorization, rules);
    if (reason) return { approved: false, reason, source };
  }

  const cap = lowestCap(levels);
  if (cap && authorization.heldAmount + authorization.amount > cap.maxAmount) {
    // The webhook answer's `amount` must be positive (real-time authorizations, "Webhook response").
    const leftUnderCap = cap.maxAmount - authorization.heldAmount;
    return authorization.amountControllable && leftUnderCap > 0
      ? { approved: true, reason: 'amount_lowered_to_max', source: cap.source, amount: leftUnderCap }
      : { approved: false, reason: 'over_max_amount', source: cap.source };
  }
  return { approved: true, reason: 'within_rules', source: levels.map((level) => level.source).join('+') };
}

/**
 * Whether `name` is a card or cardholder this stack declares: its `pulumi_stack` is this stack, and the
 * account the event comes from is the one the stack declares it on (names repeat across stacks and
 * across accounts a Connect endpoint serves).
 */
function isDeclared(
  name: string | null,
  stack: string | null,
  authorization: AuthorizationRequest,
  accounts: Record<string, string>,
  ruleSet: RuleSet,
): name is string {
  return name !== null && stack === ruleSet.stack && authorization.account !== null && ownEntry(accounts, name) === authorization.account;
}

function applicableLevels(authorization: AuthorizationRequest, ruleSet: RuleSet): RuleLevel[] {
  const { cardholderName, cardName } = authorization;
  const levels: RuleLevel[] = [];
  const cardholderDeclared = isDeclared(
    cardholderName,
    authorization.cardholderStack,
    authorization,
    ruleSet.accounts.cardholders,
    ruleSet,
  );
  const cardholderRules = cardholderDeclared ? ownEntry(ruleSet.cardholders, cardholderName) : undefined;
  if (cardholderRules) levels.push({ source: `cardholder:${cardholderName}`, rules: cardholderRules });
  else if (ruleSet.default) levels.push({ source: 'default', rules: ruleSet.default });
  const cardRules = cardName === null ? undefined : ownEntry(ruleSet.cards, cardName);
  if (cardRules) levels.push({ source: `card:${cardName}`, rules: cardRules });
  return levels;
}

function declineReason(authorization: AuthorizationRequest, rules: AuthorizationRules): DecisionReason | undefined {
  const { merchantCategory, merchantCountry } = authorization;
  if (rules.killSwitch) return 'kill_switch';
  if (rules.allowedCategories && !rules.allowedCategories.includes(merchantCategory)) return 'category_not_allowed';
  if (rules.blockedCategories?.includes(merchantCategory)) return 'category_blocked';
  // An unknown merchant country cannot be shown to be allowed, but is not known to be blocked either.
  if (rules.allowedCountries && !(merchantCountry && rules.allowedCountries.includes(merchantCountry))) {
    return 'country_not_allowed';
  }
  if (merchantCountry && rules.blockedCountries?.includes(merchantCountry)) return 'country_blocked';
  return undefined;
}

function lowestCap(levels: RuleLevel[]): { source: string; maxAmount: number } | undefined {
  let cap: { source: string; maxAmount: number } | undefined;
  for (const { source, rules } of levels) {
    if (rules.maxAmount !== undefined && (!cap || rules.maxAmount < cap.maxAmount)) {
      cap = { source, maxAmount: rules.maxAmount };
    }
  }
  return cap;
}

// Names come from Stripe metadata: never let `__proto__` or `constructor` resolve to inherited values.
function ownEntry<T>(entries: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(entries, name) ? entries[name] : undefined;
}
