import * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { compact, sortedSet } from '../canonical';
import { fromStripe } from '../casing';
import { type Fields, metadataField, type OutputsOf, outputs } from '../engine/fields';
import { type In, register } from '../engine/resource-class';
import type { BaseInputs, ResourceSpec } from '../engine/spec';
import { OUT_OF_BAND_STATUS } from '../freeze';
import { canonicalSpendingControls, type SpendingControls, spendingControlsParam, UNSETTABLE_CONTROLS } from '../spendingControls';
import * as v from '../validation';

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  state?: string;
  country: string;
}

export interface CardholderIndividual {
  firstName?: string;
  lastName?: string;
  dob?: { day: number; month: number; year: number };
  cardIssuing?: { userTermsAcceptance?: { date?: number; ip?: string; userAgent?: string } };
}

export interface CardholderInputs extends BaseInputs {
  name: string;
  type: 'individual' | 'company';
  email?: string;
  phoneNumber?: string;
  billing: { address: Address };
  individual?: CardholderIndividual;
  /** `taxId` is write-only in Stripe: it is sent, never read back. */
  company?: { taxId?: string };
  spendingControls?: SpendingControls;
  status: 'active' | 'inactive';
  preferredLocales?: ('de' | 'en' | 'es' | 'fr' | 'it')[];
  metadata?: Record<string, string>;
}

export type CardholderArgs = In<Omit<CardholderInputs, 'pulumiStack' | 'pulumiName' | 'type' | 'status'>> & {
  /** Default `individual`. */
  type?: pulumi.Input<'individual' | 'company'>;
  /** Default `active`. Destroy sets `inactive` unless `retainOnDelete`. */
  status?: pulumi.Input<'active' | 'inactive'>;
};

const LOCALES = ['de', 'en', 'es', 'fr', 'it'] as const;

const LEGAL_NAME_SCHEMA = {
  description: "Required before the cardholder's cards can be activated. Latin letters, spaces, . , ' - only.",
  type: 'string',
  pattern: v.LEGAL_NAME_PATTERN,
  errorMessage: 'latin letters, spaces, "." "," "\'" and "-" only (no digits, other special characters or non-latin letters)',
};

const INDIVIDUAL_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    firstName: LEGAL_NAME_SCHEMA,
    lastName: LEGAL_NAME_SCHEMA,
    dob: {
      type: 'object',
      additionalProperties: false,
      required: ['day', 'month', 'year'],
      properties: {
        day: { type: 'integer', minimum: 1, maximum: 31 },
        month: { type: 'integer', minimum: 1, maximum: 12 },
        year: { type: 'integer', minimum: v.OLDEST_BIRTH_YEAR, maximum: 2100 },
      },
    },
    cardIssuing: {
      type: 'object',
      additionalProperties: false,
      properties: {
        userTermsAcceptance: {
          description: "The cardholder's acceptance of the Issuing user terms (needed in some countries).",
          type: 'object',
          additionalProperties: false,
          required: ['date', 'ip'],
          properties: {
            date: { description: 'Unix seconds.', type: 'integer', minimum: 0 },
            ip: { type: 'string', minLength: 3 },
            userAgent: { type: 'string' },
          },
        },
      },
    },
  },
};

function checkIndividual(failures: v.Failures, path: string, individual: unknown) {
  if (!v.objectAt(failures, path, individual)) return;
  v.unknownKeys(failures, path, individual, ['firstName', 'lastName', 'dob', 'cardIssuing']);
  v.legalName(failures, `${path}.firstName`, individual.firstName);
  v.legalName(failures, `${path}.lastName`, individual.lastName);
  v.birthDate(failures, `${path}.dob`, individual.dob);
  const cardIssuing = individual.cardIssuing;
  if (v.objectAt(failures, `${path}.cardIssuing`, cardIssuing)) {
    const terms = cardIssuing.userTermsAcceptance;
    if (v.objectAt(failures, `${path}.cardIssuing.userTermsAcceptance`, terms)) {
      v.unknownKeys(failures, `${path}.cardIssuing.userTermsAcceptance`, terms, ['date', 'ip', 'userAgent']);
      v.pastTimestamp(failures, `${path}.cardIssuing.userTermsAcceptance.date`, terms.date);
      v.ipAddress(failures, `${path}.cardIssuing.userTermsAcceptance.ip`, terms.ip);
      v.optionalString(failures, `${path}.cardIssuing.userTermsAcceptance.userAgent`, terms.userAgent);
    }
  }
}

function checkBilling(failures: v.Failures, path: string, billing: unknown) {
  if (billing === undefined) failures.push({ property: path, reason: 'is required: { address: { line1, city, postalCode, country } }' });
  if (v.objectAt(failures, path, billing)) {
    v.unknownKeys(failures, path, billing, ['address']);
    v.address(failures, `${path}.address`, billing.address, true);
  }
}

function checkCompany(failures: v.Failures, path: string, company: unknown) {
  if (v.objectAt(failures, path, company)) {
    v.unknownKeys(failures, path, company, ['taxId']);
    v.optionalString(failures, `${path}.taxId`, company.taxId);
  }
}

function checkLocales(failures: v.Failures, path: string, locales: unknown) {
  if (!v.listAt(failures, path, locales)) return;
  locales.forEach((locale, i) => {
    v.oneOf(failures, `${path}[${i}]`, locale, LOCALES, true);
  });
}

// Stripe's API cannot remove email, phone number, individual, company or preferred locales once given,
// nor the spending controls without a documented empty value (see spendingControls.ts).
const cardholderFields: Fields<CardholderInputs, Stripe.Issuing.Cardholder> = {
  name: {
    description: "Printed on the cardholder's cards: at most 24 characters, letters, spaces, `.` `'` `-`.",
    required: true,
    schema: { type: 'string', minLength: 1, maxLength: v.CARDHOLDER_NAME_MAX },
    mutability: 'createOnly',
    check: v.cardholderName,
    read: (cardholder) => cardholder.name,
  },
  type: {
    description: '`individual` or `company`.',
    schema: { enum: ['individual', 'company'] },
    mutability: 'createOnly',
    default: 'individual',
    check: (failures, path, value) => v.oneOf(failures, path, value, ['individual', 'company']),
    read: (cardholder) => cardholder.type as CardholderInputs['type'],
  },
  email: {
    description: "The cardholder's email address.",
    schema: { type: 'string' },
    mutability: 'updatable',
    unsettable: true,
    check: v.email,
    read: (cardholder) => cardholder.email ?? undefined,
  },
  phoneNumber: {
    description: 'E.164, e.g. `+14155550100`.',
    schema: {
      type: 'string',
      pattern: '^\\+[1-9]\\d{6,14}$',
      errorMessage: 'must be an E.164 phone number like "+14155550100" (quote it in YAML)',
    },
    mutability: 'updatable',
    unsettable: true,
    check: v.phoneNumber,
    read: (cardholder) => cardholder.phone_number ?? undefined,
  },
  billing: {
    description: '`{ address: { line1, line2?, city, postalCode, state?, country } }`.',
    required: true,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['address'],
      properties: { address: { $ref: '#/definitions/address' } },
    },
    mutability: 'updatable',
    check: checkBilling,
    read: (cardholder) => ({ address: compact(fromStripe<Address>(cardholder.billing.address))! }),
  },
  individual: {
    description:
      "Only with `type: individual`: `firstName`, `lastName` (latin letters, spaces, `.` `,` `'` `-`; needed before cards can be activated), `dob` (1900 to today; a Pulumi secret), `cardIssuing.userTermsAcceptance { date, ip, userAgent }`.",
    schema: INDIVIDUAL_SCHEMA,
    mutability: 'updatable',
    unsettable: true,
    check: checkIndividual,
    read: (cardholder) =>
      cardholder.individual
        ? compact(
            fromStripe<CardholderIndividual>({
              first_name: cardholder.individual.first_name,
              last_name: cardholder.individual.last_name,
              dob: cardholder.individual.dob,
              card_issuing: cardholder.individual.card_issuing,
            }),
          )
        : undefined,
  },
  // `taxId` is write-only: Stripe says only whether one was provided.
  company: {
    description: 'Only with `type: company`: `{ taxId }`, write-only in Stripe (kept from state; a Pulumi secret).',
    schema: { type: 'object', additionalProperties: false, properties: { taxId: { type: 'string', minLength: 1 } } },
    mutability: 'updatable',
    unsettable: true,
    check: checkCompany,
    read: (cardholder, prior) => (cardholder.company?.tax_id_provided ? prior.company : undefined),
  },
  spendingControls: {
    description: "As a card's, plus `spendingLimitsCurrency` (ISO 4217; Stripe derives it when not given).",
    schema: { $ref: '#/definitions/spendingControls' },
    mutability: 'updatable',
    unsettable: UNSETTABLE_CONTROLS,
    check: (failures, path, value) => v.spendingControls(failures, path, value, { cardholder: true }),
    canonical: (controls) => canonicalSpendingControls(controls, { withCurrency: true }),
    param: spendingControlsParam,
    // Stripe derives spending_limits_currency: it is an input only where the stack declared it.
    read: (cardholder, prior) =>
      canonicalSpendingControls(fromStripe(cardholder.spending_controls), {
        withCurrency: prior.spendingControls?.spendingLimitsCurrency !== undefined,
      }),
  },
  status: {
    description:
      '`active` or `inactive` (every card of the cardholder stops authorizing). A cardholder deactivated or blocked (by Stripe) outside the stack is never reactivated by a deploy: set inactive to accept it.',
    schema: { enum: ['active', 'inactive'] },
    mutability: 'updatable',
    default: 'active',
    check: (failures, path, value) => v.oneOf(failures, path, value, ['active', 'inactive']),
    // A block (only Stripe sets it) is at least a deactivation: `inactive` in the stack accepts it,
    // and nothing is sent over it; `stripeStatus` says which.
    read: (cardholder) => (cardholder.status === 'active' ? 'active' : 'inactive'),
  },
  preferredLocales: {
    description: 'Languages for authentication messages: `de`, `en`, `es`, `fr`, `it`.',
    schema: { type: 'array', uniqueItems: true, items: { enum: [...LOCALES] } },
    mutability: 'updatable',
    unsettable: true,
    check: checkLocales,
    canonical: sortedSet,
    read: (cardholder) => sortedSet(cardholder.preferred_locales) as CardholderInputs['preferredLocales'],
  },
  metadata: metadataField(),
};

const cardholderOutputs = outputs<Stripe.Issuing.Cardholder, CardholderInputs>()({
  stripeStatus: {
    description: "Stripe's status, `blocked` included (only Stripe sets it).",
    // Stripe's enums are open (`| OtherString`): these are the values it documents today.
    read: (cardholder) => cardholder.status as 'active' | 'inactive' | 'blocked',
  },
  requirements: {
    description: 'What Stripe needs before cards can be activated: `disabledReason`, `pastDue` (e.g. first and last name).',
    read: (cardholder): { disabledReason?: string; pastDue?: string[] } =>
      compact({
        disabledReason: cardholder.requirements?.disabled_reason ?? undefined,
        pastDue: cardholder.requirements?.past_due ?? undefined,
      }) ?? {},
  },
});

export type CardholderOutputs = CardholderInputs &
  OutputsOf<typeof cardholderOutputs> & {
    /** Stripe's `inactive` or `blocked` when refresh found the cardholder stopped outside the stack (provider/freeze.ts). */
    outOfBandStatus?: 'inactive' | 'blocked';
  };

export const cardholderSpec: ResourceSpec<CardholderInputs, CardholderOutputs, Stripe.Issuing.Cardholder> = {
  typeName: 'Cardholder',
  idPrefix: 'ich_',
  fields: cardholderFields,

  validate(news, failures) {
    // With an unknown type, which details belong is unknown: the type alone is reported.
    const type = news.type ?? 'individual';
    if (news.individual !== undefined && type === 'company') {
      failures.push({ property: 'individual', reason: 'is only allowed when type is "individual"' });
    }
    if (news.company !== undefined && type === 'individual') {
      failures.push({ property: 'company', reason: 'is only allowed when type is "company"' });
    }
  },

  create: (stripe, inputs, params, idempotencyKey) =>
    stripe.issuing.cardholders.create(params as Stripe.Issuing.CardholderCreateParams, { stripeAccount: inputs.account, idempotencyKey }),

  retrieve: (stripe, id, account) => stripe.issuing.cardholders.retrieve(id, {}, { stripeAccount: account }),
  // Stripe filters cardholders by email, phone, status or type only, all of which an edit may change.
  listOwned: (stripe, inputs) =>
    stripe.issuing.cardholders.list({ limit: 100 }, { stripeAccount: inputs.account }).autoPagingToArray({ limit: 10_000 }),
  idOf: (cardholder) => cardholder.id,
  // Cardholders are never gone: one deactivated in the Dashboard or blocked by Stripe is a freeze `up`
  // does not undo (provider/freeze.ts); a replayed create of a destroyed cardholder takes the same person back.
  isDead: () => false,
  stripeStatusOf: (cardholder) => cardholder.status,

  outputs: cardholderOutputs,

  update: (stripe, id, _olds, news, params) =>
    stripe.issuing.cardholders.update(id, params as Stripe.Issuing.CardholderUpdateParams, { stripeAccount: news.account }),

  async remove(stripe, id, props) {
    // Stripe has no cardholder delete: deactivating stops every card of the cardholder from authorizing.
    await stripe.issuing.cardholders.update(id, { status: 'inactive' }, { stripeAccount: props.account });
  },
};

/** An Issuing cardholder on a connected account. Destroy deactivates it unless `retainOnDelete`. */
export const cardholder = register<CardholderInputs, CardholderOutputs, Stripe.Issuing.Cardholder, CardholderArgs>(cardholderSpec, {
  extraOutputs: [OUT_OF_BAND_STATUS],
  prepareArgs: withPersonalDataSecret,
  irreversible: { replace: 'creates a new cardholder and deactivates the current one; its cards are replaced too' },
});
/** What the engine runs for this type (the compiled package's entry exports it). */
export const cardholderProvider = cardholder.provider;
export const Cardholder = cardholder.Class;
export type Cardholder = InstanceType<typeof Cardholder>;

/**
 * A date of birth and a tax ID are personal data: they go to Stripe but are kept encrypted in state and
 * shown as [secret] in previews. Only those fields: names stay readable for reviewers. (An `individual`
 * or `company` given as one Output becomes secret as a whole.)
 */
function withPersonalDataSecret(args: CardholderArgs): CardholderArgs {
  const secretField = (value: unknown, field: string): unknown => {
    if (value === undefined || value === null) return value;
    if (pulumi.Output.isInstance(value) || value instanceof Promise) return pulumi.secret(value);
    const plain = value as Record<string, unknown>;
    return plain[field] === undefined ? plain : { ...plain, [field]: pulumi.secret(plain[field]) };
  };
  return {
    ...args,
    ...(args.individual !== undefined ? { individual: secretField(args.individual, 'dob') as CardholderArgs['individual'] } : {}),
    ...(args.company !== undefined ? { company: secretField(args.company, 'taxId') as CardholderArgs['company'] } : {}),
  };
}
