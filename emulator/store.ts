// The emulator's state: accounts (the platform and its connected accounts) and, per account, the objects
// that live on it. Everything is plain JSON so the whole state can be persisted to a file. Collections
// are keyed by id in creation order; lists read them newest first, like Stripe.
import type Stripe from 'stripe';
import { resourceMissing } from './errors';
import { ownValue } from './form';
import { newId, nowSeconds } from './ids';

export const FEATURE_NAMES = [
  'card_issuing',
  'deposit_insurance',
  'financial_addresses.aba',
  'inbound_transfers.ach',
  'intra_stripe_flows',
  'outbound_payments.ach',
  'outbound_payments.us_domestic_wire',
  'outbound_transfers.ach',
  'outbound_transfers.us_domestic_wire',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

export interface CapabilityRecord {
  requested: boolean;
  requested_at: number | null;
  /** Set when Stripe's side has finished onboarding (instantly, or via a test control in pending mode). */
  activated: boolean;
  /** A status forced by a test control, e.g. 'inactive' to mimic Stripe disabling the capability. */
  forcedStatus: Stripe.Capability.Status | null;
  lastPublishedStatus: Stripe.Capability.Status;
}

export interface AccountRecord {
  account: Omit<Stripe.Account, 'capabilities'>;
  capabilities: Record<string, CapabilityRecord>;
}

export interface FeatureRecord {
  requested: boolean;
  activated: boolean;
}

export type FinancialAccountRecord = Omit<
  Stripe.Treasury.FinancialAccount,
  'active_features' | 'pending_features' | 'restricted_features' | 'features'
> & {
  featureRequests: Partial<Record<FeatureName, FeatureRecord>>;
  lastPublishedFeatures: string;
};

export type CardRecord = Omit<Stripe.Issuing.Card, 'cardholder'> & {
  cardholder: string;
  number: string;
  cvc: string;
};

export interface AuthorizationDecision {
  approved: boolean;
  amount: number;
  reason: Stripe.Issuing.Authorization.RequestHistory.Reason;
}

export type AuthorizationRecord = Omit<Stripe.Issuing.Authorization, 'card' | 'transactions'> & {
  card: string;
  transactionIds: string[];
  financialAccount: string | null;
  /** An answer given through the deprecated approve/decline endpoints while the request was pending. */
  decisionByApi: AuthorizationDecision | null;
  /** What an expired authorization held when it expired: the default amount of a later capture. */
  expiredHold?: number;
};

export type TransactionRecord = Stripe.Issuing.Transaction & {
  /** For a refund: the capture it gives money back for. */
  refundOf: string | null;
};

export type WebhookEndpointRecord = Stripe.WebhookEndpoint & {
  secret: string;
  /** Receives the events of connected accounts (Stripe never returns this field). */
  connect: boolean;
};

export interface StoredEvent {
  id: string;
  object: 'event';
  account?: string;
  api_version: string;
  created: number;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface AccountScope {
  financialAccounts: Record<string, FinancialAccountRecord>;
  receivedCredits: Record<string, Stripe.Treasury.ReceivedCredit>;
  receivedDebits: Record<string, Stripe.Treasury.ReceivedDebit>;
  /** Treasury Transactions (changes to a financial account's balance), `entries` stored whole. */
  treasuryTransactions: Record<string, Stripe.Treasury.Transaction>;
  cardholders: Record<string, Stripe.Issuing.Cardholder>;
  cards: Record<string, CardRecord>;
  authorizations: Record<string, AuthorizationRecord>;
  transactions: Record<string, TransactionRecord>;
  disputes: Record<string, Stripe.Issuing.Dispute>;
  webhookEndpoints: Record<string, WebhookEndpointRecord>;
  events: Record<string, StoredEvent>;
}

export interface EmulatorState {
  platformAccountId: string;
  accounts: Record<string, AccountRecord>;
  scopes: Record<string, AccountScope>;
}

function emptyScope(): AccountScope {
  return {
    financialAccounts: {},
    receivedCredits: {},
    receivedDebits: {},
    treasuryTransactions: {},
    cardholders: {},
    cards: {},
    authorizations: {},
    transactions: {},
    disputes: {},
    webhookEndpoints: {},
    events: {},
  };
}

export class Store {
  constructor(readonly state: EmulatorState) {
    // A state file written before a collection existed gets it empty.
    for (const [id, scope] of Object.entries(state.scopes)) state.scopes[id] = { ...emptyScope(), ...scope };
  }

  static empty(): Store {
    const store = new Store({ platformAccountId: newId('acct', 16), accounts: {}, scopes: {} });
    store.addAccount(store.state.platformAccountId, { type: 'standard', tosAccepted: true });
    return store;
  }

  get platformAccountId(): string {
    return this.state.platformAccountId;
  }

  scope(accountId: string): AccountScope {
    const scope = ownValue(this.state.scopes, accountId);
    if (scope) return scope;
    // Only existing accounts keep a scope: an id such as `__proto__` never becomes a key of the state.
    if (!this.findAccount(accountId)) return emptyScope();
    const created = emptyScope();
    this.state.scopes[accountId] = created;
    return created;
  }

  findAccount(accountId: string): AccountRecord | undefined {
    return ownValue(this.state.accounts, accountId);
  }

  connectedAccount(accountId: string, param = 'account'): AccountRecord {
    const record = this.findAccount(accountId);
    if (!record || accountId === this.platformAccountId) throw resourceMissing('account', accountId, param);
    return record;
  }

  addAccount(
    id: string,
    options: { type: Stripe.Account.Type; tosAccepted: boolean; country?: string; email?: string | null },
  ): AccountRecord {
    const created = nowSeconds();
    const tosAcceptance = options.tosAccepted ? { date: created, ip: '127.0.0.1', user_agent: null } : null;
    const record: AccountRecord = {
      account: {
        id,
        object: 'account',
        business_type: null,
        charges_enabled: false,
        country: options.country ?? 'US',
        created,
        default_currency: 'usd',
        details_submitted: options.tosAccepted,
        email: options.email ?? null,
        metadata: {},
        payouts_enabled: false,
        settings: {
          card_issuing: { tos_acceptance: tosAcceptance ?? { date: null, ip: null } },
          treasury: { tos_acceptance: tosAcceptance ?? { date: null, ip: null } },
        } as unknown as Stripe.Account.Settings,
        type: options.type,
      },
      capabilities: {},
    };
    this.state.accounts[id] = record;
    this.state.scopes[id] ??= emptyScope();
    return record;
  }
}

/** Looks an object up in one account's collection; anything else is Stripe's `resource_missing`. */
export function findIn<T>(collection: Record<string, T>, id: string, noun: string, param = 'id'): T {
  // Ids come from requests: `__proto__` or `constructor` must not resolve to inherited values.
  const found = ownValue(collection, id);
  if (!found) throw resourceMissing(noun, id, param);
  return found;
}

/** Newest first, like every Stripe list. */
export function newestFirst<T>(collection: Record<string, T>): T[] {
  return Object.values(collection).reverse();
}
