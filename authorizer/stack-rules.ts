// The authorizer's rule set of a stack, from the same plan the Pulumi program declares resources
// from (config/rules.ts maps it): rules are keyed by the resource names written as `pulumi_name`.
import { planIssuing } from '../config/plan';
import { authorizationRuleSet } from '../config/rules';
import type { IssuingConfig, Mode } from '../config/types';
import { assertValidStack, readStackDocument } from '../config/validate';
import { assertValidRuleSet, type RuleSet } from './rules';

/** Reads and checks `stacks/Pulumi.<stack>.yaml` under `projectRoot`; throws listing every problem. */
export function loadStackRuleSet(stack: string, projectRoot: string): RuleSet {
  const document = readStackDocument(stack, projectRoot);
  assertValidStack(document);
  const issuing = document.config['stripe-issuing:issuing'] as IssuingConfig;
  const mode = (document.config['stripe-issuing:mode'] ?? 'test') as Mode;
  const ruleSet = authorizationRuleSet(issuing, planIssuing(issuing, { mode }), { stack, mode });
  assertValidRuleSet(ruleSet);
  return ruleSet;
}
