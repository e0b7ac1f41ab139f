/**
 * Prerequisites between the objects of one account, as Stripe states them: which capabilities a
 * capability, a financial account, each of its features and cardholders need, and what an active card
 * needs from its cardholder. The tables are data (one row per
 * Stripe rule, its source beside it); `prerequisiteProblems` applies them to every account of a file.
 */
import type { Feature } from '../provider/resources/financialAccountFeatures';
import { type PathSegment, renderPath } from './paths';
import type { Problem } from './schema';
import type { AccountConfig, IssuingConfig } from './types';

/**
 * Capabilities Stripe refuses (or leaves unusable) unless others are requested with them.
 * treasury: "Financial account features" guide, "You must request or have the following capabilities
 * active before you can request the treasury capability: transfers" (the older stripe.com/docs copy of
 * the page also lists card_payments; the current page does not, so neither do we).
 * card_issuing: "Set up an Issuing and Connect integration", "All accounts must request the
 * card_issuing and transfers account capabilities".
 */
export const CAPABILITY_NEEDS: Readonly<Record<string, readonly string[]>> = {
  treasury: ['transfers'],
  card_issuing: ['transfers'],
};

/**
 * Capabilities each financial-account feature needs on the account: the "Required capabilities" column
 * of Stripe's "Financial account features" table. Without them Stripe restricts the feature with
 * `status_details[].code = capability_not_requested`.
 */
export const FEATURE_CAPABILITIES: Readonly<Record<Feature, readonly string[]>> = {
  card_issuing: ['card_issuing'],
  deposit_insurance: ['treasury'],
  'financial_addresses.aba': ['treasury'],
  'inbound_transfers.ach': ['treasury', 'us_bank_account_ach_payments'],
  intra_stripe_flows: ['treasury'],
  'outbound_payments.ach': ['treasury', 'us_bank_account_ach_payments'],
  'outbound_payments.us_domestic_wire': ['treasury'],
  'outbound_transfers.ach': ['treasury', 'us_bank_account_ach_payments'],
  'outbound_transfers.us_domestic_wire': ['treasury'],
};

/**
 * Capabilities the objects of an account need.
 * financialAccount: "Working with financial accounts" (financial accounts are for connected accounts
 * with the treasury capability). cardholders (and their cards): "Working with Stripe Issuing cards",
 * "After the card_issuing capability is active, … can create cardholders and cards".
 */
export const OBJECT_CAPABILITIES = {
  financialAccount: ['treasury'],
  cardholders: ['card_issuing'],
} as const satisfies Partial<Record<keyof AccountConfig, readonly string[]>>;

type Loose = Record<string, unknown>;
const loose = (value: unknown): Loose => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : {});
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

const ACCOUNTS_PATH: PathSegment[] = ['config', 'stripe-issuing:issuing', 'accounts'];

export function prerequisiteProblems(issuing: IssuingConfig): Problem[] {
  return [
    ...Object.entries(loose(issuing.accounts)).flatMap(([name, account]) => accountProblems([...ACCOUNTS_PATH, name], loose(account))),
    ...sharedFinancialAccounts(issuing),
  ];
}

function accountProblems(path: PathSegment[], account: Loose): Problem[] {
  return [
    ...capabilityProblems(path, account),
    ...Object.entries(loose(account.cardholders)).flatMap(([name, holder]) =>
      namesForActiveCards([...path, 'cardholders', name], loose(holder)),
    ),
  ];
}

/** Every capability the account's capabilities, objects and features need is in its `capabilities` list. */
function capabilityProblems(path: PathSegment[], account: Loose): Problem[] {
  // A list the schema already refuses tells nothing about what is requested.
  if (account.capabilities !== undefined && !Array.isArray(account.capabilities)) return [];
  const requested = strings(account.capabilities);
  const listPath = renderPath([...path, 'capabilities']);
  const missing = (needs: readonly string[]) => needs.filter((capability) => !requested.includes(capability));
  const need = (at: PathSegment[], what: string, capabilities: string[]): Problem[] =>
    capabilities.length === 0
      ? []
      : [
          {
            path: renderPath(at),
            message: `${what} the ${capabilities.join(' and ')} capabilit${capabilities.length === 1 ? 'y' : 'ies'}: add ${capabilities.join(', ')} to ${listPath}`,
          },
        ];
  const problems: Problem[] = [];
  requested.forEach((capability, index) => {
    problems.push(...need([...path, 'capabilities', index], `${capability} needs`, missing(CAPABILITY_NEEDS[capability] ?? [])));
  });
  for (const [key, needs] of Object.entries(OBJECT_CAPABILITIES)) {
    const declared = account[key];
    if (declared === undefined || (key === 'cardholders' && Object.keys(loose(declared)).length === 0)) continue;
    problems.push(
      ...need([...path, key], key === 'cardholders' ? 'cardholders and their cards need' : 'a financial account needs', missing(needs)),
    );
  }
  // What the financial account itself needs is reported once, above, not for each feature again.
  const financialAccount = loose(account.financialAccount);
  const reported = account.financialAccount === undefined ? [] : missing(OBJECT_CAPABILITIES.financialAccount);
  strings(financialAccount.features).forEach((feature, index) => {
    const needs = missing(FEATURE_CAPABILITIES[feature as Feature] ?? []).filter((capability) => !reported.includes(capability));
    problems.push(...need([...path, 'financialAccount', 'features', index], `the ${feature} feature needs`, needs));
  });
  return problems;
}

/**
 * Stripe activates cards of individual cardholders only once they have a first and a last name
 * (`individual.first_name`: "Required before activating Cards").
 */
function namesForActiveCards(path: PathSegment[], holder: Loose): Problem[] {
  if ((holder.type ?? 'individual') !== 'individual') return [];
  const active = Object.entries(loose(holder.cards)).find(([, card]) => loose(card).status === 'active');
  if (active === undefined) return [];
  const individual = loose(holder.individual);
  return (['firstName', 'lastName'] as const)
    .filter((part) => individual[part] === undefined)
    .map((part) => ({
      path: renderPath([...path, 'individual', part]),
      message: `is required: Stripe activates an individual's cards only with a first and last name (cards.${active[0]} is status: active)`,
    }));
}

/**
 * A financial account belongs to one connected account: two accounts cannot reference (`id`) or adopt
 * the same one (two `adoptId`s are reported with the other adoptions, config/stack-rules.ts).
 */
function sharedFinancialAccounts(issuing: IssuingConfig): Problem[] {
  const first = new Map<string, { key: string; path: string }>();
  const problems: Problem[] = [];
  for (const [name, account] of Object.entries(loose(issuing.accounts))) {
    const financialAccount = loose(loose(account).financialAccount);
    for (const key of ['id', 'adoptId']) {
      const id = financialAccount[key];
      if (typeof id !== 'string') continue;
      const path = renderPath([...ACCOUNTS_PATH, name, 'financialAccount', key]);
      const earlier = first.get(id);
      if (earlier === undefined) first.set(id, { key, path });
      else if (key === 'id' || earlier.key === 'id') {
        problems.push({ path, message: `${id} is already given at ${earlier.path}: a financial account belongs to one connected account` });
      }
    }
  }
  return problems;
}
