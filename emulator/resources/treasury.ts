// Treasury financial accounts and their features (money received and pulled: received-money.ts).
// Feature status is derived, never stored: it follows the account's capabilities, the activation mode,
// the platform restrictions and whether the account is closed, with Stripe's status_details codes.
import type Stripe from 'stripe';
import { invalidRequest } from '../errors';
import { newId, nowSeconds } from '../ids';
import { filterBy, paginate } from '../list';
import type { RequestContext, RouteTable } from '../router';
import {
  type AccountRecord,
  type AccountScope,
  FEATURE_NAMES,
  type FeatureName,
  type FinancialAccountRecord,
  findIn,
  newestFirst,
  type Store,
} from '../store';
import { capabilityStatus, mergeMetadata } from './accounts';

const MAX_OPEN_FINANCIAL_ACCOUNTS = 3;

type FeatureStatus = Stripe.Treasury.FinancialAccountFeatures.CardIssuing;
type StatusDetail = FeatureStatus['status_details'][number];

/**
 * Features a platform restriction restricts, each with `status_details` code `restricted_by_platform`,
 * resolution `remove_restriction` and `restriction` naming it (FinancialAccount Feature object,
 * API reference: "Some or all functionality of this Feature has been restricted by the platform via
 * FinancialAccount platform_restrictions"; stripe 23.1.0 `StatusDetail.restriction`, "The
 * platform_restrictions that are restricting this Feature"). Which features: the Financial account
 * features guide's table, as issue 10 cites it: the ABA address ("can receive money over ACH or wire,
 * and external bank accounts can debit it") and intra-Stripe flows ("send money to or receive money
 * from") move money both ways, so either restriction restricts them; inbound transfers are inbound;
 * outbound payments and transfers are outbound. `card_issuing` is not in the list: it stays active
 * (authorizations are declined on their own rule, authorizations.ts), and inbound wires still arrive
 * (received-money.ts).
 */
type Restriction = 'inbound_flows' | 'outbound_flows';
const RESTRICTED_BY: Record<Restriction, FeatureName[]> = {
  inbound_flows: ['financial_addresses.aba', 'inbound_transfers.ach', 'intra_stripe_flows'],
  outbound_flows: [
    'financial_addresses.aba',
    'intra_stripe_flows',
    'outbound_payments.ach',
    'outbound_payments.us_domestic_wire',
    'outbound_transfers.ach',
    'outbound_transfers.us_domestic_wire',
  ],
};

/** One `restricted_by_platform` detail per restriction in force that covers the feature. */
function platformRestrictionDetails(fa: FinancialAccountRecord, name: FeatureName): StatusDetail[] {
  return (Object.keys(RESTRICTED_BY) as Restriction[])
    .filter((restriction) => fa.platform_restrictions?.[restriction] === 'restricted' && RESTRICTED_BY[restriction].includes(name))
    .map((restriction) => ({ code: 'restricted_by_platform', resolution: 'remove_restriction', restriction }));
}

/**
 * Capabilities each feature needs. Stripe, Financial account features guide, "Available features"
 * table (docs.stripe.com/treasury/account-management/financial-account-features): card_issuing needs
 * card_issuing; inbound_transfers.ach, outbound_payments.ach and outbound_transfers.ach need treasury
 * and us_bank_account_ach_payments; the others need treasury.
 */
const ACH_FEATURES: FeatureName[] = ['inbound_transfers.ach', 'outbound_payments.ach', 'outbound_transfers.ach'];
function requiredCapabilities(name: FeatureName): string[] {
  if (name === 'card_issuing') return ['treasury', 'card_issuing'];
  if (ACH_FEATURES.includes(name)) return ['treasury', 'us_bank_account_ach_payments'];
  return ['treasury'];
}

// Status codes: the FinancialAccount Feature object's `status_details.code` (API reference): a missing
// capability is `capability_not_requested`; `requirements_pending_verification` while "Stripe is in
// the process of verifying the user" (a pending capability); `activating` once "this Feature has met
// all other requirements and Stripe is in the process of making it active".
function featureStatus(account: AccountRecord, fa: FinancialAccountRecord, name: FeatureName): FeatureStatus {
  const requested = fa.featureRequests[name]?.requested ?? false;
  const status = (state: FeatureStatus['status'], details: StatusDetail[]): FeatureStatus => ({
    requested,
    status: state,
    status_details: details,
  });
  if (fa.status === 'closed') return status('restricted', [{ code: 'financial_account_closed', resolution: null }]);
  for (const capability of requiredCapabilities(name)) {
    const capabilityState = capabilityStatus(account, capability);
    if (capabilityState === 'unrequested')
      return status('restricted', [{ code: 'capability_not_requested', resolution: 'provide_information' }]);
    if (capabilityState === 'inactive') return status('restricted', [{ code: 'requirements_past_due', resolution: 'provide_information' }]);
    if (capabilityState === 'pending') return status('pending', [{ code: 'requirements_pending_verification', resolution: null }]);
  }
  const platform = platformRestrictionDetails(fa, name);
  if (platform.length > 0) return status('restricted', platform);
  if (!fa.featureRequests[name]?.activated) return status('pending', [{ code: 'activating', resolution: null }]);
  return status('active', []);
}

export function featureStatusOf(
  store: Store,
  accountId: string,
  fa: FinancialAccountRecord,
  name: FeatureName,
): FeatureStatus['status'] | 'unrequested' {
  if (!fa.featureRequests[name]?.requested) return 'unrequested';
  return featureStatus(store.findAccount(accountId) as AccountRecord, fa, name).status;
}

export function renderFeatures(store: Store, accountId: string, fa: FinancialAccountRecord): Stripe.Treasury.FinancialAccountFeatures {
  const account = store.findAccount(accountId) as AccountRecord;
  const features: Record<string, unknown> = { object: 'treasury.financial_account_features' };
  for (const name of FEATURE_NAMES) {
    if (!fa.featureRequests[name]?.requested) continue;
    const [group, leaf] = name.split('.');
    const value = featureStatus(account, fa, name);
    if (leaf) features[group] = { ...(features[group] as object), [leaf]: value };
    else features[group] = value;
  }
  return features as unknown as Stripe.Treasury.FinancialAccountFeatures;
}

export function renderFinancialAccount(
  store: Store,
  accountId: string,
  fa: FinancialAccountRecord,
  revealAccountNumber = false,
): Stripe.Treasury.FinancialAccount {
  const account = store.findAccount(accountId) as AccountRecord;
  const byStatus = (wanted: string) =>
    FEATURE_NAMES.filter((name) => fa.featureRequests[name]?.requested && featureStatus(account, fa, name).status === wanted);
  const { featureRequests: _requests, lastPublishedFeatures: _published, ...visible } = fa;
  // A platform restriction restricts only some of the address's functionality (inbound wires still
  // arrive), so the address stays listed; any other restriction or a pending activation hides it.
  const aba = fa.featureRequests['financial_addresses.aba']?.requested ? featureStatus(account, fa, 'financial_addresses.aba') : undefined;
  const abaActive =
    aba !== undefined &&
    (aba.status === 'active' ||
      (aba.status === 'restricted' && aba.status_details.every((detail) => detail.code === 'restricted_by_platform')));
  return {
    ...visible,
    active_features: byStatus('active'),
    pending_features: byStatus('pending'),
    restricted_features: byStatus('restricted'),
    financial_addresses: abaActive
      ? fa.financial_addresses.map((address) => ({
          ...address,
          aba: revealAccountNumber ? address.aba : { ...address.aba!, account_number: undefined },
        }))
      : [],
  };
}

/** `features[card_issuing][requested]=true` and friends → flat feature names. */
function requestedFeatures(features: unknown): Partial<Record<FeatureName, boolean>> {
  const out: Partial<Record<FeatureName, boolean>> = {};
  for (const name of FEATURE_NAMES) {
    const node = name.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], features);
    const requested = (node as { requested?: boolean } | undefined)?.requested;
    if (requested !== undefined) out[name] = requested;
  }
  return out;
}

function applyFeatureRequests(ctx: RequestContext, fa: FinancialAccountRecord, features: unknown): void {
  for (const [name, requested] of Object.entries(requestedFeatures(features)) as [FeatureName, boolean][]) {
    const current = fa.featureRequests[name];
    if (requested && !current?.requested) {
      fa.featureRequests[name] = { requested: true, activated: ctx.runtime.activation === 'instant' };
    } else if (!requested) {
      delete fa.featureRequests[name];
    }
  }
}

function applyCommonUpdates(
  ctx: RequestContext,
  fa: FinancialAccountRecord,
  params: Stripe.Treasury.FinancialAccountCreateParams | Stripe.Treasury.FinancialAccountUpdateParams,
): void {
  if (params.features !== undefined) applyFeatureRequests(ctx, fa, params.features);
  if (params.platform_restrictions !== undefined) {
    fa.platform_restrictions = { ...fa.platform_restrictions!, ...params.platform_restrictions };
  }
  if (params.nickname !== undefined) fa.nickname = params.nickname === '' ? null : params.nickname;
  if (params.metadata !== undefined) fa.metadata = mergeMetadata(fa.metadata, params.metadata);
}

function findFinancialAccount(ctx: RequestContext): FinancialAccountRecord {
  return findIn(ctx.scope.financialAccounts, ctx.pathParams.financial_account, 'financial account', 'financial_account');
}

export function requireOpen(fa: FinancialAccountRecord): void {
  if (fa.status === 'closed') {
    throw invalidRequest(`The financial account ${fa.id} is closed; closed financial accounts cannot be changed.`, {});
  }
}

function render(ctx: RequestContext, fa: FinancialAccountRecord): Stripe.Treasury.FinancialAccount {
  return renderFinancialAccount(ctx.store, ctx.accountId, fa);
}

function createFinancialAccount(
  params: Stripe.Treasury.FinancialAccountCreateParams,
  ctx: RequestContext,
): Stripe.Treasury.FinancialAccount {
  const account = ctx.store.findAccount(ctx.accountId) as AccountRecord;
  if (capabilityStatus(account, 'treasury') === 'unrequested') {
    throw invalidRequest(
      `The account ${ctx.accountId} has not requested the treasury capability; request it before creating financial accounts.`,
      {},
    );
  }
  const currencies = params.supported_currencies;
  currencies.forEach((currency, i) => {
    if (currency !== 'usd')
      throw invalidRequest(`Invalid supported_currencies[${i}]: must be usd`, { param: `supported_currencies[${i}]` });
  });
  const open = Object.values(ctx.scope.financialAccounts).filter((fa) => fa.status === 'open').length;
  if (open >= MAX_OPEN_FINANCIAL_ACCOUNTS) {
    throw invalidRequest(`This account already has ${open} open financial accounts, the maximum allowed.`, {});
  }
  const id = newId('fa');
  const fa: FinancialAccountRecord = {
    id,
    object: 'treasury.financial_account',
    balance: { cash: { usd: 0 }, inbound_pending: { usd: 0 }, outbound_pending: { usd: 0 } },
    country: 'US',
    created: nowSeconds(),
    financial_addresses: [
      {
        type: 'aba',
        supported_networks: ['ach', 'us_domestic_wire'],
        aba: {
          account_holder_name: 'Emulated Account Holder',
          account_number: String(Date.now()).slice(-10),
          account_number_last4: String(Date.now()).slice(-4),
          bank_name: 'STRIPE TEST BANK',
          routing_number: '0000000001',
        },
      },
    ],
    is_default: false,
    livemode: false,
    metadata: {},
    nickname: null,
    platform_restrictions: { inbound_flows: 'unrestricted', outbound_flows: 'unrestricted' },
    status: 'open',
    status_details: { closed: null },
    supported_currencies: currencies,
    featureRequests: {},
    lastPublishedFeatures: '',
  };
  applyCommonUpdates(ctx, fa, params);
  ctx.scope.financialAccounts[id] = fa;
  fa.lastPublishedFeatures = JSON.stringify(renderFeatures(ctx.store, ctx.accountId, fa));
  const rendered = render(ctx, fa);
  ctx.emit('treasury.financial_account.created', rendered);
  return rendered;
}

function closeFinancialAccount(ctx: RequestContext): Stripe.Treasury.FinancialAccount {
  const fa = findFinancialAccount(ctx);
  requireOpen(fa);
  const balance = fa.balance;
  if (
    ['cash', 'inbound_pending', 'outbound_pending'].some((kind) =>
      Object.values(balance[kind as keyof typeof balance]).some((amount) => amount !== 0),
    )
  ) {
    throw invalidRequest(
      `The financial account ${fa.id} cannot be closed while it holds a balance (cash, inbound or outbound pending); move the funds out first.`,
      {},
    );
  }
  const liveCards = Object.values(ctx.scope.cards).filter((card) => card.financial_account === fa.id && card.status !== 'canceled');
  if (liveCards.length > 0) {
    throw invalidRequest(
      `The financial account ${fa.id} cannot be closed while cards are attached to it that are not canceled: ${liveCards.map((c) => c.id).join(', ')}.`,
      {},
    );
  }
  fa.status = 'closed';
  fa.status_details = { closed: { reasons: ['closed_by_platform'] } };
  const rendered = render(ctx, fa);
  ctx.emit('treasury.financial_account.closed', rendered);
  return rendered;
}

/** Moves money on a financial account's balance; amounts in the smallest currency unit. */
export function adjustBalance(
  fa: FinancialAccountRecord,
  currency: string,
  change: { cash?: number; outbound_pending?: number; inbound_pending?: number },
): void {
  for (const [kind, amount] of Object.entries(change) as ['cash' | 'outbound_pending' | 'inbound_pending', number][]) {
    fa.balance[kind][currency] = (fa.balance[kind][currency] ?? 0) + amount;
  }
}

export const treasuryRoutes: RouteTable = {
  'POST /v1/treasury/financial_accounts': createFinancialAccount,
  'GET /v1/treasury/financial_accounts': (params, ctx) =>
    paginate(
      filterBy(newestFirst(ctx.scope.financialAccounts), params, { status: (fa) => fa.status }).map((fa) => render(ctx, fa)),
      params,
      '/v1/treasury/financial_accounts',
    ),
  'GET /v1/treasury/financial_accounts/{financial_account}': (params, ctx) => {
    const reveal = (params.expand ?? []).includes('financial_addresses.aba.account_number');
    return renderFinancialAccount(ctx.store, ctx.accountId, findFinancialAccount(ctx), reveal);
  },
  'POST /v1/treasury/financial_accounts/{financial_account}': (params, ctx) => {
    const fa = findFinancialAccount(ctx);
    requireOpen(fa);
    if (params.forwarding_settings !== undefined) {
      throw invalidRequest('forwarding_settings is not supported by the emulator.', { param: 'forwarding_settings' });
    }
    applyCommonUpdates(ctx, fa, params);
    return render(ctx, fa);
  },
  'POST /v1/treasury/financial_accounts/{financial_account}/close': (_params, ctx) => closeFinancialAccount(ctx),
  'GET /v1/treasury/financial_accounts/{financial_account}/features': (_params, ctx) =>
    renderFeatures(ctx.store, ctx.accountId, findFinancialAccount(ctx)),
  'POST /v1/treasury/financial_accounts/{financial_account}/features': (params, ctx) => {
    const fa = findFinancialAccount(ctx);
    requireOpen(fa);
    applyFeatureRequests(ctx, fa, params);
    return renderFeatures(ctx.store, ctx.accountId, fa);
  },
};

/** Test control: Stripe finishing activation of pending features (all of them unless named). */
export function activateFeatures(store: Store, accountId: string, financialAccountId: string, names?: FeatureName[]): void {
  const fa = findIn(store.scope(accountId).financialAccounts, financialAccountId, 'financial account');
  for (const name of names ?? FEATURE_NAMES) {
    const request = fa.featureRequests[name];
    if (request?.requested) request.activated = true;
  }
}

export function scopeFinancialAccount(scope: AccountScope, id: string, param: string): FinancialAccountRecord {
  return findIn(scope.financialAccounts, id, 'financial account', param);
}
