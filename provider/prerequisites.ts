// When Stripe refuses a card because its financial account cannot fund cards, Stripe's message names
// the symptom (the card_issuing feature is not active) and not the cause, which is usually a capability
// of the connected account still waiting on something the stack file provides: the account's terms
// acceptance (`tosAcceptance.<product>`) or the capability itself (`capabilities`). This reads the
// account's capabilities and adds the cause, with the stack-file key, to the error.
import type Stripe from 'stripe';

/** The capabilities a financial account's card_issuing feature needs (Financial account features guide, "Available features"). */
const CARD_FUNDING_CAPABILITIES = ['treasury', 'card_issuing'] as const;

const ACCOUNTS_KEY = 'stripe-issuing:issuing.accounts';

interface StripeErrorShape {
  message?: string;
  param?: string;
  type?: string;
  code?: string;
  statusCode?: number;
  requestId?: string;
}

/** What the stack file must give for each requirement Stripe lists, or null when the stack file cannot give it. */
function stackKeyFor(requirement: string): string | null {
  const tos = /^settings\.(card_issuing|treasury)\.tos_acceptance\./.exec(requirement);
  return tos ? `tosAcceptance.${tos[1]}` : null;
}

/**
 * The stack-file key of the account a card belongs to, from the card's own key (`declaredAt`, e.g.
 * `issuing.accounts.acme.cardholders.jane.cards.travel`); `<name>` for a card declared outside a stack file.
 */
export function accountKeyOf(declaredAt: string | undefined): string {
  const [issuing, accounts, name] = declaredAt?.split('.') ?? [];
  return issuing === 'issuing' && accounts === 'accounts' && name ? `${ACCOUNTS_KEY}.${name}` : `${ACCOUNTS_KEY}.<name>`;
}

/** The cause of a capability not being active, in the stack file's terms; null when it is active. */
export function capabilityCause(account: string, capability: Stripe.Capability, under = accountKeyOf(undefined)): string | null {
  if (capability.status === 'active') return null;
  if (capability.status === 'unrequested' || !capability.requested) {
    return `the account ${account}'s ${capability.id} capability is not requested: add ${capability.id} to ${under}.capabilities for the account with id ${account}`;
  }
  const due = [...(capability.requirements?.past_due ?? []), ...(capability.requirements?.currently_due ?? [])];
  const keys = [...new Set(due.map(stackKeyFor).filter((key): key is string => key !== null))];
  const waiting = due.length > 0 ? `, waiting on ${[...new Set(due)].join(', ')}` : '';
  const fix =
    keys.length > 0
      ? `: set ${keys.map((key) => `${under}.${key}`).join(' and ')} (date, ip) in the stack file for the account with id ${account}`
      : due.length > 0
        ? ': the account holder provides these through Stripe-hosted onboarding (npm run onboarding-link)'
        : '';
  return `the account ${account}'s ${capability.id} capability is ${capability.status}${waiting}${fix}`;
}

/**
 * `error` with the cause added to its message when it is Stripe refusing the card's financial account
 * and a capability the card_issuing feature needs is not active; otherwise `error` itself. Looking the
 * cause up never hides the original error: if that fails too, the original is returned.
 */
export async function withCardFundingCause(stripe: Stripe, account: string, error: unknown, declaredAt?: string): Promise<unknown> {
  const e = error as StripeErrorShape;
  if (e?.param !== 'financial_account' || typeof e.message !== 'string') return error;
  try {
    const causes: string[] = [];
    for (const name of CARD_FUNDING_CAPABILITIES) {
      const cause = capabilityCause(account, await stripe.accounts.retrieveCapability(account, name), accountKeyOf(declaredAt));
      if (cause) causes.push(cause);
    }
    if (causes.length === 0) return error;
    const { message, param, type, code, statusCode, requestId } = e;
    return { message: `${message} Cause: ${causes.join('; ')}.`, param, type, code, statusCode, requestId };
  } catch {
    return error;
  }
}
