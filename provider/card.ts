import * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { UNKNOWN, compact, sameValue } from './canonical';
import { fromStripe, toStripe } from './casing';
import { BaseInputs, ResourceSpec, makeProvider, userMetadata } from './mechanism';
import { implementationOf } from './implementation';
import { type In, MODULE, resourceProps } from './resourceClass';
import { SpendingControls, UNSETTABLE_CONTROLS, canonicalSpendingControls, spendingControlsParam } from './spendingControls';
import * as v from './validation';

export interface CardShipping {
  name: string;
  address: { line1: string; line2?: string; city: string; postalCode: string; state?: string; country: string };
  service?: 'standard' | 'express' | 'priority';
  type?: 'individual' | 'bulk';
  requireSignature?: boolean;
  phoneNumber?: string;
}

export interface CardInputs extends BaseInputs {
  cardholder: string;
  financialAccount?: string;
  currency: string;
  type: 'virtual' | 'physical';
  status: 'active' | 'inactive';
  spendingControls?: SpendingControls;
  shipping?: CardShipping;
  secondLine?: string;
  metadata?: Record<string, string>;
}

export type CardArgs = In<Omit<CardInputs, 'pulumiStack' | 'pulumiName' | 'status'>> & {
  /** Default `inactive`, as in Stripe. Canceling is what destroy does. */
  status?: pulumi.Input<'active' | 'inactive'>;
};

export interface CardOutputs extends CardInputs {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  replacedBy?: string;
}

const SHIPPING_SERVICES = ['standard', 'express', 'priority'] as const;

export const cardSpec: ResourceSpec<CardInputs, Stripe.Issuing.Card> = {
  typeName: 'Card',
  idPrefix: 'ic_',
  createOnly: ['cardholder', 'currency', 'type', 'secondLine'],
  // `financialAccount`: stripe 23.1.0 Issuing.CardUpdateParams.financial_account "allows a card to be
  // reassigned to a different financial account": the same card moves, nothing is canceled.
  updatable: ['financialAccount', 'status', 'spendingControls', 'shipping', 'metadata'],
  // Spending controls: only the controls without a documented empty value (see spendingControls.ts);
  // the financial_account update parameter takes an ID, never "none".
  unsettable: [...UNSETTABLE_CONTROLS, 'financialAccount'],

  validate(news, failures) {
    v.unknownKeys(failures, '', news, [
      'account', 'pulumiStack', 'pulumiName', 'adoptId', 'cardholder', 'financialAccount', 'currency', 'type',
      'status', 'spendingControls', 'shipping', 'secondLine', 'metadata',
    ]);
    v.stripeId(failures, 'cardholder', news.cardholder, 'ich_');
    v.stripeId(failures, 'financialAccount', news.financialAccount, 'fa_', false);
    v.currencyCode(failures, 'currency', news.currency, true);
    v.oneOf(failures, 'type', news.type, ['virtual', 'physical'], true);
    v.oneOf(failures, 'status', news.status, ['active', 'inactive']);
    v.spendingControls(failures, 'spendingControls', news.spendingControls);
    v.optionalString(failures, 'secondLine', news.secondLine, 24);
    if (news.type === 'physical' && news.shipping === undefined) {
      failures.push({ property: 'shipping', reason: 'is required for physical cards (where to send the card)' });
    }
    if (news.shipping !== undefined && news.type === 'virtual') {
      failures.push({ property: 'shipping', reason: 'is only allowed on physical cards (type is "virtual")' });
    }
    const shipping = news.shipping;
    if (v.objectAt(failures, 'shipping', shipping)) {
      v.unknownKeys(failures, 'shipping', shipping, ['name', 'address', 'service', 'type', 'requireSignature', 'phoneNumber']);
      v.requireString(failures, 'shipping.name', shipping.name);
      v.address(failures, 'shipping.address', shipping.address, true);
      v.oneOf(failures, 'shipping.service', shipping.service, SHIPPING_SERVICES);
      v.oneOf(failures, 'shipping.type', shipping.type, ['individual', 'bulk']);
      v.optionalBoolean(failures, 'shipping.requireSignature', shipping.requireSignature);
      v.phoneNumber(failures, 'shipping.phoneNumber', shipping.phoneNumber);
    }
  },

  canonicalize(news) {
    const shipping = news.shipping as CardShipping | undefined;
    return compact({
      cardholder: news.cardholder,
      financialAccount: news.financialAccount,
      currency: news.currency,
      type: news.type,
      status: news.status ?? 'inactive',
      spendingControls: canonicalSpendingControls(news.spendingControls),
      // Stripe's shipping defaults, so that a refresh reads back what was declared.
      shipping: shipping === undefined || (shipping as unknown) === UNKNOWN
        ? shipping
        : {
            service: 'standard',
            type: 'individual',
            // Stripe asks for a signature on express and priority deliveries unless told otherwise.
            requireSignature: (shipping.service ?? 'standard') !== 'standard',
            ...shipping,
          },
      secondLine: news.secondLine,
      metadata: news.metadata ?? {},
    }) ?? {};
  },

  create(stripe, inputs, metadata, idempotencyKey) {
    return stripe.issuing.cards.create(
      toStripe({
        cardholder: inputs.cardholder,
        financialAccount: inputs.financialAccount,
        currency: inputs.currency,
        type: inputs.type,
        status: inputs.status,
        spendingControls: inputs.spendingControls,
        shipping: inputs.shipping,
        secondLine: inputs.secondLine,
        metadata,
      }),
      { stripeAccount: inputs.account, idempotencyKey },
    );
  },

  retrieve: (stripe, id, account) => stripe.issuing.cards.retrieve(id, {}, { stripeAccount: account }),
  // All of the account's cards: listed once per process (mechanism.ts, ownedList), not once per card.
  listOwned: (stripe, inputs) =>
    stripe.issuing.cards.list({ limit: 100 }, { stripeAccount: inputs.account }).autoPagingToArray({ limit: 10_000 }),
  idOf: (card) => card.id,
  isDead: (card) => card.status === 'canceled',

  inputsOf(card) {
    const cardholder = typeof card.cardholder === 'string' ? card.cardholder : card.cardholder.id;
    const shipping = card.shipping
      ? fromStripe<CardShipping>({
          name: card.shipping.name,
          address: compact(card.shipping.address),
          service: card.shipping.service,
          type: card.shipping.type,
          require_signature: card.shipping.require_signature ?? false,
          phone_number: card.shipping.phone_number ?? undefined,
        })
      : undefined;
    return compact({
      cardholder,
      financialAccount: card.financial_account ?? undefined,
      currency: card.currency,
      type: card.type,
      status: card.status,
      spendingControls: canonicalSpendingControls(fromStripe(card.spending_controls)),
      shipping: compact(shipping),
      secondLine: card.second_line ?? undefined,
      metadata: userMetadata(card.metadata),
    }) ?? {};
  },

  // Only what identifies the card to people: never the number or CVC (not requested, not copied).
  outputsOf: (card) => compact({
    brand: card.brand,
    last4: card.last4,
    expMonth: card.exp_month,
    expYear: card.exp_year,
    replacedBy: typeof card.replaced_by === 'string' ? card.replaced_by : card.replaced_by?.id,
  }) ?? {},

  update(stripe, id, olds, news, metadata) {
    const changed = (key: keyof CardInputs) => !sameValue(olds[key], news[key]);
    return stripe.issuing.cards.update(
      id,
      {
        ...(changed('financialAccount') && news.financialAccount ? { financial_account: news.financialAccount } : {}),
        ...(changed('status') ? { status: news.status } : {}),
        ...(changed('spendingControls') ? { spending_controls: spendingControlsParam(news.spendingControls, olds.spendingControls) } : {}),
        ...(changed('shipping') && news.shipping ? { shipping: toStripe(news.shipping) } : {}),
        metadata,
      } as Stripe.Issuing.CardUpdateParams,
      { stripeAccount: news.account },
    );
  },

  async remove(stripe, id, props) {
    // Canceling is permanent; `retainOnDelete: true` keeps the card (the engine then never calls this).
    await stripe.issuing.cards.update(id, { status: 'canceled' }, { stripeAccount: props.account });
  },
};

export const cardProvider = makeProvider(cardSpec);

const CARD_OUTPUTS = ['brand', 'last4', 'expMonth', 'expYear', 'replacedBy', 'status', 'financialAccount'] as const;

/** An Issuing card on a connected account. Destroy cancels it (permanent) unless `retainOnDelete`. */
export class Card extends pulumi.dynamic.Resource {
  declare readonly account: pulumi.Output<string>;
  declare readonly cardholder: pulumi.Output<string>;
  declare readonly financialAccount: pulumi.Output<string | undefined>;
  declare readonly currency: pulumi.Output<string>;
  declare readonly type: pulumi.Output<'virtual' | 'physical'>;
  declare readonly status: pulumi.Output<'active' | 'inactive'>;
  declare readonly brand: pulumi.Output<string>;
  declare readonly last4: pulumi.Output<string>;
  declare readonly expMonth: pulumi.Output<number>;
  declare readonly expYear: pulumi.Output<number>;
  declare readonly replacedBy: pulumi.Output<string | undefined>;

  constructor(name: string, args: CardArgs, opts?: pulumi.CustomResourceOptions) {
    super(implementationOf('Card'), name, resourceProps(name, args, CARD_OUTPUTS), opts, MODULE, 'Card');
  }
}
