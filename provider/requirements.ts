/**
 * What satisfies each requirement Stripe lists on a capability: a key of the stack file (the Issuing and
 * Treasury terms-of-service acceptance, see provider/tosAcceptance.ts) or Stripe-hosted onboarding
 * (`npm run onboarding-link`) for what does not belong in a repository (identity documents, personal
 * details). Pure; shared by the capability's wait, `npm start`'s table and `npm run review`.
 */

/** A requirement Stripe lists as due, and what provides it. */
export interface RequirementAction {
  requirement: string;
  satisfiedBy: string;
}

/** The due lists of a capability, as AccountCapability outputs them. */
export interface DueLists {
  currentlyDue?: string[];
  pastDue?: string[];
}

/** Where the requirement's account sits: its stack, and its logical name (or its `acct_` ID when unknown). */
export interface AccountInStack {
  stack: string;
  account: string;
}

/** Requirements Stripe needs now: `currently_due` and `past_due`, each once. */
export function dueNow(requirements: DueLists | undefined): string[] {
  return [...new Set([...(requirements?.pastDue ?? []), ...(requirements?.currentlyDue ?? [])])].sort();
}

/** `settings.card_issuing.tos_acceptance.date` → the stack key that provides it. */
function tosAcceptanceKey(requirement: string): string | undefined {
  const match = /^settings\.(card_issuing|treasury)\.tos_acceptance\.(date|ip|user_agent)$/.exec(requirement);
  if (!match) return undefined;
  return `tosAcceptance.${match[1]}.${match[2] === 'user_agent' ? 'userAgent' : match[2]}`;
}

export function satisfiedBy(requirement: string, where: AccountInStack): string {
  const key = tosAcceptanceKey(requirement);
  if (key !== undefined) {
    return where.account.startsWith('acct_')
      ? `stack file: ${key} of the account ${where.account}`
      : `stack file: accounts.${where.account}.${key}`;
  }
  return `hosted onboarding: npm run onboarding-link -- --stack ${where.stack} --account ${where.account}`;
}

export function requirementActions(requirements: DueLists | undefined, where: AccountInStack): RequirementAction[] {
  return dueNow(requirements).map((requirement) => ({ requirement, satisfiedBy: satisfiedBy(requirement, where) }));
}

/** One line per due requirement: `settings.card_issuing.tos_acceptance.date (stack file: …)`. */
export function describeActions(actions: RequirementAction[]): string {
  return actions.map((action) => `${action.requirement} (${action.satisfiedBy})`).join('; ');
}
