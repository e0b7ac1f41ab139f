import * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { compact, sameValue, sortedSet } from './canonical';
import { fromStripe, toStripe } from './casing';
import { BaseInputs, ResourceSpec, makeProvider, userMetadata } from './mechanism';
import { implementationOf } from './implementation';
import { type In, MODULE, resourceProps } from './resourceClass';
import { SpendingControls, UNSETTABLE_CONTROLS, canonicalSpendingControls, spendingControlsParam } from './spendingControls';
import * as v from './validation';

export interface Address { line1: string; line2?: string; city: string; postalCode: string; state?: string; country: string }

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
  requirements: { disabledReason?: string; pastDue?: string[] };
}

const LOCALES = ['de', 'en', 'es', 'fr', 'it'] as const;

function validateIndividual(failures: v.Failures, individual: unknown) {
  if (!v.objectAt(failures, 'individual', individual)) return;
  v.unknownKeys(failures, 'individual', individual, ['firstName', 'lastName', 'dob', 'cardIssuing']);
  v.legalName(failures, 'individual.firstName', individual.firstName);
  v.legalName(failures, 'individual.lastName', individual.lastName);
  v.birthDate(failures, 'individual.dob', individual.dob);
  const cardIssuing = individual.cardIssuing;
  if (v.objectAt(failures, 'individual.cardIssuing', cardIssuing)) {
    const terms = cardIssuing.userTermsAcceptance;
    if (v.objectAt(failures, 'individual.cardIssuing.userTermsAcceptance', terms)) {
      v.unknownKeys(failures, 'individual.cardIssuing.userTermsAcceptance', terms, ['date', 'ip', 'userAgent']);
      v.pastTimestamp(failures, 'individual.cardIssuing.userTermsAcceptance.date', terms.date);
      v.ipAddress(failures, 'individual.cardIssuing.userTermsAcceptance.ip', terms.ip);
      v.optionalString(failures, 'individual.cardIssuing.userTermsAcceptance.userAgent', terms.userAgent);
    }
  }
}

export const cardholderSpec: ResourceSpec<CardholderInputs, Stripe.Issuing.Cardholder> = {
  typeName: 'Cardholder',
  idPrefix: 'ich_',
  createOnly: ['name', 'type'],
  updatable: ['email', 'phoneNumber', 'billing', 'individual', 'company', 'spendingControls', 'status', 'preferredLocales', 'metadata'],
  // Stripe's API cannot remove these once given (spending controls only as a whole: lists left out are cleared).
  // Spending controls: only the controls without a documented empty value (see spendingControls.ts).
  unsettable: ['email', 'phoneNumber', 'individual', 'company', ...UNSETTABLE_CONTROLS, 'preferredLocales'],

  validate(news, failures) {
    v.unknownKeys(failures, '', news, [
      'account', 'pulumiStack', 'pulumiName', 'adoptId', 'name', 'type', 'email', 'phoneNumber', 'billing',
      'individual', 'company', 'spendingControls', 'status', 'preferredLocales', 'metadata',
    ]);
    v.cardholderName(failures, 'name', news.name);
    v.oneOf(failures, 'type', news.type, ['individual', 'company']);
    v.email(failures, 'email', news.email);
    v.phoneNumber(failures, 'phoneNumber', news.phoneNumber);
    if (news.billing === undefined) failures.push({ property: 'billing', reason: 'is required: { address: { line1, city, postalCode, country } }' });
    if (v.objectAt(failures, 'billing', news.billing)) {
      v.unknownKeys(failures, 'billing', news.billing, ['address']);
      v.address(failures, 'billing.address', news.billing.address, true);
    }
    // With an unknown type, which details belong is unknown: the type alone is reported.
    const type = news.type ?? 'individual';
    if (news.individual !== undefined && type === 'company') {
      failures.push({ property: 'individual', reason: 'is only allowed when type is "individual"' });
    }
    if (news.company !== undefined && type === 'individual') {
      failures.push({ property: 'company', reason: 'is only allowed when type is "company"' });
    }
    validateIndividual(failures, news.individual);
    if (v.objectAt(failures, 'company', news.company)) {
      v.unknownKeys(failures, 'company', news.company, ['taxId']);
      v.optionalString(failures, 'company.taxId', news.company.taxId);
    }
    v.spendingControls(failures, 'spendingControls', news.spendingControls, { cardholder: true });
    v.oneOf(failures, 'status', news.status, ['active', 'inactive']);
    if (v.listAt(failures, 'preferredLocales', news.preferredLocales)) {
      news.preferredLocales.forEach((locale, i) => v.oneOf(failures, `preferredLocales[${i}]`, locale, LOCALES, true));
    }
  },

  canonicalize: (news) => compact({
    name: news.name,
    type: news.type ?? 'individual',
    email: news.email,
    phoneNumber: news.phoneNumber,
    billing: news.billing,
    individual: news.individual,
    company: news.company,
    spendingControls: canonicalSpendingControls(news.spendingControls, { withCurrency: true }),
    status: news.status ?? 'active',
    preferredLocales: sortedSet(news.preferredLocales as string[] | undefined),
    metadata: news.metadata ?? {},
  }) ?? {},

  create(stripe, inputs, metadata, idempotencyKey) {
    const { account: _a, pulumiStack: _s, pulumiName: _n, adoptId: _i, ...params } = inputs;
    return stripe.issuing.cardholders.create(toStripe({ ...params, metadata }), { stripeAccount: inputs.account, idempotencyKey });
  },

  retrieve: (stripe, id, account) => stripe.issuing.cardholders.retrieve(id, {}, { stripeAccount: account }),
  // Stripe filters cardholders by email, phone, status or type only, all of which an edit may change.
  listOwned: (stripe, inputs) =>
    stripe.issuing.cardholders.list({ limit: 100 }, { stripeAccount: inputs.account }).autoPagingToArray({ limit: 10_000 }),
  idOf: (cardholder) => cardholder.id,
  // Cardholders are never gone: an inactive one (our destroy, or the Dashboard) is drift that `up`
  // reactivates, and a replayed create of a destroyed cardholder takes the same person back.
  isDead: () => false,

  inputsOf(cardholder, prior) {
    const individual = cardholder.individual
      ? compact(fromStripe<CardholderIndividual>({
          first_name: cardholder.individual.first_name,
          last_name: cardholder.individual.last_name,
          dob: cardholder.individual.dob,
          card_issuing: cardholder.individual.card_issuing,
        }))
      : undefined;
    return compact({
      name: cardholder.name,
      type: cardholder.type,
      email: cardholder.email ?? undefined,
      phoneNumber: cardholder.phone_number ?? undefined,
      billing: { address: compact(fromStripe(cardholder.billing.address)) },
      individual,
      company: cardholder.company?.tax_id_provided ? prior.company : undefined,
      // Stripe derives spending_limits_currency: it is an input only where the stack declared it.
      spendingControls: canonicalSpendingControls(fromStripe(cardholder.spending_controls), {
        withCurrency: prior.spendingControls?.spendingLimitsCurrency !== undefined,
      }),
      status: cardholder.status,
      preferredLocales: sortedSet(cardholder.preferred_locales),
      metadata: userMetadata(cardholder.metadata),
    }) ?? {};
  },

  outputsOf: (cardholder) => ({
    stripeStatus: cardholder.status,
    requirements: compact({
      disabledReason: cardholder.requirements?.disabled_reason ?? undefined,
      pastDue: cardholder.requirements?.past_due ?? undefined,
    }) ?? {},
  }),

  update(stripe, id, olds, news, metadata) {
    const fields = ['email', 'phoneNumber', 'billing', 'individual', 'company', 'status', 'preferredLocales'] as const;
    const params: Record<string, unknown> = {};
    // `check` refuses removing an unsettable field (see `unsettable`): only given values are sent.
    for (const field of fields) {
      if (news[field] !== undefined && !sameValue(olds[field], news[field])) params[field] = news[field];
    }
    if (!sameValue(olds.spendingControls, news.spendingControls)) {
      params.spendingControls = spendingControlsParam(news.spendingControls, olds.spendingControls);
    }
    return stripe.issuing.cardholders.update(id, toStripe({ ...params, metadata }), { stripeAccount: news.account });
  },

  async remove(stripe, id, props) {
    // Stripe has no cardholder delete: deactivating stops every card of the cardholder from authorizing.
    await stripe.issuing.cardholders.update(id, { status: 'inactive' }, { stripeAccount: props.account });
  },
};

export const cardholderProvider = makeProvider(cardholderSpec);

const CARDHOLDER_OUTPUTS = ['stripeStatus', 'requirements', 'status', 'type'] as const;

/** An Issuing cardholder on a connected account. Destroy deactivates it unless `retainOnDelete`. */
export class Cardholder extends pulumi.dynamic.Resource {
  declare readonly account: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly type: pulumi.Output<'individual' | 'company'>;
  declare readonly status: pulumi.Output<'active' | 'inactive'>;
  declare readonly stripeStatus: pulumi.Output<'active' | 'inactive' | 'blocked'>;
  declare readonly requirements: pulumi.Output<CardholderOutputs['requirements']>;

  constructor(name: string, args: CardholderArgs, opts?: pulumi.CustomResourceOptions) {
    super(implementationOf('Cardholder'), name, resourceProps(name, withPersonalDataSecret(args), CARDHOLDER_OUTPUTS), opts, MODULE, 'Cardholder');
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
