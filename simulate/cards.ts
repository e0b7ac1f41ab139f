// The stack's cards as a simulation addresses them: Pulumi name, Stripe ID, connected account and
// funding financial account, from the plan (names, accounts, references) and the stack's output IDs.
import { IdOf, type PlannedResource, type ResourceKey, resourceKey } from '../config/plan';

export interface SimulationCard {
  /** Pulumi resource name, also the card's `pulumi_name` metadata (`acme-jane-travel`). */
  name: string;
  cardholderName: string;
  id: string;
  account: string;
  /** The Treasury financial account the card spends from; null when the card has none. */
  financialAccount: string | null;
}

export function simulationCards(plan: readonly PlannedResource[], ids: ReadonlyMap<ResourceKey, string>): SimulationCard[] {
  const idOf = (key: ResourceKey) => {
    const id = ids.get(key);
    if (id === undefined) throw new Error(`${key} is declared in the stack file but not in the stack's outputs: run pulumi up first.`);
    return id;
  };
  const referenced = (value: unknown) => (value instanceof IdOf ? idOf(value.key) : typeof value === 'string' ? value : null);
  return plan
    .filter((planned) => planned.kind === 'Card')
    .map((planned) => {
      const cardholder = planned.args.cardholder as IdOf;
      return {
        name: planned.name,
        cardholderName: cardholder.key.slice(cardholder.key.indexOf(':') + 1),
        id: idOf(resourceKey('Card', planned.name)),
        account: planned.args.account as string,
        financialAccount: referenced(planned.args.financialAccount),
      };
    });
}
