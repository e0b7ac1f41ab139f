// The parameter rules come from stripe-mock's bundled OpenAPI spec (request-params.json, API
// 2026-08-26.dahlia). This project pins API 2026-10-28.endive (stripe 23.1.0). Where the two disagree
// the pinned API wins: each entry below is one reviewed difference, with the stripe-node 23.1.0 type
// that shows it. Requests that use an entry cannot be checked by stripe-mock; the conformance replay
// skips them and lists them (test/conformance/replay.ts).
import type { ParamSchema } from '../params';
import { SERVED_OPERATIONS, type ServedOperation } from './served-operations';

export interface OverlayEntry {
  operations: ServedOperation[];
  /** Where in the operation's parameters: property names, `[]` for an array's items. */
  param: string[];
  /** A parameter the older spec lacks, values its enum lacks, or an empty value that unsets it. */
  change: { addProperty: ParamSchema } | { addEnum: string[] } | { allowEmpty: true };
  /** The stripe-node 23.1.0 declaration that shows the pinned API's rule. */
  source: string;
  /** stripe-mock accepts such requests anyway (it does not check that key): the replay still sends them. */
  stripeMockAccepts?: true;
}

const CAPABILITY_REQUEST: ParamSchema = { type: 'object', properties: { requested: { type: 'boolean' } } };
const newCapability = (name: string): OverlayEntry => ({
  operations: ['POST /v1/accounts', 'POST /v1/accounts/{account}'],
  param: ['capabilities', name],
  change: { addProperty: CAPABILITY_REQUEST },
  source: `stripe 23.1.0 types/Accounts: AccountCreateParams.Capabilities.${name} / AccountUpdateParams.Capabilities.${name}`,
  // stripe-mock does not check capability names; the emulator's parameter check does.
  stripeMockAccepts: true,
});

export const PINNED_OVERLAY: OverlayEntry[] = [
  {
    operations: ['POST /v1/issuing/cards/{card}'],
    param: ['financial_account'],
    change: { addProperty: { type: 'string' } },
    source:
      'stripe 23.1.0 Issuing.CardUpdateParams.financial_account: "The new financial account ID the card will be associated with. ' +
      'This field allows a card to be reassigned to a different financial account."',
  },
  {
    operations: ['POST /v1/webhook_endpoints'],
    param: ['api_version'],
    change: { addEnum: ['2026-09-30.endive', '2026-10-28.endive'] },
    source:
      'stripe 23.1.0 WebhookEndpointCreateParams.ApiVersion (ends with 2026-09-30.endive, 2026-10-28.endive); ApiVersion = 2026-10-28.endive',
  },
  {
    operations: ['POST /v1/webhook_endpoints', 'POST /v1/webhook_endpoints/{webhook_endpoint}'],
    param: ['enabled_events', '[]'],
    change: {
      addEnum: [
        'apps.install.created',
        'apps.install.deleted',
        'apps.install.updated',
        'three_d_secure.authentication.canceled',
        'three_d_secure.authentication.challenge_started',
        'three_d_secure.authentication.errored',
        'three_d_secure.authentication.failed',
        'three_d_secure.authentication.requires_challenge',
        'three_d_secure.authentication.requires_submission',
        'three_d_secure.authentication.succeeded',
      ],
    },
    source: 'stripe 23.1.0 WebhookEndpointCreateParams.EnabledEvent / WebhookEndpointUpdateParams.EnabledEvent',
  },
  {
    operations: ['POST /v1/test_helpers/treasury/received_credits'],
    param: ['network'],
    change: { addEnum: ['rtp'] },
    source: "stripe 23.1.0 TestHelpers.Treasury.ReceivedCreditCreateParams.Network = 'ach' | 'rtp' | 'us_domestic_wire'",
  },
  ...['blik_recurring_payments', 'paypay_payments', 'sequra_payments', 'wero_payments'].map(newCapability),
  ...(['card', 'cardholder'] as const).flatMap((object) =>
    ['allowed_merchant_countries', 'blocked_merchant_countries', 'allowed_card_presences', 'blocked_card_presences'].map(
      (control): OverlayEntry => ({
        operations: [object === 'card' ? 'POST /v1/issuing/cards/{card}' : 'POST /v1/issuing/cardholders/{cardholder}'],
        param: ['spending_controls', control],
        change: { allowEmpty: true },
        source:
          `stripe 23.1.0 Issuing.${object === 'card' ? 'Card' : 'Cardholder'}UpdateParams.SpendingControls.${control}: ` +
          '"Provide an empty value to unset this control." (the spec types it as a plain array)',
      }),
    ),
  ),
];

/** The operations' schemas with the overlay applied (the input is not changed). */
export function withPinnedOverlay(schemas: Record<ServedOperation, ParamSchema>): Record<ServedOperation, ParamSchema> {
  const result = structuredClone(schemas);
  for (const entry of PINNED_OVERLAY) {
    for (const operation of entry.operations) {
      const parent = entry.param.slice(0, -1).reduce<ParamSchema>((node, part) => step(node, part, operation, entry), result[operation]);
      const last = entry.param[entry.param.length - 1];
      if ('addProperty' in entry.change) {
        parent.properties = { ...parent.properties, [last]: entry.change.addProperty };
      } else if ('allowEmpty' in entry.change) {
        parent.properties = {
          ...parent.properties,
          [last]: { anyOf: [step(parent, last, operation, entry), { type: 'string', enum: [''] }] },
        };
      } else {
        const target = step(parent, last, operation, entry);
        target.enum = [...(target.enum ?? []), ...entry.change.addEnum.filter((value) => !target.enum?.includes(value))];
      }
    }
  }
  return result;
}

function step(node: ParamSchema, part: string, operation: string, entry: OverlayEntry): ParamSchema {
  const next = part === '[]' ? node.items : node.properties?.[part];
  if (!next) throw new Error(`pinned overlay: ${operation} has no parameter ${entry.param.join('.')} to change`);
  return next;
}

const ROUTES = SERVED_OPERATIONS.map((operation) => {
  const [method, route] = operation.split(' ');
  return { operation, method, pattern: new RegExp(`^${route.replace(/\{[^}]+\}/g, '[^/]+')}$`) };
});

/**
 * The overlay entry a recorded request relies on, if any: a form key on an added parameter, or an
 * added enum value at that parameter (`enabled_events[3]=apps.install.created`).
 */
export function overlayEntryUsedBy(request: { method: string; path: string; body: string }): OverlayEntry | undefined {
  const operation = ROUTES.find((route) => route.method === request.method && route.pattern.test(request.path))?.operation;
  if (!operation || !request.body) return undefined;
  const fields = [...new URLSearchParams(request.body)].map(([key, value]) => ({ path: key.split(/\[|\]\[|\]/).filter(Boolean), value }));
  return PINNED_OVERLAY.find(
    (entry) =>
      entry.operations.includes(operation) &&
      fields.some((field) => {
        const matches = entry.param.every((part, i) => (part === '[]' ? /^\d+$/.test(field.path[i] ?? '') : field.path[i] === part));
        if (!matches) return false;
        if ('addProperty' in entry.change) return true;
        const exact = field.path.length === entry.param.length;
        return 'allowEmpty' in entry.change ? exact && field.value === '' : exact && entry.change.addEnum.includes(field.value);
      }),
  );
}
