// Issuing authorizations and transactions, and the money they move on a financial account.
// An authorization is checked like Stripe does — card status, cardholder status and requirements,
// platform restrictions, spending controls, funds — then, if it passes, the real-time webhook
// (`issuing_authorization.request`) decides it synchronously within 2 s.
import type Stripe from 'stripe';
import { invalidRequest, parameterMissing } from '../errors';
import { previousAttributes } from '../events';
import { newId, nowSeconds } from '../ids';
import { filterBy, paginate } from '../list';
import type { RequestContext, RouteTable } from '../router';
import type { OperationParams, ServedOperation } from '../spec/served-operations';
import {
  type AuthorizationDecision,
  type AuthorizationRecord,
  type CardRecord,
  type FinancialAccountRecord,
  findIn,
  newestFirst,
  type TransactionRecord,
} from '../store';
import { mergeMetadata } from './accounts';
import { renderCard, replacementChain } from './cards';
import { recordCardCredit, recordCardDebit } from './received-money';
import { allowedBySpendingControls, type Purchase } from './spending-controls';
import { adjustBalance } from './treasury';
import { holdTransaction, increaseHold, releaseHoldEntry } from './treasury-transactions';

type Reason = Stripe.Issuing.Authorization.RequestHistory.Reason;
type MerchantData = Stripe.Issuing.Authorization.MerchantData;
// The test helpers' params (stripe 23.1.0 exports them only through the client methods).
type HelperParams<Action extends string> = OperationParams[Extract<ServedOperation, `POST /v1/test_helpers/issuing/${Action}`>];
type AuthorizationCreateParams = HelperParams<'authorizations'>;
type MerchantDataParams = NonNullable<AuthorizationCreateParams['merchant_data']>;

export function renderAuthorization(ctx: RequestContext, record: AuthorizationRecord): Stripe.Issuing.Authorization {
  const { transactionIds, financialAccount: _fa, expiredHold: _expiredHold, ...visible } = record;
  return {
    ...visible,
    card: renderCard(ctx.scope, ctx.scope.cards[record.card]),
    transactions: transactionIds.map((id) => renderTransaction(ctx.scope.transactions[id])),
  };
}

export function renderTransaction(record: TransactionRecord): Stripe.Issuing.Transaction {
  const { refundOf: _refundOf, ...visible } = record;
  return visible;
}

function findAuthorization(ctx: RequestContext): AuthorizationRecord {
  return findIn(ctx.scope.authorizations, ctx.pathParams.authorization, 'issuing authorization', 'authorization');
}

function findPending(ctx: RequestContext): AuthorizationRecord {
  const authorization = findAuthorization(ctx);
  if (authorization.status !== 'pending') {
    throw invalidRequest(
      `The authorization ${authorization.id} is ${authorization.status}; only pending authorizations can be changed.`,
      {},
    );
  }
  return authorization;
}

function fundingAccount(ctx: RequestContext, card: CardRecord): FinancialAccountRecord | null {
  return card.financial_account ? ctx.scope.financialAccounts[card.financial_account] : null;
}

/**
 * The MCC of each merchant category, from Stripe's Issuing merchant categories table
 * (docs.stripe.com/issuing/categories, "Category | MCC"). The stored copies of that page hold the table's
 * first rows only (A/C, Refrigeration Repair to Automobile Associations), all of which are here, plus the
 * categories this project uses, read from the page earlier. Any other category of the 295 the pinned
 * types list gets `category_code` null rather than a code that would contradict it (the README's table
 * names the gap).
 */
export const CATEGORY_CODES: Readonly<Record<string, string>> = {
  ac_refrigeration_repair: '7623',
  accounting_bookkeeping_services: '8931',
  advertising_services: '7311',
  agricultural_cooperative: '0763',
  airlines_air_carriers: '4511',
  airports_flying_fields: '4582',
  ambulance_services: '4119',
  amusement_parks_carnivals: '7996',
  antique_reproductions: '5937',
  antique_shops: '5932',
  aquariums: '7998',
  architectural_surveying_services: '8911',
  art_dealers_and_galleries: '5971',
  artists_supply_and_craft_shops: '5970',
  auto_and_home_supply_stores: '5531',
  auto_body_repair_shops: '7531',
  auto_paint_shops: '7535',
  auto_service_shops: '7538',
  automated_cash_disburse: '6011',
  automated_fuel_dispensers: '5542',
  automobile_associations: '8675',
  betting_casino_gambling: '7995',
  car_rental_agencies: '7512',
  computer_software_stores: '5734',
  eating_places_restaurants: '5812',
  fast_food_restaurants: '5814',
  grocery_stores_supermarkets: '5411',
  hotels_motels_and_resorts: '7011',
  service_stations: '5541',
  taxicabs_limousines: '4121',
  tolls_bridge_fees: '4784',
};

function merchantData(given: MerchantDataParams | undefined): MerchantData {
  const category = given?.category ?? 'computer_software_stores';
  return {
    category,
    // Stripe 23.1.0 types `category_code` as a string; null only for a category outside CATEGORY_CODES.
    category_code: CATEGORY_CODES[category] ?? (null as unknown as string),
    city: given?.city ?? 'San Francisco',
    country: given?.country ?? 'US',
    name: given?.name ?? 'Emulated Merchant',
    network_id: given?.network_id ?? '1234567890',
    postal_code: given?.postal_code ?? '94103',
    state: given?.state ?? 'CA',
    tax_id: null,
    terminal_id: given?.terminal_id ?? null,
    url: given?.url ?? null,
  };
}

type VerificationDataParams = NonNullable<AuthorizationCreateParams['verification_data']>;

/**
 * The checks the test helper was told the cardholder passed (TestHelpers AuthorizationCreateParams
 * `verification_data`: "Verifications that Stripe performed on information that the cardholder provided
 * to the merchant"), kept on the authorization; what is not given keeps the emulator's defaults.
 */
function verificationData(given: VerificationDataParams | undefined): Stripe.Issuing.Authorization.VerificationData {
  const threeDS = given?.three_d_secure;
  return {
    address_line1_check: given?.address_line1_check ?? 'not_provided',
    address_postal_code_check: given?.address_postal_code_check ?? 'not_provided',
    authentication_exemption: given?.authentication_exemption
      ? { claimed_by: given.authentication_exemption.claimed_by, type: given.authentication_exemption.type }
      : null,
    cvc_check: given?.cvc_check ?? 'match',
    expiry_check: given?.expiry_check ?? 'match',
    postal_code: null,
    three_d_secure: threeDS ? { result: threeDS.result } : null,
  };
}

/** The first reason Stripe would decline before asking the platform, or null when the checks pass. */
function declineReason(ctx: RequestContext, card: CardRecord, purchase: Purchase): Reason | null {
  const cardholder = ctx.scope.cardholders[card.cardholder];
  if (card.status === 'canceled') return 'card_canceled';
  if (card.status !== 'active') return 'card_inactive';
  if (cardholder.status === 'blocked') return 'cardholder_blocked';
  if (cardholder.status !== 'active') return 'cardholder_inactive';
  if ((cardholder.requirements.past_due ?? []).length > 0) return 'cardholder_verification_required';
  const fa = fundingAccount(ctx, card);
  if (fa && (fa.status !== 'open' || fa.platform_restrictions?.outbound_flows === 'restricted')) return 'not_allowed';
  const chain = replacementChain(ctx.scope, card.id);
  const spent = (matches: (auth: AuthorizationRecord) => boolean) => (since: number, categories: string[] | null) =>
    Object.values(ctx.scope.authorizations)
      .filter(
        (auth) =>
          auth.approved && auth.created >= since && matches(auth) && (!categories || categories.includes(auth.merchant_data.category)),
      )
      .reduce((sum, auth) => sum + auth.request_history.filter((entry) => entry.approved).reduce((s, entry) => s + entry.amount, 0), 0);
  if (
    !allowedBySpendingControls(
      card.spending_controls,
      purchase,
      // Card.SpendingControls.spending_limits (types): "apply across any cards this card replaced (i.e.,
      // its replacement_for card and that card's replacement_for card, up the chain)".
      spent((auth) => chain.includes(auth.card)),
    )
  )
    return 'spending_controls';
  if (
    !allowedBySpendingControls(
      cardholder.spending_controls,
      purchase,
      spent((auth) => auth.cardholder === cardholder.id),
    )
  )
    return 'spending_controls';
  if (fa && (fa.balance.cash[purchase.currency] ?? 0) < purchase.amount) return 'insufficient_funds';
  return null;
}

type Decision = AuthorizationDecision & { metadata?: Record<string, string> };

/** Asks the platform through `issuing_authorization.request`, as Stripe does, and reads its answer. */
async function askPlatform(ctx: RequestContext, record: AuthorizationRecord): Promise<Decision> {
  const requested = record.pending_request!.amount;
  const event = ctx.runtime.events.record(ctx.accountId, 'issuing_authorization.request', renderAuthorization(ctx, record), {
    id: ctx.requestId,
    idempotency_key: ctx.idempotencyKey,
  });
  const answer = await ctx.runtime.events.webhooks.request(event);
  if (record.decisionByApi) return record.decisionByApi;
  switch (answer.kind) {
    case 'no_endpoint':
      return { approved: true, amount: requested, reason: 'card_active' };
    case 'timeout':
      return { approved: false, amount: requested, reason: 'webhook_timeout' };
    case 'error':
      return { approved: false, amount: requested, reason: 'webhook_error' };
  }
  const body = answer.body as { approved?: unknown; amount?: unknown; metadata?: unknown };
  if (typeof body.approved !== 'boolean') return { approved: false, amount: requested, reason: 'webhook_error' };
  const amount =
    body.approved && record.pending_request!.is_amount_controllable && Number.isInteger(body.amount)
      ? Math.min(body.amount as number, requested)
      : requested;
  const metadata = body.metadata && typeof body.metadata === 'object' ? (body.metadata as Record<string, string>) : undefined;
  return { approved: body.approved, amount, reason: body.approved ? 'webhook_approved' : 'webhook_declined', metadata };
}

function historyEntry(decision: Decision, currency: string, at: number): Stripe.Issuing.Authorization.RequestHistory {
  return {
    amount: decision.amount,
    amount_details: { atm_fee: null, cashback_amount: null },
    approved: decision.approved,
    authorization_code: decision.approved ? String(100000 + (at % 900000)) : null,
    created: at,
    currency,
    merchant_amount: decision.amount,
    merchant_currency: currency,
    network_risk_score: null,
    reason: decision.reason,
    reason_message: null,
    requested_at: at,
  };
}

export async function createAuthorization(params: AuthorizationCreateParams, ctx: RequestContext): Promise<Stripe.Issuing.Authorization> {
  const card = findIn(ctx.scope.cards, params.card, 'issuing card', 'card');
  const amount = params.amount ?? params.merchant_amount;
  if (amount === undefined) throw parameterMissing('amount');
  const currency = params.currency ?? card.currency;
  const merchant = merchantData(params.merchant_data);
  const created = nowSeconds();
  const purchase: Purchase = {
    amount,
    currency,
    category: merchant.category,
    country: merchant.country,
    cardPresent:
      params.authorization_method === 'chip' || params.authorization_method === 'contactless' || params.authorization_method === 'swipe',
    at: created,
  };
  const record: AuthorizationRecord = {
    id: newId('iauth'),
    object: 'issuing.authorization',
    amount: 0,
    amount_details: { atm_fee: null, cashback_amount: null },
    approved: false,
    authorization_method: params.authorization_method ?? 'online',
    balance_transactions: [],
    card: card.id,
    card_presence: null,
    cardholder: card.cardholder,
    created,
    currency,
    fleet: null,
    fuel: null,
    livemode: false,
    merchant_amount: amount,
    merchant_currency: currency,
    merchant_data: merchant,
    metadata: {},
    network_data: { acquiring_institution_id: null, system_trace_audit_number: null, transaction_id: null },
    pending_request: {
      amount,
      amount_details: null,
      currency,
      is_amount_controllable: Boolean(params.is_amount_controllable),
      merchant_amount: amount,
      merchant_currency: currency,
      network_risk_score: null,
    },
    request_history: [],
    status: 'pending',
    treasury: card.financial_account ? { received_credits: [], received_debits: [], transaction: null } : null,
    verification_data: verificationData(params.verification_data),
    verified_by_fraud_challenge: null,
    wallet: params.wallet ?? null,
    transactionIds: [],
    financialAccount: card.financial_account ?? null,
    decisionByApi: null,
  };
  const early = declineReason(ctx, card, purchase);
  // Stored while the platform decides, so the deprecated approve/decline endpoints can answer too.
  ctx.scope.authorizations[record.id] = record;
  const decision: Decision = early ? { approved: false, amount, reason: early } : await askPlatform(ctx, record);
  record.request_history.push(historyEntry(decision, currency, created));
  record.pending_request = null;
  record.decisionByApi = null;
  record.approved = decision.approved;
  if (decision.metadata) record.metadata = mergeMetadata(record.metadata, decision.metadata);
  const fa = fundingAccount(ctx, card);
  if (decision.approved) {
    record.amount = decision.amount;
    if (fa) {
      adjustBalance(fa, currency, { cash: -decision.amount, outbound_pending: decision.amount });
      record.treasury!.transaction = holdTransaction(ctx.scope, {
        financialAccount: fa.id,
        currency,
        flowType: 'issuing_authorization',
        flow: record.id,
        description: record.merchant_data.name ?? 'Issuing authorization',
        held: decision.amount,
      });
    }
  } else {
    record.status = 'closed';
  }
  const rendered = renderAuthorization(ctx, record);
  ctx.emit('issuing_authorization.created', rendered);
  if (decision.approved && decision.amount > 0) countPayment(ctx, card);
  return rendered;
}

/**
 * `lifecycle_controls.cancel_after.payment_count` (types Issuing.Card.LifecycleControls.CancelAfter): "The
 * card is automatically cancelled when it makes this number of non-zero payment authorizations and
 * transactions. The count includes penny authorizations, but doesn't include non-payment actions, such
 * as authorization advice." The emulator counts each approved non-zero authorization and each capture
 * made without one (a force capture); a capture of an authorization is the same payment, not another.
 * Once the count is reached the card is canceled, `cancellation_reason` null (none of `design_rejected`,
 * `lost`, `stolen` fits). Captures of its authorizations still go through (they ignore card status).
 */
function countPayment(ctx: RequestContext, card: CardRecord): void {
  const limit = card.lifecycle_controls?.cancel_after?.payment_count;
  if (limit === undefined || card.status === 'canceled') return;
  const authorizations = Object.values(ctx.scope.authorizations).filter(
    (a) => a.card === card.id && a.request_history.some((entry) => entry.approved && entry.amount > 0),
  );
  const unlinked = Object.values(ctx.scope.transactions).filter(
    (t) => t.card === card.id && t.type === 'capture' && t.authorization === null,
  );
  if (authorizations.length + unlinked.length < limit) return;
  const before = renderCard(ctx.scope, card);
  card.status = 'canceled';
  card.cancellation_reason = null;
  const after = renderCard(ctx.scope, card);
  ctx.emit('issuing_card.updated', after, previousAttributes(before, after));
}

/** Releases part or all of a pending authorization's hold back to the financial account's cash. */
function releaseHold(ctx: RequestContext, record: AuthorizationRecord, amount: number): void {
  const fa = record.financialAccount ? ctx.scope.financialAccounts[record.financialAccount] : null;
  if (fa) adjustBalance(fa, record.currency, { cash: amount, outbound_pending: -amount });
  record.amount -= amount;
  noteRelease(ctx, record, amount);
}

/** The authorization's Treasury Transaction follows its hold: more held, part released, void when none is left. */
function noteRelease(ctx: RequestContext, record: AuthorizationRecord, released: number): void {
  const id = record.treasury?.transaction ?? null;
  if (released < 0) increaseHold(ctx.scope, id, -released);
  else releaseHoldEntry(ctx.scope, id, released, record.status === 'pending' ? record.amount : 0);
}

function changed(ctx: RequestContext, record: AuthorizationRecord, before: Stripe.Issuing.Authorization): Stripe.Issuing.Authorization {
  const after = renderAuthorization(ctx, record);
  ctx.emit('issuing_authorization.updated', after, previousAttributes(before, after));
  return after;
}

interface TransactionInput {
  type: Stripe.Issuing.Transaction.Type;
  amount: number;
  currency: string;
  card: CardRecord;
  authorization: string | null;
  merchant: MerchantData;
  /** The financial account the money moved on, if any. */
  fa: FinancialAccountRecord | null;
  refundOf?: string;
}

function recordTransaction(ctx: RequestContext, input: TransactionInput): Stripe.Issuing.Transaction {
  const transaction: TransactionRecord = {
    id: newId('ipi'),
    object: 'issuing.transaction',
    amount: input.amount,
    amount_details: { atm_fee: null, cashback_amount: null },
    authorization: input.authorization,
    balance_transaction: null,
    card: input.card.id,
    cardholder: input.card.cardholder,
    created: nowSeconds(),
    currency: input.currency,
    dispute: null,
    livemode: false,
    merchant_amount: input.amount,
    merchant_currency: input.currency,
    merchant_data: input.merchant,
    metadata: {},
    network_data: { authorization_code: null, processing_date: new Date().toISOString().slice(0, 10), transaction_id: null },
    treasury: null,
    type: input.type,
    wallet: null,
    refundOf: input.refundOf ?? null,
  };
  if (input.fa) {
    const flow = {
      fa: input.fa,
      amount: Math.abs(input.amount),
      currency: input.currency,
      card: input.card.id,
      transaction: transaction.id,
      authorization: input.authorization,
    };
    const authorization = input.authorization ? ctx.scope.authorizations[input.authorization] : undefined;
    if (input.type === 'capture') {
      const debit = recordCardDebit(ctx, flow);
      transaction.treasury = { received_credit: null, received_debit: debit.id };
      authorization?.treasury?.received_debits.push(debit.id);
    } else {
      const credit = recordCardCredit(ctx, flow);
      transaction.treasury = { received_credit: credit.id, received_debit: null };
      authorization?.treasury?.received_credits.push(credit.id);
    }
  }
  ctx.scope.transactions[transaction.id] = transaction;
  const rendered = renderTransaction(transaction);
  ctx.emit('issuing_transaction.created', rendered);
  return rendered;
}

export function captureAuthorization(
  params: HelperParams<'authorizations/{authorization}/capture'>,
  ctx: RequestContext,
): Stripe.Issuing.Authorization {
  // "Authorizations that have been reversed can't be captured ... Authorizations that have been expired
  // by Stripe can be captured later" (changelog 2025-03-31.basil, issuing-authorizations-expired). An
  // expired authorization holds nothing, so its capture takes the whole amount from cash and closes it.
  const found = findAuthorization(ctx);
  const record = found.status === 'expired' ? found : findPending(ctx);
  const before = renderAuthorization(ctx, record);
  const captured = params.capture_amount ?? (record.status === 'expired' ? expiredAmount(record) : record.amount);
  const fa = record.financialAccount ? ctx.scope.financialAccounts[record.financialAccount] : null;
  const fromHold = Math.min(captured, record.amount);
  if (fa) adjustBalance(fa, record.currency, { outbound_pending: -fromHold, cash: -(captured - fromHold) });
  record.amount -= fromHold;
  const closing = params.close_authorization !== false || record.status === 'expired';
  if (closing) {
    const rest = record.amount;
    if (fa) adjustBalance(fa, record.currency, { cash: rest, outbound_pending: -rest });
    record.amount = 0;
    record.status = 'closed';
    noteRelease(ctx, record, fromHold + rest);
  } else {
    noteRelease(ctx, record, fromHold);
  }
  const transaction = recordTransaction(ctx, {
    type: 'capture',
    amount: -captured,
    currency: record.currency,
    card: ctx.scope.cards[record.card],
    authorization: record.id,
    merchant: record.merchant_data,
    fa,
  });
  record.transactionIds.push(transaction.id);
  return changed(ctx, record, before);
}

/** What an expired authorization had held when it expired and was not yet captured. */
function expiredAmount(record: AuthorizationRecord): number {
  return record.expiredHold ?? 0;
}

export function expireAuthorization(
  _params: HelperParams<'authorizations/{authorization}/expire'>,
  ctx: RequestContext,
): Stripe.Issuing.Authorization {
  const record = findPending(ctx);
  const before = renderAuthorization(ctx, record);
  record.expiredHold = record.amount;
  releaseHold(ctx, record, record.amount);
  record.status = 'expired';
  return changed(ctx, record, before);
}

export function reverseAuthorization(
  params: HelperParams<'authorizations/{authorization}/reverse'>,
  ctx: RequestContext,
): Stripe.Issuing.Authorization {
  const record = findPending(ctx);
  const before = renderAuthorization(ctx, record);
  const reversed = params.reverse_amount ?? record.amount;
  if (reversed > record.amount) {
    throw invalidRequest(`Invalid reverse_amount: ${reversed} is more than the ${record.amount} still held.`, { param: 'reverse_amount' });
  }
  releaseHold(ctx, record, reversed);
  if (record.amount === 0) record.status = 'reversed';
  return changed(ctx, record, before);
}

/**
 * An increment asks for more on a pending authorization. Like Stripe, the emulator sends it to the
 * real-time endpoint as `issuing_authorization.request` with `pending_request` holding only the
 * increment while `amount` stays what is held, and honours the answer (a lower `amount` when the
 * request is amount-controllable). A declined increment leaves the authorization pending with its hold.
 */
export async function incrementAuthorization(
  params: HelperParams<'authorizations/{authorization}/increment'>,
  ctx: RequestContext,
): Promise<Stripe.Issuing.Authorization> {
  const record = findPending(ctx);
  const before = renderAuthorization(ctx, record);
  const increment = params.increment_amount;
  const fa = fundingAccount(ctx, ctx.scope.cards[record.card]);
  const insufficient = fa !== null && (fa.balance.cash[record.currency] ?? 0) < increment;
  record.pending_request = {
    amount: increment,
    amount_details: null,
    currency: record.currency,
    is_amount_controllable: Boolean(params.is_amount_controllable),
    merchant_amount: increment,
    merchant_currency: record.merchant_currency,
    network_risk_score: null,
  };
  const decision: Decision = insufficient
    ? { approved: false, amount: increment, reason: 'insufficient_funds' }
    : await askPlatform(ctx, record);
  record.request_history.push(historyEntry(decision, record.currency, nowSeconds()));
  record.pending_request = null;
  record.decisionByApi = null;
  if (decision.metadata) record.metadata = mergeMetadata(record.metadata, decision.metadata);
  if (decision.approved) {
    if (fa) adjustBalance(fa, record.currency, { cash: -decision.amount, outbound_pending: decision.amount });
    record.amount += decision.amount;
    increaseHold(ctx.scope, record.treasury?.transaction ?? null, decision.amount);
  }
  return changed(ctx, record, before);
}

export function finalizeAuthorizationAmount(
  params: HelperParams<'authorizations/{authorization}/finalize_amount'>,
  ctx: RequestContext,
): Stripe.Issuing.Authorization {
  const record = findPending(ctx);
  const before = renderAuthorization(ctx, record);
  const difference = params.final_amount - record.amount;
  releaseHold(ctx, record, -difference);
  return changed(ctx, record, before);
}

export function forceCapture(params: HelperParams<'transactions/create_force_capture'>, ctx: RequestContext): Stripe.Issuing.Transaction {
  return moneyWithoutAuthorization(params, ctx, 'capture');
}

export function unlinkedRefund(
  params: HelperParams<'transactions/create_unlinked_refund'>,
  ctx: RequestContext,
): Stripe.Issuing.Transaction {
  return moneyWithoutAuthorization(params, ctx, 'refund');
}

function moneyWithoutAuthorization(
  params: HelperParams<'transactions/create_force_capture' | 'transactions/create_unlinked_refund'>,
  ctx: RequestContext,
  type: 'capture' | 'refund',
): Stripe.Issuing.Transaction {
  const card = findIn(ctx.scope.cards, params.card, 'issuing card', 'card');
  const { amount } = params;
  const currency = params.currency ?? card.currency;
  const fa = fundingAccount(ctx, card);
  if (fa) adjustBalance(fa, currency, { cash: type === 'capture' ? -amount : amount });
  const transaction = recordTransaction(ctx, {
    type,
    amount: type === 'capture' ? -amount : amount,
    currency,
    card,
    authorization: null,
    merchant: merchantData(params.merchant_data),
    fa,
  });
  if (type === 'capture' && amount > 0) countPayment(ctx, card);
  return transaction;
}

export function findTransaction(ctx: RequestContext, id = ctx.pathParams.transaction, param = 'transaction'): TransactionRecord {
  return findIn(ctx.scope.transactions, id, 'issuing transaction', param);
}

export function refundTransaction(
  params: HelperParams<'transactions/{transaction}/refund'>,
  ctx: RequestContext,
): Stripe.Issuing.Transaction {
  const captured = findTransaction(ctx);
  if (captured.type !== 'capture') throw invalidRequest(`The transaction ${captured.id} is a refund; only captures can be refunded.`, {});
  const refunded = Object.values(ctx.scope.transactions)
    .filter((t) => t.refundOf === captured.id)
    .reduce((sum, t) => sum + t.amount, 0);
  const amount = params.refund_amount ?? -captured.amount - refunded;
  if (amount <= 0 || amount > -captured.amount - refunded) {
    throw invalidRequest(`Invalid refund_amount: at most ${-captured.amount - refunded} of ${captured.id} is left to refund.`, {
      param: 'refund_amount',
    });
  }
  const card = ctx.scope.cards[captured.card as string];
  const fa = fundingAccount(ctx, card);
  if (fa) adjustBalance(fa, captured.currency, { cash: amount });
  return recordTransaction(ctx, {
    type: 'refund',
    amount,
    currency: captured.currency,
    card,
    authorization: captured.authorization as string | null,
    merchant: captured.merchant_data,
    fa,
    refundOf: captured.id,
  });
}

/** The deprecated approve/decline calls (decline takes no `amount`). */
function decideByApi(
  params: Stripe.Issuing.AuthorizationApproveParams,
  ctx: RequestContext,
  approved: boolean,
): Stripe.Issuing.Authorization {
  const record = findAuthorization(ctx);
  if (!record.pending_request) {
    throw invalidRequest(
      `The authorization ${record.id} has no pending request; it was already ${record.approved ? 'approved' : 'declined'}.`,
      {},
    );
  }
  const requested = record.pending_request.amount;
  const amount = approved && params.amount !== undefined && record.pending_request.is_amount_controllable ? params.amount : requested;
  record.decisionByApi = { approved, amount, reason: approved ? 'webhook_approved' : 'webhook_declined' };
  if (params.metadata !== undefined) record.metadata = mergeMetadata(record.metadata, params.metadata);
  return renderAuthorization(ctx, record);
}

function updateMetadata<T extends { metadata: Stripe.Metadata }>(
  record: T,
  params: { metadata?: Stripe.Emptyable<Stripe.MetadataParam> },
): T {
  if (params.metadata !== undefined) record.metadata = mergeMetadata(record.metadata, params.metadata);
  return record;
}

export const authorizationRoutes: RouteTable = {
  'GET /v1/issuing/authorizations': (params, ctx) =>
    paginate(
      filterBy(newestFirst(ctx.scope.authorizations), params, {
        card: (a) => a.card,
        cardholder: (a) => a.cardholder,
        status: (a) => a.status,
      }).map((a) => renderAuthorization(ctx, a)),
      params,
      '/v1/issuing/authorizations',
    ),
  'GET /v1/issuing/authorizations/{authorization}': (_params, ctx) => renderAuthorization(ctx, findAuthorization(ctx)),
  'POST /v1/issuing/authorizations/{authorization}': (params, ctx) => {
    const record = findAuthorization(ctx);
    const before = renderAuthorization(ctx, record);
    updateMetadata(record, params);
    return changed(ctx, record, before);
  },
  'POST /v1/issuing/authorizations/{authorization}/approve': (params, ctx) => decideByApi(params, ctx, true),
  'POST /v1/issuing/authorizations/{authorization}/decline': (params, ctx) => decideByApi(params, ctx, false),
  'GET /v1/issuing/transactions': (params, ctx) =>
    paginate(
      filterBy(newestFirst(ctx.scope.transactions), params, {
        card: (t) => t.card,
        cardholder: (t) => t.cardholder,
        type: (t) => t.type,
      }).map(renderTransaction),
      params,
      '/v1/issuing/transactions',
    ),
  'GET /v1/issuing/transactions/{transaction}': (_params, ctx) => renderTransaction(findTransaction(ctx)),
  'POST /v1/issuing/transactions/{transaction}': (params, ctx) => {
    const transaction = findTransaction(ctx);
    const before = renderTransaction(transaction);
    const after = renderTransaction(updateMetadata(transaction, params));
    ctx.emit('issuing_transaction.updated', after, previousAttributes(before, after));
    return after;
  },
};
