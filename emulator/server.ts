// The HTTP front door: authentication, faults, Stripe-Account scoping, parameter validation,
// idempotency, the handler, status-change events, expansion, persistence, and the request record.
import * as http from 'node:http';
import Stripe from 'stripe';
import { invalidRequest, StripeApiError } from './errors';
import { applyExpand } from './expand';
import type { Faults } from './faults';
import { decodeForm, type FormObject } from './form';
import type { IdempotencyKeys, StoredResponse } from './idempotency';
import { newId } from './ids';
import type { RequestContext, Router } from './router';
import type { Runtime } from './runtime';
import { publishStatusChanges } from './status-changes';
import type { Store } from './store';

export interface RecordedRequest {
  method: string;
  path: string;
  /** The raw query string (GET/DELETE) without the leading '?'. */
  query: string;
  /** The raw form-encoded body (POST). */
  body: string;
  /** Query or body decoded into nested objects; values are the strings that were sent. */
  params: FormObject;
  stripeAccount: string | null;
  idempotencyKey: string | null;
  stripeVersion: string | null;
  requestId: string;
  /** The served operation the request matched ("POST /v1/issuing/cards/{card}"), or null. */
  operation: string | null;
  /** HTTP status answered; 0 when the connection was dropped on purpose. */
  status: number;
}

export interface ServerDeps {
  store: Store;
  runtime: Runtime;
  router: Router;
  faults: Faults;
  idempotency: IdempotencyKeys;
  recorded: RecordedRequest[];
  /** Most entries `recorded` keeps. */
  requestLogLimit: number;
  log: (line: string) => void;
  /** Called after every request that may have changed state. */
  changed: () => void;
}

const MUTATING = new Set(['POST', 'DELETE']);

/**
 * Largest request body read. Stripe documents no limit; the requests this project sends are a few
 * kilobytes, so a larger body is refused (413) before it is held in memory or decoded.
 */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Requests kept for `requests()` unless `requestLogLimit` says otherwise; the oldest go first. */
export const DEFAULT_REQUEST_LOG_LIMIT = 10_000;

export function createServer(deps: ServerDeps): http.Server {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > MAX_BODY_BYTES) return;
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      // Answer once and drop the connection rather than read the rest of an oversized body.
      req.pause();
      res.once('finish', () => req.destroy());
      const error = invalidRequest(`Request bodies are limited to ${MAX_BODY_BYTES} bytes by the emulator.`, {}, 413);
      res
        .writeHead(413, { 'content-type': 'application/json', connection: 'close' })
        .end(JSON.stringify(error.envelope(newId('req', 14)), null, 2));
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return;
      handle(deps, req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        // Nothing a client sends may stop the process: answer 500 if nothing was sent yet.
        deps.log(`internal error outside a request: ${(error as Error).stack ?? String(error)}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end();
      });
    });
    req.on('error', () => req.destroy());
  });
}

/** `/v1/x?a=b` → path and query, as sent: a URL parser would read `//host` as an authority (or throw on `//[`). */
function splitTarget(target: string): { path: string; query: string } {
  const mark = target.indexOf('?');
  return mark < 0 ? { path: target, query: '' } : { path: target.slice(0, mark), query: target.slice(mark + 1) };
}

/** Adds to the request record, keeping at most `limit` entries. */
function remember(recorded: RecordedRequest[], record: RecordedRequest, limit: number): void {
  recorded.push(record);
  if (recorded.length > limit) recorded.splice(0, recorded.length - limit);
}

async function handle(deps: ServerDeps, req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const { path, query } = splitTarget(req.url ?? '/');
  const header = (name: string) => {
    const value = req.headers[name];
    return (Array.isArray(value) ? value[0] : value) ?? null;
  };
  const record: RecordedRequest = {
    method,
    path,
    query,
    body: MUTATING.has(method) ? body : '',
    params: {},
    stripeAccount: header('stripe-account'),
    idempotencyKey: header('idempotency-key'),
    stripeVersion: header('stripe-version'),
    requestId: newId('req', 14),
    operation: null,
    status: 0,
  };
  remember(deps.recorded, record, deps.requestLogLimit);
  let response: StoredResponse;
  let replayed = false;
  try {
    if (deps.faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, deps.faults.latencyMs));
    const outcome = await execute(deps, method, path, record, header('authorization'));
    response = outcome.response;
    replayed = outcome.replayed;
  } catch (error) {
    response = errorResponse(deps, error, record.requestId);
  }
  record.status = response.status;
  if (MUTATING.has(method) && deps.faults.dropAfterExecution()) {
    record.status = 0;
    deps.log(`${method} ${path} executed, connection dropped (fault) ${record.requestId}`);
    req.socket.destroy();
    return;
  }
  deps.log(
    `${method} ${path} ${response.status}${replayed ? ' (idempotent replay)' : ''} ${record.requestId}${record.stripeAccount ? ` account=${record.stripeAccount}` : ''}`,
  );
  res.writeHead(response.status, {
    'content-type': 'application/json',
    'request-id': record.requestId,
    // Like Stripe: the version the request asked for, else the account default (the client's pinned one).
    'stripe-version': record.stripeVersion ?? Stripe.API_VERSION,
    ...(record.idempotencyKey && MUTATING.has(method) ? { 'idempotency-key': record.idempotencyKey } : {}),
    ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
  });
  res.end(response.body);
}

async function execute(
  deps: ServerDeps,
  method: string,
  path: string,
  record: RecordedRequest,
  authorization: string | null,
): Promise<{ response: StoredResponse; replayed: boolean }> {
  const fault = deps.faults.beforeRequest();
  if (fault === 'rate_limit') {
    throw invalidRequest(
      'Testmode request rate limit exceeded, the rate limits in testmode are lower than livemode. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
      { code: 'rate_limit' },
      429,
    );
  }
  if (fault === 'server_error') {
    throw new StripeApiError(500, 'api_error', 'An unknown error occurred (injected by the emulator fault settings).');
  }
  authenticate(authorization);
  // Only an authenticated request gets its body or query decoded.
  record.params = decodeForm(method === 'POST' ? record.body : record.query);
  const match = deps.router.match(method, path);
  record.operation = match.operation;
  const accountId = actingAccount(deps.store, record.stripeAccount);
  const key = MUTATING.has(method) ? record.idempotencyKey : null;
  if (key !== null && key.length > 255) {
    throw invalidRequest('Idempotency-Key must be at most 255 characters.', { param: 'Idempotency-Key' });
  }
  if (key !== null) {
    const outcome = deps.idempotency.begin(accountId, key, `${method} ${path} ${JSON.stringify(record.params)}`);
    if (outcome.kind === 'replay') return { response: outcome.response, replayed: true };
    if (outcome.kind === 'mismatch') {
      throw new StripeApiError(
        400,
        'idempotency_error',
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    if (outcome.kind === 'in_flight') {
      throw invalidRequest(
        'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through). Please try again later.',
        { code: 'idempotency_key_in_use' },
        409,
      );
    }
  }
  let request: ReturnType<typeof match.validate>;
  try {
    request = match.validate(record.params);
  } catch (error) {
    if (key !== null) deps.idempotency.release(accountId, key);
    throw error;
  }
  const ctx: RequestContext = {
    operation: match.operation,
    pathParams: match.pathParams,
    accountId,
    scope: deps.store.scope(accountId),
    store: deps.store,
    runtime: deps.runtime,
    requestId: record.requestId,
    idempotencyKey: record.idempotencyKey,
    emit: (type, object, previous) =>
      deps.runtime.events.emit(accountId, type, object, { id: record.requestId, idempotency_key: record.idempotencyKey }, previous),
  };
  let response: StoredResponse;
  try {
    const result = await request.run(ctx);
    response = { status: 200, body: JSON.stringify(applyExpand(ctx, result, request.expand), null, 2) };
  } catch (error) {
    response = errorResponse(deps, error, record.requestId);
  }
  if (MUTATING.has(method)) {
    publishStatusChanges(deps.store, deps.runtime.events, { id: record.requestId, idempotency_key: record.idempotencyKey });
    deps.changed();
  }
  if (key !== null) deps.idempotency.complete(accountId, key, response);
  return { response, replayed: false };
}

/** Stripe takes the secret key as a Bearer token or as the Basic-auth user name (`curl -u sk_test_…:`). */
function apiKey(authorization: string | null): string {
  if (!authorization) return '';
  const [scheme, value = ''] = authorization.split(/\s+/, 2);
  if (/^basic$/i.test(scheme)) return Buffer.from(value, 'base64').toString('utf8').split(':')[0];
  return /^bearer$/i.test(scheme) ? value : '';
}

function authenticate(authorization: string | null): void {
  const key = apiKey(authorization);
  if (!key) {
    throw invalidRequest(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      {},
      401,
    );
  }
  if (!key.startsWith('sk_test_')) {
    throw invalidRequest('Invalid API Key provided: the emulator accepts only test-mode secret keys (they start with sk_test_).', {}, 401);
  }
}

function actingAccount(store: Store, stripeAccount: string | null): string {
  if (stripeAccount === null) return store.platformAccountId;
  if (!store.findAccount(stripeAccount)) {
    throw invalidRequest(
      `The provided key does not have access to account '${stripeAccount}' (or that account does not exist). Application access may have been revoked.`,
      { code: 'account_invalid' },
      403,
    );
  }
  return stripeAccount;
}

function errorResponse(deps: ServerDeps, error: unknown, requestId: string): StoredResponse {
  if (error instanceof StripeApiError) return { status: error.status, body: JSON.stringify(error.envelope(requestId), null, 2) };
  deps.log(`internal error ${requestId}: ${(error as Error).stack ?? String(error)}`);
  const internal = new StripeApiError(500, 'api_error', `The emulator failed while handling this request (${requestId}); see its log.`);
  return { status: 500, body: JSON.stringify(internal.envelope(requestId), null, 2) };
}
