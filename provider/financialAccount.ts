import * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { compact, sameValue, sortedSet } from './canonical';
import { toStripe } from './casing';
import { BaseInputs, ResourceSpec, makeProvider, userMetadata } from './mechanism';
import { implementationOf } from './implementation';
import { type In, MODULE, resourceProps } from './resourceClass';
import * as v from './validation';

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

export interface FinancialAccountOutputs extends FinancialAccountInputs {
  status: 'open' | 'closed';
  activeFeatures: string[];
  pendingFeatures: string[];
  restrictedFeatures: string[];
  balance: { cash: Record<string, number>; inboundPending: Record<string, number>; outboundPending: Record<string, number> };
  /** What the account's platform restrictions stop, also logged as warnings. */
  warnings: string[];
}

const FLOW_VALUES = ['restricted', 'unrestricted'] as const;
const restrictions = (value: unknown) => ({
  inboundFlows: 'unrestricted',
  outboundFlows: 'unrestricted',
  ...compact(value as object),
});

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
      ? [`financial account ${fa.id}: platformRestrictions.outboundFlows is restricted: cards on this account cannot authorize (declined not_allowed) and received debits fail${restricted}`]
      : []),
    ...(fa.platform_restrictions?.inbound_flows === 'restricted'
      ? [`financial account ${fa.id}: platformRestrictions.inboundFlows is restricted: received credits other than wires fail${restricted}`]
      : []),
  ];
}

export const financialAccountSpec: ResourceSpec<FinancialAccountInputs, Stripe.Treasury.FinancialAccount> = {
  typeName: 'FinancialAccount',
  idPrefix: 'fa_',
  createOnly: ['supportedCurrencies'],
  updatable: ['nickname', 'platformRestrictions', 'metadata'],

  validate(news, failures) {
    v.unknownKeys(failures, '', news, [
      'account', 'pulumiStack', 'pulumiName', 'adoptId', 'supportedCurrencies', 'nickname', 'platformRestrictions', 'metadata',
    ]);
    if (news.supportedCurrencies === undefined) failures.push({ property: 'supportedCurrencies', reason: 'is required, e.g. ["usd"]' });
    if (v.listAt(failures, 'supportedCurrencies', news.supportedCurrencies)) {
      if (news.supportedCurrencies.length === 0) failures.push({ property: 'supportedCurrencies', reason: 'must name at least one currency, e.g. ["usd"]' });
      news.supportedCurrencies.forEach((c, i) => v.currencyCode(failures, `supportedCurrencies[${i}]`, c, true));
    }
    v.optionalString(failures, 'nickname', news.nickname);
    if (v.objectAt(failures, 'platformRestrictions', news.platformRestrictions)) {
      v.unknownKeys(failures, 'platformRestrictions', news.platformRestrictions, ['inboundFlows', 'outboundFlows']);
      v.oneOf(failures, 'platformRestrictions.inboundFlows', news.platformRestrictions.inboundFlows, FLOW_VALUES);
      v.oneOf(failures, 'platformRestrictions.outboundFlows', news.platformRestrictions.outboundFlows, FLOW_VALUES);
    }
  },

  canonicalize: (news) => compact({
    supportedCurrencies: sortedSet(news.supportedCurrencies as string[]),
    nickname: news.nickname,
    platformRestrictions: restrictions(news.platformRestrictions),
    metadata: news.metadata ?? {},
  }) ?? {},

  create(stripe, inputs, metadata, idempotencyKey) {
    return stripe.treasury.financialAccounts.create(
      toStripe({
        supportedCurrencies: inputs.supportedCurrencies,
        nickname: inputs.nickname,
        platformRestrictions: inputs.platformRestrictions,
        metadata,
      }),
      { stripeAccount: inputs.account, idempotencyKey },
    );
  },

  retrieve: (stripe, id, account) => stripe.treasury.financialAccounts.retrieve(id, {}, { stripeAccount: account }),
  listOwned: (stripe, inputs) =>
    stripe.treasury.financialAccounts.list({ status: 'open', limit: 100 }, { stripeAccount: inputs.account }).autoPagingToArray({ limit: 10_000 }),
  idOf: (fa) => fa.id,
  isDead: (fa) => fa.status === 'closed',

  inputsOf: (fa) => compact({
    supportedCurrencies: sortedSet(fa.supported_currencies),
    nickname: fa.nickname ?? undefined,
    platformRestrictions: restrictions({
      inboundFlows: fa.platform_restrictions?.inbound_flows ?? undefined,
      outboundFlows: fa.platform_restrictions?.outbound_flows ?? undefined,
    }),
    metadata: userMetadata(fa.metadata),
  }) ?? {},

  outputsOf: (fa) => ({
    status: fa.status,
    activeFeatures: fa.active_features ?? [],
    pendingFeatures: fa.pending_features ?? [],
    restrictedFeatures: fa.restricted_features ?? [],
    balance: {
      cash: fa.balance?.cash ?? {},
      inboundPending: fa.balance?.inbound_pending ?? {},
      outboundPending: fa.balance?.outbound_pending ?? {},
    },
    warnings: restrictionWarnings(fa),
  }),

  update(stripe, id, olds, news, metadata) {
    return stripe.treasury.financialAccounts.update(
      id,
      toStripe({
        ...(!sameValue(olds.nickname, news.nickname) ? { nickname: news.nickname ?? '' } : {}),
        ...(!sameValue(olds.platformRestrictions, news.platformRestrictions) ? { platformRestrictions: news.platformRestrictions } : {}),
        metadata,
      }),
      { stripeAccount: news.account },
    );
  },

  async remove(stripe, id, props) {
    // Closing is permanent and Stripe refuses while money or live cards remain; that refusal is the
    // error the user sees (translated, with Stripe's reason), and the account stays in state.
    await stripe.treasury.financialAccounts.close(id, {}, { stripeAccount: props.account });
  },
};

export const financialAccountProvider = makeProvider(financialAccountSpec);

const FINANCIAL_ACCOUNT_OUTPUTS = ['status', 'activeFeatures', 'pendingFeatures', 'restrictedFeatures', 'balance', 'platformRestrictions', 'warnings'] as const;

/** A Treasury financial account on a connected account. Destroy closes it unless `retainOnDelete`. */
export class FinancialAccount extends pulumi.dynamic.Resource {
  declare readonly account: pulumi.Output<string>;
  declare readonly supportedCurrencies: pulumi.Output<string[]>;
  declare readonly nickname: pulumi.Output<string | undefined>;
  declare readonly platformRestrictions: pulumi.Output<FinancialAccountInputs['platformRestrictions']>;
  declare readonly status: pulumi.Output<'open' | 'closed'>;
  declare readonly activeFeatures: pulumi.Output<string[]>;
  declare readonly pendingFeatures: pulumi.Output<string[]>;
  declare readonly restrictedFeatures: pulumi.Output<string[]>;
  declare readonly balance: pulumi.Output<FinancialAccountOutputs['balance']>;
  declare readonly warnings: pulumi.Output<string[]>;

  constructor(name: string, args: FinancialAccountArgs, opts?: pulumi.CustomResourceOptions) {
    super(implementationOf('FinancialAccount'), name, resourceProps(name, args, FINANCIAL_ACCOUNT_OUTPUTS), opts, MODULE, 'FinancialAccount');
  }
}
