// Money a third party moves into (ReceivedCredit) or pulls out of (ReceivedDebit) a financial account's
// cash: Stripe's test helpers that make them, and the list/retrieve endpoints that read them back.
// Neither is refused for the state of the financial account: stripe-node 23.1.0 `Treasury.ReceivedCredit`
// ("ReceivedCredits are created either `succeeded` (approved) or `failed` (declined)"; failure_code: "might
// fail because the receiving FinancialAccount is closed or frozen") and `Treasury.ReceivedDebit` (same,
// plus "doesn't have sufficient funds"). A closed account gives `account_closed`; a direction the platform
// restricted ("Restricts all inbound/outbound money movement", FinancialAccount `platform_restrictions`)
// gives `account_frozen` (inbound wires excepted); a debit above the cash `insufficient_funds`. A failed one leaves the balance alone.
import type Stripe from 'stripe';
import { invalidRequest } from '../errors';
import { newId, nowSeconds } from '../ids';
import { filterBy, paginate } from '../list';
import type { RequestContext, RouteTable } from '../router';
import type { OperationParams } from '../spec/served-operations';
import { type FinancialAccountRecord, findIn, newestFirst } from '../store';
import { adjustBalance } from './treasury';
import { postedTransaction } from './treasury-transactions';

type PaymentMethodDetails = Stripe.Treasury.ReceivedCredit.InitiatingPaymentMethodDetails;
type ReceivedCreditParams = OperationParams['POST /v1/test_helpers/treasury/received_credits'];
type ReceivedDebitParams = OperationParams['POST /v1/test_helpers/treasury/received_debits'];

/** The financial account a test helper names, with `amount` and `currency` checked against it. */
function fundsTarget(
  params: ReceivedCreditParams | ReceivedDebitParams,
  ctx: RequestContext,
): { fa: FinancialAccountRecord; amount: number; currency: string } {
  const fa = findIn(ctx.scope.financialAccounts, params.financial_account, 'financial account', 'financial_account');
  const { amount, currency } = params;
  if (amount <= 0) throw invalidRequest('Invalid amount: must be a positive integer.', { param: 'amount' });
  if (!fa.supported_currencies.includes(currency)) {
    throw invalidRequest(
      `The financial account ${fa.id} does not support ${currency} (supported: ${fa.supported_currencies.join(', ')}).`,
      { param: 'currency' },
    );
  }
  return { fa, amount, currency };
}

/** The outside bank account as Stripe shows it: the holder's name and the last four digits only. */
function initiatingPaymentMethod(params: ReceivedCreditParams | ReceivedDebitParams): PaymentMethodDetails {
  const given = params.initiating_payment_method_details?.us_bank_account ?? {};
  return {
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: null,
      name: given.account_holder_name ?? null,
    },
    type: 'us_bank_account',
    us_bank_account: {
      bank_name: 'STRIPE TEST BANK',
      last4: (given.account_number ?? '000123456789').slice(-4),
      routing_number: given.routing_number ?? '110000000',
    },
  };
}

/** Inbound wires still arrive while inbound flows are restricted (Financial account features guide, as issue 10 cites it). */
function creditFailure(
  fa: FinancialAccountRecord,
  network: Stripe.Treasury.ReceivedCredit.Network,
): Stripe.Treasury.ReceivedCredit.FailureCode | null {
  if (fa.status === 'closed') return 'account_closed';
  if (fa.platform_restrictions?.inbound_flows === 'restricted' && network !== 'us_domestic_wire') return 'account_frozen';
  return null;
}

/** The posted Treasury Transaction of a succeeded credit (`ReceivedCredit.transaction`). */
function creditTransaction(ctx: RequestContext, credit: Stripe.Treasury.ReceivedCredit): string {
  return postedTransaction(ctx.scope, {
    financialAccount: credit.financial_account!,
    currency: credit.currency,
    flowType: 'received_credit',
    flow: credit.id,
    description: credit.description,
    cash: credit.amount,
  });
}

/** The posted Treasury Transaction of a succeeded debit (`ReceivedDebit.transaction`). */
function debitTransaction(ctx: RequestContext, debit: Stripe.Treasury.ReceivedDebit): string {
  return postedTransaction(ctx.scope, {
    financialAccount: debit.financial_account!,
    currency: debit.currency,
    flowType: 'received_debit',
    flow: debit.id,
    description: debit.description,
    cash: -debit.amount,
  });
}

export function receiveCredit(params: ReceivedCreditParams, ctx: RequestContext): Stripe.Treasury.ReceivedCredit {
  const { fa, amount, currency } = fundsTarget(params, ctx);
  const failure = creditFailure(fa, params.network);
  if (failure === null) adjustBalance(fa, currency, { cash: amount });
  const credit: Stripe.Treasury.ReceivedCredit = {
    id: newId('rc'),
    object: 'treasury.received_credit',
    amount,
    created: nowSeconds(),
    currency,
    description: params.description ?? 'Emulated received credit',
    failure_code: failure,
    financial_account: fa.id,
    hosted_regulatory_receipt_url: null,
    initiating_payment_method_details: initiatingPaymentMethod(params),
    linked_flows: {
      credit_reversal: null,
      issuing_authorization: null,
      issuing_transaction: null,
      source_flow: null,
      source_flow_type: null,
    },
    livemode: false,
    network: params.network,
    reversal_details: null,
    status: failure === null ? 'succeeded' : 'failed',
    transaction: null,
  };
  if (failure === null) credit.transaction = creditTransaction(ctx, credit);
  ctx.scope.receivedCredits[credit.id] = credit;
  ctx.emit('treasury.received_credit.created', credit);
  ctx.emit(failure === null ? 'treasury.received_credit.succeeded' : 'treasury.received_credit.failed', credit);
  return credit;
}

function debitFailure(fa: FinancialAccountRecord, amount: number, currency: string): Stripe.Treasury.ReceivedDebit.FailureCode | null {
  if (fa.status === 'closed') return 'account_closed';
  if (fa.platform_restrictions?.outbound_flows === 'restricted') return 'account_frozen';
  if ((fa.balance.cash[currency] ?? 0) < amount) return 'insufficient_funds';
  return null;
}

export function receiveDebit(params: ReceivedDebitParams, ctx: RequestContext): Stripe.Treasury.ReceivedDebit {
  const { fa, amount, currency } = fundsTarget(params, ctx);
  const failure = debitFailure(fa, amount, currency);
  if (failure === null) adjustBalance(fa, currency, { cash: -amount });
  const debit: Stripe.Treasury.ReceivedDebit = {
    id: newId('rd'),
    object: 'treasury.received_debit',
    amount,
    created: nowSeconds(),
    currency,
    description: params.description ?? 'Emulated received debit',
    failure_code: failure,
    financial_account: fa.id,
    hosted_regulatory_receipt_url: null,
    initiating_payment_method_details: initiatingPaymentMethod(params),
    linked_flows: {
      debit_reversal: null,
      inbound_transfer: null,
      issuing_authorization: null,
      issuing_transaction: null,
      payout: null,
      topup: null,
    },
    livemode: false,
    network: params.network,
    reversal_details: null,
    status: failure === null ? 'succeeded' : 'failed',
    transaction: null,
  };
  if (failure === null) debit.transaction = debitTransaction(ctx, debit);
  ctx.scope.receivedDebits[debit.id] = debit;
  ctx.emit('treasury.received_debit.created', debit);
  return debit;
}

/** What a card moved on its financial account: the card and the Issuing objects behind the flow. */
export interface CardFlow {
  fa: FinancialAccountRecord;
  amount: number;
  currency: string;
  card: string;
  transaction: string;
  authorization: string | null;
}

const cardPaymentMethod = (card: string) => ({
  type: 'issuing_card',
  issuing_card: card,
  billing_details: {
    address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
    email: null,
    name: null,
  },
});

/**
 * Card spending on a financial account as Treasury shows it (the balance already moved with the
 * transaction): a capture is a ReceivedDebit and a refund a ReceivedCredit, both `network: card`
 * (stripe 23.1.0 Treasury.ReceivedDebit.Network / ReceivedCredit.Network include `card`; Issuing
 * Transaction.treasury.received_debit: "The Treasury ReceivedDebit representing this Issuing
 * transaction if it is a capture", received_credit "... if it is a refund").
 */
export function recordCardDebit(ctx: RequestContext, flow: CardFlow): Stripe.Treasury.ReceivedDebit {
  const debit: Stripe.Treasury.ReceivedDebit = {
    id: newId('rd'),
    object: 'treasury.received_debit',
    amount: flow.amount,
    created: nowSeconds(),
    currency: flow.currency,
    description: 'Issuing card capture',
    failure_code: null,
    financial_account: flow.fa.id,
    hosted_regulatory_receipt_url: null,
    initiating_payment_method_details: cardPaymentMethod(flow.card) as Stripe.Treasury.ReceivedDebit.InitiatingPaymentMethodDetails,
    linked_flows: {
      debit_reversal: null,
      inbound_transfer: null,
      issuing_authorization: flow.authorization,
      issuing_transaction: flow.transaction,
      payout: null,
      topup: null,
    },
    livemode: false,
    network: 'card',
    reversal_details: null,
    status: 'succeeded',
    transaction: null,
  };
  debit.transaction = debitTransaction(ctx, debit);
  ctx.scope.receivedDebits[debit.id] = debit;
  ctx.emit('treasury.received_debit.created', debit);
  return debit;
}

export function recordCardCredit(ctx: RequestContext, flow: CardFlow): Stripe.Treasury.ReceivedCredit {
  const credit: Stripe.Treasury.ReceivedCredit = {
    id: newId('rc'),
    object: 'treasury.received_credit',
    amount: flow.amount,
    created: nowSeconds(),
    currency: flow.currency,
    description: 'Issuing card refund',
    failure_code: null,
    financial_account: flow.fa.id,
    hosted_regulatory_receipt_url: null,
    initiating_payment_method_details: cardPaymentMethod(flow.card) as Stripe.Treasury.ReceivedCredit.InitiatingPaymentMethodDetails,
    linked_flows: {
      credit_reversal: null,
      issuing_authorization: flow.authorization,
      issuing_transaction: flow.transaction,
      source_flow: null,
      source_flow_type: null,
    },
    livemode: false,
    network: 'card',
    reversal_details: null,
    status: 'succeeded',
    transaction: null,
  };
  credit.transaction = creditTransaction(ctx, credit);
  ctx.scope.receivedCredits[credit.id] = credit;
  ctx.emit('treasury.received_credit.created', credit);
  ctx.emit('treasury.received_credit.succeeded', credit);
  return credit;
}

const byAccountAndStatus = {
  financial_account: (flow: { financial_account: string | null }) => flow.financial_account ?? '',
  status: (flow: { status: string }) => flow.status,
};

export const receivedMoneyRoutes: RouteTable = {
  'GET /v1/treasury/received_credits': (params, ctx) =>
    paginate(filterBy(newestFirst(ctx.scope.receivedCredits), params, byAccountAndStatus), params, '/v1/treasury/received_credits'),
  'GET /v1/treasury/received_credits/{id}': (_params, ctx) => findIn(ctx.scope.receivedCredits, ctx.pathParams.id, 'received credit'),
  'GET /v1/treasury/received_debits': (params, ctx) =>
    paginate(filterBy(newestFirst(ctx.scope.receivedDebits), params, byAccountAndStatus), params, '/v1/treasury/received_debits'),
  'GET /v1/treasury/received_debits/{id}': (_params, ctx) => findIn(ctx.scope.receivedDebits, ctx.pathParams.id, 'received debit'),
};
