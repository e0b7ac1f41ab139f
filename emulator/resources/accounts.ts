// Connected accounts (custom, created through the API or seeded) and their capabilities.
// Capability rules: `treasury` needs `transfers` requested; `card_issuing` needs the platform onboarded
// to Issuing; both need the account's Terms of Service acceptance for that product; activation is
// instant or waits for a test control (activation: 'pending'), like real onboarding; permanent
// capabilities refuse to be unrequested.
// Source of the ToS requirement names (`settings.card_issuing.tos_acceptance.ip` / `.date`):
// docs.stripe.com/issuing/connect, "Here are the requirements to activate the card_issuing capability";
// the same names for treasury (see emulator/README.md, "Onboarding rules and their sources").
import type Stripe from 'stripe';
import { invalidRequest, parameterMissing, resourceMissing } from '../errors';
import { setOwn } from '../form';
import { newId, nowSeconds } from '../ids';
import { paginate } from '../list';
import type { RequestContext, RouteTable } from '../router';
import type { Runtime } from '../runtime';
import { type AccountRecord, type CapabilityRecord, newestFirst, type Store } from '../store';

export const CAPABILITY_NAMES = [
  'card_issuing',
  'card_payments',
  'legacy_payments',
  'tax_reporting_us_1099_k',
  'tax_reporting_us_1099_misc',
  'transfers',
  'treasury',
  'us_bank_account_ach_payments',
] as const;

/**
 * Capabilities that cannot be unrequested once requested. Stripe, Account capabilities guide
 * (docs.stripe.com/connect/account-capabilities): "For most capabilities, requesting them enables them
 * permanently. Attempting to remove or unrequest a permanent capability returns an error." Stripe does
 * not list which; the emulator treats the Issuing and Treasury ones as permanent and lets the others be
 * unrequested, so both paths can be exercised (emulator/README.md, decisions).
 */
export const PERMANENT_CAPABILITIES: readonly string[] = ['card_issuing', 'transfers', 'treasury', 'us_bank_account_ach_payments'];

/** Products whose capability needs the account's own ToS acceptance in `settings.<product>`. */
const TOS_PRODUCTS = ['card_issuing', 'treasury'] as const;

export function capabilityStatus(account: AccountRecord, name: string): Stripe.Capability.Status {
  const capability = account.capabilities[name];
  if (!capability?.requested) return 'unrequested';
  if (capability.forcedStatus) return capability.forcedStatus;
  if (requirementsDue(account, name).length > 0) return 'inactive';
  return capability.activated ? 'active' : 'pending';
}

function requirementsDue(account: AccountRecord, name: string): string[] {
  if (!(TOS_PRODUCTS as readonly string[]).includes(name)) return [];
  const settings = account.account.settings as unknown as Record<string, { tos_acceptance?: Record<string, unknown> }>;
  const tos = settings?.[name]?.tos_acceptance ?? {};
  return ['date', 'ip'].filter((field) => !tos[field]).map((field) => `settings.${name}.tos_acceptance.${field}`);
}

export function renderCapability(account: AccountRecord, name: string): Stripe.Capability {
  const capability = account.capabilities[name];
  const status = capabilityStatus(account, name);
  const due = capability?.requested ? requirementsDue(account, name) : [];
  const requirements = {
    alternatives: [],
    current_deadline: null,
    currently_due: due,
    disabled_reason: due.length > 0 ? 'requirements.fields_needed' : status === 'pending' ? 'pending.onboarding' : null,
    errors: [],
    eventually_due: due,
    past_due: due,
    pending_verification: [],
  };
  return {
    id: name,
    object: 'capability',
    account: account.account.id,
    future_requirements: { ...requirements, currently_due: [], eventually_due: [], past_due: [], disabled_reason: null },
    requested: capability?.requested ?? false,
    requested_at: capability?.requested_at ?? null,
    requirements,
    status,
  };
}

export function renderAccount(record: AccountRecord): Stripe.Account {
  const capabilities: Record<string, string> = {};
  for (const name of Object.keys(record.capabilities)) {
    const status = capabilityStatus(record, name);
    if (status !== 'unrequested') capabilities[name] = status;
  }
  return { ...record.account, capabilities: capabilities as Stripe.Account.Capabilities };
}

/** Requests or unrequests one capability, enforcing Stripe's prerequisites. */
function setRequested(runtime: Runtime, account: AccountRecord, name: string, requested: boolean, param: string): void {
  if (!(CAPABILITY_NAMES as readonly string[]).includes(name)) {
    throw resourceMissing('capability', name, param);
  }
  const existing = account.capabilities[name];
  if (requested) {
    if (existing?.requested) return;
    if (name === 'card_issuing' && !runtime.platformIssuing) {
      throw invalidRequest(
        'Your platform is not onboarded to Issuing, so connected accounts cannot request the card_issuing capability. ' +
          'Onboard the platform to Issuing in the Dashboard first.',
        { param },
      );
    }
    if (name === 'treasury' && !account.capabilities.transfers?.requested) {
      throw invalidRequest('The treasury capability requires the transfers capability: request transfers first (or in the same request).', {
        param,
      });
    }
    account.capabilities[name] = {
      requested: true,
      requested_at: nowSeconds(),
      activated: runtime.activation === 'instant',
      forcedStatus: null,
      lastPublishedStatus: existing?.lastPublishedStatus ?? 'unrequested',
    };
    return;
  }
  if (!existing?.requested) return;
  if (PERMANENT_CAPABILITIES.includes(name)) {
    throw invalidRequest(`The ${name} capability is permanent once requested and cannot be unrequested.`, { param });
  }
  account.capabilities[name] = { ...existing, requested: false, requested_at: null, activated: false, forcedStatus: null };
}

type AccountParams = Stripe.AccountCreateParams | Stripe.AccountUpdateParams;

/** `capabilities[x][requested]` on account create: transfers first, so treasury can depend on it. */
function requestFromAccountParams(runtime: Runtime, account: AccountRecord, params: AccountParams): void {
  const requested: Partial<Record<string, { requested?: boolean }>> = { ...params.capabilities };
  const names = Object.keys(requested).sort((a, b) => Number(b === 'transfers') - Number(a === 'transfers'));
  for (const name of names) {
    const wanted = requested[name]?.requested;
    if (wanted !== undefined) setRequested(runtime, account, name, wanted, `capabilities[${name}]`);
  }
}

function applyAccountSettings(record: AccountRecord, params: AccountParams): void {
  const { account } = record;
  // `country` is create-only and given to addAccount; neither field may be empty (params.ts refuses '').
  if (params.email !== undefined) account.email = params.email;
  if (params.business_type !== undefined) account.business_type = params.business_type;
  if (params.metadata !== undefined) account.metadata = mergeMetadata(account.metadata, params.metadata);
  const current = account.settings as unknown as Record<string, { tos_acceptance: Record<string, unknown> }>;
  for (const product of TOS_PRODUCTS) {
    const tos = params.settings?.[product]?.tos_acceptance;
    if (!tos) continue;
    // API reference, update an account: `date` is "required if IP or user_agent is provided", `ip`
    // "required if date or user_agent is provided": an acceptance is recorded whole or not at all.
    if (tos.date === undefined) throw parameterMissing(`settings[${product}][tos_acceptance][date]`);
    if (tos.ip === undefined) throw parameterMissing(`settings[${product}][tos_acceptance][ip]`);
    // `user_agent` is emptyable: '' records none.
    current[product] = { tos_acceptance: { date: tos.date, ip: tos.ip, user_agent: tos.user_agent || null } };
  }
}

/** Stripe's metadata update: given keys are set, a key given '' is removed, and `metadata=''` clears all. */
export function mergeMetadata(
  current: Stripe.Metadata | null | undefined,
  update: Stripe.Emptyable<Stripe.MetadataParam>,
): Stripe.Metadata {
  if (update === '' || update === null) return {};
  const merged = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(update)) {
    // Form values are strings; the type also allows the numbers and nulls stripe-node would send as such.
    if (value === '' || value === null) delete merged[key];
    else setOwn(merged, key, String(value));
  }
  return merged;
}

function connected(ctx: RequestContext): AccountRecord {
  return ctx.store.connectedAccount(ctx.pathParams.account);
}

function capabilityOf(ctx: RequestContext): string {
  const name = ctx.pathParams.capability;
  if (!(CAPABILITY_NAMES as readonly string[]).includes(name)) throw resourceMissing('capability', name, 'capability');
  return name;
}

/**
 * Creates a custom connected account with a given id (seeded accounts). Like a new Stripe account it has
 * no Issuing or Treasury ToS acceptance unless `tosAccepted` says the platform recorded one already.
 */
export function seedAccount(store: Store, id: string, tosAccepted: boolean): AccountRecord {
  return store.findAccount(id) ?? store.addAccount(id, { type: 'custom', tosAccepted });
}

export const accountRoutes: RouteTable = {
  'POST /v1/accounts': (params, ctx) => {
    const record = ctx.store.addAccount(newId('acct', 16), {
      type: params.type ?? 'custom',
      tosAccepted: false,
      country: params.country,
      email: params.email,
    });
    try {
      applyAccountSettings(record, params);
      requestFromAccountParams(ctx.runtime, record, params);
    } catch (error) {
      delete ctx.store.state.accounts[record.account.id];
      delete ctx.store.state.scopes[record.account.id];
      throw error;
    }
    return renderAccount(record);
  },
  'GET /v1/accounts': (params, ctx) =>
    paginate(
      newestFirst(ctx.store.state.accounts)
        .filter((record) => record.account.id !== ctx.store.platformAccountId)
        .map(renderAccount),
      params,
      '/v1/accounts',
    ),
  'GET /v1/accounts/{account}': (_params, ctx) => renderAccount(connected(ctx)),
  'POST /v1/accounts/{account}': (params, ctx) => {
    const record = connected(ctx);
    applyAccountSettings(record, params);
    requestFromAccountParams(ctx.runtime, record, params);
    return renderAccount(record);
  },
  'GET /v1/accounts/{account}/capabilities': (_params, ctx) => {
    const record = connected(ctx);
    const data = CAPABILITY_NAMES.filter((name) => record.capabilities[name]).map((name) => renderCapability(record, name));
    return { object: 'list', data, has_more: false, url: `/v1/accounts/${record.account.id}/capabilities` };
  },
  'GET /v1/accounts/{account}/capabilities/{capability}': (_params, ctx) => renderCapability(connected(ctx), capabilityOf(ctx)),
  'POST /v1/accounts/{account}/capabilities/{capability}': (params, ctx) => {
    const record = connected(ctx);
    const name = capabilityOf(ctx);
    if (params.requested !== undefined) setRequested(ctx.runtime, record, name, params.requested, 'requested');
    return renderCapability(record, name);
  },
};

/** Test control: Stripe finishing onboarding of a pending capability. */
export function activateCapability(store: Store, accountId: string, name: string): void {
  const capability = requestedCapability(store, accountId, name);
  capability.activated = true;
  capability.forcedStatus = null;
}

/** Test control: Stripe moving a capability to a status of its own choosing (e.g. disabling it). */
export function forceCapabilityStatus(store: Store, accountId: string, name: string, status: Stripe.Capability.Status): void {
  const capability = requestedCapability(store, accountId, name);
  capability.forcedStatus = status === 'active' ? null : status;
  if (status === 'active') capability.activated = true;
}

function requestedCapability(store: Store, accountId: string, name: string): CapabilityRecord {
  const capability = store.connectedAccount(accountId).capabilities[name];
  if (!capability?.requested) throw new Error(`capability ${name} is not requested on ${accountId}`);
  return capability;
}
