// What a simulation needs from the stack: its file (mode, Stripe base URL and version, the declared
// cards) and the IDs `pulumi up` gave them (the `resources` stack output of index.ts).

import type { RuleSet } from '../authorizer/types';
import { stackRuleSet } from '../config/authorizer-rules';
import { type PlannedResource, planIssuing, type ResourceKey } from '../config/plan';
import { checkedStack, readStackDocument, type StackStripeSettings } from '../config/validate';
import type { ResourceRow } from '../program/declare';
import { assertKeyMayGoTo, CONFIG_KEYS, type StripeSettings } from '../provider/settings';
import { runPulumi } from '../toolchain/cli';
import { assertTestOnly } from './guard';

export interface SimulationStack {
  name: string;
  plan: PlannedResource[];
  rules: RuleSet;
  settings: StripeSettings;
}

/**
 * Reads `stacks/Pulumi.<stack>.yaml` under `projectRoot` and the Stripe connection. The test-mode
 * guard runs on the file's mode before the file is validated, so a live stack is refused first.
 */
export function loadSimulationStack(stack: string, projectRoot: string, env: NodeJS.ProcessEnv): SimulationStack {
  const document = readStackDocument(stack, projectRoot);
  assertTestOnly({ stack, mode: document.mode, apiKey: env.STRIPE_API_KEY });
  const checked = checkedStack(document);
  const plan = planIssuing(checked.issuing, checked);
  return { name: stack, plan, rules: stackRuleSet(checked, plan), settings: connection(checked.stripe, env) };
}

/**
 * The provider's settings as this stack gives them: the file's stripeApiBase/stripeApiVersion before
 * STRIPE_API_BASE/STRIPE_API_VERSION (the provider's precedence, so the simulation talks to the server
 * the stack's objects were created on); the key only from STRIPE_API_KEY, already checked by
 * assertTestOnly. Not `resolveSettings`: it prefers values a provider configured on globalThis, which
 * in a shared process (the test run) belong to another stack.
 */
function connection(stackFile: StackStripeSettings, env: NodeJS.ProcessEnv): StripeSettings {
  const apiBase = stackFile.apiBase ?? (env.STRIPE_API_BASE || undefined);
  if (apiBase) assertKeyMayGoTo(apiBase, 'test', stackFile.apiBase ? CONFIG_KEYS.apiBase : 'STRIPE_API_BASE');
  const apiVersion = stackFile.apiVersion ?? (env.STRIPE_API_VERSION || undefined);
  return { apiKey: env.STRIPE_API_KEY as string, mode: 'test', ...(apiBase ? { apiBase } : {}), ...(apiVersion ? { apiVersion } : {}) };
}

/** `Card:acme-jane-travel` → `ic_…`, from `pulumi stack output resources`. */
export async function stackResourceIds(stack: string, options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Map<ResourceKey, string>> {
  const result = await runPulumi(['stack', 'output', 'resources', '--json', '--stack', stack, '--non-interactive'], options);
  if (result.code !== 0) {
    throw new Error(
      `cannot read the outputs of stack ${stack} (pulumi stack output exited with ${result.code}): ` +
        `${result.stderr.trim() || result.stdout.trim()}\nBring the stack up first (pulumi up).`,
    );
  }
  const rows = JSON.parse(result.stdout) as ResourceRow[] | null;
  if (!Array.isArray(rows))
    throw new Error(`stack ${stack} has no \`resources\` output: bring it up with this project's program first (pulumi up).`);
  return new Map(rows.map((row) => [`${row.type}:${row.name}` as ResourceKey, row.id]));
}
