import * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { sortedSet } from './canonical';
import { type Fields, metadataField } from './fields';
import { implementationOf } from './implementation';
import { type BaseInputs, makeProvider, type ResourceSpec } from './mechanism';
import { type In, MODULE, resourceProps } from './resourceClass';
import * as v from './validation';

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

export interface WebhookEndpointOutputs extends WebhookEndpointInputs {
  /** The signing secret (`whsec_…`), shown by Stripe only at create; a Pulumi secret. None on an adopted endpoint. */
  secret?: string;
  status: string;
}

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
  url: { mutability: 'updatable', check: checkUrl, read: (endpoint) => endpoint.url },
  enabledEvents: {
    mutability: 'updatable',
    check: checkEvents,
    canonical: sortedSet,
    read: (endpoint) => sortedSet(endpoint.enabled_events),
  },
  description: {
    mutability: 'updatable',
    check: (failures, path, value) => v.optionalString(failures, path, value, 5000),
    empty: '',
    read: (endpoint) => endpoint.description ?? undefined,
  },
  // Stripe does not return `connect`: it is known only from what was sent.
  connect: { mutability: 'createOnly', check: v.optionalBoolean, default: false, read: (_endpoint, prior) => prior.connect ?? false },
  apiVersion: { mutability: 'createOnly', check: v.apiVersion, read: (endpoint) => endpoint.api_version ?? undefined },
  metadata: metadataField(),
};

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

  // Stripe returns the secret only from create: later reads keep the one already in state.
  outputsOf: (endpoint, prior) => ({ secret: endpoint.secret ?? prior.secret, status: endpoint.status }),

  update: (stripe, id, _olds, news, params) =>
    stripe.webhookEndpoints.update(id, params as Stripe.WebhookEndpointUpdateParams, news.account ? { stripeAccount: news.account } : {}),

  async remove(stripe, id, props) {
    await stripe.webhookEndpoints.del(id, {}, props.account ? { stripeAccount: props.account } : {});
  },
};

export const webhookEndpointProvider = makeProvider(webhookEndpointSpec);

const WEBHOOK_OUTPUTS = ['secret', 'status'] as const satisfies readonly (keyof WebhookEndpointOutputs)[];

/** A webhook endpoint. `secret` is a Pulumi secret output. Destroy deletes the endpoint. */
export class WebhookEndpoint extends pulumi.dynamic.Resource {
  declare readonly url: pulumi.Output<string>;
  declare readonly enabledEvents: pulumi.Output<string[]>;
  declare readonly connect: pulumi.Output<boolean>;
  declare readonly secret: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;

  constructor(name: string, args: WebhookEndpointArgs, opts?: pulumi.CustomResourceOptions) {
    const secretOpts = { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), 'secret'] };
    super(implementationOf('WebhookEndpoint'), name, resourceProps(name, args, WEBHOOK_OUTPUTS), secretOpts, MODULE, 'WebhookEndpoint');
  }
}
