// Issuing cardholders. `name` and `type` are create-only; `status=inactive` is the practical delete and
// makes authorizations decline; individuals need first and last names before their cards can activate.
import type Stripe from 'stripe';
import { invalidRequest } from '../errors';
import { previousAttributes } from '../events';
import { newId, nowSeconds } from '../ids';
import { filterBy, paginate } from '../list';
import type { RequestContext, RouteTable } from '../router';
import { findIn, newestFirst } from '../store';
import { mergeMetadata } from './accounts';
import { mergedSpendingControls, spendingControlsFromParams } from './spending-controls';

const PRINTABLE_NAME = /^[\p{L} .'-]+$/u;

function checkName(name: string): void {
  if (name.length > 24 || !PRINTABLE_NAME.test(name)) {
    throw invalidRequest(
      `Invalid name: '${name}' is printed on cards, so it must be at most 24 characters of letters, spaces, periods, apostrophes and hyphens (no digits or other special characters).`,
      { param: 'name' },
    );
  }
}

// types CardholderCreateParams.Individual.first_name / last_name: "This field cannot contain any
// numbers, special characters (except periods, commas, hyphens, spaces and apostrophes) or non-latin letters."
const INDIVIDUAL_NAME = /^[\p{Script=Latin} .,'-]+$/u;

function checkIndividualNames(given: CardholderParams['individual']): void {
  for (const field of ['first_name', 'last_name'] as const) {
    const value = given?.[field];
    if (value && !INDIVIDUAL_NAME.test(value)) {
      throw invalidRequest(
        `Invalid individual[${field}]: '${value}' may only contain Latin letters, spaces, periods, commas, hyphens and apostrophes (no numbers or other special characters).`,
        { param: `individual[${field}]` },
      );
    }
  }
}

/**
 * types CardholderCreateParams.phone_number: "This will be transformed to E.164 if it is not provided in
 * that format already." The emulator removes the formatting (spaces, hyphens, dots, parentheses) and
 * reads a leading 00 as +; a number without its country code is kept as given (README: gap).
 */
export function storedPhoneNumber(given: string): string {
  const compact = given.replace(/[\s().-]/g, '');
  if (/^00[1-9]\d{6,14}$/.test(compact)) return `+${compact.slice(2)}`;
  if (/^\+[1-9]\d{6,14}$/.test(compact)) return compact;
  return given;
}

function requirementsOf(cardholder: Stripe.Issuing.Cardholder): Stripe.Issuing.Cardholder.Requirements {
  const pastDue: Stripe.Issuing.Cardholder.Requirements.PastDue[] = [];
  if (cardholder.type === 'individual') {
    if (!cardholder.individual?.first_name) pastDue.push('individual.first_name');
    if (!cardholder.individual?.last_name) pastDue.push('individual.last_name');
  }
  return { disabled_reason: pastDue.length > 0 ? 'requirements.past_due' : null, past_due: pastDue };
}

type CardholderParams = Stripe.Issuing.CardholderCreateParams | Stripe.Issuing.CardholderUpdateParams;

function applyIndividual(
  current: Stripe.Issuing.Cardholder.Individual | null,
  given: NonNullable<CardholderParams['individual']>,
): Stripe.Issuing.Cardholder.Individual {
  const base: Stripe.Issuing.Cardholder.Individual = current ?? {
    card_issuing: null,
    dob: null,
    first_name: null,
    last_name: null,
    verification: null,
  };
  const terms = given.card_issuing?.user_terms_acceptance;
  return {
    card_issuing: terms
      ? { user_terms_acceptance: { date: terms.date ?? null, ip: terms.ip ?? null, user_agent: terms.user_agent || null } }
      : base.card_issuing,
    dob: given.dob ? { day: given.dob.day, month: given.dob.month, year: given.dob.year } : base.dob,
    first_name: given.first_name ?? base.first_name,
    last_name: given.last_name ?? base.last_name,
    verification: given.verification?.document
      ? { document: { back: given.verification.document.back ?? null, front: given.verification.document.front ?? null } }
      : base.verification,
  };
}

function applyUpdatable(cardholder: Stripe.Issuing.Cardholder, params: CardholderParams, defaultCurrency: string | null): void {
  if (params.billing !== undefined) cardholder.billing = normalizeBilling(params.billing);
  if (params.email !== undefined) cardholder.email = params.email === '' ? null : params.email;
  if (params.phone_number !== undefined)
    cardholder.phone_number = params.phone_number === '' ? null : storedPhoneNumber(params.phone_number);
  if (params.preferred_locales !== undefined) cardholder.preferred_locales = params.preferred_locales;
  if (params.status !== undefined) cardholder.status = params.status;
  if (params.metadata !== undefined) cardholder.metadata = mergeMetadata(cardholder.metadata, params.metadata);
  if (params.individual !== undefined) {
    checkIndividualNames(params.individual);
    cardholder.individual = applyIndividual(cardholder.individual, params.individual);
  }
  if (params.company !== undefined) cardholder.company = { tax_id_provided: Boolean(params.company.tax_id) };
  // types CardholderCreateParams.SpendingControls.spending_limits_currency: "Defaults to your merchant
  // country's currency": the account's default_currency.
  if (params.spending_controls !== undefined)
    cardholder.spending_controls = mergedSpendingControls(cardholder.spending_controls, params.spending_controls, defaultCurrency);
  cardholder.requirements = requirementsOf(cardholder);
}

/** A billing or shipping address as Stripe returns it: the lines not given are null. */
export function storedAddress(
  address: Stripe.Issuing.CardholderCreateParams.Billing.Address | Stripe.Issuing.CardCreateParams.Shipping.Address,
): Stripe.Address {
  return {
    city: address.city,
    country: address.country,
    line1: address.line1,
    line2: address.line2 ?? null,
    postal_code: address.postal_code,
    state: address.state ?? null,
  };
}

function normalizeBilling({ address }: Stripe.Issuing.CardholderCreateParams.Billing): Stripe.Issuing.Cardholder.Billing {
  return { address: storedAddress(address) };
}

function accountCurrency(ctx: RequestContext): string | null {
  return ctx.store.findAccount(ctx.accountId)?.account.default_currency ?? null;
}

function findCardholder(ctx: RequestContext): Stripe.Issuing.Cardholder {
  return findIn(ctx.scope.cardholders, ctx.pathParams.cardholder, 'issuing cardholder', 'cardholder');
}

export const cardholderRoutes: RouteTable = {
  'POST /v1/issuing/cardholders': (params, ctx) => {
    const { name } = params;
    checkName(name);
    const cardholder: Stripe.Issuing.Cardholder = {
      id: newId('ich'),
      object: 'issuing.cardholder',
      billing: normalizeBilling(params.billing),
      company: null,
      created: nowSeconds(),
      email: null,
      individual: null,
      livemode: false,
      metadata: {},
      name,
      phone_number: null,
      preferred_locales: null,
      requirements: { disabled_reason: null, past_due: [] },
      spending_controls: spendingControlsFromParams(undefined, null),
      status: 'active',
      type: params.type ?? 'individual',
    };
    applyUpdatable(cardholder, params, accountCurrency(ctx));
    ctx.scope.cardholders[cardholder.id] = cardholder;
    ctx.emit('issuing_cardholder.created', cardholder);
    return cardholder;
  },
  'GET /v1/issuing/cardholders': (params, ctx) =>
    paginate(
      filterBy(newestFirst(ctx.scope.cardholders), params, {
        email: (c) => c.email,
        phone_number: (c) => c.phone_number,
        status: (c) => c.status,
        type: (c) => c.type,
      }),
      params,
      '/v1/issuing/cardholders',
    ),
  'GET /v1/issuing/cardholders/{cardholder}': (_params, ctx) => findCardholder(ctx),
  'POST /v1/issuing/cardholders/{cardholder}': (params, ctx) => {
    const cardholder = findCardholder(ctx);
    const before = structuredClone(cardholder);
    if (params.status !== undefined && cardholder.status === 'blocked') {
      throw invalidRequest(`The cardholder ${cardholder.id} was blocked by Stripe; its status cannot be changed.`, { param: 'status' });
    }
    applyUpdatable(cardholder, params, accountCurrency(ctx));
    const changed = previousAttributes(before, cardholder);
    if (Object.keys(changed).length > 0) ctx.emit('issuing_cardholder.updated', cardholder, changed);
    return cardholder;
  },
};
