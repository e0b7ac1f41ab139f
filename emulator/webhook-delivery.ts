// Delivers events to webhook endpoints the way Stripe does: a signed JSON POST per matching enabled
// endpoint. Only loopback URLs are contacted (this machine has no network); others are refused quietly
// and the refusal is recorded. `issuing_authorization.request` is delivered synchronously and its answer
// is returned to the caller.
import * as http from 'node:http';
import * as https from 'node:https';
import { nowSeconds } from './ids';
import { stripeSignature } from './signature';
import type { Store, StoredEvent, WebhookEndpointRecord } from './store';

export interface WebhookDelivery {
  eventId: string;
  eventType: string;
  endpointId: string;
  url: string;
  outcome: 'delivered' | 'failed' | 'refused';
  status: number | null;
  error: string | null;
}

export type SyncAnswer =
  | { kind: 'no_endpoint' }
  | { kind: 'answered'; body: unknown }
  | { kind: 'timeout' }
  | { kind: 'error'; message: string };

const DELIVERY_TIMEOUT_MS = 10_000;
export const AUTHORIZATION_REQUEST_TIMEOUT_MS = 2_000;

export class WebhookDispatcher {
  private readonly log: WebhookDelivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly writeLog: (line: string) => void,
  ) {}

  deliveries(): WebhookDelivery[] {
    return [...this.log];
  }

  /** Resolves once every delivery started so far has finished. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Asynchronous delivery of an ordinary event to every matching endpoint. */
  dispatch(event: StoredEvent): number {
    const endpoints = this.matchingEndpoints(event);
    for (const endpoint of endpoints) {
      const delivery = this.deliver(event, endpoint, DELIVERY_TIMEOUT_MS).then(() => undefined);
      this.inFlight.add(delivery);
      void delivery.finally(() => this.inFlight.delete(delivery));
    }
    return endpoints.length;
  }

  /** Synchronous delivery to the first matching endpoint; its JSON answer is the decision. */
  async request(event: StoredEvent): Promise<SyncAnswer> {
    const [endpoint] = this.matchingEndpoints(event);
    if (!endpoint) return { kind: 'no_endpoint' };
    return this.deliver(event, endpoint, AUTHORIZATION_REQUEST_TIMEOUT_MS, true);
  }

  /** The account's own endpoints, then (for a connected account's event) the platform's Connect endpoints. */
  private matchingEndpoints(event: StoredEvent): WebhookEndpointRecord[] {
    const own = Object.values(this.store.scope(event.account ?? this.store.platformAccountId).webhookEndpoints).filter(
      (endpoint) => !endpoint.connect,
    );
    const connect = event.account
      ? Object.values(this.store.scope(this.store.platformAccountId).webhookEndpoints).filter((endpoint) => endpoint.connect)
      : [];
    return [...own, ...connect].filter(
      (endpoint) =>
        endpoint.status === 'enabled' && (endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(event.type)),
    );
  }

  private async deliver(event: StoredEvent, endpoint: WebhookEndpointRecord, timeoutMs: number, decision = false): Promise<SyncAnswer> {
    const record: WebhookDelivery = {
      eventId: event.id,
      eventType: event.type,
      endpointId: endpoint.id,
      url: endpoint.url,
      outcome: 'failed',
      status: null,
      error: null,
    };
    this.log.push(record);
    if (!isLoopbackUrl(endpoint.url)) {
      record.outcome = 'refused';
      record.error = 'not delivered: the emulator only delivers to loopback URLs (no network here)';
      return { kind: 'error', message: record.error };
    }
    const payload = JSON.stringify(event, null, 2);
    const signature = stripeSignature(payload, endpoint.secret, nowSeconds());
    const answer = await post(endpoint.url, payload, signature, timeoutMs);
    if (answer.kind === 'answered') record.status = answer.status;
    const refusal = answer.kind === 'answered' && decision ? decisionRefusal(answer) : undefined;
    if (answer.kind === 'answered' && answer.status >= 200 && answer.status < 300 && refusal === undefined) {
      record.outcome = 'delivered';
      this.writeLog(`webhook ${event.type} ${event.id} -> ${endpoint.id} ${answer.status}`);
      return parseAnswer(answer.body);
    }
    record.error = answer.kind === 'timeout' ? `no answer within ${timeoutMs} ms` : (refusal ?? answer.message);
    this.writeLog(`webhook ${event.type} ${event.id} -> ${endpoint.id} failed: ${record.error}`);
    return answer.kind === 'timeout' ? { kind: 'timeout' } : { kind: 'error', message: record.error };
  }
}

type PostResult =
  | { kind: 'answered'; status: number; headers: http.IncomingHttpHeaders; body: string; message: string }
  | { kind: 'timeout' }
  | { kind: 'error'; message: string };

function post(url: string, payload: string, signature: string, timeoutMs: number): Promise<PostResult> {
  return new Promise((resolve) => {
    const client = url.startsWith('https:') ? https : http;
    const request = client.request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(payload),
        'stripe-signature': signature,
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      },
    });
    const timer = setTimeout(() => {
      request.destroy();
      resolve({ kind: 'timeout' });
    }, timeoutMs);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        clearTimeout(timer);
        const status = response.statusCode ?? 0;
        resolve({
          kind: 'answered',
          status,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          message: `HTTP ${status}`,
        });
      });
    });
    request.on('error', (error) => {
      clearTimeout(timer);
      resolve({ kind: 'error', message: error.message });
    });
    request.end(payload);
  });
}

/**
 * Why a real-time authorization answer does not count, if it does not. Stripe, Issuing real-time
 * authorizations ("Webhook response"): status code "Return 200", header `Stripe-Version` "required";
 * otherwise Stripe applies the webhook timeout settings (here: decline, `webhook_error`).
 */
function decisionRefusal(answer: { status: number; headers: http.IncomingHttpHeaders }): string | undefined {
  if (answer.status !== 200) return `HTTP ${answer.status}: a decision counts only as a 200`;
  if (!answer.headers['stripe-version']) return 'HTTP 200 without a Stripe-Version header: a decision needs one';
  return undefined;
}

function parseAnswer(body: string): SyncAnswer {
  if (!body.trim()) return { kind: 'answered', body: {} };
  try {
    return { kind: 'answered', body: JSON.parse(body) };
  } catch {
    return { kind: 'error', message: 'the endpoint answered with a body that is not JSON' };
  }
}

export function isLoopbackUrl(url: string): boolean {
  try {
    const { hostname } = new URL(url);
    return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
  } catch {
    return false;
  }
}
