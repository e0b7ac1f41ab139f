/**
 * Steps that cannot be undone, found as the review finds them (lib/preview-summary.ts), from the stack's
 * last checkpoint and the inputs the program declares now. @pulumi/policy hands a pack only the new
 * inputs, never the operation or the old state (pulumi/pulumi-policy#154), so the pack reads the
 * checkpoint itself (state.ts) and decides as the provider's diff does (provider/engine/check-diff.ts
 * `diffInputs`): a resource is replaced when `account` or a create-only input changed, or is not known
 * during preview (its cardholder being replaced, say); deleted when the checkpoint has it and the program
 * no longer declares it, unless it was declared with `retainOnDelete`.
 */
import {
  containsUnknown,
  type DeclaredResource,
  isRecord,
  type RecordedResource,
  type StackSettings,
  type Violation,
  valueAt,
  whereDeclared,
} from '../resources';

/** Inputs Stripe sets only at create, per type (the `createOnly` fields of provider/resources/*.ts; a unit test keeps them equal). */
export const CREATE_ONLY: Readonly<Record<string, readonly string[]>> = {
  TosAcceptance: ['product'],
  AccountCapability: ['capability'],
  FinancialAccount: ['supportedCurrencies'],
  FinancialAccountFeatures: ['financialAccount'],
  Cardholder: ['name', 'type'],
  Card: ['cardholder', 'currency', 'type', 'secondLine'],
  WebhookEndpoint: ['connect', 'apiVersion'],
};

/** What each irreversible step does in Stripe (the `irreversible` options of provider/resources/*.ts). */
export const IRREVERSIBLE: Readonly<Record<string, Partial<Record<'delete' | 'replace', string>>>> = {
  Card: {
    delete: 'cancels the card in Stripe; a canceled card can never be used again',
    replace: 'cancels the current card (permanent) and issues a new one with a new number',
  },
  Cardholder: { replace: 'creates a new cardholder and deactivates the current one; its cards are replaced too' },
  FinancialAccount: {
    delete: 'closes the financial account; closing is permanent',
    replace: 'closes the current financial account (permanent) and opens a new one',
  },
};

export const IRREVERSIBLE_ON_LIVE = {
  name: 'irreversible-step-on-live',
  description: 'On a live-mode stack, no card is canceled or replaced and no cardholder or financial account is replaced or closed.',
  // Advisory: the pull-request gate (`approve-irreversible`, docs/team.md) is where such a step is approved,
  // per change; a mandatory policy could only be lifted for the whole stack. Every preview still warns.
  enforcementLevel: 'advisory',
} as const;

export const AUTHORIZATION_ENDPOINT_REPLACED = {
  name: 'authorization-endpoint-replaced',
  description: 'The webhook endpoint that receives issuing_authorization.request is neither replaced nor deleted.',
  enforcementLevel: 'mandatory',
} as const;

export const AUTHORIZATION_REQUEST_EVENT = 'issuing_authorization.request';

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical(value[key])]),
  );
}

/** The inputs whose change replaces the resource (none: it is updated in place, or kept). */
export function replacedBy(type: string, olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  return ['account', ...(CREATE_ONLY[type] ?? [])].filter((key) => {
    const next = valueAt(news, key);
    return containsUnknown(next) || !sameValue(valueAt(olds, key), next);
  });
}

export interface Step {
  op: 'replace' | 'delete' | 'cancel';
  type: string;
  urn: string;
  name: string;
  /** For a replace, the inputs that force it. */
  because?: string[];
  declared?: DeclaredResource;
  recorded: RecordedResource;
}

/** Replacements, deletions and card cancellations the next update would make, checkpoint against program. */
export function plannedSteps(declared: readonly DeclaredResource[], recorded: readonly RecordedResource[]): Step[] {
  const now = new Map(declared.map((resource) => [resource.urn, resource]));
  const steps: Step[] = [];
  for (const old of recorded) {
    const next = now.get(old.urn);
    const base = { type: old.type, urn: old.urn, name: old.name, recorded: old };
    if (!next) {
      if (!old.retainOnDelete) steps.push({ ...base, op: 'delete' });
      continue;
    }
    const because = replacedBy(old.type, old.inputs, next.inputs);
    if (because.length > 0) steps.push({ ...base, op: 'replace', because, declared: next });
    else if (old.type === 'Card' && next.inputs.status === 'canceled' && old.outputs.status !== 'canceled') {
      steps.push({ ...base, op: 'cancel', declared: next });
    }
  }
  return steps;
}

const describe = (step: Step): string =>
  step.declared ? whereDeclared(step.declared) : whereDeclared({ type: step.type, name: step.name, inputs: step.recorded.inputs });
const forcedBy = (step: Step): string => (step.because ? ` (${step.because.join(', ')} changed, which Stripe sets only at create)` : '');

export function irreversibleOnLive(steps: readonly Step[], stack: StackSettings): Violation[] {
  if (!stack.live) return [];
  return steps.flatMap((step) => {
    // A card already canceled in Stripe loses nothing more when deleted (the review says the same).
    if (step.op === 'delete' && step.type === 'Card' && step.recorded.outputs.status === 'canceled') return [];
    const what = step.op === 'cancel' ? IRREVERSIBLE.Card.delete : IRREVERSIBLE[step.type]?.[step.op];
    if (!what) return [];
    return [
      {
        urn: step.urn,
        message:
          `${describe(step)} would be ${step.op === 'cancel' ? 'canceled' : step.op === 'delete' ? 'removed' : 'replaced'}${forcedBy(step)}: ` +
          `this ${what}. On a live stack that needs the pull request's approve-irreversible label (docs/team.md).`,
      },
    ];
  });
}

function receivesAuthorizations(inputs: Record<string, unknown> | undefined): boolean {
  const events = inputs?.enabledEvents;
  return Array.isArray(events) && events.some((event) => event === AUTHORIZATION_REQUEST_EVENT || event === '*');
}

export function authorizationEndpointReplaced(steps: readonly Step[]): Violation[] {
  return steps
    .filter((step) => step.type === 'WebhookEndpoint' && (step.op === 'replace' || step.op === 'delete'))
    .filter((step) => receivesAuthorizations(step.recorded.inputs) || receivesAuthorizations(step.declared?.inputs))
    .map((step) => ({
      urn: step.urn,
      message:
        step.op === 'replace'
          ? `${describe(step)}, the endpoint of the real-time authorizer, would be replaced${forcedBy(step)}: the new endpoint ` +
            "signs with a new secret, and until every authorizer has it Stripe's requests fail their signature check and get " +
            "Stripe's timeout default. Keep its create-only inputs, or replace it on purpose with this policy set to advisory."
          : `${describe(step)}, the endpoint of the real-time authorizer, would be deleted: Stripe stops asking the authorizer ` +
            'and applies its timeout default to every authorization. Keep it, or remove it on purpose with this policy set to advisory.',
    }));
}
