import * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { sortedSet } from './canonical';
import { fromStripe } from './casing';
import type { Fields } from './fields';
import { implementationOf } from './implementation';
import { type BaseInputs, makeProvider, type ResourceSpec } from './mechanism';
import { type In, MODULE, resourceProps } from './resourceClass';
import * as v from './validation';

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

interface FeatureStatus {
  requested: boolean;
  status: 'active' | 'pending' | 'restricted';
  statusDetails: { code: string; resolution?: string; restriction?: string }[];
}

export interface FinancialAccountFeaturesOutputs extends FinancialAccountFeaturesInputs {
  /** Each requested feature's status, keyed by feature name. */
  statuses: Record<string, FeatureStatus>;
  /** Features restricted by the platform's restrictions, or card_issuing restricted; also logged as warnings. */
  warnings: string[];
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
    mutability: 'createOnly',
    check: (failures, path, value) => v.stripeId(failures, path, value, 'fa_'),
    read: (_features, prior) => prior.financialAccount,
  },
  // Only the features this resource owns: one unrequested out of band shows as drift.
  features: {
    mutability: 'updatable',
    check: checkFeatures,
    canonical: sortedSet,
    read: (features, prior) => prior.features.filter((name) => featureAt(features, name)?.requested === true),
  },
  // Not a Stripe field: what destroy and dropping a feature do.
  unrequestOnRemove: {
    mutability: 'updatable',
    check: v.optionalBoolean,
    canonical: (value) => (value === true ? true : undefined),
    read: (_features, prior) => (prior.unrequestOnRemove === true ? true : undefined),
  },
};

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

  outputsOf(features, prior) {
    const names = (prior.features ?? []).concat(FEATURES.filter((name) => featureAt(features, name)?.requested === true));
    const statuses: Record<string, FeatureStatus> = {};
    for (const name of new Set(names)) {
      const feature = featureAt(features, name);
      if (feature) statuses[name] = fromStripe<FeatureStatus>({ ...feature, status_details: feature.status_details ?? [] });
    }
    const warnings = featureWarnings(prior.financialAccount, statuses);
    return { statuses, warnings };
  },

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

export const financialAccountFeaturesProvider = makeProvider(financialAccountFeaturesSpec);

const FEATURES_OUTPUTS = ['statuses', 'warnings'] as const satisfies readonly (keyof FinancialAccountFeaturesOutputs)[];

/**
 * Features requested on a Treasury financial account (managed here or not). Destroy leaves them
 * requested unless `unrequestOnRemove` is set.
 */
export class FinancialAccountFeatures extends pulumi.dynamic.Resource {
  declare readonly account: pulumi.Output<string>;
  declare readonly financialAccount: pulumi.Output<string>;
  declare readonly features: pulumi.Output<Feature[]>;
  declare readonly statuses: pulumi.Output<Record<string, FeatureStatus>>;
  declare readonly warnings: pulumi.Output<string[]>;

  constructor(name: string, args: FinancialAccountFeaturesArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      implementationOf('FinancialAccountFeatures'),
      name,
      resourceProps(name, args, FEATURES_OUTPUTS),
      opts,
      MODULE,
      'FinancialAccountFeatures',
    );
  }
}
