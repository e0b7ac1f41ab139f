import * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { compact, sortedSet } from './canonical';
import { fromStripe } from './casing';
import { type Fields, metadataField } from './fields';
import { implementationOf } from './implementation';
import { type BaseInputs, makeProvider, type ResourceSpec } from './mechanism';
import { type In, MODULE, resourceProps } from './resourceClass';
import { canonicalSpendingControls, type SpendingControls, spendingControlsParam, UNSETTABLE_CONTROLS } from './spendingControls';
import * as v from './validation';

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

export interface CardholderOutputs extends CardholderInputs {
  /** Stripe-set status, `blocked` included. */
  stripeStatus: 'active' | 'inactive' | 'blocked';
  /** Stripe's `inactive` or `blocked` when refresh found the cardholder stopped outside the stack (provider/freeze.ts). */
  outOfBandStatus?: 'inactive' | 'blocked';
  requirements: { disabledReason?: string; pastDue?: string[] };
}

const LOCALES = ['de', 'en', 'es', 'fr', 'it'] as const;

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
  name: { mutability: 'createOnly', check: v.cardholderName, read: (cardholder) => cardholder.name },
  type: {
    mutability: 'createOnly',
    default: 'individual',
    check: (failures, path, value) => v.oneOf(failures, path, value, ['individual', 'company']),
    read: (cardholder) => cardholder.type as CardholderInputs['type'],
  },
  email: { mutability: 'updatable', unsettable: true, check: v.email, read: (cardholder) => cardholder.email ?? undefined },
  phoneNumber: {
    mutability: 'updatable',
    unsettable: true,
    check: v.phoneNumber,
    read: (cardholder) => cardholder.phone_number ?? undefined,
  },
  billing: {
    mutability: 'updatable',
    check: checkBilling,
    read: (cardholder) => ({ address: compact(fromStripe<Address>(cardholder.billing.address))! }),
  },
  individual: {
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
    mutability: 'updatable',
    unsettable: true,
    check: checkCompany,
    read: (cardholder, prior) => (cardholder.company?.tax_id_provided ? prior.company : undefined),
  },
  spendingControls: {
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
    mutability: 'updatable',
    default: 'active',
    check: (failures, path, value) => v.oneOf(failures, path, value, ['active', 'inactive']),
    // A block (only Stripe sets it) is at least a deactivation: `inactive` in the stack accepts it,
    // and nothing is sent over it; `stripeStatus` says which.
    read: (cardholder) => (cardholder.status === 'active' ? 'active' : 'inactive'),
  },
  preferredLocales: {
    mutability: 'updatable',
    unsettable: true,
    check: checkLocales,
    canonical: sortedSet,
    read: (cardholder) => sortedSet(cardholder.preferred_locales) as CardholderInputs['preferredLocales'],
  },
  metadata: metadataField(),
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

  outputsOf: (cardholder) => ({
    // Stripe's enums are open (`| OtherString`): these are the values it documents today.
    stripeStatus: cardholder.status as CardholderOutputs['stripeStatus'],
    requirements:
      compact({
        disabledReason: cardholder.requirements?.disabled_reason ?? undefined,
        pastDue: cardholder.requirements?.past_due ?? undefined,
      }) ?? {},
  }),

  update: (stripe, id, _olds, news, params) =>
    stripe.issuing.cardholders.update(id, params as Stripe.Issuing.CardholderUpdateParams, { stripeAccount: news.account }),

  async remove(stripe, id, props) {
    // Stripe has no cardholder delete: deactivating stops every card of the cardholder from authorizing.
    await stripe.issuing.cardholders.update(id, { status: 'inactive' }, { stripeAccount: props.account });
  },
};

export const cardholderProvider = makeProvider(cardholderSpec);

const CARDHOLDER_OUTPUTS = [
  'stripeStatus',
  'outOfBandStatus',
  'requirements',
  'status',
  'type',
] as const satisfies readonly (keyof CardholderOutputs)[];

/** An Issuing cardholder on a connected account. Destroy deactivates it unless `retainOnDelete`. */
export class Cardholder extends pulumi.dynamic.Resource {
  declare readonly account: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly type: pulumi.Output<'individual' | 'company'>;
  declare readonly status: pulumi.Output<'active' | 'inactive'>;
  declare readonly stripeStatus: pulumi.Output<'active' | 'inactive' | 'blocked'>;
  declare readonly outOfBandStatus: pulumi.Output<'inactive' | 'blocked' | undefined>;
  declare readonly requirements: pulumi.Output<CardholderOutputs['requirements']>;

  constructor(name: string, args: CardholderArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      implementationOf('Cardholder'),
      name,
      resourceProps(name, withPersonalDataSecret(args), CARDHOLDER_OUTPUTS),
      opts,
      MODULE,
      'Cardholder',
    );
  }
}

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
