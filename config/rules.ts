/**
 * The authorizer's rule set as the stack file declares it: stack-wide settings under
 * `issuing.authorizer`, per-cardholder and per-card `authorization` rules keyed by the Pulumi
 * resource name the provider writes into each object's `pulumi_name` metadata.
 */
import type { AuthorizationRules, RuleSet } from '../authorizer/rules';
import type { PlannedResource } from './plan';
import type { IssuingConfig } from './types';

export function authorizationRuleSet(issuing: IssuingConfig, plan: readonly PlannedResource[]): RuleSet {
  const rulesOf = (kind: PlannedResource['kind']) =>
    Object.fromEntries(
      plan
        .filter((planned) => planned.kind === kind && planned.authorization !== undefined)
        .map((planned) => [planned.name, planned.authorization as AuthorizationRules]),
    );
  const { killSwitch, defaultRules } = issuing.authorizer ?? {};
  return {
    ...(killSwitch !== undefined ? { killSwitch } : {}),
    ...(defaultRules !== undefined ? { default: defaultRules } : {}),
    cardholders: rulesOf('Cardholder'),
    cards: rulesOf('Card'),
  };
}
