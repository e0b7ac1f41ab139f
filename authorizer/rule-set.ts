// The check of a rule set as an adapter receives it (the Lambda reads it from its archive). Rules are
// declared per stack, keyed by the Pulumi resource names that the provider writes into each card's and
// cardholder's Stripe metadata as `pulumi_name`. A name alone does not identify a card: a Connect
// endpoint sees the cards of every connected account and of every stack, so a card is this stack's only
// when its `pulumi_stack`, its account and its `pulumi_name` all match.
import { type AuthorizationRules, type RuleSet, UNKNOWN_CARDS_POLICIES, type UnknownCardsPolicy } from './types';

const RULE_KEYS = new Set<keyof AuthorizationRules>([
  'killSwitch',
  'maxAmount',
  'allowedCategories',
  'blockedCategories',
  'allowedCountries',
  'blockedCountries',
]);
const RULE_SET_KEYS = new Set<keyof RuleSet>(['stack', 'unknownCards', 'accounts', 'killSwitch', 'default', 'cardholders', 'cards']);
const ACCOUNT_ID = /^acct_[A-Za-z0-9]+$/;
const COUNTRY_CODE = /^[A-Z]{2}$/;
const CATEGORY_NAME = /^[a-z0-9_]+$/;

/** Throws one error listing every problem in `ruleSet`, each naming its path and what is allowed. */
export function assertValidRuleSet(ruleSet: unknown): asserts ruleSet is RuleSet {
  const problems = ruleSetProblems(ruleSet);
  if (problems.length > 0) {
    throw new Error(`invalid authorization rules:\n  - ${problems.join('\n  - ')}`);
  }
}

function ruleSetProblems(ruleSet: unknown): string[] {
  if (!isRecord(ruleSet)) return ['rules: expected an object with `cardholders` and `cards`'];
  const problems = unknownKeys('rules', ruleSet, RULE_SET_KEYS);
  if (typeof ruleSet.stack !== 'string' || ruleSet.stack === '') problems.push('rules.stack: expected the Pulumi stack name');
  if (!UNKNOWN_CARDS_POLICIES.includes(ruleSet.unknownCards as UnknownCardsPolicy)) {
    problems.push(`rules.unknownCards: expected one of ${UNKNOWN_CARDS_POLICIES.join(', ')}`);
  }
  problems.push(...accountsProblems(ruleSet.accounts));
  if (ruleSet.killSwitch !== undefined && typeof ruleSet.killSwitch !== 'boolean') {
    problems.push('rules.killSwitch: expected true or false');
  }
  if (ruleSet.default !== undefined) problems.push(...rulesProblems('rules.default', ruleSet.default));
  for (const level of ['cardholders', 'cards'] as const) {
    const entries = ruleSet[level];
    if (!isRecord(entries)) {
      problems.push(`rules.${level}: expected an object keyed by Pulumi resource name`);
      continue;
    }
    for (const [name, rules] of Object.entries(entries)) {
      problems.push(...rulesProblems(`rules.${level}.${name}`, rules));
    }
  }
  return problems;
}

function accountsProblems(accounts: unknown): string[] {
  if (!isRecord(accounts)) return ['rules.accounts: expected `cards` and `cardholders`, each mapping resource names to acct_ IDs'];
  return (['cards', 'cardholders'] as const).flatMap((level) => {
    const entries = accounts[level];
    if (!isRecord(entries)) return [`rules.accounts.${level}: expected an object mapping resource names to acct_ IDs`];
    return Object.entries(entries)
      .filter(([, id]) => typeof id !== 'string' || !ACCOUNT_ID.test(id))
      .map(([name]) => `rules.accounts.${level}.${name}: expected a connected account ID (acct_…)`);
  });
}

function rulesProblems(path: string, rules: unknown): string[] {
  if (!isRecord(rules)) return [`${path}: expected an object of rules`];
  const problems = unknownKeys(path, rules, RULE_KEYS);
  if (rules.killSwitch !== undefined && typeof rules.killSwitch !== 'boolean') {
    problems.push(`${path}.killSwitch: expected true or false`);
  }
  if (rules.maxAmount !== undefined && !(Number.isSafeInteger(rules.maxAmount) && (rules.maxAmount as number) > 0)) {
    problems.push(`${path}.maxAmount: expected a positive whole number of minor currency units (e.g. 5000 = $50.00)`);
  }
  problems.push(
    ...exclusiveListProblems(
      path,
      rules,
      'allowedCategories',
      'blockedCategories',
      CATEGORY_NAME,
      'Stripe merchant category names in lower snake case, e.g. "taxicabs_limousines"',
    ),
    ...exclusiveListProblems(
      path,
      rules,
      'allowedCountries',
      'blockedCountries',
      COUNTRY_CODE,
      'ISO 3166-1 alpha-2 country codes in upper case, e.g. "US"',
    ),
  );
  return problems;
}

function exclusiveListProblems(
  path: string,
  rules: Record<string, unknown>,
  allowedKey: string,
  blockedKey: string,
  pattern: RegExp,
  allowed: string,
): string[] {
  const problems: string[] = [];
  if (rules[allowedKey] !== undefined && rules[blockedKey] !== undefined) {
    problems.push(`${path}: set either ${allowedKey} or ${blockedKey}, not both`);
  }
  for (const key of [allowedKey, blockedKey]) {
    const list = rules[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0) {
      problems.push(`${path}.${key}: expected a non-empty list of ${allowed}`);
      continue;
    }
    list.forEach((item, index) => {
      if (typeof item !== 'string' || !pattern.test(item)) {
        problems.push(`${path}.${key}[${index}]: ${JSON.stringify(item)} is not valid; expected ${allowed}`);
      }
    });
  }
  return problems;
}

function unknownKeys(path: string, value: Record<string, unknown>, known: Set<string>): string[] {
  return Object.keys(value)
    .filter((key) => !known.has(key))
    .map((key) => `${path}.${key}: unknown setting; allowed: ${[...known].join(', ')}`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
