import * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { compact } from './canonical';
import { fromStripe } from './casing';
import { type Fields, metadataField } from './fields';
import { implementationOf } from './implementation';
import { type BaseInputs, makeProvider, type ResourceSpec } from './mechanism';
import { withCardFundingCause } from './prerequisites';
import { type In, MODULE, resourceProps } from './resourceClass';
import { canonicalSpendingControls, type SpendingControls, spendingControlsParam, UNSETTABLE_CONTROLS } from './spendingControls';
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
  /** `canceled` accepts a cancel made outside the stack, or cancels the card (permanent; provider/freeze.ts). */
  status: 'active' | 'inactive' | 'canceled';
  spendingControls?: SpendingControls;
  shipping?: CardShipping;
  secondLine?: string;
  /** The personalization design (`ipcd_…`) a physical card is printed with. */
  personalizationDesign?: string;
  metadata?: Record<string, string>;
}

export type CardArgs = In<Omit<CardInputs, 'pulumiStack' | 'pulumiName' | 'status'>> & {
  /** Default `inactive`, as in Stripe. `canceled` cancels it for good (so does destroy) or accepts a cancel made elsewhere. */
  status?: pulumi.Input<'active' | 'inactive' | 'canceled'>;
};

export interface CardOutputs extends CardInputs {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  replacedBy?: string;
  /** Stripe's `inactive` when refresh found the card frozen outside the stack (provider/freeze.ts). */
  outOfBandStatus?: 'inactive';
}

const SHIPPING_SERVICES = ['standard', 'express', 'priority'] as const;

function checkShipping(failures: v.Failures, path: string, shipping: unknown) {
  if (!v.objectAt(failures, path, shipping)) return;
  v.unknownKeys(failures, path, shipping, ['name', 'address', 'service', 'type', 'requireSignature', 'phoneNumber']);
  v.requireString(failures, `${path}.name`, shipping.name);
  v.address(failures, `${path}.address`, shipping.address, true);
  v.oneOf(failures, `${path}.service`, shipping.service, SHIPPING_SERVICES);
  v.oneOf(failures, `${path}.type`, shipping.type, ['individual', 'bulk']);
  v.optionalBoolean(failures, `${path}.requireSignature`, shipping.requireSignature);
  v.phoneNumber(failures, `${path}.phoneNumber`, shipping.phoneNumber);
}

const cardFields: Fields<CardInputs, Stripe.Issuing.Card> = {
  cardholder: {
    mutability: 'createOnly',
    check: (failures, path, value) => v.stripeId(failures, path, value, 'ich_'),
    read: (card) => (typeof card.cardholder === 'string' ? card.cardholder : card.cardholder.id),
  },
  // stripe 23.1.0 Issuing.CardUpdateParams.financial_account "allows a card to be reassigned to a
  // different financial account": the same card moves, nothing is canceled. The parameter takes an
  // ID, never "none": once given it cannot be removed.
  financialAccount: {
    mutability: 'updatable',
    unsettable: true,
    check: (failures, path, value) => v.stripeId(failures, path, value, 'fa_', false),
    read: (card) => card.financial_account ?? undefined,
  },
  currency: {
    mutability: 'createOnly',
    check: (failures, path, value) => v.currencyCode(failures, path, value, true),
    read: (card) => card.currency,
  },
  type: {
    mutability: 'createOnly',
    check: (failures, path, value) => v.oneOf(failures, path, value, ['virtual', 'physical'], true),
    read: (card) => card.type as CardInputs['type'],
  },
  // stripe 23.1.0 Issuing.CardUpdateParams.Status: active, canceled, inactive (create: active, inactive).
  status: {
    mutability: 'updatable',
    default: 'inactive',
    check: (failures, path, value) => v.oneOf(failures, path, value, ['active', 'inactive', 'canceled']),
    read: (card) => card.status as CardInputs['status'],
  },
  // Only the controls without a documented empty value are unsettable (see spendingControls.ts).
  spendingControls: {
    mutability: 'updatable',
    unsettable: UNSETTABLE_CONTROLS,
    check: (failures, path, value) => v.spendingControls(failures, path, value),
    canonical: (controls) => canonicalSpendingControls(controls),
    param: spendingControlsParam,
    read: (card) => canonicalSpendingControls(fromStripe(card.spending_controls)),
  },
  shipping: {
    mutability: 'updatable',
    check: checkShipping,
    // Stripe's shipping defaults, so that a refresh reads back what was declared.
    canonical: (shipping) => ({
      service: 'standard',
      type: 'individual',
      // Stripe asks for a signature on express and priority deliveries unless told otherwise.
      requireSignature: (shipping.service ?? 'standard') !== 'standard',
      ...shipping,
    }),
    read: (card) =>
      card.shipping
        ? compact(
            fromStripe<CardShipping>({
              name: card.shipping.name,
              address: compact(card.shipping.address),
              service: card.shipping.service,
              type: card.shipping.type,
              require_signature: card.shipping.require_signature ?? false,
              phone_number: card.shipping.phone_number ?? undefined,
            }),
          )
        : undefined,
  },
  secondLine: {
    mutability: 'createOnly',
    check: (failures, path, value) => v.optionalString(failures, path, value, 24),
    read: (card) => card.second_line ?? undefined,
  },
  // stripe 23.1.0 Issuing.CardCreateParams / CardUpdateParams.personalization_design (an ID, no empty
  // value: it cannot be removed). Stripe prints a physical card with the account's default design when
  // none is given, so it reads back only where the stack declared one (no diff on the default).
  personalizationDesign: {
    mutability: 'updatable',
    unsettable: true,
    check: (failures, path, value) => v.stripeId(failures, path, value, 'ipcd_', false),
    read: (card, prior) =>
      prior.personalizationDesign === undefined || card.personalization_design === null
        ? undefined
        : typeof card.personalization_design === 'string'
          ? card.personalization_design
          : card.personalization_design.id,
  },
  metadata: metadataField(),
};

export const cardSpec: ResourceSpec<CardInputs, CardOutputs, Stripe.Issuing.Card> = {
  typeName: 'Card',
  idPrefix: 'ic_',
  fields: cardFields,

  validate(news, failures) {
    if (news.type === 'physical' && news.shipping === undefined) {
      failures.push({ property: 'shipping', reason: 'is required for physical cards (where to send the card)' });
    }
    if (news.shipping !== undefined && news.type === 'virtual') {
      failures.push({ property: 'shipping', reason: 'is only allowed on physical cards (type is "virtual")' });
    }
  },

  create(stripe, inputs, params, idempotencyKey) {
    if (inputs.status === 'canceled') {
      throw new Error('a card cannot be created canceled: status canceled only applies to a card already issued; use active or inactive');
    }
    // A refused financial account names the symptom; the cause (a capability waiting on the stack file) is added.
    return stripe.issuing.cards
      .create(params as Stripe.Issuing.CardCreateParams, { stripeAccount: inputs.account, idempotencyKey })
      .catch(async (error: unknown) => {
        throw await withCardFundingCause(stripe, inputs.account, error);
      });
  },

  retrieve: (stripe, id, account) => stripe.issuing.cards.retrieve(id, {}, { stripeAccount: account }),
  // All of the account's cards: listed once per process (mechanism.ts, ownedList), not once per card.
  listOwned: (stripe, inputs) =>
    stripe.issuing.cards.list({ limit: 100 }, { stripeAccount: inputs.account }).autoPagingToArray({ limit: 10_000 }),
  idOf: (card) => card.id,
  isDead: (card) => card.status === 'canceled',
  stripeStatusOf: (card) => card.status,

  // Only what identifies the card to people: never the number or CVC (not requested, not copied).
  outputsOf: (card) => ({
    brand: card.brand,
    last4: card.last4,
    expMonth: card.exp_month,
    expYear: card.exp_year,
    ...(card.replaced_by ? { replacedBy: typeof card.replaced_by === 'string' ? card.replaced_by : card.replaced_by.id } : {}),
  }),

  update: (stripe, id, _olds, news, params) =>
    stripe.issuing.cards.update(id, params as Stripe.Issuing.CardUpdateParams, { stripeAccount: news.account }),

  async remove(stripe, id, props) {
    // Canceling is permanent; `retainOnDelete: true` keeps the card (the engine then never calls this).
    await stripe.issuing.cards.update(id, { status: 'canceled' }, { stripeAccount: props.account });
  },
};

export const cardProvider = makeProvider(cardSpec);

const CARD_OUTPUTS = [
  'brand',
  'last4',
  'expMonth',
  'expYear',
  'replacedBy',
  'status',
  'financialAccount',
  'outOfBandStatus',
] as const satisfies readonly (keyof CardOutputs)[];

/** An Issuing card on a connected account. Destroy cancels it (permanent) unless `retainOnDelete`. */
export class Card extends pulumi.dynamic.Resource {
  declare readonly account: pulumi.Output<string>;
  declare readonly cardholder: pulumi.Output<string>;
  declare readonly financialAccount: pulumi.Output<string | undefined>;
  declare readonly currency: pulumi.Output<string>;
  declare readonly type: pulumi.Output<'virtual' | 'physical'>;
  declare readonly status: pulumi.Output<'active' | 'inactive' | 'canceled'>;
  declare readonly outOfBandStatus: pulumi.Output<'inactive' | undefined>;
  declare readonly brand: pulumi.Output<string>;
  declare readonly last4: pulumi.Output<string>;
  declare readonly expMonth: pulumi.Output<number>;
  declare readonly expYear: pulumi.Output<number>;
  declare readonly replacedBy: pulumi.Output<string | undefined>;

  constructor(name: string, args: CardArgs, opts?: pulumi.CustomResourceOptions) {
    super(implementationOf('Card'), name, resourceProps(name, args, CARD_OUTPUTS), opts, MODULE, 'Card');
  }
}
