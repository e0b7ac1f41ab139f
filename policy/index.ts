/**
 * The platform's policy pack for Stripe Issuing stacks (docs/policies.md): `pulumi preview --policy-pack
 * policy`. Each rule is a pure function in rules/ over the plain view of resources.ts; this file only
 * turns what @pulumi/policy hands a validation into that view and reports what the rules find.
 *
 * Resource validations (personal data, live cards protected) run before each resource's step, so they
 * stop a `pulumi up` in time. Stack validations (limits and categories, which need a card's cardholder;
 * replacements and deletions, which need the checkpoint) run once every resource is registered: at the
 * end of a preview, which is where the pull-request pipeline runs the pack.
 */

import { PolicyPack, type PolicyResource, type ReportViolation, type ResourceValidationArgs } from '@pulumi/policy';
import * as pulumi from '@pulumi/pulumi';
import { type DeclaredResource, type RecordedResource, type StackSettings, shortType, type Violation } from './resources';
import { BLOCKED_CATEGORIES_BASELINE, DEFAULT_BLOCKED_CATEGORIES, weakerThanBaseline } from './rules/blocked-categories';
import {
  AUTHORIZATION_ENDPOINT_REPLACED,
  authorizationEndpointReplaced,
  IRREVERSIBLE_ON_LIVE,
  irreversibleOnLive,
  plannedSteps,
} from './rules/irreversible';
import { LIVE_CARD_PROTECTED, unprotectedLiveCards } from './rules/live-protect';
import { DEFAULT_PERSONAL_DATA_FIELDS, PERSONAL_DATA_SECRET, plainPersonalData } from './rules/personal-data';
import { CARD_SPENDING_LIMIT, cardsWithoutLimit } from './rules/spending-limits';
import { rawInputs, secretPaths, trackSecrets } from './secrets';
import { readCheckpoint } from './state';

trackSecrets();

/** The stack's own settings, from the config the engine gave the pack (PULUMI_CONFIG). */
function stackSettings(): StackSettings {
  const config = new pulumi.Config('stripe-issuing');
  return { live: config.get('mode') === 'live', demo: config.getBoolean('demo') === true };
}

/**
 * Inputs by URN, as the resource validations saw them: a stack validation gets each resource's outputs,
 * where a secret input may come back plain (or, during preview, unknown), so it judges these instead.
 */
const declaredInputs = new Map<string, Pick<DeclaredResource, 'inputs' | 'secretPaths'>>();

function declared(args: ResourceValidationArgs): DeclaredResource | undefined {
  const type = shortType(args.type);
  if (!type) return undefined;
  const inputs = rawInputs(args.props);
  const seen = { inputs, secretPaths: secretPaths(args.props) ?? new Set<string>() };
  declaredInputs.set(args.urn, seen);
  return { urn: args.urn, type, name: args.name, ...seen, protect: args.opts.protect, dependencies: [] };
}

function declaredInStack(resources: PolicyResource[]): DeclaredResource[] {
  return resources.flatMap((resource) => {
    const type = shortType(resource.type);
    if (!type) return [];
    const seen = declaredInputs.get(resource.urn) ?? { inputs: rawInputs(resource.props), secretPaths: new Set<string>() };
    return [
      {
        urn: resource.urn,
        type,
        name: resource.name,
        ...seen,
        protect: resource.opts.protect,
        dependencies: resource.dependencies.map((dependency) => dependency.urn),
      },
    ];
  });
}

const report = (reportViolation: ReportViolation, violations: Violation[]) => {
  for (const violation of violations) reportViolation(violation.message, violation.urn);
};

/** The checkpoint, or a violation saying why the rule could not judge (a guard that cannot see fails closed). */
async function checkpointOr(reportViolation: ReportViolation): Promise<RecordedResource[] | undefined> {
  try {
    return await readCheckpoint();
  } catch (error) {
    reportViolation(`Could not read the stack's last checkpoint to find replacements and deletions: ${(error as Error).message}`);
    return undefined;
  }
}

new PolicyPack('stripe-issuing-policies', {
  policies: [
    {
      ...CARD_SPENDING_LIMIT,
      validateStack: (args, reportViolation) => report(reportViolation, cardsWithoutLimit(declaredInStack(args.resources))),
    },
    {
      ...LIVE_CARD_PROTECTED,
      validateResource: (args, reportViolation) => {
        const resource = declared(args);
        if (resource) report(reportViolation, unprotectedLiveCards([resource], stackSettings()));
      },
    },
    {
      ...BLOCKED_CATEGORIES_BASELINE,
      configSchema: { properties: { ...BLOCKED_CATEGORIES_BASELINE.configSchema.properties } },
      validateStack: (args, reportViolation) => {
        const baseline = args.getConfig<{ blockedCategories?: string[] }>().blockedCategories ?? DEFAULT_BLOCKED_CATEGORIES;
        report(reportViolation, weakerThanBaseline(declaredInStack(args.resources), baseline));
      },
    },
    {
      ...PERSONAL_DATA_SECRET,
      configSchema: { properties: { ...PERSONAL_DATA_SECRET.configSchema.properties } },
      validateResource: (args, reportViolation) => {
        const resource = declared(args);
        const fields = args.getConfig<{ fields?: string[] }>().fields ?? DEFAULT_PERSONAL_DATA_FIELDS;
        if (resource) report(reportViolation, plainPersonalData([resource], stackSettings(), fields));
      },
    },
    {
      ...IRREVERSIBLE_ON_LIVE,
      validateStack: async (args, reportViolation) => {
        const settings = stackSettings();
        if (!settings.live) return;
        const recorded = await checkpointOr(reportViolation);
        if (recorded) report(reportViolation, irreversibleOnLive(plannedSteps(declaredInStack(args.resources), recorded), settings));
      },
    },
    {
      ...AUTHORIZATION_ENDPOINT_REPLACED,
      validateStack: async (args, reportViolation) => {
        const recorded = await checkpointOr(reportViolation);
        if (recorded) report(reportViolation, authorizationEndpointReplaced(plannedSteps(declaredInStack(args.resources), recorded)));
      },
    },
  ],
});
