/**
 * Declares the planned resources (config/plan.ts) with the provider's classes, wiring IDs and
 * dependencies, and the authorizer the stack asks for. `index.ts` calls it after validation; program
 * tests call it under Pulumi's runtime mocks.
 */
import * as pulumi from '@pulumi/pulumi';
import type { RuleSet } from '../authorizer/types';
import { authorizationRuleSet } from '../config/authorizer-rules';
import { renderPath } from '../config/paths';
import {
  IdOf,
  keyOf,
  LOCAL_AUTHORIZER_WEBHOOK,
  type PlannedResource,
  type PlanOptions,
  planIssuing,
  type ResourceKey,
  type ResourceKind,
  resourceKey,
} from '../config/plan';
import type { AuthorizerConfig, IssuingConfig } from '../config/types';
import { type DueLists, REGISTRY, type RequirementAction, requirementActions, type WebhookEndpoint } from './provider';

type AnyResourceClass = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;
const classOf = (kind: ResourceKind) => REGISTRY[kind].Class as unknown as AnyResourceClass;

export const AUTHORIZER_NAME = 'authorizer';

export interface DeclaredIssuing {
  plan: PlannedResource[];
  resources: Map<ResourceKey, pulumi.CustomResource>;
  rules: RuleSet;
  authorizer?: DeclaredAuthorizer;
}

export interface DeclaredAuthorizer {
  target: 'local' | 'aws-lambda';
  /** Where Stripe sends `issuing_authorization.request`. */
  url: pulumi.Input<string>;
  webhookEndpointId: pulumi.Output<string>;
  /** local: the signing secret the local handler verifies with (a Pulumi secret). */
  signingSecret?: pulumi.Output<string>;
}

export function declareIssuing(issuing: IssuingConfig, options: PlanOptions): DeclaredIssuing {
  const plan = planIssuing(issuing, options);
  const resources = new Map<ResourceKey, pulumi.CustomResource>();
  const declared = (key: ResourceKey) => {
    const resource = resources.get(key);
    if (resource === undefined) throw new Error(`internal: ${key} is used before it is declared`);
    return resource;
  };
  // The plan lists every resource after the ones it refers to.
  for (const planned of plan) {
    const args = Object.fromEntries(
      Object.entries(planned.args).map(([key, value]) => [key, value instanceof IdOf ? declared(value.key).id : value]),
    );
    const opts: pulumi.CustomResourceOptions = {
      dependsOn: planned.dependsOn.map(declared),
      ...(planned.protect ? { protect: true } : {}),
      ...(planned.retainOnDelete ? { retainOnDelete: true } : {}),
    };
    // Cards and cardholders name the stack-file key that accepts a freeze found in Stripe (provider/freeze.ts).
    const declaredAt = planned.kind === 'Card' || planned.kind === 'Cardholder' ? { declaredAt: renderPath(planned.path) } : {};
    resources.set(keyOf(planned), new (classOf(planned.kind))(planned.name, { ...args, ...declaredAt } as never, opts));
  }
  const rules = authorizationRuleSet(issuing, plan, { stack: pulumi.getStack(), mode: options.mode });
  const authorizer = issuing.authorizer?.enabled ? declareAuthorizer(issuing.authorizer, rules, resources) : undefined;
  return { plan, resources, rules, ...(authorizer ? { authorizer } : {}) };
}

function declareAuthorizer(
  config: AuthorizerConfig,
  rules: RuleSet,
  resources: Map<ResourceKey, pulumi.CustomResource>,
): DeclaredAuthorizer {
  if (config.target === 'aws-lambda') {
    // @pulumi/aws is loaded only by stacks that deploy the authorizer to AWS.
    const { AwsLambdaAuthorizer } = require('../authorizer/deploy') as typeof import('../authorizer/deploy');
    const lambda = new AwsLambdaAuthorizer(AUTHORIZER_NAME, {
      rules,
      // Validation requires it for aws-lambda (config/stack-rules.ts).
      stripeVersion: config.apiVersion as string,
      ...(config.logRetentionDays !== undefined ? { logRetentionDays: config.logRetentionDays } : {}),
      ...(config.memorySize !== undefined ? { memorySize: config.memorySize } : {}),
      ...(config.reservedConcurrency !== undefined ? { reservedConcurrency: config.reservedConcurrency } : {}),
    });
    return { target: 'aws-lambda', url: lambda.url, webhookEndpointId: lambda.webhookEndpointId };
  }
  // local: the handler runs next to the emulator (authorizer/local.ts), started by the demo with
  // this endpoint's signing secret and the stack's rules.
  const endpoint = resources.get(resourceKey('WebhookEndpoint', LOCAL_AUTHORIZER_WEBHOOK)) as WebhookEndpoint;
  // A created endpoint always has its secret (only an adopted one has none; this one is never adopted).
  return { target: 'local', url: endpoint.url, webhookEndpointId: endpoint.id, signingSecret: endpoint.secret as pulumi.Output<string> };
}

/** One row per declared resource, for the stack output people read after `pulumi up`. */
export interface ResourceRow {
  type: ResourceKind;
  name: string;
  id: string;
  status?: string;
  last4?: string;
  /** Capabilities: what Stripe needs now (`currently_due`, `past_due`) and what provides each. */
  requirementsDue?: RequirementAction[];
}

type FeatureStatuses = Record<string, { status: string }>;

/** A features resource has no single status: its row lists each feature's, e.g. `card_issuing active`. */
const featureSummary = (statuses: FeatureStatuses | undefined) =>
  statuses && Object.keys(statuses).length > 0
    ? Object.entries(statuses)
        .map(([feature, { status }]) => `${feature} ${status}`)
        .join(', ')
    : undefined;

// Accounts are declared at config/stripe-issuing:issuing/accounts/<name>: the name onboarding-link takes.
const accountNameOf = (planned: PlannedResource) => String(planned.path[3]);

export function resourceRows(declared: DeclaredIssuing): pulumi.Output<ResourceRow[]> {
  const stack = pulumi.getStack();
  return pulumi.all(
    declared.plan.map((planned) => {
      const resource = declared.resources.get(keyOf(planned)) as pulumi.CustomResource & {
        status?: pulumi.Output<unknown>;
        last4?: pulumi.Output<string>;
        statuses?: pulumi.Output<FeatureStatuses>;
        requirements?: pulumi.Output<DueLists>;
      };
      return pulumi
        .all([resource.id, resource.status, resource.last4, resource.statuses, resource.requirements])
        .apply(([id, status, last4, statuses, requirements]) => {
          const shown = typeof status === 'string' ? status : featureSummary(statuses);
          const due = requirements && requirementActions(requirements, { stack, account: accountNameOf(planned) });
          return {
            type: planned.kind,
            name: planned.name,
            id,
            ...(shown !== undefined ? { status: shown } : {}),
            ...(last4 !== undefined ? { last4 } : {}),
            ...(due && due.length > 0 ? { requirementsDue: due } : {}),
          };
        });
    }),
  );
}
