// Webhook endpoints (platform level; the secret is only in the create response) and the events list.

import { randomBytes } from 'node:crypto';
import type Stripe from 'stripe';
import { invalidRequest } from '../errors';
import { newId, nowSeconds } from '../ids';
import { paginate } from '../list';
import type { RequestContext, RouteTable } from '../router';
import { findIn, newestFirst, type WebhookEndpointRecord } from '../store';
import { mergeMetadata } from './accounts';

function renderEndpoint(endpoint: WebhookEndpointRecord): Stripe.WebhookEndpoint {
  const { secret: _secret, connect: _connect, ...visible } = endpoint;
  return visible;
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidRequest(`Invalid URL: ${url}. An explicit scheme (such as https) must be provided.`, { param: 'url' });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw invalidRequest(`Invalid URL: ${url}. The URL must use http or https.`, { param: 'url' });
  }
}

function findEndpoint(ctx: RequestContext): WebhookEndpointRecord {
  return findIn(ctx.scope.webhookEndpoints, ctx.pathParams.webhook_endpoint, 'webhook endpoint', 'webhook_endpoint');
}

export const webhookEndpointRoutes: RouteTable = {
  'POST /v1/webhook_endpoints': (params, ctx) => {
    checkUrl(params.url);
    const endpoint: WebhookEndpointRecord = {
      id: newId('we'),
      object: 'webhook_endpoint',
      api_version: params.api_version ?? null,
      application: null,
      created: nowSeconds(),
      description: params.description || null,
      enabled_events: params.enabled_events,
      livemode: false,
      metadata: mergeMetadata({}, params.metadata ?? {}),
      status: 'enabled',
      url: params.url,
      secret: `whsec_${randomBytes(24).toString('hex')}`,
      connect: params.connect ?? false,
    };
    ctx.scope.webhookEndpoints[endpoint.id] = endpoint;
    return { ...renderEndpoint(endpoint), secret: endpoint.secret };
  },
  'GET /v1/webhook_endpoints': (params, ctx) =>
    paginate(newestFirst(ctx.scope.webhookEndpoints).map(renderEndpoint), params, '/v1/webhook_endpoints'),
  'GET /v1/webhook_endpoints/{webhook_endpoint}': (_params, ctx) => renderEndpoint(findEndpoint(ctx)),
  'POST /v1/webhook_endpoints/{webhook_endpoint}': (params, ctx) => {
    const endpoint = findEndpoint(ctx);
    if (params.url !== undefined) {
      checkUrl(params.url);
      endpoint.url = params.url;
    }
    if (params.enabled_events !== undefined) endpoint.enabled_events = params.enabled_events;
    if (params.description !== undefined) endpoint.description = params.description || null;
    if (params.disabled !== undefined) endpoint.status = params.disabled ? 'disabled' : 'enabled';
    if (params.metadata !== undefined) endpoint.metadata = mergeMetadata(endpoint.metadata, params.metadata);
    return renderEndpoint(endpoint);
  },
  'DELETE /v1/webhook_endpoints/{webhook_endpoint}': (_params, ctx) => {
    const endpoint = findEndpoint(ctx);
    delete ctx.scope.webhookEndpoints[endpoint.id];
    return { id: endpoint.id, object: 'webhook_endpoint', deleted: true };
  },
  'GET /v1/events': (params, ctx) => {
    const types = params.types ?? (params.type ? [params.type] : null);
    const matches = (type: string) =>
      !types || types.some((wanted) => (wanted.endsWith('.*') ? type.startsWith(wanted.slice(0, -1)) : type === wanted));
    return paginate(
      newestFirst(ctx.scope.events).filter((event) => matches(event.type)),
      params,
      '/v1/events',
    );
  },
  'GET /v1/events/{id}': (_params, ctx) => findIn(ctx.scope.events, ctx.pathParams.id, 'event'),
};
