import type * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { sortedSet } from '../canonical';
import { fromStripe } from '../casing';
import { type Fields, type OutputsOf, outputs } from '../engine/fields';
import { type In, register } from '../engine/resource-class';
import type { BaseInputs, ResourceSpec } from '../engine/spec';
import * as v from '../validation';

/** Feature names as Stripe spells them; nested ones joined with a dot. */
export const FEATURES = [
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
export type Feature = (typeof FEATURES)[number];

export interface FinancialAccountFeaturesInputs extends BaseInputs {
  financialAccount: string;
  /** The features this resource requests; others are left alone. */
  features: Feature[];
  /**
   * Unrequest features when they leave the stack (dropped from `features`, or the resource destroyed).
   * Default false: they stay requested in Stripe, where other stacks or products may rely on them.
   */
  unrequestOnRemove?: boolean;
}

export type FinancialAccountFeaturesArgs = In<Omit<FinancialAccountFeaturesInputs, 'pulumiStack' | 'pulumiName' | 'adoptId'>>;

export interface FeatureStatus {
  requested: boolean;
  status: 'active' | 'pending' | 'restricted';
  statusDetails: { code: string; resolution?: string; restriction?: string }[];
}

type FeaturesObject = Stripe.Treasury.FinancialAccountFeatures;

function featureAt(
  features: FeaturesObject,
  name: string,
): { requested?: boolean; status?: string; status_details?: unknown[] } | undefined {
  return name.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], features) as never;
}

/** `{card_issuing: {requested}}`, `{financial_addresses: {aba: {requested}}}`, … for one call. */
function featuresParam(requested: readonly string[], unrequested: readonly string[]): Record<string, unknown> {
  const params: Record<string, Record<string, unknown>> = {};
  const set = (name: string, value: boolean) => {
    const [head, leaf] = name.split('.');
    if (leaf === undefined) params[head] = { requested: value };
    else params[head] = { ...params[head], [leaf]: { requested: value } };
  };
  unrequested.forEach((name) => {
    set(name, false);
  });
  requested.forEach((name) => {
    set(name, true);
  });
  return params;
}

function checkFeatures(failures: v.Failures, path: string, features: unknown) {
  if (features === undefined)
    failures.push({ property: path, reason: `is required, e.g. ["card_issuing"]; allowed: ${FEATURES.join(', ')}` });
  if (v.listAt(failures, path, features)) {
    if (features.length === 0) failures.push({ property: path, reason: 'must name at least one feature' });
    features.forEach((feature, i) => {
      v.oneOf(failures, `${path}[${i}]`, feature, FEATURES, true);
    });
  }
}

const RESTRICTION_INPUT: Record<string, string> = { inbound_flows: 'inboundFlows', outbound_flows: 'outboundFlows' };

/**
 * A feature the platform's own `platform_restrictions` restrict (`restricted_by_platform`) is the
 * stack's doing, not drift: it says which restriction and how to lift it. A `card_issuing` feature
 * restricted for another reason stops the account's cards. (An outbound restriction leaves
 * `card_issuing` active but declines the cards: the FinancialAccount warns about that.)
 */
function featureWarnings(financialAccount: string | undefined, statuses: Record<string, FeatureStatus>): string[] {
  return Object.entries(statuses).flatMap(([name, status]) => {
    const byPlatform = status.statusDetails.filter((detail) => detail.code === 'restricted_by_platform');
    if (byPlatform.length > 0) {
      const restrictions = byPlatform.map((detail) => detail.restriction ?? 'a platform restriction');
      return [
        `financial account ${financialAccount}: feature ${name} is restricted by the platform's own restriction ` +
          `(${restrictions.map((r) => `platform_restrictions.${r}`).join(', ')}, restricted_by_platform); to lift it set ` +
          `${restrictions.map((r) => `platformRestrictions.${RESTRICTION_INPUT[r] ?? r}: unrestricted`).join(' and ')} on the FinancialAccount`,
      ];
    }
    if (name === 'card_issuing' && status.status === 'restricted') {
      const codes = status.statusDetails.map((detail) => detail.code).join(', ');
      return [
        `financial account ${financialAccount}: feature card_issuing is restricted (${codes}); cards on this account cannot authorize`,
      ];
    }
    return [];
  });
}

const featuresFields: Fields<FinancialAccountFeaturesInputs, FeaturesObject> = {
  // Features belong to their financial account: the account's ID names them, and they read back under it.
  financialAccount: {
    description: 'The financial account (`fa_…`), managed in this stack or not.',
    required: true,
    mutability: 'createOnly',
    check: (failures, path, value) => v.stripeId(failures, path, value, 'fa_'),
    read: (_features, prior) => prior.financialAccount,
  },
  // Only the features this resource owns: one unrequested out of band shows as drift.
  features: {
    description:
      'The features this resource requests (cards need `card_issuing`); added ones are requested in one call, removed ones left requested unless `unrequestOnRemove`.',
    required: true,
    schema: { type: 'array', uniqueItems: true, items: { enum: [...FEATURES] } },
    mutability: 'updatable',
    check: checkFeatures,
    canonical: sortedSet,
    read: (features, prior) => prior.features.filter((name) => featureAt(features, name)?.requested === true),
  },
  // Not a Stripe field: what destroy and dropping a feature do.
  unrequestOnRemove: {
    description: 'Unrequest features when they leave the list or the stack. Default: they stay requested.',
    mutability: 'updatable',
    check: v.optionalBoolean,
    canonical: (value) => (value === true ? true : undefined),
    read: (_features, prior) => (prior.unrequestOnRemove === true ? true : undefined),
  },
};

/** Each feature's status: the ones listed, and any other Stripe shows requested. */
function statusesOf(features: FeaturesObject, listed: readonly string[] = []): Record<string, FeatureStatus> {
  const statuses: Record<string, FeatureStatus> = {};
  for (const name of new Set([...listed, ...FEATURES.filter((feature) => featureAt(features, feature)?.requested === true)])) {
    const feature = featureAt(features, name);
    if (feature) statuses[name] = fromStripe<FeatureStatus>({ ...feature, status_details: feature.status_details ?? [] });
  }
  return statuses;
}

const featuresOutputs = outputs<FeaturesObject, FinancialAccountFeaturesInputs>()({
  statuses: {
    description: 'For each requested feature: `{ requested, status, statusDetails[{ code, resolution, restriction }] }`.',
    read: (features, prior) => statusesOf(features, prior.features),
  },
  warnings: {
    description: "A feature the account's own platform restrictions restrict, or `card_issuing` restricted (also logged).",
    read: (features, prior) => featureWarnings(prior.financialAccount, statusesOf(features, prior.features)),
  },
});

export type FinancialAccountFeaturesOutputs = FinancialAccountFeaturesInputs & OutputsOf<typeof featuresOutputs>;

export const financialAccountFeaturesSpec: ResourceSpec<FinancialAccountFeaturesInputs, FinancialAccountFeaturesOutputs, FeaturesObject> = {
  typeName: 'FinancialAccountFeatures',
  fields: featuresFields,

  // Stripe's parameters nest by feature name: built here from the list, not from the field table.
  create: (stripe, inputs, _params, idempotencyKey) =>
    stripe.treasury.financialAccounts.updateFeatures(inputs.financialAccount, featuresParam(inputs.features, []), {
      stripeAccount: inputs.account,
      idempotencyKey,
    }),

  retrieve: (stripe, id, account) => stripe.treasury.financialAccounts.retrieveFeatures(id, {}, { stripeAccount: account }),
  idOf: (_features, inputs) => inputs.financialAccount,
  isDead: (features, inputs) =>
    inputs.features.every((name) => featureAt(features, name)?.requested !== true) ||
    inputs.features.some((name) =>
      (featureAt(features, name)?.status_details as { code?: string }[] | undefined)?.some((d) => d.code === 'financial_account_closed'),
    ),

  outputs: featuresOutputs,

  update(stripe, id, olds, news) {
    const added = news.features.filter((name) => !olds.features.includes(name));
    const removed = news.unrequestOnRemove === true ? olds.features.filter((name) => !news.features.includes(name)) : [];
    return stripe.treasury.financialAccounts.updateFeatures(id, featuresParam(added, removed), { stripeAccount: news.account });
  },

  async remove(stripe, id, props) {
    if (props.unrequestOnRemove !== true) {
      const log: typeof pulumi.log = require('@pulumi/pulumi').log;
      await log.info(
        `FinancialAccountFeatures: left ${props.features.join(', ')} requested on ${id} (unrequestOnRemove is off); dropped from state`,
      );
      return;
    }
    await stripe.treasury.financialAccounts.updateFeatures(id, featuresParam([], props.features), { stripeAccount: props.account });
  },
};

/**
 * Features requested on a Treasury financial account (managed here or not). Destroy leaves them
 * requested unless `unrequestOnRemove` is set.
 */
export const financialAccountFeatures = register<
  FinancialAccountFeaturesInputs,
  FinancialAccountFeaturesOutputs,
  FeaturesObject,
  FinancialAccountFeaturesArgs
>(financialAccountFeaturesSpec);
/** What the engine runs for this type (the compiled package's entry exports it). */
export const financialAccountFeaturesProvider = financialAccountFeatures.provider;
export const FinancialAccountFeatures = financialAccountFeatures.Class;
export type FinancialAccountFeatures = InstanceType<typeof FinancialAccountFeatures>;
