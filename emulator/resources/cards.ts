// Issuing cards. A card starts `inactive` unless told otherwise, `canceled` is permanent, activation needs
// the cardholder's requirements met, a card drawing on a financial account needs that account's
// `card_issuing` feature active (at create and when reassigned to another one on update), and the full
// number/CVC are only returned to an explicit expand.
import type Stripe from 'stripe';
import { invalidRequest, parameterMissing } from '../errors';
import { previousAttributes } from '../events';
import { newCardNumber, newId, nowSeconds } from '../ids';
import { filterBy, paginate } from '../list';
import type { RequestContext, RouteTable } from '../router';
import { type AccountScope, type CardRecord, findIn, newestFirst } from '../store';
import { mergeMetadata } from './accounts';
import { storedAddress } from './cardholders';
import { mergedSpendingControls, spendingControlsFromParams } from './spending-controls';
import { featureStatusOf, scopeFinancialAccount } from './treasury';

export function renderCard(scope: AccountScope, card: CardRecord, reveal: { number?: boolean; cvc?: boolean } = {}): Stripe.Issuing.Card {
  const { number, cvc, ...visible } = card;
  const rendered: Stripe.Issuing.Card = { ...visible, cardholder: scope.cardholders[card.cardholder] };
  // types Issuing.Card.number / .cvc: "For security reasons, this is only available for virtual cards,
  // and will be omitted unless you explicitly request it with the expand parameter".
  if (reveal.number && card.type === 'virtual') rendered.number = number;
  if (reveal.cvc && card.type === 'virtual') rendered.cvc = cvc;
  return rendered;
}

function findCard(ctx: RequestContext, id = ctx.pathParams.card, param = 'card'): CardRecord {
  return findIn(ctx.scope.cards, id, 'issuing card', param);
}

function checkActivation(ctx: RequestContext, card: CardRecord): void {
  const cardholder = ctx.scope.cardholders[card.cardholder];
  const pastDue = cardholder.requirements.past_due ?? [];
  if (pastDue.length > 0) {
    throw invalidRequest(
      `The card cannot be activated: its cardholder ${cardholder.id} has past-due requirements (${pastDue.join(', ')}). Update the cardholder first.`,
      { param: 'status' },
    );
  }
}

function shippingFromParams(
  given: Stripe.Issuing.CardCreateParams.Shipping | NonNullable<Stripe.Issuing.CardUpdateParams['shipping']>,
  previous: Stripe.Issuing.Card.Shipping | null,
): Stripe.Issuing.Card.Shipping {
  const address = given.address;
  const service = given.service ?? previous?.service ?? 'standard';
  return {
    address: storedAddress(address),
    address_validation: { mode: given.address_validation?.mode ?? 'normalization_only', normalized_address: null, result: null },
    business_name: given.business_name ?? null,
    carrier: null,
    customs: given.customs ? { eori_number: given.customs.eori_number ?? null } : null,
    eta: null,
    name: given.name,
    phone_number: given.phone_number ?? null,
    require_signature: given.require_signature ?? service !== 'standard',
    service,
    status: previous?.status ?? 'pending',
    tracking_number: null,
    tracking_url: null,
    type: given.type ?? 'individual',
  };
}

function resolveFinancialAccount(ctx: RequestContext, id: string, currency: string): string {
  const fa = scopeFinancialAccount(ctx.scope, id, 'financial_account');
  if (fa.status !== 'open') throw invalidRequest(`The financial account ${fa.id} is closed.`, { param: 'financial_account' });
  const status = featureStatusOf(ctx.store, ctx.accountId, fa, 'card_issuing');
  if (status !== 'active') {
    throw invalidRequest(
      `The financial account ${fa.id} cannot fund cards: its card_issuing feature is ${status}. Request the feature and wait until it is active.`,
      { param: 'financial_account' },
    );
  }
  if (!fa.supported_currencies.includes(currency)) {
    throw invalidRequest(`Invalid currency: the financial account ${fa.id} supports ${fa.supported_currencies.join(', ')}.`, {
      param: 'currency',
    });
  }
  return fa.id;
}

function createCard(params: Stripe.Issuing.CardCreateParams, ctx: RequestContext): Stripe.Issuing.Card {
  const replaced = params.replacement_for !== undefined ? findCard(ctx, params.replacement_for, 'replacement_for') : null;
  if (replaced && params.replacement_reason === undefined) throw parameterMissing('replacement_reason');
  const cardholderId = params.cardholder ?? replaced?.cardholder;
  if (!cardholderId) throw parameterMissing('cardholder');
  findIn(ctx.scope.cardholders, cardholderId, 'issuing cardholder', 'cardholder');
  const { type, currency } = params;
  // types CardCreateParams.second_line: "The second line to print on the card. Max length: 24 characters."
  if (params.second_line && params.second_line.length > 24) {
    throw invalidRequest(`Invalid second_line: '${params.second_line}' is printed on the card, so it must be at most 24 characters.`, {
      param: 'second_line',
    });
  }
  if (type === 'physical' && params.shipping === undefined) throw parameterMissing('shipping');
  if (type === 'virtual' && params.shipping !== undefined) {
    throw invalidRequest('Invalid shipping: only physical cards are shipped; remove shipping for a virtual card.', { param: 'shipping' });
  }
  // Replacement cards guide (docs.stripe.com/issuing/cards/replacements), "New card number" column: an
  // expired or damaged card's replacement keeps the card number (new security code and expiry); a lost
  // or stolen card's gets a new number.
  const keepsNumber = replaced !== null && (params.replacement_reason === 'damaged' || params.replacement_reason === 'expired');
  const number = keepsNumber && replaced ? replaced.number : newCardNumber();
  const created = nowSeconds();
  const card: CardRecord = {
    id: newId('ic'),
    object: 'issuing.card',
    brand: 'Visa',
    cancellation_reason: null,
    cardholder: cardholderId,
    created,
    currency,
    exp_month: params.exp_month ?? new Date().getUTCMonth() + 1,
    // A replacement always has a new expiry (same guide): a year past the card it replaces at least.
    exp_year: params.exp_year ?? Math.max(new Date().getUTCFullYear() + 3, (replaced?.exp_year ?? 0) + 1),
    financial_account: params.financial_account !== undefined ? resolveFinancialAccount(ctx, params.financial_account, currency) : null,
    last4: number.slice(-4),
    latest_fraud_warning: null,
    // types CardCreateParams.lifecycle_controls (new in the pinned API): kept as given.
    lifecycle_controls: params.lifecycle_controls
      ? { cancel_after: { payment_count: params.lifecycle_controls.cancel_after.payment_count } }
      : null,
    livemode: false,
    metadata: {},
    personalization_design: params.personalization_design ?? null,
    replaced_by: null,
    replacement_for: replaced?.id ?? null,
    replacement_reason: params.replacement_reason ?? null,
    second_line: params.second_line || null,
    shipping: type === 'physical' && params.shipping ? shippingFromParams(params.shipping, null) : null,
    spending_controls: spendingControlsFromParams(params.spending_controls, currency),
    status: 'inactive',
    type,
    wallets: {
      apple_pay: { eligible: false, ineligible_reason: 'missing_cardholder_contact' },
      google_pay: { eligible: false, ineligible_reason: 'missing_cardholder_contact' },
      primary_account_identifier: null,
    },
    number,
    cvc: newCvc(created, replaced?.cvc),
  };
  if (params.metadata !== undefined) card.metadata = mergeMetadata({}, params.metadata);
  if (params.status === 'active') {
    checkActivation(ctx, card);
    card.status = 'active';
  }
  ctx.scope.cards[card.id] = card;
  if (replaced) replaceCard(ctx, replaced, card);
  if (card.status === 'active') cancelReplacedOnActivation(ctx, card);
  const rendered = renderCard(ctx.scope, card);
  ctx.emit('issuing_card.created', rendered);
  return rendered;
}

/** A security code other than the one of the card replaced (the guide: every replacement gets a new one). */
function newCvc(created: number, previous: string | undefined): string {
  const cvc = String(100 + (created % 900));
  return cvc === previous ? String(100 + ((created + 1) % 900)) : cvc;
}

/**
 * Replacement cards guide (docs.stripe.com/issuing/cards/replacements): "Activating the replacement card
 * cancels the original card if it isn't already canceled." The guide says so for expired or damaged
 * cards; a lost or stolen original is canceled when the replacement is created (below), so this only
 * acts on those. No `cancellation_reason` fits (Card.cancellation_reason is `design_rejected`, `lost`
 * or `stolen`): it stays null.
 */
function cancelReplacedOnActivation(ctx: RequestContext, card: CardRecord): void {
  if (typeof card.replacement_for !== 'string') return;
  const original = ctx.scope.cards[card.replacement_for];
  if (!original || original.status === 'canceled') return;
  const before = renderCard(ctx.scope, original);
  original.status = 'canceled';
  const after = renderCard(ctx.scope, original);
  ctx.emit('issuing_card.updated', after, previousAttributes(before, after));
}

/** The card and every card it replaced, up the `replacement_for` chain (spending limits count them all). */
export function replacementChain(scope: AccountScope, cardId: string): string[] {
  const chain: string[] = [];
  for (let id: string | null = cardId; id && !chain.includes(id); id = scope.cards[id]?.replacement_for as string | null) chain.push(id);
  return chain;
}

// A lost or stolen card is canceled by its replacement; any replaced card points at its successor.
function replaceCard(ctx: RequestContext, replaced: CardRecord, replacement: CardRecord): void {
  const before = renderCard(ctx.scope, replaced);
  replaced.replaced_by = replacement.id;
  if (replacement.replacement_reason === 'lost' || replacement.replacement_reason === 'stolen') {
    replaced.status = 'canceled';
    replaced.cancellation_reason = replacement.replacement_reason;
  }
  const after = renderCard(ctx.scope, replaced);
  ctx.emit('issuing_card.updated', after, previousAttributes(before, after));
}

function updateCard(params: Stripe.Issuing.CardUpdateParams, ctx: RequestContext): Stripe.Issuing.Card {
  const card = findCard(ctx);
  const before = renderCard(ctx.scope, card);
  if (params.cancellation_reason !== undefined && params.status !== 'canceled') {
    throw invalidRequest('cancellation_reason can only be given together with status=canceled.', { param: 'cancellation_reason' });
  }
  if (params.status !== undefined && params.status !== card.status) {
    if (card.status === 'canceled') {
      throw invalidRequest(`The card ${card.id} is canceled; canceled cards cannot be reactivated or changed.`, { param: 'status' });
    }
    if (params.status === 'active') checkActivation(ctx, card);
    card.status = params.status;
    if (card.status === 'canceled') card.cancellation_reason = params.cancellation_reason ?? null;
    if (card.status === 'active') cancelReplacedOnActivation(ctx, card);
  }
  // stripe 23.1.0 Issuing.CardUpdateParams.financial_account: "allows a card to be reassigned to a
  // different financial account" (the same card, number and all); the new account must fund cards as at
  // create. Authorizations already held stay on the account they were made on.
  if (params.financial_account !== undefined && params.financial_account !== card.financial_account) {
    if (card.status === 'canceled') {
      throw invalidRequest(`The card ${card.id} is canceled; canceled cards cannot be reassigned.`, { param: 'financial_account' });
    }
    card.financial_account = resolveFinancialAccount(ctx, params.financial_account, card.currency);
  }
  if (params.spending_controls !== undefined)
    card.spending_controls = mergedSpendingControls(card.spending_controls, params.spending_controls, card.currency);
  if (params.metadata !== undefined) card.metadata = mergeMetadata(card.metadata, params.metadata);
  if (params.personalization_design !== undefined) card.personalization_design = params.personalization_design;
  if (params.shipping !== undefined) {
    if (card.type !== 'physical') throw invalidRequest('Invalid shipping: only physical cards are shipped.', { param: 'shipping' });
    if (card.shipping && card.shipping.status !== 'pending') {
      throw invalidRequest(`The card ${card.id} has already been ${card.shipping.status}; its shipping can no longer change.`, {
        param: 'shipping',
      });
    }
    card.shipping = shippingFromParams(params.shipping, card.shipping);
  }
  const after = renderCard(ctx.scope, card);
  const changed = previousAttributes(before, after);
  if (Object.keys(changed).length > 0) ctx.emit('issuing_card.updated', after, changed);
  return after;
}

const SHIPPING_STEPS: Record<string, { from: string[]; to: NonNullable<Stripe.Issuing.Card.Shipping['status']> }> = {
  submit: { from: ['pending'], to: 'submitted' },
  ship: { from: ['pending', 'submitted'], to: 'shipped' },
  deliver: { from: ['shipped'], to: 'delivered' },
  fail: { from: ['pending', 'submitted', 'shipped'], to: 'failure' },
  return: { from: ['shipped', 'delivered'], to: 'returned' },
};

/** Test helper: Stripe's card-shipping lifecycle (submit, ship, deliver, fail, return). */
export function advanceShipping(ctx: RequestContext, step: keyof typeof SHIPPING_STEPS): Stripe.Issuing.Card {
  const card = findCard(ctx);
  if (card.type !== 'physical' || !card.shipping)
    throw invalidRequest(`The card ${card.id} is not a physical card; it has no shipment.`, { param: 'card' });
  const { from, to } = SHIPPING_STEPS[step];
  const current = card.shipping.status ?? 'pending';
  if (!from.includes(current)) {
    throw invalidRequest(
      `Cannot ${step} the shipment of card ${card.id}: its shipping status is ${current} (must be ${from.join(' or ')}).`,
      {},
    );
  }
  const before = renderCard(ctx.scope, card);
  card.shipping = { ...card.shipping, status: to, carrier: to === 'pending' ? null : 'usps', tracking_number: '9400100000000000000000' };
  const after = renderCard(ctx.scope, card);
  ctx.emit('issuing_card.updated', after, previousAttributes(before, after));
  return after;
}

export const cardRoutes: RouteTable = {
  'POST /v1/issuing/cards': createCard,
  'GET /v1/issuing/cards': (params, ctx) =>
    paginate(
      filterBy(newestFirst(ctx.scope.cards), params, {
        cardholder: (c) => c.cardholder,
        status: (c) => c.status,
        type: (c) => c.type,
        last4: (c) => c.last4,
        exp_month: (c) => c.exp_month,
        exp_year: (c) => c.exp_year,
        personalization_design: (c) => c.personalization_design,
      }).map((card) => renderCard(ctx.scope, card)),
      params,
      '/v1/issuing/cards',
    ),
  'GET /v1/issuing/cards/{card}': (params, ctx) => {
    const expand = params.expand ?? [];
    return renderCard(ctx.scope, findCard(ctx), { number: expand.includes('number'), cvc: expand.includes('cvc') });
  },
  'POST /v1/issuing/cards/{card}': updateCard,
};
