/** What connected accounts still have to provide, per capability, as a terminal table. */
import type Stripe from 'stripe';
import { type RequirementAction, requirementActions } from '../provider/requirements';
import { formatTable } from './table';

export interface CapabilityDue {
  /** `acme-card_issuing`: the capability's resource name. */
  capability: string;
  due: RequirementAction[];
}

/** One line per due requirement: capability, requirement, what provides it; undefined when nothing is due. */
export function requirementsTable(capabilities: CapabilityDue[]): string | undefined {
  const rows = capabilities.flatMap(({ capability, due }) => due.map((action) => [capability, action.requirement, action.satisfiedBy]));
  return rows.length > 0 ? formatTable(['capability', 'due now', 'satisfied by'], rows) : undefined;
}

/** Each requested capability of the stack's accounts as Stripe has it now (one list call per account). */
export async function capabilitiesDue(
  stripe: Stripe,
  stack: string,
  accounts: Record<string, string>,
): Promise<Array<CapabilityDue & { status: string }>> {
  const found: Array<CapabilityDue & { status: string }> = [];
  for (const [name, id] of Object.entries(accounts)) {
    const capabilities = await stripe.accounts.listCapabilities(id);
    for (const capability of capabilities.data.filter((c) => c.requested)) {
      const lists = { currentlyDue: capability.requirements?.currently_due ?? [], pastDue: capability.requirements?.past_due ?? [] };
      found.push({
        capability: `${name}-${capability.id}`,
        status: capability.status,
        due: requirementActions(lists, { stack, account: name }),
      });
    }
  }
  return found;
}
