import type * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { compact, sortedSet } from '../canonical';
import { type Fields, metadataField, type OutputsOf, outputs } from '../engine/fields';
import { type In, register } from '../engine/resource-class';
import type { BaseInputs, ResourceSpec } from '../engine/spec';
import * as v from '../validation';

type FlowRestriction = 'restricted' | 'unrestricted';

export interface FinancialAccountInputs extends BaseInputs {
  supportedCurrencies: string[];
  nickname?: string;
  platformRestrictions: { inboundFlows: FlowRestriction; outboundFlows: FlowRestriction };
  metadata?: Record<string, string>;
}

export type FinancialAccountArgs = In<Omit<FinancialAccountInputs, 'pulumiStack' | 'pulumiName' | 'platformRestrictions'>> & {
  /**
   * Both default to `unrestricted`. `outboundFlows: restricted` declines card authorizations and restricts
   * the ABA address, intra-Stripe flows and outbound payments/transfers (`card_issuing` stays active);
   * `inboundFlows: restricted` fails received credits other than wires and restricts the ABA address,
   * intra-Stripe flows and inbound transfers. Both show in `restrictedFeatures` and `warnings`.
   */
  platformRestrictions?: pulumi.Input<{ inboundFlows?: FlowRestriction; outboundFlows?: FlowRestriction }>;
};

const FLOW_VALUES = ['restricted', 'unrestricted'] as const;
type Restrictions = FinancialAccountInputs['platformRestrictions'];
const UNRESTRICTED: Restrictions = { inboundFlows: 'unrestricted', outboundFlows: 'unrestricted' };
/** Both flows, Stripe's `unrestricted` where none is given. */
const restrictions = (value: Partial<Restrictions>): Restrictions => ({ ...UNRESTRICTED, ...compact(value) });

function checkCurrencies(failures: v.Failures, path: string, currencies: unknown) {
  if (currencies === undefined) failures.push({ property: path, reason: 'is required, e.g. ["usd"]' });
  if (v.listAt(failures, path, currencies)) {
    if (currencies.length === 0) failures.push({ property: path, reason: 'must name at least one currency, e.g. ["usd"]' });
    currencies.forEach((c, i) => {
      v.currencyCode(failures, `${path}[${i}]`, c, true);
    });
  }
}

function checkRestrictions(failures: v.Failures, path: string, value: unknown) {
  if (v.objectAt(failures, path, value)) {
    v.unknownKeys(failures, path, value, ['inboundFlows', 'outboundFlows']);
    v.oneOf(failures, `${path}.inboundFlows`, value.inboundFlows, FLOW_VALUES);
    v.oneOf(failures, `${path}.outboundFlows`, value.outboundFlows, FLOW_VALUES);
  }
}

const financialAccountFields: Fields<FinancialAccountInputs, Stripe.Treasury.FinancialAccount> = {
  supportedCurrencies: {
    description: 'The currencies it holds: financial accounts hold US dollars only, `[usd]`.',
    required: true,
    schema: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { enum: ['usd'], errorMessage: 'must be usd: financial accounts only hold US dollars' },
    },
    mutability: 'createOnly',
    check: checkCurrencies,
    canonical: sortedSet,
    read: (fa) => sortedSet(fa.supported_currencies),
  },
  nickname: {
    description: 'A name for people, at most 100 characters; removing it clears it.',
    schema: { type: 'string', maxLength: 100 },
    mutability: 'updatable',
    check: (failures, path, value) => v.optionalString(failures, path, value),
    empty: '',
    read: (fa) => fa.nickname ?? undefined,
  },
  platformRestrictions: {
    description:
      '`{ inboundFlows, outboundFlows }`, each `restricted` or `unrestricted` (default). Restricting outbound flows declines card authorizations.',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: { inboundFlows: { enum: [...FLOW_VALUES] }, outboundFlows: { enum: [...FLOW_VALUES] } },
    },
    mutability: 'updatable',
    check: checkRestrictions,
    default: UNRESTRICTED,
    canonical: restrictions,
    read: (fa) =>
      restrictions({
        inboundFlows: (fa.platform_restrictions?.inbound_flows ?? undefined) as FlowRestriction | undefined,
        outboundFlows: (fa.platform_restrictions?.outbound_flows ?? undefined) as FlowRestriction | undefined,
      }),
  },
  metadata: metadataField(),
};

/**
 * Stripe's Issuing with financial accounts guide: with `outbound_flows` restricted, authorizations on the
 * account's cards are not allowed (its `card_issuing` feature stays active, so nothing else says so).
 * The Financial account features guide: each restriction restricts the features moving money that way
 * (listed in `restricted_features`); inbound wires still arrive.
 */
function restrictionWarnings(fa: Stripe.Treasury.FinancialAccount): string[] {
  const restricted = fa.restricted_features?.length ? `; restricted features: ${fa.restricted_features.join(', ')}` : '';
  return [
    ...(fa.platform_restrictions?.outbound_flows === 'restricted'
      ? [
          `financial account ${fa.id}: platformRestrictions.outboundFlows is restricted: cards on this account cannot authorize (declined not_allowed) and received debits fail${restricted}`,
        ]
      : []),
    ...(fa.platform_restrictions?.inbound_flows === 'restricted'
      ? [`financial account ${fa.id}: platformRestrictions.inboundFlows is restricted: received credits other than wires fail${restricted}`]
      : []),
  ];
}

const financialAccountOutputs = outputs<Stripe.Treasury.FinancialAccount, FinancialAccountInputs>()({
  status: { description: '`open` or `closed`.', read: (fa) => fa.status as 'open' | 'closed' },
  activeFeatures: { description: 'Features Stripe has made active.', read: (fa): string[] => fa.active_features ?? [] },
  pendingFeatures: { description: 'Features Stripe is still activating.', read: (fa): string[] => fa.pending_features ?? [] },
  restrictedFeatures: { description: 'Features that are restricted.', read: (fa): string[] => fa.restricted_features ?? [] },
  balance: {
    description: '`cash`, `inboundPending`, `outboundPending`, each per currency.',
    read: (fa): { cash: Record<string, number>; inboundPending: Record<string, number>; outboundPending: Record<string, number> } => ({
      cash: fa.balance?.cash ?? {},
      inboundPending: fa.balance?.inbound_pending ?? {},
      outboundPending: fa.balance?.outbound_pending ?? {},
    }),
  },
  warnings: { description: "What the account's platform restrictions stop (also logged).", read: restrictionWarnings },
});

export type FinancialAccountOutputs = FinancialAccountInputs & OutputsOf<typeof financialAccountOutputs>;

export const financialAccountSpec: ResourceSpec<FinancialAccountInputs, FinancialAccountOutputs, Stripe.Treasury.FinancialAccount> = {
  typeName: 'FinancialAccount',
  idPrefix: 'fa_',
  fields: financialAccountFields,

  create: (stripe, inputs, params, idempotencyKey) =>
    stripe.treasury.financialAccounts.create(params as Stripe.Treasury.FinancialAccountCreateParams, {
      stripeAccount: inputs.account,
      idempotencyKey,
    }),

  retrieve: (stripe, id, account) => stripe.treasury.financialAccounts.retrieve(id, {}, { stripeAccount: account }),
  listOwned: (stripe, inputs) =>
    stripe.treasury.financialAccounts
      .list({ status: 'open', limit: 100 }, { stripeAccount: inputs.account })
      .autoPagingToArray({ limit: 10_000 }),
  idOf: (fa) => fa.id,
  isDead: (fa) => fa.status === 'closed',

  outputs: financialAccountOutputs,

  update: (stripe, id, _olds, news, params) =>
    stripe.treasury.financialAccounts.update(id, params as Stripe.Treasury.FinancialAccountUpdateParams, { stripeAccount: news.account }),

  async remove(stripe, id, props) {
    // Closing is permanent and Stripe refuses while money or live cards remain; that refusal is the
    // error the user sees (translated, with Stripe's reason), and the account stays in state.
    await stripe.treasury.financialAccounts.close(id, {}, { stripeAccount: props.account });
  },
};

/** A Treasury financial account on a connected account. Destroy closes it unless `retainOnDelete`. */
export const financialAccount = register<
  FinancialAccountInputs,
  FinancialAccountOutputs,
  Stripe.Treasury.FinancialAccount,
  FinancialAccountArgs
>(financialAccountSpec, {
  irreversible: {
    delete: 'closes the financial account; closing is permanent',
    replace: 'closes the current financial account (permanent) and opens a new one',
  },
});
/** What the engine runs for this type (the compiled package's entry exports it). */
export const financialAccountProvider = financialAccount.provider;
export const FinancialAccount = financialAccount.Class;
export type FinancialAccount = InstanceType<typeof FinancialAccount>;
