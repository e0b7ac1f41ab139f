// Treasury Transactions: "Transactions represent changes to a FinancialAccount's balance" (stripe 23.1.0
// `Treasury.Transaction`), each made of TransactionEntries ("individual units of money movements within a
// single Transaction", `Treasury.TransactionEntry`). The emulator records one for each money movement it
// models: a succeeded ReceivedCredit (`flow_type: received_credit`, posted, `cash` +), a succeeded
// ReceivedDebit (`received_debit`, posted, `cash` −; card captures are ReceivedDebits too) and the hold of
// an approved Issuing authorization on a financial-account card (`issuing_authorization`): an
// `issuing_authorization_hold` entry moves the amount from `cash` to `outbound_pending` and the Transaction
// stays `open`; each release (capture, reversal, expiry, a lower final amount) adds an
// `issuing_authorization_release` entry moving it back, and once nothing is held the Transaction is
// `void` (its balance impact is then zero: the capture's money moved by its own ReceivedDebit).
// `balance_impact` is the sum of the entries. The README's table names what the sources leave open.
import type Stripe from 'stripe';
import { invalidRequest } from '../errors';
import { newId, nowSeconds } from '../ids';
import { filterBy, paginate } from '../list';
import type { RequestContext, RouteTable } from '../router';
import { type AccountScope, findIn, newestFirst } from '../store';

type BalanceImpact = Stripe.Treasury.Transaction.BalanceImpact;
type EntryType = Stripe.Treasury.TransactionEntry.Type;

interface Movement {
  financialAccount: string;
  currency: string;
  flowType: Stripe.Treasury.Transaction.FlowType;
  flow: string;
  description: string;
}

function entry(transaction: Stripe.Treasury.Transaction, type: EntryType, impact: BalanceImpact): Stripe.Treasury.TransactionEntry {
  const at = nowSeconds();
  return {
    id: newId('trxne'),
    object: 'treasury.transaction_entry',
    balance_impact: impact,
    created: at,
    currency: transaction.currency,
    effective_at: at,
    financial_account: transaction.financial_account,
    flow: transaction.flow,
    flow_type: transaction.flow_type as Stripe.Treasury.TransactionEntry.FlowType,
    livemode: false,
    transaction: transaction.id,
    type,
  };
}

function addEntry(transaction: Stripe.Treasury.Transaction, type: EntryType, impact: BalanceImpact): void {
  const entries = transaction.entries!;
  entries.data.unshift(entry(transaction, type, impact));
  const sum = (kind: keyof BalanceImpact) => entries.data.reduce((total, e) => total + e.balance_impact[kind], 0);
  transaction.balance_impact = { cash: sum('cash'), inbound_pending: sum('inbound_pending'), outbound_pending: sum('outbound_pending') };
}

function newTransaction(scope: AccountScope, movement: Movement, amount: number, status: 'open' | 'posted'): Stripe.Treasury.Transaction {
  const id = newId('trxn');
  const created = nowSeconds();
  const transaction: Stripe.Treasury.Transaction = {
    id,
    object: 'treasury.transaction',
    amount,
    balance_impact: { cash: 0, inbound_pending: 0, outbound_pending: 0 },
    created,
    currency: movement.currency,
    description: movement.description,
    entries: { object: 'list', data: [], has_more: false, url: `/v1/treasury/transaction_entries?transaction=${id}` },
    financial_account: movement.financialAccount,
    flow: movement.flow,
    flow_type: movement.flowType,
    livemode: false,
    status,
    status_transitions: { posted_at: status === 'posted' ? created : null, void_at: null },
  };
  scope.treasuryTransactions[id] = transaction;
  return transaction;
}

/** A posted Transaction for money that moved on `cash` at once (a ReceivedCredit or ReceivedDebit); its id. */
export function postedTransaction(scope: AccountScope, movement: Movement & { cash: number }): string {
  const transaction = newTransaction(scope, movement, movement.cash, 'posted');
  addEntry(transaction, movement.flowType as EntryType, { cash: movement.cash, inbound_pending: 0, outbound_pending: 0 });
  return transaction.id;
}

/** The open Transaction of an authorization's hold (`amount` moved from cash to outbound_pending); its id. */
export function holdTransaction(scope: AccountScope, movement: Movement & { held: number }): string {
  const transaction = newTransaction(scope, movement, -movement.held, 'open');
  addEntry(transaction, 'issuing_authorization_hold', { cash: -movement.held, inbound_pending: 0, outbound_pending: movement.held });
  return transaction.id;
}

/** More held on an open authorization Transaction (an approved increment). */
export function increaseHold(scope: AccountScope, id: string | null, amount: number): void {
  const transaction = id ? scope.treasuryTransactions[id] : undefined;
  if (transaction?.status !== 'open' || amount === 0) return;
  transaction.amount -= amount;
  addEntry(transaction, 'issuing_authorization_hold', { cash: -amount, inbound_pending: 0, outbound_pending: amount });
}

/** Part of an authorization's hold released; with nothing left held the Transaction is void. */
export function releaseHoldEntry(scope: AccountScope, id: string | null, amount: number, stillHeld: number): void {
  const transaction = id ? scope.treasuryTransactions[id] : undefined;
  if (transaction?.status !== 'open') return;
  if (amount !== 0) addEntry(transaction, 'issuing_authorization_release', { cash: amount, inbound_pending: 0, outbound_pending: -amount });
  if (stillHeld <= 0) {
    transaction.status = 'void';
    transaction.status_transitions = { ...transaction.status_transitions, void_at: nowSeconds() };
  }
}

function render(transaction: Stripe.Treasury.Transaction): Stripe.Treasury.Transaction {
  // `entries` and `flow_details` are returned only when expanded (expand.ts, INCLUDABLE).
  return transaction;
}

export const treasuryTransactionRoutes: RouteTable = {
  'GET /v1/treasury/transactions': (params, ctx: RequestContext) => {
    findIn(ctx.scope.financialAccounts, params.financial_account, 'financial account', 'financial_account');
    if (params.status_transitions?.posted_at !== undefined && (params.status !== 'posted' || params.order_by !== 'posted_at')) {
      // TransactionListParams.status_transitions: "When using this filter, status=posted and order_by=posted_at must also be specified."
      throw invalidRequest('status_transitions[posted_at] requires status=posted and order_by=posted_at.', {
        param: 'status_transitions[posted_at]',
      });
    }
    let found = filterBy(newestFirst(ctx.scope.treasuryTransactions), params, {
      financial_account: (t) => t.financial_account,
      status: (t) => t.status,
    });
    if (params.order_by === 'posted_at') {
      found = [...found].sort((a, b) => (b.status_transitions.posted_at ?? 0) - (a.status_transitions.posted_at ?? 0));
      const range = params.status_transitions?.posted_at;
      if (range !== undefined) {
        found = found.filter((t) => {
          const at = t.status_transitions.posted_at ?? 0;
          if (typeof range === 'number') return at === range;
          return (
            (range.gt === undefined || at > range.gt) &&
            (range.gte === undefined || at >= range.gte) &&
            (range.lt === undefined || at < range.lt) &&
            (range.lte === undefined || at <= range.lte)
          );
        });
      }
    }
    return paginate(found.map(render), params, '/v1/treasury/transactions');
  },
  'GET /v1/treasury/transactions/{id}': (_params, ctx) =>
    render(findIn(ctx.scope.treasuryTransactions, ctx.pathParams.id, 'treasury transaction')),
};
