// Maps "METHOD /path" to the handler of a served operation. Every operation in SERVED_OPERATIONS must
// have exactly one handler, so nothing is served without a parameter schema and nothing is forgotten.
// A handler receives its operation's parameters typed as the pinned `stripe` package types them
// (OperationParams), after params.ts validated them against the operation's schema.
import { invalidRequest } from './errors';
import type { FormObject } from './form';
import { validateParams } from './params';
import type { Runtime } from './runtime';
import { type OperationParams, SERVED_OPERATIONS, type ServedOperation } from './spec/served-operations';
import type { AccountScope, Store, StoredEvent } from './store';

export interface RequestContext {
  operation: ServedOperation;
  pathParams: Record<string, string>;
  /** The account the request acts on: the Stripe-Account header, else the platform. */
  accountId: string;
  scope: AccountScope;
  store: Store;
  runtime: Runtime;
  requestId: string;
  idempotencyKey: string | null;
  /** Records an event on the acting account and hands it to webhook delivery. */
  emit(type: string, object: unknown, previousAttributes?: Record<string, unknown>): StoredEvent;
}

export type Handler<P> = (params: P, ctx: RequestContext) => unknown;
/** Handlers by operation; each receives the params type OperationParams names for its operation. */
export type RouteTable = { [O in ServedOperation]?: Handler<OperationParams[O]> };

/** A request whose parameters passed validation: the `expand[]` paths it asks for, and its handler. */
export interface ValidatedRequest {
  expand: string[];
  run(ctx: RequestContext): unknown;
}

interface CompiledRoute {
  operation: ServedOperation;
  method: string;
  pattern: RegExp;
  paramNames: string[];
  validate(raw: FormObject): ValidatedRequest;
}

export interface RouteMatch {
  operation: ServedOperation;
  pathParams: Record<string, string>;
  /** Checks the decoded form against the operation's schema (throws Stripe's parameter errors). */
  validate(raw: FormObject): ValidatedRequest;
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(tables: RouteTable[]) {
    this.routes = SERVED_OPERATIONS.map((operation) => {
      const [method, template] = operation.split(' ');
      const paramNames: string[] = [];
      const source = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
        paramNames.push(name);
        return '([^/]+)';
      });
      return { operation, method, pattern: new RegExp(`^${source}$`), paramNames, validate: bind(operation, tables) };
    }).sort((a, b) => a.paramNames.length - b.paramNames.length);
  }

  match(method: string, path: string): RouteMatch {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(path);
      if (!found) continue;
      const pathParams: Record<string, string> = {};
      for (const [i, name] of route.paramNames.entries()) {
        try {
          pathParams[name] = decodeURIComponent(found[i + 1]);
        } catch {
          throw unrecognized(method, path);
        }
      }
      return { operation: route.operation, pathParams, validate: route.validate };
    }
    throw unrecognized(method, path);
  }
}

/**
 * The operation's one handler, bound to its validation: generic in the operation, so the params
 * validateParams types for it are the ones its handler takes (no cast between them).
 */
function bind<O extends ServedOperation>(operation: O, tables: RouteTable[]): (raw: FormObject) => ValidatedRequest {
  const [handler, ...others] = tables.flatMap((table) => table[operation] ?? []);
  if (!handler) throw new Error(`no handler for served operation ${operation}`);
  if (others.length > 0) throw new Error(`two handlers for ${operation}`);
  return (raw) => {
    const params = validateParams(operation, raw);
    const { expand = [] }: { expand?: string[] } = params;
    return { expand, run: (ctx) => handler(params, ctx) };
  };
}

function unrecognized(method: string, path: string) {
  return invalidRequest(
    `Unrecognized request URL (${method}: ${path}). The emulator serves only the Stripe endpoints this project uses.`,
    {},
    404,
  );
}
