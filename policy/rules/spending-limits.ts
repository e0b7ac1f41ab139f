/**
 * Every card has a spending limit: its own `spendingControls.spendingLimits`, or its cardholder's
 * (Stripe applies both to each authorization, so a cardholder's limit bounds all of its cards). A card
 * with neither can spend up to Stripe's default per-authorization cap again and again.
 */
import { type DeclaredResource, isRecord, UNKNOWN, type Violation, whereDeclared } from '../resources';

export const CARD_SPENDING_LIMIT = {
  name: 'card-spending-limit',
  description: 'Every card has a spending limit, its own or its cardholder’s.',
  enforcementLevel: 'mandatory',
} as const;

/** A value not known during preview counts as a limit: the update's own checks judge it then. */
function hasLimit(resource: DeclaredResource | undefined): boolean {
  const controls = resource?.inputs.spendingControls;
  if (controls === UNKNOWN) return true;
  if (!isRecord(controls)) return false;
  const limits = controls.spendingLimits;
  return limits === UNKNOWN || (Array.isArray(limits) && limits.length > 0);
}

export function cardsWithoutLimit(resources: readonly DeclaredResource[]): Violation[] {
  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  return resources
    .filter((resource) => resource.type === 'Card')
    .filter((card) => {
      const holders = card.dependencies.map((urn) => byUrn.get(urn)).filter((dep) => dep?.type === 'Cardholder');
      return !hasLimit(card) && !holders.some(hasLimit);
    })
    .map((card) => ({
      urn: card.urn,
      message:
        `${whereDeclared(card)} has no spending limit, and neither has its cardholder: add ` +
        '`spendingControls.spendingLimits: [{amount: …, interval: …}]` to the card or to its cardholder.',
    }));
}
