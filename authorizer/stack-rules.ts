// The authorizer's rule set of a stack, from the same plan the Pulumi program declares resources
// from: rules are keyed by the planned resource names, which the provider writes as `pulumi_name`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stackFilePath } from '../config/paths';
import { planIssuing, type PlannedResource } from '../config/plan';
import type { AuthorizerConfig, IssuingConfig, Mode } from '../config/types';
import { checkStackText } from '../config/validate';
import { parseYaml } from '../config/yaml';
import { assertValidRuleSet, type RuleSet } from './rules';

export function ruleSetFromPlan(plan: readonly PlannedResource[], authorizer: AuthorizerConfig = {}): RuleSet {
  const ruleSet: RuleSet = {
    ...(authorizer.killSwitch === undefined ? {} : { killSwitch: authorizer.killSwitch }),
    ...(authorizer.defaultRules === undefined ? {} : { default: authorizer.defaultRules }),
    cardholders: {},
    cards: {},
  };
  for (const planned of plan) {
    if (planned.authorization === undefined) continue;
    if (planned.kind === 'Card') ruleSet.cards[planned.name] = planned.authorization;
    if (planned.kind === 'Cardholder') ruleSet.cardholders[planned.name] = planned.authorization;
  }
  return ruleSet;
}

/** Reads and checks `stacks/Pulumi.<stack>.yaml` under `projectRoot`; throws listing every problem. */
export function loadStackRuleSet(stack: string, projectRoot: string): RuleSet {
  const file = stackFilePath(stack);
  let text: string;
  try {
    text = fs.readFileSync(path.join(projectRoot, file), 'utf8');
  } catch (error) {
    throw new Error(`${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): is "${stack}" a stack of this project?`);
  }
  const problems = checkStackText(file, text);
  if (problems.length > 0) throw new Error(`${file} is not valid:\n  ${problems.join('\n  ')}`);
  const config = (parseYaml(text).value as { config: Record<string, unknown> }).config;
  const issuing = config['stripe-issuing:issuing'] as IssuingConfig;
  const mode = (config['stripe-issuing:mode'] ?? 'test') as Mode;
  const ruleSet = ruleSetFromPlan(planIssuing(issuing, { mode }), issuing.authorizer);
  assertValidRuleSet(ruleSet);
  return ruleSet;
}
