import type * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { sortedSet } from '../canonical';
import { type Fields, metadataField, type OutputsOf, outputs } from '../engine/fields';
import { type In, register } from '../engine/resource-class';
import type { BaseInputs, ResourceSpec } from '../engine/spec';
import { WEBHOOK_EVENT_TYPES } from '../stripeNames';
import * as v from '../validation';

export interface WebhookEndpointInputs extends Omit<BaseInputs, 'account'> {
  /** A connected account to own the endpoint; absent = the platform (usual with `connect: true`). */
  account?: string;
  url: string;
  /** Event types, e.g. `issuing_authorization.request`; `*` for all. */
  enabledEvents: string[];
  description?: string;
  /** Receive events of connected accounts. Create-only. */
  connect: boolean;
  /** API version of the event payloads. Create-only; absent = the account's default. */
  apiVersion?: string;
  metadata?: Record<string, string>;
}

export type WebhookEndpointArgs = In<Omit<WebhookEndpointInputs, 'pulumiStack' | 'pulumiName' | 'connect'>> & {
  /** Default false. */
  connect?: pulumi.Input<boolean>;
};

function checkUrl(failures: v.Failures, path: string, url: unknown) {
  if (!v.requireString(failures, path, url)) return;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
    failures.push({ property: path, reason: `must be an absolute http(s) URL, got "${url}"` });
  }
}

function checkEvents(failures: v.Failures, path: string, events: unknown) {
  if (events === undefined) failures.push({ property: path, reason: 'is required, e.g. ["issuing_authorization.request"] or ["*"]' });
  if (v.listAt(failures, path, events)) {
    if (events.length === 0) failures.push({ property: path, reason: 'must name at least one event type or "*"' });
    events.forEach((event, i) => {
      v.webhookEventType(failures, `${path}[${i}]`, event);
    });
  }
}

type Inputs = WebhookEndpointInputs & BaseInputs;

const webhookEndpointFields: Fields<Inputs, Stripe.WebhookEndpoint> = {
  url: {
    description: 'Where Stripe sends the events: an http(s) URL (https on a live stack).',
    required: true,
    schema: { type: 'string', pattern: '^https?://[^\\s/]+(/\\S*)?$', errorMessage: 'must be an http(s) URL' },
    mutability: 'updatable',
    check: checkUrl,
    read: (endpoint) => endpoint.url,
  },
  enabledEvents: {
    description: "Stripe's event types, e.g. `issuing_authorization.request`, or `*` for all.",
    required: true,
    schema: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: {
        enum: [...WEBHOOK_EVENT_TYPES],
        errorMessage: 'must be a Stripe event type such as issuing_authorization.request, or *',
      },
    },
    mutability: 'updatable',
    check: checkEvents,
    canonical: sortedSet,
    read: (endpoint) => sortedSet(endpoint.enabled_events),
  },
  description: {
    description: 'What the endpoint is for, at most 5000 characters; removing it clears it.',
    schema: { type: 'string', maxLength: 5000 },
    mutability: 'updatable',
    check: (failures, path, value) => v.optionalString(failures, path, value, 5000),
    empty: '',
    read: (endpoint) => endpoint.description ?? undefined,
  },
  // Stripe does not return `connect`: it is known only from what was sent.
  connect: {
    description:
      'Receive events of connected accounts (what issuing on connected accounts needs). Stripe does not return it: taken from state.',
    schema: { type: 'boolean' },
    mutability: 'createOnly',
    check: v.optionalBoolean,
    default: false,
    read: (_endpoint, prior) => prior.connect ?? false,
  },
  apiVersion: {
    description: "The Stripe API version of the event payloads, e.g. `2026-10-28.endive`; default: the account's.",
    schema: { $ref: '#/definitions/apiVersion' },
    mutability: 'createOnly',
    check: v.apiVersion,
    read: (endpoint) => endpoint.api_version ?? undefined,
  },
  metadata: metadataField(),
};

const webhookEndpointOutputs = outputs<Stripe.WebhookEndpoint, Inputs>()({
  // Stripe returns the secret only from create: later reads keep the one already in state.
  secret: {
    description: 'The signing secret (`whsec_…`), a Pulumi secret. Stripe shows it only at create; an adopted endpoint has none.',
    read: (endpoint, prior): string | undefined => endpoint.secret ?? (prior.secret as string | undefined),
  },
  status: { description: '`enabled` or `disabled`.', read: (endpoint) => endpoint.status },
});

export type WebhookEndpointOutputs = WebhookEndpointInputs & OutputsOf<typeof webhookEndpointOutputs>;

export const webhookEndpointSpec: ResourceSpec<Inputs, WebhookEndpointOutputs & BaseInputs, Stripe.WebhookEndpoint> = {
  typeName: 'WebhookEndpoint',
  idPrefix: 'we_',
  accountOptional: true,
  fields: webhookEndpointFields,

  create: (stripe, inputs, params, idempotencyKey) =>
    stripe.webhookEndpoints.create(params as Stripe.WebhookEndpointCreateParams, {
      idempotencyKey,
      ...(inputs.account ? { stripeAccount: inputs.account } : {}),
    }),

  retrieve: (stripe, id, account) => stripe.webhookEndpoints.retrieve(id, {}, account ? { stripeAccount: account } : {}),
  // No listOwned: `connect`, fixed at creation, is never returned by Stripe, so the endpoint a `connect`
  // replacement replaces could not be told from one an interrupted create left.
  idOf: (endpoint) => endpoint.id,
  // A deleted endpoint is gone (404), never dead-but-present.
  isDead: () => false,

  outputs: webhookEndpointOutputs,

  update: (stripe, id, _olds, news, params) =>
    stripe.webhookEndpoints.update(id, params as Stripe.WebhookEndpointUpdateParams, news.account ? { stripeAccount: news.account } : {}),

  async remove(stripe, id, props) {
    await stripe.webhookEndpoints.del(id, {}, props.account ? { stripeAccount: props.account } : {});
  },
};

/** A webhook endpoint. `secret` is a Pulumi secret output. Destroy deletes the endpoint. */
export const webhookEndpoint = register<Inputs, WebhookEndpointOutputs & BaseInputs, Stripe.WebhookEndpoint, WebhookEndpointArgs>(
  webhookEndpointSpec,
  { secretOutputs: ['secret'] },
);
/** What the engine runs for this type (the compiled package's entry exports it). */
export const webhookEndpointProvider = webhookEndpoint.provider;
export const WebhookEndpoint = webhookEndpoint.Class;
export type WebhookEndpoint = InstanceType<typeof WebhookEndpoint>;
