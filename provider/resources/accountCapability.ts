import type * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { compact } from '../canonical';
import { type Fields, type OutputsOf, outputs } from '../engine/fields';
import { type In, register } from '../engine/resource-class';
import type { BaseInputs, ResourceSpec } from '../engine/spec';
import { describeActions, dueNow, requirementActions } from '../requirements';
import { ACCOUNT_CAPABILITIES } from '../stripeNames';
import * as v from '../validation';

export interface AccountCapabilityInputs extends BaseInputs {
  /** Stripe's capability name: `card_issuing`, `treasury`, `transfers`, `card_payments`, … */
  capability: string;
  /**
   * Wait until Stripe reports `active`. Fails at once, listing each due requirement and what provides it,
   * when the capability is inactive on requirements only the platform can provide; otherwise (Stripe
   * reviewing) fails the same way when `waitTimeoutSeconds` runs out.
   */
  waitForActive?: boolean;
  waitTimeoutSeconds?: number;
  /**
   * Unrequest the capability when the resource leaves the stack. Default false: it stays requested in
   * Stripe (other stacks or products may rely on it, and Stripe refuses to unrequest permanent ones).
   */
  unrequestOnRemove?: boolean;
}

export type AccountCapabilityArgs = In<Omit<AccountCapabilityInputs, 'pulumiStack' | 'pulumiName' | 'adoptId'>>;

export interface CapabilityRequirements {
  currentlyDue: string[];
  pastDue: string[];
  eventuallyDue: string[];
  disabledReason?: string;
  currentDeadline?: number;
}

export const DEFAULT_WAIT_SECONDS = 300;
const POLL_MS = 2000;

const capabilityOf = (id: string) => id.slice(id.indexOf('/') + 1);

function requirementsOf(capability: Stripe.Capability): CapabilityRequirements {
  const r = capability.requirements;
  return (
    (compact({
      currentlyDue: r?.currently_due ?? [],
      pastDue: r?.past_due ?? [],
      eventuallyDue: r?.eventually_due ?? [],
      disabledReason: r?.disabled_reason ?? undefined,
      currentDeadline: r?.current_deadline ?? undefined,
    }) as CapabilityRequirements) ?? { currentlyDue: [], pastDue: [], eventuallyDue: [] }
  );
}

/** What is due and what provides each item, or why nothing is listed. */
function describeDue(capability: Stripe.Capability, inputs: Pick<AccountCapabilityInputs, 'pulumiStack' | 'account'>): string {
  const r = requirementsOf(capability);
  const actions = requirementActions(r, { stack: inputs.pulumiStack, account: inputs.account });
  const parts = [
    actions.length ? `due now: ${describeActions(actions)}` : undefined,
    r.disabledReason ? `disabled reason: ${r.disabledReason}` : undefined,
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'nothing listed as due (Stripe is reviewing)';
}

/**
 * Statuses Stripe leaves only once the platform provides what is due: waiting longer cannot help.
 * (`pending` is Stripe reviewing, which does end on its own.)
 */
const WAITING_ON_PLATFORM: readonly string[] = ['inactive', 'disabled'];
const waitingOnPlatform = (capability: Stripe.Capability) =>
  WAITING_ON_PLATFORM.includes(capability.status) && dueNow(requirementsOf(capability)).length > 0;

function checkTimeout(failures: v.Failures, path: string, timeout: unknown) {
  if (timeout !== undefined && (!Number.isInteger(timeout) || (timeout as number) < 1 || (timeout as number) > 3600)) {
    failures.push({ property: path, reason: `must be a whole number of seconds from 1 to 3600, got ${JSON.stringify(timeout)}` });
  }
}

// Only `capability` is a Stripe field. The others are not: changing them re-reads the capability and,
// when asked, waits for it; Stripe never returns them, so they read back from the last inputs.
const accountCapabilityFields: Fields<AccountCapabilityInputs, Stripe.Capability> = {
  capability: {
    description: "Stripe's capability name: `card_issuing`, `treasury`, `transfers`, `card_payments`, …",
    required: true,
    schema: {
      enum: [...ACCOUNT_CAPABILITIES],
      errorMessage: 'must be a Stripe account capability such as card_issuing, treasury, transfers or us_bank_account_ach_payments',
    },
    mutability: 'createOnly',
    check: v.capabilityName,
    read: (capability) => capability.id,
  },
  waitForActive: {
    description:
      'Wait until Stripe reports `active` (the stack file always waits). Fails at once, listing each due requirement and what provides it, when only the platform can provide them.',
    mutability: 'updatable',
    check: v.optionalBoolean,
    read: (_capability, prior) => prior.waitForActive,
  },
  waitTimeoutSeconds: {
    description: `How long \`waitForActive\` waits while Stripe reviews: 1 to 3600 seconds, default ${DEFAULT_WAIT_SECONDS}.`,
    mutability: 'updatable',
    check: checkTimeout,
    read: (_capability, prior) => prior.waitTimeoutSeconds,
  },
  unrequestOnRemove: {
    description:
      'Unrequest the capability when it leaves the stack. Default: it stays requested (other stacks or products may rely on it).',
    mutability: 'updatable',
    check: v.optionalBoolean,
    canonical: (value) => (value === true ? true : undefined),
    read: (_capability, prior) => prior.unrequestOnRemove,
  },
};

const capabilityOutputs = outputs<Stripe.Capability, AccountCapabilityInputs>()({
  status: {
    description: '`active`, `inactive`, `pending`, `unrequested` or `disabled`.',
    read: (capability) => capability.status as 'active' | 'inactive' | 'pending' | 'unrequested' | 'disabled',
  },
  requested: { description: 'Whether the capability is requested.', read: (capability) => capability.requested },
  requirements: {
    description: '`currentlyDue`, `pastDue`, `eventuallyDue`, `disabledReason`, `currentDeadline`.',
    read: (capability) => requirementsOf(capability),
  },
  warnings: {
    description: 'When not active: the status and each due requirement with what provides it (also logged).',
    read: (capability, prior) =>
      capability.status === 'active'
        ? []
        : [
            `${capability.id} on ${String(capability.account)} is ${capability.status}: ${describeDue(capability, {
              pulumiStack: prior.pulumiStack ?? '<stack>',
              account: String(capability.account),
            })}`,
          ],
  },
});

export type AccountCapabilityOutputs = AccountCapabilityInputs & OutputsOf<typeof capabilityOutputs>;

export const accountCapabilitySpec: ResourceSpec<AccountCapabilityInputs, AccountCapabilityOutputs, Stripe.Capability> = {
  typeName: 'AccountCapability',
  fields: accountCapabilityFields,

  // Capabilities live on the account object: the platform key addresses them by URL, no Stripe-Account.
  create: (stripe, inputs, _params, idempotencyKey) =>
    stripe.accounts.updateCapability(inputs.account, inputs.capability, { requested: true }, { idempotencyKey }),

  retrieve: (stripe, id, account) => stripe.accounts.retrieveCapability(account, capabilityOf(id)),
  idOf: (capability) => `${capability.account as string}/${capability.id}`,
  isDead: (capability) => !capability.requested,

  outputs: capabilityOutputs,

  async awaitUsable(stripe, capability, inputs) {
    if (!inputs.waitForActive) return capability;
    const deadline = Date.now() + (inputs.waitTimeoutSeconds ?? DEFAULT_WAIT_SECONDS) * 1000;
    let current = capability;
    while (current.status !== 'active') {
      if (waitingOnPlatform(current)) {
        throw new Error(
          `capability ${inputs.capability} on ${inputs.account} is ${current.status} until the platform provides ` +
            `what Stripe lists as due; ${describeDue(current, inputs)}`,
        );
      }
      if (Date.now() >= deadline) {
        throw new Error(
          `capability ${inputs.capability} on ${inputs.account} is still ${current.status} after ` +
            `${inputs.waitTimeoutSeconds ?? DEFAULT_WAIT_SECONDS}s: ${describeDue(current, inputs)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
      current = await stripe.accounts.retrieveCapability(inputs.account, inputs.capability);
    }
    return current;
  },

  update: (stripe, id, _olds, news) => stripe.accounts.retrieveCapability(news.account, capabilityOf(id)),

  async remove(stripe, id, props) {
    const log: typeof pulumi.log = require('@pulumi/pulumi').log;
    if (props.unrequestOnRemove !== true) {
      await log.info(
        `AccountCapability: left ${capabilityOf(id)} requested on ${props.account} (unrequestOnRemove is off); dropped from state`,
      );
      return;
    }
    try {
      await stripe.accounts.updateCapability(props.account, capabilityOf(id), { requested: false });
    } catch (error) {
      if (!isUnrequestRefused(error)) throw error;
      // Permanent capabilities cannot be unrequested once requested: leave it in Stripe, forget it here.
      const message = (error as { message?: string }).message ?? 'refused';
      await log.warn(`AccountCapability: Stripe kept ${capabilityOf(id)} requested on ${props.account} (${message}); dropped from state`);
    }
  },
};

/**
 * Stripe's refusal to unrequest a capability (a permanent one): a 400 invalid request about the
 * `requested` parameter itself, or saying it cannot be removed. Anything else (a malformed request, another account, rate limits, outages) is a real failure.
 */
export function isUnrequestRefused(error: unknown): boolean {
  const e = (error ?? {}) as { type?: string; statusCode?: number; code?: string | null; param?: string | null; message?: string };
  if (e.type !== 'StripeInvalidRequestError' || e.statusCode !== 400) return false;
  // `parameter_unknown`, `parameter_invalid_…`, `parameter_missing`: the request was wrong, not refused.
  if (typeof e.code === 'string' && e.code.startsWith('parameter_')) return false;
  return e.param === 'requested' || /\bcannot be (?:removed|unrequested)\b|\bpermanent\b/i.test(e.message ?? '');
}

/**
 * A capability requested on a connected account. Destroy leaves it requested in Stripe unless
 * `unrequestOnRemove` is set (then it unrequests, and warns where Stripe refuses a permanent one).
 */
export const accountCapability = register<AccountCapabilityInputs, AccountCapabilityOutputs, Stripe.Capability, AccountCapabilityArgs>(
  accountCapabilitySpec,
);
/** What the engine runs for this type (the compiled package's entry exports it). */
export const accountCapabilityProvider = accountCapability.provider;
export const AccountCapability = accountCapability.Class;
export type AccountCapability = InstanceType<typeof AccountCapability>;
