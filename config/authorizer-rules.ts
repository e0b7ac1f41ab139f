/**
 * The authorizer's rule set as the stack file declares it: stack-wide settings under
 * `issuing.authorizer`, per-cardholder and per-card `authorization` rules keyed by the Pulumi
 * resource name the provider writes into each object's `pulumi_name` metadata. Built from the same
 * plan the program declares resources from.
 */
import { assertValidRuleSet } from '../authorizer/rule-set';
import type { AuthorizationRules, RuleSet } from '../authorizer/types';
import { type PlannedResource, planIssuing } from './plan';
import type { IssuingConfig, Mode } from './types';
import type { CheckedStack } from './validate';

export interface RuleSetOptions {
  /** The Pulumi stack: the `pulumi_stack` metadata of its cards. */
  stack: string;
  mode: Mode;
}

export function authorizationRuleSet(issuing: IssuingConfig, plan: readonly PlannedResource[], options: RuleSetOptions): RuleSet {
  const ofKind = (kind: PlannedResource['kind']) => plan.filter((planned) => planned.kind === kind);
  const rulesOf = (kind: PlannedResource['kind']) =>
    Object.fromEntries(
      ofKind(kind)
        .filter((planned) => planned.authorization !== undefined)
        .map((planned) => [planned.name, planned.authorization as AuthorizationRules]),
    );
  const accountsOf = (kind: PlannedResource['kind']) =>
    Object.fromEntries(ofKind(kind).map((planned) => [planned.name, planned.args.account as string]));
  const { killSwitch, defaultRules, unknownCards } = issuing.authorizer ?? {};
  return {
    stack: options.stack,
    // A live stack's authorizer vouches only for its own cards unless the stack file says otherwise.
    unknownCards: unknownCards ?? (options.mode === 'live' ? 'decline' : 'approve'),
    accounts: { cards: accountsOf('Card'), cardholders: accountsOf('Cardholder') },
    ...(killSwitch !== undefined ? { killSwitch } : {}),
    ...(defaultRules !== undefined ? { default: defaultRules } : {}),
    cardholders: rulesOf('Cardholder'),
    cards: rulesOf('Card'),
  };
}

/** The rule set of a checked stack file (`plan`: its plan, when the caller has it already). */
export function stackRuleSet(checked: CheckedStack, plan: readonly PlannedResource[] = planIssuing(checked.issuing, checked)): RuleSet {
  const ruleSet = authorizationRuleSet(checked.issuing, plan, checked);
  assertValidRuleSet(ruleSet);
  return ruleSet;
}
