import type * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { compact } from '../canonical';
import { fromStripe } from '../casing';
import { type Fields, metadataField, type OutputsOf, outputs } from '../engine/fields';
import { type In, register } from '../engine/resource-class';
import type { BaseInputs, ResourceSpec } from '../engine/spec';
import { OUT_OF_BAND_STATUS } from '../freeze';
import { withCardFundingCause } from '../prerequisites';
import { canonicalSpendingControls, type SpendingControls, spendingControlsParam, UNSETTABLE_CONTROLS } from '../spendingControls';
import * as v from '../validation';

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
  cancellationReason?: 'lost' | 'stolen';
  metadata?: Record<string, string>;
}

export type CardArgs = In<Omit<CardInputs, 'pulumiStack' | 'pulumiName' | 'status'>> & {
  /** Default `inactive`, as in Stripe. `canceled` cancels it for good (so does destroy) or accepts a cancel made elsewhere. */
  status?: pulumi.Input<'active' | 'inactive' | 'canceled'>;
};

/** What canceling a card means, for reviews (scripts/review.ts). */
export const CANCELS_CARD = 'cancels the card in Stripe; a canceled card can never be used again';

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
    description: 'The cardholder (`ich_…`) the card is issued to; the stack file nests cards under their cardholder.',
    required: true,
    mutability: 'createOnly',
    check: (failures, path, value) => v.stripeId(failures, path, value, 'ich_'),
    read: (card) => (typeof card.cardholder === 'string' ? card.cardholder : card.cardholder.id),
  },
  // stripe 23.1.0 Issuing.CardUpdateParams.financial_account "allows a card to be reassigned to a
  // different financial account": the same card moves, nothing is canceled. The parameter takes an
  // ID, never "none": once given it cannot be removed.
  financialAccount: {
    description:
      "The financial account (`fa_…`) the card draws on; its `card_issuing` feature must be active. A change moves the same card (same ID and number); the stack file gives the account's.",
    mutability: 'updatable',
    unsettable: true,
    check: (failures, path, value) => v.stripeId(failures, path, value, 'fa_', false),
    read: (card) => card.financial_account ?? undefined,
  },
  currency: {
    description: "ISO 4217, lower case; must be one of the financial account's `supportedCurrencies`.",
    schema: { $ref: '#/definitions/currency' },
    default: 'usd',
    mutability: 'createOnly',
    check: (failures, path, value) => v.currencyCode(failures, path, value, true),
    read: (card) => card.currency,
  },
  type: {
    description: '`virtual` or `physical` (a physical card needs `shipping`).',
    schema: { enum: ['virtual', 'physical'] },
    default: 'virtual',
    mutability: 'createOnly',
    check: (failures, path, value) => v.oneOf(failures, path, value, ['virtual', 'physical'], true),
    read: (card) => card.type as CardInputs['type'],
  },
  // stripe 23.1.0 Issuing.CardUpdateParams.Status: active, canceled, inactive (create: active, inactive).
  status: {
    description:
      '`inactive` (as Stripe creates cards), `active`, or `canceled`: on an issued card it cancels it for good, as removing it does, or accepts a cancel made outside the stack. A card frozen or canceled outside the stack is never reactivated or re-issued by a deploy.',
    schema: { enum: ['active', 'inactive', 'canceled'] },
    mutability: 'updatable',
    default: 'inactive',
    check: (failures, path, value) => v.oneOf(failures, path, value, ['active', 'inactive', 'canceled']),
    read: (card) => card.status as CardInputs['status'],
  },
  // Only the controls without a documented empty value are unsettable (see spendingControls.ts).
  spendingControls: {
    description:
      "Stripe's spending controls: allowed xor blocked categories, merchant countries and card presences, and `spendingLimits` in the card's currency. The whole object is sent on update.",
    schema: {
      allOf: [
        { $ref: '#/definitions/spendingControls' },
        {
          type: 'object',
          properties: {
            spendingLimitsCurrency: {
              not: {},
              errorMessage: "is only for cardholders: a card's spending limits are in the card's currency",
            },
          },
        },
      ],
    },
    mutability: 'updatable',
    unsettable: UNSETTABLE_CONTROLS,
    check: (failures, path, value) => v.spendingControls(failures, path, value),
    canonical: (controls) => canonicalSpendingControls(controls),
    param: spendingControlsParam,
    read: (card) => canonicalSpendingControls(fromStripe(card.spending_controls)),
  },
  shipping: {
    description:
      'Where a physical card is sent, required for one (only for one): name, address, service, type, requireSignature, phoneNumber.',
    schema: { $ref: '#/definitions/shipping' },
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
    description: 'A second line printed on the card, at most 24 characters.',
    schema: { type: 'string', maxLength: 24 },
    mutability: 'createOnly',
    check: (failures, path, value) => v.optionalString(failures, path, value, 24),
    read: (card) => card.second_line ?? undefined,
  },
  // stripe 23.1.0 Issuing.CardCreateParams / CardUpdateParams.personalization_design (an ID, no empty
  // value: it cannot be removed). Stripe prints a physical card with the account's default design when
  // none is given, so it reads back only where the stack declared one (no diff on the default).
  personalizationDesign: {
    description:
      "The personalization design (`ipcd_…`) a physical card is printed with; without it Stripe uses the account's default design.",
    schema: { type: 'string', pattern: '^ipcd_[A-Za-z0-9]+$', errorMessage: 'must be the ID of a personalization design, like ipcd_1AbC' },
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
  // stripe 23.1.0 Issuing.CardUpdateParams.cancellation_reason ('lost' | 'stolen'): update only, and
  // only with status canceled. It reads back only where the stack declared one (a replacement's original
  // gets one from Stripe).
  cancellationReason: {
    description: 'Why the card is canceled, `lost` or `stolen`: only with `status: canceled`, on a card already issued.',
    schema: { enum: ['lost', 'stolen'] },
    mutability: 'updatable',
    check: (failures, path, value, inputs) => {
      v.oneOf(failures, path, value, ['lost', 'stolen']);
      if (value !== undefined && inputs.status !== 'canceled')
        failures.push({ property: path, reason: 'is only allowed with status canceled' });
    },
    read: (card, prior) =>
      prior.cancellationReason === undefined ? undefined : ((card.cancellation_reason as 'lost' | 'stolen' | null) ?? undefined),
  },
  metadata: metadataField(),
};

// Only what identifies the card to people: never the number or CVC (not requested, not copied).
const cardOutputs = outputs<Stripe.Issuing.Card, CardInputs>()({
  brand: { description: 'The card network, e.g. `Visa`.', read: (card) => card.brand },
  last4: { description: 'The last four digits of the number.', read: (card) => card.last4 },
  expMonth: { description: 'Expiry month.', read: (card) => card.exp_month },
  expYear: { description: 'Expiry year.', read: (card) => card.exp_year },
  created: { description: 'When Stripe created the card, in Unix seconds.', read: (card) => card.created },
  replacedBy: {
    description: 'The card (`ic_…`) that replaces this one, once Stripe issued a replacement.',
    read: (card) => (card.replaced_by ? (typeof card.replaced_by === 'string' ? card.replaced_by : card.replaced_by.id) : undefined),
  },
});

export type CardOutputs = CardInputs &
  OutputsOf<typeof cardOutputs> & {
    /** Stripe's `inactive` when refresh found the card frozen outside the stack (provider/freeze.ts). */
    outOfBandStatus?: 'inactive';
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
        throw await withCardFundingCause(stripe, inputs.account, error, inputs.declaredAt);
      });
  },

  retrieve: (stripe, id, account) => stripe.issuing.cards.retrieve(id, {}, { stripeAccount: account }),
  // All of the account's cards: listed once per process (engine/crash-safe-create.ts, ownedList), not once per card.
  listOwned: (stripe, inputs) =>
    stripe.issuing.cards.list({ limit: 100 }, { stripeAccount: inputs.account }).autoPagingToArray({ limit: 10_000 }),
  idOf: (card) => card.id,
  isDead: (card) => card.status === 'canceled',
  stripeStatusOf: (card) => card.status,

  outputs: cardOutputs,

  update: (stripe, id, _olds, news, params) =>
    stripe.issuing.cards.update(id, params as Stripe.Issuing.CardUpdateParams, { stripeAccount: news.account }),

  async remove(stripe, id, props) {
    // Canceling is permanent; `retainOnDelete: true` keeps the card (the engine then never calls this).
    await stripe.issuing.cards.update(id, { status: 'canceled' }, { stripeAccount: props.account });
  },
};

/** An Issuing card on a connected account. Destroy cancels it (permanent) unless `retainOnDelete`. */
export const card = register<CardInputs, CardOutputs, Stripe.Issuing.Card, CardArgs>(cardSpec, {
  extraOutputs: [OUT_OF_BAND_STATUS],
  irreversible: {
    delete: CANCELS_CARD,
    replace: 'cancels the current card (permanent) and issues a new one with a new number',
  },
});
/** What the engine runs for this type (the compiled package's entry exports it). */
export const cardProvider = card.provider;
export const Card = card.Class;
export type Card = InstanceType<typeof Card>;
