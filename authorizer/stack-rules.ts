// The authorizer's rule set of a stack, from the same plan the Pulumi program declares resources
// from (config/rules.ts maps it): rules are keyed by the resource names written as `pulumi_name`.
import { readStackFile } from '../config/paths';
import { planIssuing } from '../config/plan';
import { authorizationRuleSet } from '../config/rules';
import type { IssuingConfig, Mode } from '../config/types';
import { checkStackText } from '../config/validate';
import { parseYaml } from '../config/yaml';
import { assertValidRuleSet, type RuleSet } from './rules';

/** Reads and checks `stacks/Pulumi.<stack>.yaml` under `projectRoot`; throws listing every problem. */
export function loadStackRuleSet(stack: string, projectRoot: string): RuleSet {
  const { file, text } = readStackFile(stack, projectRoot);
  const problems = checkStackText(file, text);
  if (problems.length > 0) throw new Error(`${file} is not valid:\n  ${problems.join('\n  ')}`);
  const config = (parseYaml(text).value as { config: Record<string, unknown> }).config;
  const issuing = config['stripe-issuing:issuing'] as IssuingConfig;
  const mode = (config['stripe-issuing:mode'] ?? 'test') as Mode;
  const ruleSet = authorizationRuleSet(issuing, planIssuing(issuing, { mode }));
  assertValidRuleSet(ruleSet);
  return ruleSet;
}
