// Maps "METHOD /path" to the handler of a served operation. Every operation in SERVED_OPERATIONS must
// have exactly one handler, so nothing is served without a parameter schema and nothing is forgotten.
import { invalidRequest } from './errors';
import type { Params } from './params';
import { SERVED_OPERATIONS, ServedOperation } from './spec/served-operations';
import type { AccountScope, Store, StoredEvent } from './store';
import type { Runtime } from './runtime';

export interface RequestContext {
  operation: ServedOperation;
  pathParams: Record<string, string>;
  params: Params;
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

export type Handler = (ctx: RequestContext) => unknown | Promise<unknown>;
export type RouteTable = Partial<Record<ServedOperation, Handler>>;

interface CompiledRoute {
  operation: ServedOperation;
  method: string;
  pattern: RegExp;
  paramNames: string[];
  handler: Handler;
}

export interface RouteMatch {
  operation: ServedOperation;
  handler: Handler;
  pathParams: Record<string, string>;
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(tables: RouteTable[]) {
    const handlers: RouteTable = {};
    for (const table of tables) {
      for (const [operation, handler] of Object.entries(table) as [ServedOperation, Handler][]) {
        if (handlers[operation]) throw new Error(`two handlers for ${operation}`);
        handlers[operation] = handler;
      }
    }
    this.routes = SERVED_OPERATIONS.map((operation) => {
      const handler = handlers[operation];
      if (!handler) throw new Error(`no handler for served operation ${operation}`);
      const [method, template] = operation.split(' ');
      const paramNames: string[] = [];
      const source = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
        paramNames.push(name);
        return '([^/]+)';
      });
      return { operation, method, pattern: new RegExp(`^${source}$`), paramNames, handler };
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
      return { operation: route.operation, handler: route.handler, pathParams };
    }
    throw unrecognized(method, path);
  }
}

function unrecognized(method: string, path: string) {
  return invalidRequest(
    `Unrecognized request URL (${method}: ${path}). The emulator serves only the Stripe endpoints this project uses.`,
    {},
    404,
  );
}
