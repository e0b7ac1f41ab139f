/**
 * No card weaker than the platform's blocked categories. A category is blocked for a card when the card
 * or its cardholder blocks it (`blockedCategories`) or allows a list that leaves it out
 * (`allowedCategories`): Stripe declines an authorization that either level refuses.
 */
import { type DeclaredResource, isRecord, UNKNOWN, type Violation, whereDeclared } from '../resources';

/** The platform's baseline when the pack's config names none (the `blockedCategories` config value). */
export const DEFAULT_BLOCKED_CATEGORIES: readonly string[] = ['betting_casino_gambling'];

export const BLOCKED_CATEGORIES_BASELINE = {
  name: 'blocked-categories-baseline',
  description: 'Every card blocks at least the platform’s baseline merchant categories (policy config `blockedCategories`).',
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      blockedCategories: {
        type: 'array',
        items: { type: 'string' },
        default: [...DEFAULT_BLOCKED_CATEGORIES],
        description: "Stripe merchant categories every card must block, at the card's or its cardholder's level.",
      },
    },
  },
} as const;

/** Whether one level's controls block the category; undefined when not known during preview. */
function blocks(resource: DeclaredResource | undefined, category: string): boolean | undefined {
  const controls = resource?.inputs.spendingControls;
  if (controls === UNKNOWN) return undefined;
  if (!isRecord(controls)) return false;
  const { allowedCategories: allowed, blockedCategories: blocked } = controls;
  if (allowed === UNKNOWN || blocked === UNKNOWN) return undefined;
  if (Array.isArray(blocked) && blocked.includes(category)) return true;
  return Array.isArray(allowed) && allowed.length > 0 && !allowed.includes(category);
}

export function weakerThanBaseline(resources: readonly DeclaredResource[], baseline: readonly string[]): Violation[] {
  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  return resources
    .filter((resource) => resource.type === 'Card')
    .flatMap((card) => {
      const holder = card.dependencies.map((urn) => byUrn.get(urn)).find((dep) => dep?.type === 'Cardholder');
      const open = baseline.filter((category) => blocks(card, category) === false && blocks(holder, category) === false);
      if (open.length === 0) return [];
      return [
        {
          urn: card.urn,
          message:
            `${whereDeclared(card)} does not block ${open.join(', ')}, which the platform blocks on every card: add ` +
            `${open.length === 1 ? 'it' : 'them'} to \`spendingControls.blockedCategories\` of the card or its cardholder ` +
            '(or allow only categories that leave them out).',
        },
      ];
    });
}
