import * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { UNKNOWN, compact, sameValue, sortedSet } from './canonical';
import { toStripe } from './casing';
import { BaseInputs, ResourceSpec, makeProvider, userMetadata } from './mechanism';
import { implementationOf } from './implementation';
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
  /** The signing secret (`whsec_…`), shown by Stripe only at create; a Pulumi secret. */
  secret: string;
  status: string;
}

export const webhookEndpointSpec: ResourceSpec<WebhookEndpointInputs & BaseInputs, Stripe.WebhookEndpoint> = {
  typeName: 'WebhookEndpoint',
  idPrefix: 'we_',
  accountOptional: true,
  createOnly: ['connect', 'apiVersion'],
  updatable: ['url', 'enabledEvents', 'description', 'metadata'],

  validate(news, failures) {
    v.unknownKeys(failures, '', news, [
      'account', 'pulumiStack', 'pulumiName', 'adoptId', 'url', 'enabledEvents', 'description', 'connect', 'apiVersion', 'metadata',
    ]);
    if (v.requireString(failures, 'url', news.url)) {
      let parsed: URL | undefined;
      try {
        parsed = new URL(news.url);
      } catch {
        parsed = undefined;
      }
      if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
        failures.push({ property: 'url', reason: `must be an absolute http(s) URL, got "${news.url}"` });
      }
    }
    if (news.enabledEvents === undefined) failures.push({ property: 'enabledEvents', reason: 'is required, e.g. ["issuing_authorization.request"] or ["*"]' });
    if (v.listAt(failures, 'enabledEvents', news.enabledEvents)) {
      if (news.enabledEvents.length === 0) failures.push({ property: 'enabledEvents', reason: 'must name at least one event type or "*"' });
      news.enabledEvents.forEach((event, i) => v.webhookEventType(failures, `enabledEvents[${i}]`, event));
    }
    v.optionalString(failures, 'description', news.description, 5000);
    v.optionalBoolean(failures, 'connect', news.connect);
    v.apiVersion(failures, 'apiVersion', news.apiVersion);
  },

  canonicalize: (news) => compact({
    url: news.url,
    enabledEvents: news.enabledEvents === UNKNOWN ? UNKNOWN : sortedSet(news.enabledEvents as string[]),
    description: news.description,
    connect: news.connect ?? false,
    apiVersion: news.apiVersion,
    metadata: news.metadata ?? {},
  }) ?? {},

  create(stripe, inputs, metadata, idempotencyKey) {
    return stripe.webhookEndpoints.create(
      toStripe({
        url: inputs.url,
        enabledEvents: inputs.enabledEvents,
        description: inputs.description,
        connect: inputs.connect,
        apiVersion: inputs.apiVersion,
        metadata,
      }),
      { idempotencyKey, ...(inputs.account ? { stripeAccount: inputs.account } : {}) },
    );
  },

  retrieve: (stripe, id, account) => stripe.webhookEndpoints.retrieve(id, {}, account ? { stripeAccount: account } : {}),
  // No listOwned: `connect`, fixed at creation, is never returned by Stripe, so the endpoint a `connect`
  // replacement replaces could not be told from one an interrupted create left.
  idOf: (endpoint) => endpoint.id,
  // A deleted endpoint is gone (404), never dead-but-present.
  isDead: () => false,

  inputsOf: (endpoint, prior) => compact({
    url: endpoint.url,
    enabledEvents: sortedSet(endpoint.enabled_events),
    description: endpoint.description ?? undefined,
    // Stripe does not return `connect`: it is known only from what was sent.
    connect: prior.connect ?? false,
    apiVersion: endpoint.api_version ?? undefined,
    metadata: userMetadata(endpoint.metadata),
  }) ?? {},

  // Stripe returns the secret only from create: later reads keep the one already in state.
  outputsOf: (endpoint, prior) => ({ secret: endpoint.secret ?? prior.secret, status: endpoint.status }),

  update(stripe, id, olds, news, metadata) {
    return stripe.webhookEndpoints.update(
      id,
      toStripe({
        ...(!sameValue(olds.url, news.url) ? { url: news.url } : {}),
        ...(!sameValue(olds.enabledEvents, news.enabledEvents) ? { enabledEvents: news.enabledEvents } : {}),
        ...(!sameValue(olds.description, news.description) ? { description: news.description ?? '' } : {}),
        metadata,
      }),
      news.account ? { stripeAccount: news.account } : {},
    );
  },

  async remove(stripe, id, props) {
    await stripe.webhookEndpoints.del(id, {}, props.account ? { stripeAccount: props.account } : {});
  },
};

export const webhookEndpointProvider = makeProvider(webhookEndpointSpec);

const WEBHOOK_OUTPUTS = ['secret', 'status'] as const;

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
