/**
 * On a live-mode stack every card is `protect`ed: a card the program stops declaring (a renamed key, a
 * deleted line in the stack file) is then refused by the engine instead of canceled for good.
 */
import type { DeclaredResource, StackSettings, Violation } from '../resources';
import { whereDeclared } from '../resources';

export const LIVE_CARD_PROTECTED = {
  name: 'live-card-protected',
  description: 'On a live-mode stack every card has the protect option.',
  enforcementLevel: 'mandatory',
} as const;

export function unprotectedLiveCards(resources: readonly DeclaredResource[], stack: StackSettings): Violation[] {
  if (!stack.live) return [];
  return resources
    .filter((resource) => resource.type === 'Card' && !resource.protect)
    .map((card) => ({
      urn: card.urn,
      message:
        `${whereDeclared(card)} is a live card without \`protect\`: removing it from the stack would cancel it for good. ` +
        'Declare it with the `protect: true` resource option.',
    }));
}
