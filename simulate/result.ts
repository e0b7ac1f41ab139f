// What a scenario did, as the Stripe objects it made or changed read back after the fact.
import type Stripe from 'stripe';
import type { ScenarioName } from './arguments';
import type { CashRestore } from './cash-restore';
import type { PlannedPurchase } from './purchases';

export interface AuthorizationSummary {
  id: string;
  approved: boolean;
  /** `request_history[].reason` of the last decision (e.g. `webhook_approved`, `spending_controls`). */
  reason: string | null;
  /** The amount asked for in the last request. */
  amount: number;
  status: string;
}

export interface TransactionSummary {
  id: string;
  type: string;
  /** Negative for captures, positive for refunds, as Stripe reports them. */
  amount: number;
  authorization: string | null;
  /** On a financial account: the Treasury ReceivedDebit (capture) or ReceivedCredit (refund) it moved. */
  treasuryFlow?: string;
}

export interface DisputeSummary {
  id: string;
  status: string;
  amount: number;
  transaction: string;
  /** On a financial account: the ReceivedDebit disputed. */
  receivedDebit?: string;
}

export interface Balance {
  cash: number;
  outboundPending: number;
}

export interface ScenarioResult {
  scenario: ScenarioName;
  card: { name: string; id: string; account: string; financialAccount: string };
  purchase: PlannedPurchase;
  /** Received credit made so the financial account covers the purchase (0 when it already did). */
  funded: number;
  /** The financial account's balance after funding, before the purchase, and at the end. */
  before: Balance;
  after: Balance;
  authorizations: AuthorizationSummary[];
  transactions: TransactionSummary[];
  disputes: DisputeSummary[];
  /** How each financial account whose cash the scenario changed was put back (cash-restore.ts). */
  cashRestores: CashRestore[];
  /**
   * restricted-outbound: the financial account's outbound_flows before, during and after, and its
   * features while restricted (card_issuing stays active; those moving money out are restricted).
   */
  outboundFlows?: { original: string; during: string; restored: string; activeFeatures: string[]; restrictedFeatures: string[] };
  /**
   * increment: the authorizer's cap, what the authorization held after the increments (before it was
   * reversed), and every request on it in order (the purchase, then each increment) from `request_history`.
   */
  increments?: { cap: number; held: number; requests: RequestSummary[] };
  /**
   * multi-capture: each capture with `close_authorization: false` but the last, and what the
   * authorization and the financial account's outbound_pending held after each.
   */
  captures?: Array<{ amount: number; closeAuthorization: boolean; status: string; held: number; outboundPending: number }>;
  /**
   * replacement: a card made for the scenario (the stack's own cards are never replaced: a replacement
   * cancels the original for good) replaced as damaged; the original's status before and after the
   * replacement was activated, whether the number was kept (same last4), and the limit both count.
   */
  replacement?: {
    original: string;
    replacement: string;
    reason: string;
    sameLast4: boolean;
    originalBefore: string;
    originalAfter: string;
    replacedBy: string | null;
    replacementFor: string | null;
    limit: number;
  };
}

export interface RequestSummary {
  amount: number;
  approved: boolean;
  reason: string | null;
}

export function summarizeRequests(authorization: Stripe.Issuing.Authorization): RequestSummary[] {
  return authorization.request_history.map(({ amount, approved, reason }) => ({ amount, approved, reason: reason ?? null }));
}

export function summarizeAuthorization(authorization: Stripe.Issuing.Authorization): AuthorizationSummary {
  const last = authorization.request_history[authorization.request_history.length - 1];
  return {
    id: authorization.id,
    approved: authorization.approved,
    reason: last?.reason ?? null,
    amount: last?.amount ?? authorization.amount,
    status: authorization.status,
  };
}

export function summarizeTransaction(transaction: Stripe.Issuing.Transaction): TransactionSummary {
  const authorization = transaction.authorization;
  return {
    id: transaction.id,
    type: transaction.type,
    amount: transaction.amount,
    authorization: typeof authorization === 'string' ? authorization : (authorization?.id ?? null),
    ...(transaction.treasury
      ? { treasuryFlow: (transaction.treasury.received_debit ?? transaction.treasury.received_credit) as string }
      : {}),
  };
}

export function summarizeDispute(dispute: Stripe.Issuing.Dispute): DisputeSummary {
  const transaction = dispute.transaction;
  return {
    id: dispute.id,
    status: dispute.status,
    amount: dispute.amount,
    transaction: typeof transaction === 'string' ? transaction : transaction.id,
    ...(dispute.treasury ? { receivedDebit: dispute.treasury.received_debit } : {}),
  };
}
