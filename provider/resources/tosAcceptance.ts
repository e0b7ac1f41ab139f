import type * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { type Fields, outputs } from '../engine/fields';
import { type In, register } from '../engine/resource-class';
import type { BaseInputs, ResourceSpec } from '../engine/spec';
import * as v from '../validation';

/**
 * Products whose capability needs the connected account's own terms-of-service acceptance, recorded by
 * the platform in `settings.<product>.tos_acceptance` (API reference, update an account; Stripe lists
 * `settings.card_issuing.tos_acceptance.date` / `.ip` among the card_issuing requirements).
 */
export const TOS_PRODUCTS = ['card_issuing', 'treasury'] as const;
export type TosProduct = (typeof TOS_PRODUCTS)[number];

export interface TosAcceptanceInputs extends BaseInputs {
  /** `card_issuing` (Stripe Issuing Terms and Disclosures) or `treasury` (Treasury terms). */
  product: TosProduct;
  /** When the account representative accepted, in Unix seconds. */
  date: number;
  /** The IP address they accepted from (IPv4 or IPv6). */
  ip: string;
  /** The user agent of the browser they accepted in. */
  userAgent?: string;
}

export type TosAcceptanceArgs = In<Omit<TosAcceptanceInputs, 'pulumiStack' | 'pulumiName' | 'adoptId'>>;

/** The acceptance as the account shows it (`settings.<product>.tos_acceptance`). */
export interface RecordedAcceptance {
  account: string;
  product: TosProduct;
  date: number | null;
  ip: string | null;
  userAgent: string | null;
}

type AcceptanceSettings = { tos_acceptance?: { date?: number | null; ip?: string | null; user_agent?: string | null } | null };

function acceptanceOf(account: Stripe.Account, product: TosProduct): RecordedAcceptance {
  const tos = (account.settings as Record<string, AcceptanceSettings | undefined> | null)?.[product]?.tos_acceptance;
  return { account: account.id, product, date: tos?.date ?? null, ip: tos?.ip ?? null, userAgent: tos?.user_agent ?? null };
}

/** Stripe's answer to the account update, narrowed to the acceptance; keeps `lastResponse` (idempotent replays). */
function recorded(account: Stripe.Response<Stripe.Account>, product: TosProduct): Stripe.Response<RecordedAcceptance> {
  return { ...acceptanceOf(account, product), lastResponse: account.lastResponse };
}

// Stripe documents no upper bound for `date`; an acceptance cannot have happened later than now.
const LATEST_CLOCK_SKEW_SECONDS = 300;

function send(stripe: Stripe, inputs: TosAcceptanceInputs, idempotencyKey?: string) {
  // `user_agent` is emptyable in the API: '' removes one the stack file no longer gives.
  const tosAcceptance = { date: inputs.date, ip: inputs.ip, user_agent: inputs.userAgent ?? '' };
  return stripe.accounts.update(
    inputs.account,
    { settings: { [inputs.product]: { tos_acceptance: tosAcceptance } } },
    idempotencyKey ? { idempotencyKey } : undefined,
  );
}

function checkDate(failures: v.Failures, path: string, date: unknown) {
  const latest = Math.floor(Date.now() / 1000) + LATEST_CLOCK_SKEW_SECONDS;
  if (!Number.isInteger(date) || (date as number) <= 0) {
    failures.push({
      property: path,
      reason: `must be the acceptance time in Unix seconds (e.g. 1767225600 for 2026-01-01T00:00:00Z), got ${JSON.stringify(date)}`,
    });
  } else if ((date as number) > latest) {
    failures.push({
      property: path,
      reason: `is in the future (${new Date((date as number) * 1000).toISOString()}): record when the account holder accepted`,
    });
  }
}

function checkIp(failures: v.Failures, path: string, ip: unknown) {
  const isIP: (input: string) => number = require('node:net').isIP;
  if (typeof ip !== 'string' || isIP(ip) === 0) {
    failures.push({
      property: path,
      reason: `must be the IPv4 or IPv6 address the account holder accepted from (e.g. 203.0.113.7), got ${JSON.stringify(ip)}`,
    });
  }
}

// Stripe takes a new acceptance at any time ("recording a new acceptance of Issuing's terms",
// docs.stripe.com/issuing/connect), so date, IP and user agent update in place.
const tosAcceptanceFields: Fields<TosAcceptanceInputs, RecordedAcceptance> = {
  product: {
    description: '`card_issuing` (Stripe Issuing terms) or `treasury` (Treasury terms); the stack file keys acceptances by it.',
    required: true,
    mutability: 'createOnly',
    check: (failures, path, value) => v.oneOf(failures, path, value, TOS_PRODUCTS, true),
    read: (acceptance) => acceptance.product,
  },
  date: {
    description: 'When the account holder accepted, in Unix seconds (e.g. 1767225600 for 2026-01-01T00:00:00Z), not in the future.',
    required: true,
    schema: { type: 'integer', minimum: 1, errorMessage: 'must be the acceptance time in Unix seconds, e.g. 1767225600' },
    mutability: 'updatable',
    check: checkDate,
    read: (acceptance) => acceptance.date ?? undefined,
  },
  ip: {
    description: 'The IPv4 or IPv6 address the account holder accepted from.',
    required: true,
    schema: {
      type: 'string',
      minLength: 2,
      errorMessage: 'must be an IPv4 or IPv6 address such as 203.0.113.7 (quote it in YAML)',
    },
    mutability: 'updatable',
    check: checkIp,
    read: (acceptance) => acceptance.ip ?? undefined,
  },
  userAgent: {
    description: 'The user agent of the browser the account holder accepted in, at most 5000 characters; dropping it empties it.',
    schema: { type: 'string', maxLength: 5000 },
    mutability: 'updatable',
    check: (failures, path, value) => v.optionalString(failures, path, value, 5000),
    read: (acceptance) => acceptance.userAgent || undefined,
  },
};

export const tosAcceptanceSpec: ResourceSpec<TosAcceptanceInputs, TosAcceptanceInputs, RecordedAcceptance> = {
  typeName: 'TosAcceptance',
  fields: tosAcceptanceFields,

  // Capabilities and their settings live on the account object: the platform key addresses it by URL.
  // Stripe's parameters nest under the product's settings: built by `send`, not from the field table.
  create: async (stripe, inputs, _params, idempotencyKey) => recorded(await send(stripe, inputs, idempotencyKey), inputs.product),

  retrieve: async (stripe, id, account) => acceptanceOf(await stripe.accounts.retrieve(account), productOf(id)),
  idOf: (acceptance) => `${acceptance.account}/settings.${acceptance.product}.tos_acceptance`,
  // Stripe clears the acceptance itself when it cannot verify an account in time (docs.stripe.com/issuing/connect):
  // refresh then drops it, and the next `up` records the stack file's acceptance again.
  isDead: (acceptance) => acceptance.date === null,

  outputs: outputs<RecordedAcceptance, TosAcceptanceInputs>()({}),

  update: async (stripe, _id, _olds, news) => acceptanceOf(await send(stripe, news), news.product),

  async remove(_stripe, id) {
    // The API records acceptances; it has no way to withdraw one (`date` and `ip` are not emptyable).
    const log: typeof pulumi.log = require('@pulumi/pulumi').log;
    await log.warn(`TosAcceptance: Stripe keeps ${id} (an acceptance cannot be withdrawn through the API); dropped from state`);
  },
};

const productOf = (id: string) => id.slice(id.indexOf('/settings.') + '/settings.'.length, id.lastIndexOf('.tos_acceptance')) as TosProduct;

/**
 * The connected account's acceptance of the Stripe Issuing or Treasury terms, which the platform records
 * for it; `card_issuing` and `treasury` stay inactive without it. Destroy leaves it recorded in Stripe.
 */
export const tosAcceptance = register<TosAcceptanceInputs, TosAcceptanceInputs, RecordedAcceptance, TosAcceptanceArgs>(tosAcceptanceSpec);
/** What the engine runs for this type (the compiled package's entry exports it). */
export const tosAcceptanceProvider = tosAcceptance.provider;
export const TosAcceptance = tosAcceptance.Class;
export type TosAcceptance = InstanceType<typeof TosAcceptance>;
