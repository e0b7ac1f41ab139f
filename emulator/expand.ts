// `expand[]=field` (and `data.field` on lists): replaces an id with the object it names, looked up on
// the acting account. Fields that are already objects stay as they are.
import { invalidRequest } from './errors';
import { includeOnlyExpanded } from './includable';
import { renderAccount } from './resources/accounts';
import { renderAuthorization, renderTransaction } from './resources/authorizations';
import { renderCard } from './resources/cards';
import { renderFinancialAccount } from './resources/treasury';
import type { RequestContext } from './router';

/** Expansions the handlers apply themselves (secrets revealed only on explicit request). */
const HANDLED_BY_ENDPOINT = new Set(['number', 'cvc', 'financial_addresses.aba.account_number']);

const RESOLVERS: Array<[string, (ctx: RequestContext, id: string) => unknown]> = [
  ['ich_', (ctx, id) => ctx.scope.cardholders[id]],
  ['iauth_', (ctx, id) => ctx.scope.authorizations[id] && renderAuthorization(ctx, ctx.scope.authorizations[id])],
  ['ipi_', (ctx, id) => ctx.scope.transactions[id] && renderTransaction(ctx.scope.transactions[id])],
  ['idp_', (ctx, id) => ctx.scope.disputes[id]],
  ['ic_', (ctx, id) => ctx.scope.cards[id] && renderCard(ctx.scope, ctx.scope.cards[id])],
  [
    'fa_',
    (ctx, id) => ctx.scope.financialAccounts[id] && renderFinancialAccount(ctx.store, ctx.accountId, ctx.scope.financialAccounts[id]),
  ],
  [
    'trxn_',
    (ctx, id) => {
      const found = ctx.scope.treasuryTransactions[id];
      if (!found) return undefined;
      const { entries: _entries, flow_details: _details, ...shown } = found;
      return shown;
    },
  ],
  ['acct_', (ctx, id) => ctx.store.findAccount(id) && renderAccount(ctx.store.findAccount(id)!)],
];

/** Expands the requested `expand[]` paths in a handler's result (a copy: handlers may return stored records). */
export function applyExpand(ctx: RequestContext, result: unknown, expand: string[]): unknown {
  const body = structuredClone(result);
  const paths = expand.filter((path) => !HANDLED_BY_ENDPOINT.has(path));
  includeOnlyExpanded(body, paths, []);
  for (const path of paths) expandPath(ctx, body, path.split('.'), path);
  return body;
}

function expandPath(ctx: RequestContext, node: unknown, segments: string[], fullPath: string): void {
  if (!node || typeof node !== 'object') return;
  const object = node as Record<string, unknown>;
  const [head, ...rest] = segments;
  if (object.object === 'list' && head === 'data' && Array.isArray(object.data)) {
    for (const item of object.data) expandPath(ctx, item, rest, fullPath);
    return;
  }
  if (!(head in object)) throw notExpandable(fullPath);
  if (rest.length > 0) {
    expandPath(ctx, object[head], rest, fullPath);
    return;
  }
  const value = object[head];
  if (typeof value !== 'string') return;
  const resolver = RESOLVERS.find(([prefix]) => value.startsWith(prefix));
  if (!resolver) throw notExpandable(fullPath);
  object[head] = resolver[1](ctx, value) ?? value;
}

function notExpandable(path: string) {
  return invalidRequest(`This property cannot be expanded (${path}).`, { param: 'expand' });
}
