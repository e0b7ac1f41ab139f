// Issuing disputes: created on a captured transaction (evidence may be incomplete), changed while
// unsubmitted, and checked at submit (missingEvidence): the chosen reason's section needs an explanation.
import type Stripe from 'stripe';
import { invalidRequest, parameterMissing } from '../errors';
import { type EventBus, previousAttributes } from '../events';
import { newId, nowSeconds } from '../ids';
import { filterBy, paginate } from '../list';
import type { RequestContext, RouteTable } from '../router';
import { findIn, newestFirst, type Store, type TransactionRecord } from '../store';
import { mergeMetadata } from './accounts';
import { findTransaction } from './authorizations';
import { adjustBalance } from './treasury';
import { postedTransaction } from './treasury-transactions';

type Evidence = Stripe.Issuing.Dispute.Evidence;

function evidenceFrom(given: unknown, current: Evidence | null): Evidence {
  const input = (given ?? {}) as Record<string, unknown>;
  const reason = (input.reason as Stripe.Issuing.Dispute.Evidence.Reason | undefined) ?? current?.reason ?? 'other';
  const evidence: Record<string, unknown> = { reason };
  const section = input[reason];
  const previous = current && current.reason === reason ? (current as unknown as Record<string, unknown>)[reason] : undefined;
  if (section !== undefined || previous !== undefined) {
    const merged = { ...(previous as object), ...(section && section !== '' ? (section as object) : {}) } as Record<string, unknown>;
    for (const [key, value] of Object.entries(merged)) if (value === '') merged[key] = null;
    evidence[reason] = { additional_documentation: null, explanation: null, ...merged };
  }
  return evidence as unknown as Evidence;
}

/**
 * The first evidence field submit finds missing, as a parameter path; undefined when complete. stripe
 * 23.1.0 `Issuing.DisputeResource.submit`: "Stripe validates that all evidence fields required for the
 * dispute's reason are present"; `Evidence.reason`: "The evidence should be submitted in the field of the
 * same name". Which fields each reason requires is in Stripe's "Dispute reasons and evidence" table,
 * which no stored source shows (emulator/README.md): the emulator requires the one field every reason's
 * section has, `explanation` ("Explanation of why the cardholder is disputing this transaction"), in the
 * reason's own section; a section for another reason does not count.
 */
function missingEvidence(evidence: Evidence): string | undefined {
  const section = (evidence as unknown as Record<string, { explanation?: string | null } | undefined>)[evidence.reason];
  return section?.explanation ? undefined : `evidence[${evidence.reason}][explanation]`;
}

/**
 * The capture a new dispute is about. stripe 23.1.0 Issuing.DisputeCreateParams.transaction: "For
 * transaction on Treasury FinancialAccounts, use `treasury.received_debit`": such a capture is named by
 * its ReceivedDebit, and naming it by transaction is refused with that advice.
 */
function disputedTransaction(params: Stripe.Issuing.DisputeCreateParams, ctx: RequestContext): TransactionRecord {
  const receivedDebit = params.treasury?.received_debit;
  if (receivedDebit !== undefined) {
    const debit = findIn(ctx.scope.receivedDebits, receivedDebit, 'received debit', 'treasury[received_debit]');
    const id = debit.linked_flows.issuing_transaction;
    if (!id)
      throw invalidRequest(`The received debit ${debit.id} is not an Issuing card capture; only those can be disputed.`, {
        param: 'treasury[received_debit]',
      });
    return findTransaction(ctx, id, 'treasury[received_debit]');
  }
  if (params.transaction === undefined) throw parameterMissing('transaction');
  const transaction = findTransaction(ctx, params.transaction, 'transaction');
  if (transaction.treasury?.received_debit) {
    throw invalidRequest(
      `The transaction ${transaction.id} is on a Treasury financial account: dispute it with treasury[received_debit]=${transaction.treasury.received_debit} instead of transaction.`,
      { param: 'transaction' },
    );
  }
  return transaction;
}

function findDispute(ctx: RequestContext): Stripe.Issuing.Dispute {
  return findIn(ctx.scope.disputes, ctx.pathParams.dispute, 'issuing dispute', 'dispute');
}

function findUnsubmitted(ctx: RequestContext): Stripe.Issuing.Dispute {
  const dispute = findDispute(ctx);
  if (dispute.status !== 'unsubmitted') {
    throw invalidRequest(`The dispute ${dispute.id} is ${dispute.status}; only unsubmitted disputes can be changed or submitted.`, {});
  }
  return dispute;
}

export const disputeRoutes: RouteTable = {
  'POST /v1/issuing/disputes': (params, ctx) => {
    const transaction = disputedTransaction(params, ctx);
    if (transaction.type !== 'capture')
      throw invalidRequest(`The transaction ${transaction.id} is a refund; only captures can be disputed.`, { param: 'transaction' });
    if (transaction.dispute)
      throw invalidRequest(`The transaction ${transaction.id} already has the dispute ${transaction.dispute}.`, { param: 'transaction' });
    const disputable = -transaction.amount;
    const amount = params.amount ?? disputable;
    if (amount <= 0 || amount > disputable) {
      throw invalidRequest(`Invalid amount: must be between 1 and ${disputable}, the amount of ${transaction.id}.`, { param: 'amount' });
    }
    const dispute: Stripe.Issuing.Dispute = {
      id: newId('idp'),
      object: 'issuing.dispute',
      amount,
      balance_transactions: [],
      created: nowSeconds(),
      currency: transaction.currency,
      evidence: evidenceFrom(params.evidence, null),
      livemode: false,
      metadata: mergeMetadata({}, params.metadata ?? {}),
      status: 'unsubmitted',
      transaction: transaction.id,
      treasury: transaction.treasury?.received_debit ? { debit_reversal: null, received_debit: transaction.treasury.received_debit } : null,
    };
    ctx.scope.disputes[dispute.id] = dispute;
    transaction.dispute = dispute.id;
    ctx.emit('issuing_dispute.created', dispute);
    return dispute;
  },
  'GET /v1/issuing/disputes': (params, ctx) =>
    paginate(
      filterBy(newestFirst(ctx.scope.disputes), params, { status: (d) => d.status, transaction: (d) => d.transaction }),
      params,
      '/v1/issuing/disputes',
    ),
  'GET /v1/issuing/disputes/{dispute}': (_params, ctx) => findDispute(ctx),
  'POST /v1/issuing/disputes/{dispute}': (params, ctx) => {
    const metadataOnly = Object.keys(params).every((key) => key === 'metadata' || key === 'expand');
    const dispute = metadataOnly ? findDispute(ctx) : findUnsubmitted(ctx);
    const before = structuredClone(dispute);
    if (params.amount !== undefined) dispute.amount = params.amount;
    if (params.evidence !== undefined) dispute.evidence = evidenceFrom(params.evidence, dispute.evidence);
    if (params.metadata !== undefined) dispute.metadata = mergeMetadata(dispute.metadata, params.metadata);
    ctx.emit('issuing_dispute.updated', dispute, previousAttributes(before, dispute));
    return dispute;
  },
  'POST /v1/issuing/disputes/{dispute}/submit': (params, ctx) => {
    const dispute = findUnsubmitted(ctx);
    const missing = missingEvidence(dispute.evidence);
    if (missing) {
      throw invalidRequest(`The dispute ${dispute.id} cannot be submitted: ${missing} is required for reason ${dispute.evidence.reason}.`, {
        param: missing,
      });
    }
    if (params.metadata !== undefined) dispute.metadata = mergeMetadata(dispute.metadata, params.metadata);
    dispute.status = 'submitted';
    ctx.emit('issuing_dispute.submitted', dispute);
    return dispute;
  },
};

/**
 * Test control: the card network's verdict on a submitted dispute. A won dispute on a financial account
 * returns the money through a Treasury DebitReversal of its ReceivedDebit (Issuing.Dispute.treasury:
 * "debit_reversal: The Treasury DebitReversal representing this Issuing dispute").
 */
export function resolveDispute(
  store: Store,
  events: EventBus,
  accountId: string,
  disputeId: string,
  outcome: 'won' | 'lost',
): Stripe.Issuing.Dispute {
  const scope = store.scope(accountId);
  const dispute = findIn(scope.disputes, disputeId, 'issuing dispute');
  if (dispute.status !== 'submitted') throw new Error(`dispute ${disputeId} is ${dispute.status}, not submitted`);
  dispute.status = outcome;
  const debit = dispute.treasury ? scope.receivedDebits[dispute.treasury.received_debit] : undefined;
  const request = { id: null, idempotency_key: null };
  if (outcome === 'won' && debit) {
    const reversal = debitReversal(debit, dispute);
    reversal.transaction = postedTransaction(scope, {
      financialAccount: debit.financial_account!,
      currency: dispute.currency,
      flowType: 'debit_reversal',
      flow: reversal.id,
      description: 'Issuing dispute won',
      cash: dispute.amount,
    });
    adjustBalance(scope.financialAccounts[debit.financial_account!], dispute.currency, { cash: dispute.amount });
    dispute.treasury = { ...dispute.treasury!, debit_reversal: reversal.id };
    debit.linked_flows = { ...debit.linked_flows, debit_reversal: reversal.id };
    events.emit(accountId, 'treasury.debit_reversal.created', reversal, request);
  }
  events.emit(accountId, 'issuing_dispute.closed', dispute, request);
  return dispute;
}

function debitReversal(debit: Stripe.Treasury.ReceivedDebit, dispute: Stripe.Issuing.Dispute): Stripe.Treasury.DebitReversal {
  return {
    id: newId('debrev'),
    object: 'treasury.debit_reversal',
    amount: dispute.amount,
    created: nowSeconds(),
    currency: dispute.currency,
    financial_account: debit.financial_account,
    hosted_regulatory_receipt_url: null,
    linked_flows: { issuing_dispute: dispute.id },
    livemode: false,
    metadata: {},
    network: 'card',
    received_debit: debit.id,
    status: 'completed',
    status_transitions: { completed_at: nowSeconds() },
    transaction: null,
  };
}
