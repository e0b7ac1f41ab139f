/**
 * The stack file's JSON Schema (config/stack.schema.json, what editors and `npm run validate` check), built
 * from the declarations: each resource entry's keys are its fields' schema fragments (provider/engine/fields.ts)
 * in the order `ENTRIES` gives, plus the keys the program reads itself. `npm run generate` writes it; a test
 * fails when the committed file differs.
 */

import type { Field, SchemaFragment } from '../provider/engine/fields';
import { MERCHANT_CATEGORIES } from '../provider/merchantCategories';
import { cardSpec } from '../provider/resources/card';
import { cardholderSpec } from '../provider/resources/cardholder';
import { financialAccountSpec } from '../provider/resources/financialAccount';
import { REGISTRY, type ResourceType } from '../provider/resources/registry';
import { webhookEndpointSpec } from '../provider/resources/webhookEndpoint';
import { API_VERSIONS } from '../provider/stripeNames';

type AnyField = Field<never, never, unknown>;
const fieldsOf = (type: ResourceType) => REGISTRY[type].spec.fields as unknown as Record<string, AnyField>;

/** A field's fragment, its description saying what it is, whether a change replaces, and its default. */
export function fieldSchema(type: ResourceType, key: string): SchemaFragment {
  const field = fieldsOf(type)[key];
  if (field?.schema === undefined) throw new Error(`internal: ${type}.${key} is not a stack-file key (no schema)`);
  const notes = [
    field.description,
    field.mutability === 'createOnly' ? `Fixed at creation: a change replaces the ${type}.` : undefined,
    field.default !== undefined ? `Default ${JSON.stringify(field.default)}.` : undefined,
  ];
  return { description: notes.filter(Boolean).join(' '), ...field.schema };
}

/** Lists that exclude each other: given `allowed…`, its `blocked…` is refused (Stripe takes one of the two). */
const eitherOr = (...pairs: [allowed: string, blocked: string][]): SchemaFragment =>
  Object.fromEntries(
    pairs.map(([allowed, blocked]) => [
      allowed,
      { properties: { [blocked]: { not: {}, errorMessage: `cannot be combined with ${allowed}: give allowed or blocked, not both` } } },
    ]),
  );

/** JSON Schema's if/then/else: `then` is the keyword's name, not a promise. */
const conditional = (condition: SchemaFragment, then: SchemaFragment, otherwise: SchemaFragment): SchemaFragment => ({
  if: condition,
  then,
  else: otherwise,
});

const RETAIN_ON_DELETE = {
  description: "Keep the Stripe object when it is removed from this file (Pulumi's retainOnDelete): it is only dropped from the stack.",
  type: 'boolean',
};

/** `adoptId` of a type that can take over an existing object (its spec's `idPrefix`). */
function adoptId(spec: { idPrefix?: string }, noun: string, more = ''): SchemaFragment {
  return {
    description:
      `ID of an existing ${noun} (${spec.idPrefix}…) to take over instead of creating one: the first up reads it, fails if a field ` +
      'fixed at creation differs, and updates the fields that differ (metadata gains pulumi_stack and pulumi_name). From then on it ' +
      `is managed like a created one, removal included. Read only at creation: changing or removing it later does nothing.${more}`,
    type: 'string',
    pattern: `^${spec.idPrefix}[A-Za-z0-9]+$`,
    errorMessage: `must be the ID of an existing ${noun}, like ${spec.idPrefix}1AbC`,
  };
}

/** The keys the program reads on a cardholder or card entry: the authorizer's rules, adoptId and retainOnDelete. */
const authorizedEntryKeys = (spec: { idPrefix?: string }, noun: string): [string, SchemaFragment][] => [
  ['authorization', { $ref: '#/definitions/authorizationRules' }],
  ['adoptId', adoptId(spec, noun)],
  ['retainOnDelete', RETAIN_ON_DELETE],
];

/**
 * One resource entry of the stack file: `keys` in the order editors list them, each a field of `type`, `*`
 * for every field of `type` the stack file writes (those with a schema) not listed, in table order, or a key
 * the program reads itself (its fragment); `required`: the fields the entry must give (default: the fields
 * declared `required` that the stack file writes).
 */
function entry(
  type: ResourceType,
  keys: (string | [string, SchemaFragment])[],
  rest: SchemaFragment = {},
  required?: string[],
): SchemaFragment {
  const fields = fieldsOf(type);
  const listed = new Set(keys.map((key) => (typeof key === 'string' ? key : key[0])));
  const unlisted = Object.keys(fields).filter((key) => fields[key].schema !== undefined && !listed.has(key));
  const expanded = keys.flatMap((key) => (key === '*' ? unlisted : [key]));
  const properties = Object.fromEntries(expanded.map((key) => (typeof key === 'string' ? [key, fieldSchema(type, key)] : key)));
  const must = required ?? expanded.filter((key): key is string => typeof key === 'string' && fields[key]?.required === true);
  const { description, ...after } = rest;
  return {
    ...(description !== undefined ? { description } : {}),
    type: 'object',
    additionalProperties: false,
    ...(must.length > 0 ? { required: must } : {}),
    properties,
    ...after,
  };
}

/** The definitions that are not one resource's entry: the file's structure and shared value shapes. */
const SHARED: Record<string, SchemaFragment> = {
  logicalName: {
    type: 'string',
    maxLength: 40,
    pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
    errorMessage:
      'logical names are 1–40 lower-case letters, digits and single hyphens (e.g. travel-eu): they become Pulumi resource names',
  },
  issuing: {
    description: 'Everything this stack declares in Stripe Issuing.',
    type: 'object',
    additionalProperties: false,
    required: ['accounts'],
    properties: {
      protectCards: {
        description:
          "Give cards Pulumi's `protect` option so a removal cannot cancel them. Defaults to true on live stacks, false otherwise.",
        type: 'boolean',
      },
      accounts: {
        description: 'Connected accounts keyed by logical name (the resource name prefix).',
        type: 'object',
        minProperties: 1,
        propertyNames: {
          $ref: '#/definitions/logicalName',
        },
        additionalProperties: {
          $ref: '#/definitions/account',
        },
      },
      webhookEndpoints: {
        description: 'Platform webhook endpoints keyed by logical name.',
        type: 'object',
        propertyNames: {
          $ref: '#/definitions/logicalName',
        },
        additionalProperties: {
          $ref: '#/definitions/webhookEndpoint',
        },
      },
      authorizer: {
        $ref: '#/definitions/authorizer',
      },
      onboarding: {
        description:
          'Stripe-hosted onboarding (npm run onboarding-link) for what a connected account still has to provide: where Stripe sends the account holder afterwards.',
        type: 'object',
        additionalProperties: false,
        required: ['returnUrl', 'refreshUrl'],
        properties: {
          returnUrl: {
            description: 'Where the account holder lands after leaving or completing onboarding.',
            type: 'string',
            pattern: '^https?://[^\\s/]+(/\\S*)?$',
            errorMessage: 'must be an http(s) URL',
          },
          refreshUrl: {
            description: 'Where the account holder lands when the link has expired or was already used; it should create a new link.',
            type: 'string',
            pattern: '^https?://[^\\s/]+(/\\S*)?$',
            errorMessage: 'must be an http(s) URL',
          },
        },
      },
    },
  },
  onlyForManagedFinancialAccount: {
    not: {},
    errorMessage:
      'is not allowed with financialAccount.id: an existing financial account is only referenced (its features are managed); remove id to manage the account here',
  },
  shipping: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'address'],
    properties: {
      name: {
        type: 'string',
        minLength: 1,
      },
      address: {
        $ref: '#/definitions/address',
      },
      service: {
        enum: ['standard', 'express', 'priority'],
      },
      type: {
        enum: ['individual', 'bulk'],
      },
      requireSignature: {
        type: 'boolean',
      },
      phoneNumber: {
        type: 'string',
        pattern: '^\\+[1-9]\\d{6,14}$',
        errorMessage: 'must be an E.164 phone number like "+14155550100" (quote it in YAML)',
      },
    },
  },
  address: {
    type: 'object',
    additionalProperties: false,
    required: ['line1', 'city', 'postalCode', 'country'],
    properties: {
      line1: {
        type: 'string',
        minLength: 1,
      },
      line2: {
        type: 'string',
      },
      city: {
        type: 'string',
        minLength: 1,
      },
      state: {
        type: 'string',
      },
      postalCode: {
        type: 'string',
        minLength: 1,
        errorMessage: 'must be a non-empty string (quote it in YAML, e.g. "94107")',
      },
      country: {
        $ref: '#/definitions/country',
      },
    },
  },
  spendingControls: {
    description: "Stripe's own spending controls, enforced by Stripe before any authorizer runs.",
    type: 'object',
    additionalProperties: false,
    properties: {
      allowedCategories: {
        $ref: '#/definitions/categories',
      },
      blockedCategories: {
        $ref: '#/definitions/categories',
      },
      allowedMerchantCountries: {
        $ref: '#/definitions/countries',
      },
      blockedMerchantCountries: {
        $ref: '#/definitions/countries',
      },
      allowedCardPresences: {
        $ref: '#/definitions/cardPresences',
      },
      blockedCardPresences: {
        $ref: '#/definitions/cardPresences',
      },
      spendingLimits: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['amount', 'interval'],
          properties: {
            amount: {
              description: "In the card currency's smallest unit (cents): 50000 = $500.00.",
              type: 'integer',
              minimum: 1,
            },
            interval: {
              enum: ['per_authorization', 'daily', 'weekly', 'monthly', 'yearly', 'all_time'],
            },
            categories: {
              $ref: '#/definitions/categories',
            },
          },
        },
      },
      spendingLimitsCurrency: {
        description:
          "Cardholders only: the currency of spendingLimits (ISO 4217, lower case). Stripe derives it when not given; a card's limits are in the card's currency.",
        type: 'string',
        pattern: '^[a-z]{3}$',
        errorMessage: 'must be a lower-case ISO 4217 currency code such as usd',
      },
    },
    dependencies: eitherOr(
      ['allowedCategories', 'blockedCategories'],
      ['allowedMerchantCountries', 'blockedMerchantCountries'],
      ['allowedCardPresences', 'blockedCardPresences'],
    ),
  },
  authorizationRules: {
    description: "Rules the real-time authorizer applies to this cardholder's or card's authorizations.",
    type: 'object',
    additionalProperties: false,
    properties: {
      killSwitch: {
        description: 'Decline everything.',
        type: 'boolean',
      },
      maxAmount: {
        description: 'Largest single authorization, in minor units (5000 = $50.00).',
        type: 'integer',
        minimum: 1,
      },
      allowedCategories: {
        $ref: '#/definitions/categories',
      },
      blockedCategories: {
        $ref: '#/definitions/categories',
      },
      allowedCountries: {
        $ref: '#/definitions/countries',
      },
      blockedCountries: {
        $ref: '#/definitions/countries',
      },
    },
    dependencies: eitherOr(['allowedCategories', 'blockedCategories'], ['allowedCountries', 'blockedCountries']),
  },
  authorizer: {
    description: 'The real-time authorization handler and the stack-wide rules it applies.',
    type: 'object',
    additionalProperties: false,
    properties: {
      enabled: {
        type: 'boolean',
        description: 'Deploy or run the handler (default false): Stripe then asks it about every authorization.',
      },
      target: {
        description:
          'Where the handler runs: `local` (a loopback HTTP server started next to the emulator, dev) or `aws-lambda` (a Lambda function URL; needs AWS credentials and aws:region).',
        enum: ['local', 'aws-lambda'],
      },
      killSwitch: {
        description: 'Decline every authorization on the stack.',
        type: 'boolean',
      },
      defaultRules: {
        $ref: '#/definitions/authorizationRules',
      },
      unknownCards: {
        description:
          "What the authorizer answers for a card that is not this stack's (its pulumi_stack, account or pulumi_name metadata do not match a card declared here: another stack's, or made outside Pulumi). Default: decline on live stacks, approve on test stacks.",
        enum: ['approve', 'decline'],
      },
      port: {
        description: "local: the loopback port the handler listens on; the stack's webhook endpoint points at it. Default 4242.",
        type: 'integer',
        minimum: 1024,
        maximum: 65535,
      },
      logRetentionDays: {
        description: 'aws-lambda: CloudWatch log retention. Default 30.',
        enum: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653],
      },
      memorySize: {
        description: 'aws-lambda: memory in MB (more memory is more CPU, shorter cold starts). Default 512.',
        type: 'integer',
        minimum: 128,
        maximum: 10240,
      },
      reservedConcurrency: {
        description:
          "aws-lambda: concurrent executions reserved for the function, and its ceiling: Stripe's calls always find capacity and a flood of requests cannot use the account's. Default 10.",
        type: 'integer',
        minimum: 1,
        maximum: 1000,
      },
      apiVersion: {
        description:
          "aws-lambda (required there): the Stripe API version of the authorizer's webhook endpoint and of its answers, e.g. 2026-10-28.endive. Pinned here because changing it replaces the endpoint, whose new signing secret breaks authorizations until every running handler has it.",
        type: 'string',
        pattern: '^\\d{4}-\\d{2}-\\d{2}(\\.[a-z]+)?$',
        errorMessage: 'must be a Stripe API version such as 2026-10-28.endive',
      },
    },
  },
  metadata: {
    description: 'Up to 48 string values (pulumi_stack and pulumi_name are written by the provider).',
    type: 'object',
    allOf: [
      {
        maxProperties: 48,
        errorMessage: 'may hold at most 48 keys: Stripe allows 50 and the provider writes pulumi_stack and pulumi_name itself',
      },
    ],
    propertyNames: {
      maxLength: 40,
      pattern: '^[^\\[\\]]+$',
      not: {
        enum: ['pulumi_stack', 'pulumi_name'],
      },
      errorMessage: 'metadata keys are 1–40 characters without [ or ], and pulumi_stack / pulumi_name are written by the provider',
    },
    additionalProperties: {
      type: 'string',
      maxLength: 500,
      errorMessage: 'metadata values are strings of at most 500 characters (quote numbers in YAML)',
    },
  },
  currency: {
    type: 'string',
    pattern: '^[a-z]{3}$',
    errorMessage: 'must be a three-letter ISO 4217 currency code in lower case (e.g. usd)',
  },
  country: {
    type: 'string',
    pattern: '^[A-Z]{2}$',
    errorMessage: 'must be a two-letter ISO 3166-1 country code in upper case (e.g. US)',
  },
  countries: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: {
      $ref: '#/definitions/country',
    },
  },
  cardPresences: {
    description: 'Card presence of an authorization: present (in person) or not_present (online, phone).',
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: {
      enum: ['present', 'not_present'],
    },
  },
  categories: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: {
      enum: [...MERCHANT_CATEGORIES],
      errorMessage: 'must be a Stripe merchant category name like fast_food_restaurants',
    },
  },
  apiVersion: {
    type: 'string',
    enum: [...API_VERSIONS],
    errorMessage: 'must be a Stripe API version such as 2026-10-28.endive',
  },
};

/** What only a financial account managed here takes: its fields, adoptId and retainOnDelete (not with `id`). */
const managedFinancialAccountOnly = () => [
  ...Object.keys(fieldsOf('FinancialAccount')).filter((key) => fieldsOf('FinancialAccount')[key].schema !== undefined),
  'adoptId',
  'retainOnDelete',
];

/** Each resource entry of the stack file, from its type's fields. */
function entries(): Record<string, SchemaFragment> {
  return {
    account: {
      type: 'object',
      additionalProperties: false,
      required: ['id'],
      properties: {
        id: {
          description: "The connected account's ID.",
          type: 'string',
          pattern: '^acct_[A-Za-z0-9]+$',
          errorMessage: 'must be a connected account ID like acct_1DevAcmeIssuing',
        },
        capabilities: {
          description:
            "Capabilities requested on the account (Stripe's names). Issuing on financial accounts needs transfers, treasury and card_issuing; the ACH features need us_bank_account_ach_payments too.",
          type: 'array',
          uniqueItems: true,
          items: fieldSchema('AccountCapability', 'capability'),
        },
        tosAcceptance: {
          description:
            "The account holder's acceptance of the Stripe Issuing (card_issuing) and Treasury (treasury) terms, which the platform records: those capabilities stay inactive until Stripe has it. Sent as settings.<product>.tos_acceptance on the account.",
          type: 'object',
          additionalProperties: false,
          properties: {
            card_issuing: {
              $ref: '#/definitions/tosAcceptance',
            },
            treasury: {
              $ref: '#/definitions/tosAcceptance',
            },
          },
        },
        unrequestOnRemove: {
          description:
            "Unrequest this account's capabilities and financial-account features when they leave the stack (removed from the file or destroyed). Default false: they stay requested in Stripe, where other stacks or products may rely on them; Stripe refuses to unrequest permanent capabilities (a warning, and the capability leaves the state).",
          type: 'boolean',
        },
        financialAccount: { $ref: '#/definitions/financialAccount' },
        cardholders: {
          description: 'Cardholders keyed by logical name.',
          type: 'object',
          propertyNames: {
            $ref: '#/definitions/logicalName',
          },
          additionalProperties: {
            $ref: '#/definitions/cardholder',
          },
        },
      },
    },
    tosAcceptance: entry('TosAcceptance', ['date', 'ip', 'userAgent', '*'], {
      description:
        'When, from where and in which browser the account holder accepted the terms. A new acceptance (new date and IP) updates it in place.',
    }),
    financialAccount: entry(
      'FinancialAccount',
      [
        [
          'id',
          {
            description: 'An existing financial account: only its features are managed.',
            type: 'string',
            pattern: '^fa_[A-Za-z0-9]+$',
            errorMessage: 'must be a financial account ID like fa_1AbC',
          },
        ],
        [
          'adoptId',
          adoptId(
            financialAccountSpec,
            'financial account',
            ' Unlike id, which only references an account and manages its features, the adopted account is managed here and closed on removal.',
          ),
        ],
        'supportedCurrencies',
        'nickname',
        ['features', fieldSchema('FinancialAccountFeatures', 'features')],
        'platformRestrictions',
        '*',
        'metadata',
        ['retainOnDelete', RETAIN_ON_DELETE],
      ],
      {
        description:
          "The account's Treasury financial account: managed here (supportedCurrencies, …) or an existing one (id) whose features are managed here. Cards draw on it.",
        ...conditional(
          { required: ['id'] },
          {
            properties: Object.fromEntries(
              managedFinancialAccountOnly().map((key) => [key, { $ref: '#/definitions/onlyForManagedFinancialAccount' }]),
            ),
          },
          { required: ['supportedCurrencies'] },
        ),
      },
      [],
    ),
    cardholder: entry(
      'Cardholder',
      [
        'type',
        'name',
        'email',
        'phoneNumber',
        'billing',
        'individual',
        'company',
        'status',
        'preferredLocales',
        'spendingControls',
        '*',
        'metadata',
        ...authorizedEntryKeys(cardholderSpec, 'cardholder'),
        [
          'cards',
          {
            description: "The cardholder's cards keyed by logical name.",
            type: 'object',
            propertyNames: { $ref: '#/definitions/logicalName' },
            additionalProperties: { $ref: '#/definitions/card' },
          },
        ],
      ],
      {
        ...conditional(
          { properties: { type: { const: 'company' } }, required: ['type'] },
          {
            properties: { individual: { not: {}, errorMessage: 'is only for cardholders of type individual (this one is type company)' } },
          },
          { properties: { company: { not: {}, errorMessage: 'is only for cardholders of type company (set type: company)' } } },
        ),
      },
    ),
    card: entry(
      'Card',
      [
        'type',
        'currency',
        'status',
        'spendingControls',
        'shipping',
        'secondLine',
        'personalizationDesign',
        '*',
        'metadata',
        ...authorizedEntryKeys(cardSpec, 'card'),
      ],
      {
        ...conditional(
          { properties: { type: { const: 'physical' } }, required: ['type'] },
          { required: ['shipping'] },
          { properties: { shipping: { not: {}, errorMessage: 'is only for physical cards (set type: physical)' } } },
        ),
      },
    ),
    webhookEndpoint: entry('WebhookEndpoint', [
      'url',
      'enabledEvents',
      'connect',
      'description',
      'apiVersion',
      '*',
      'metadata',
      [
        'adoptId',
        adoptId(
          webhookEndpointSpec,
          'webhook endpoint',
          ' Its signing secret cannot be recovered: Stripe shows it only when the endpoint is created.',
        ),
      ],
    ]),
  };
}

/** The whole schema, definitions in the order the committed file has them. */
export function stackSchema(): SchemaFragment {
  const resources = entries();
  const order = [
    'logicalName',
    'issuing',
    'account',
    'tosAcceptance',
    'financialAccount',
    'onlyForManagedFinancialAccount',
    'cardholder',
    'card',
    'shipping',
    'address',
    'spendingControls',
    'authorizationRules',
    'webhookEndpoint',
    'authorizer',
    'metadata',
    'currency',
    'country',
    'countries',
    'cardPresences',
    'categories',
    'apiVersion',
  ];
  const all: Record<string, SchemaFragment> = { ...SHARED, ...resources };
  return { ...TOP, definitions: Object.fromEntries(order.map((name) => [name, all[name]])) };
}

/** The file itself: what `npm run generate` writes and the test compares. */
export const stackSchemaText = (): string => `${JSON.stringify(stackSchema(), null, 2)}\n`;

const TOP: SchemaFragment = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Stack file of the stripe-issuing Pulumi project (stacks/Pulumi.<stack>.yaml)',
  description: 'The whole issuing setup of a stack sits under `stripe-issuing:issuing`. See docs/stack-config.md.',
  type: 'object',
  additionalProperties: false,
  required: ['config'],
  properties: {
    secretsprovider: {
      type: 'string',
      description: 'Written by Pulumi.',
    },
    encryptedkey: {
      type: 'string',
      description: 'Written by Pulumi.',
    },
    encryptionsalt: {
      type: 'string',
      description: 'Written by Pulumi (passphrase secrets provider).',
    },
    environment: {
      description: 'Pulumi ESC environments imported by this stack.',
    },
    config: {
      type: 'object',
      additionalProperties: false,
      required: ['stripe-issuing:issuing'],
      patternProperties: {
        '^(aws|pulumi):': {
          description: 'Settings of other Pulumi packages (e.g. aws:region for the authorizer).',
        },
      },
      properties: {
        'stripe-issuing:mode': {
          description: '`test` (default) or `live`. Live keys are refused unless this says `live`; test keys are refused when it does.',
          enum: ['test', 'live'],
        },
        'stripe-issuing:demo': {
          description:
            'true: a demo stack of fictional people (the `dev` stack), the only kind that may hold a date of birth or tax ID in plain text. Test mode only. Every other stack keeps them encrypted: `pulumi config set --secret --path …`.',
          type: 'boolean',
        },
        'stripe-issuing:stripeApiKey': {
          description:
            'Stripe secret or restricted key, stored encrypted: `pulumi config set --secret stripe-issuing:stripeApiKey …`. Falls back to STRIPE_API_KEY.',
          type: 'object',
          additionalProperties: false,
          required: ['secure'],
          properties: {
            secure: {
              type: 'string',
            },
          },
          errorMessage:
            'must be stored encrypted: run `pulumi config set --secret stripe-issuing:stripeApiKey <key>` (never commit a plain key)',
        },
        'stripe-issuing:stripeApiBase': {
          description: 'Base URL of a Stripe-compatible server, e.g. the offline emulator. Unset means api.stripe.com.',
          type: 'string',
          pattern: '^https?://[^\\s/]+(/\\S*)?$',
          errorMessage: 'must be an http(s) URL such as http://127.0.0.1:12111',
        },
        'stripe-issuing:stripeApiVersion': {
          description:
            "Stripe API version pinned for this stack, e.g. 2026-10-28.endive. Defaults to the installed stripe package's version.",
          $ref: '#/definitions/apiVersion',
        },
        'stripe-issuing:maxRequestsPerSecond': {
          description:
            "This stack's share of its Stripe key's rate limit, in requests per second. Defaults to Stripe's limit: 25 in test mode, 100 in live mode. Lower it when other tools use the same key; every request of an up, refresh or destroy is paced by it.",
          anyOf: [
            {
              type: 'number',
              exclusiveMinimum: 0,
              errorMessage: 'must be a positive number of requests per second, e.g. 10',
            },
            {
              type: 'string',
              pattern: '^[0-9]*[1-9][0-9]*(\\.[0-9]+)?$|^[0-9]*\\.[0-9]*[1-9][0-9]*$',
              errorMessage: 'must be a positive number of requests per second, e.g. 10',
            },
          ],
          errorMessage: 'must be a positive number of requests per second, e.g. 10',
        },
        'stripe-issuing:issuing': {
          $ref: '#/definitions/issuing',
        },
      },
    },
  },
};
