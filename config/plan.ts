/**
 * The stack file's issuing setup as a list of resources to declare: kind, name, arguments, where in
 * the file each comes from, and what each waits for. Pure, so that validation (before any Stripe
 * call) and the program (program/declare.ts) see exactly the same resources.
 *
 * Names come only from logical names (`acme`, `acme-jane`, `acme-jane-travel`): reordering or adding
 * entries never renames, hence never replaces, anything.
 */
import { AUTHORIZATION_REQUEST_EVENT, type AuthorizationRules } from '../authorizer/types';
import { cardSpec } from '../provider/resources/card';
import type { ResourceType } from '../provider/resources/registry';
import { type PathSegment, renderPath } from './paths';
import type { AccountConfig, CardConfig, FinancialAccountConfig, IssuingConfig, Mode } from './types';

export type ResourceKind = ResourceType;

/** `Card:acme-jane-travel`: names are unique per kind (the URN holds both). */
export type ResourceKey = `${ResourceKind}:${string}`;
export const resourceKey = (kind: ResourceKind, name: string): ResourceKey => `${kind}:${name}`;

/** An argument that is the ID of another planned resource. */
export class IdOf {
  constructor(readonly key: ResourceKey) {}
}

export interface PlannedResource {
  kind: ResourceKind;
  name: string;
  /** Where the resource is declared in the stack file. */
  path: PathSegment[];
  /** Provider arguments; values may be `IdOf` another planned resource. */
  args: Record<string, unknown>;
  /** Stack-file path of each argument not spelled `path.<argument>` in the file. */
  argPaths: Record<string, PathSegment[]>;
  /** Resources this one must wait for beyond those named by `IdOf` arguments. */
  dependsOn: ResourceKey[];
  protect: boolean;
  retainOnDelete: boolean;
  /** Rules for the real-time authorizer (cards and cardholders), keyed there by `name`. */
  authorization?: AuthorizationRules;
}

export interface PlanOptions {
  mode: Mode;
}

export const LOCAL_AUTHORIZER_WEBHOOK = 'authorizer-webhook';
export const DEFAULT_LOCAL_AUTHORIZER_PORT = 4242;

const ISSUING_PATH: PathSegment[] = ['config', 'stripe-issuing:issuing'];
// Settings of the file that steer the program, not arguments of the Stripe object.
const PROGRAM_KEYS = ['authorization', 'cards', 'retainOnDelete', 'id', 'features'];

export function planIssuing(issuing: IssuingConfig, options: PlanOptions): PlannedResource[] {
  const protectCards = issuing.protectCards ?? options.mode === 'live';
  const plan: PlannedResource[] = [];
  for (const [accountName, account] of entries(issuing.accounts)) {
    plan.push(...planAccount(accountName, account, [...ISSUING_PATH, 'accounts', accountName], protectCards));
  }
  for (const [name, endpoint] of entries(issuing.webhookEndpoints)) {
    plan.push(resource('WebhookEndpoint', name, [...ISSUING_PATH, 'webhookEndpoints', name], { ...endpoint }));
  }
  const authorizer = record(issuing.authorizer);
  if (authorizer.enabled === true && (authorizer.target ?? 'local') === 'local') {
    // The local handler's endpoint; on AWS the authorizer component declares its own.
    const endpoint = resource('WebhookEndpoint', LOCAL_AUTHORIZER_WEBHOOK, [...ISSUING_PATH, 'authorizer'], {
      url: `http://127.0.0.1:${authorizer.port ?? DEFAULT_LOCAL_AUTHORIZER_PORT}/`,
      enabledEvents: [AUTHORIZATION_REQUEST_EVENT],
      connect: true,
      description: 'Real-time authorizer (local)',
    });
    // The file gives the URL only through its port.
    endpoint.argPaths = { url: [...ISSUING_PATH, 'authorizer', 'port'] };
    plan.push(endpoint);
  }
  return plan;
}

/** Stripe refuses some capabilities until others are requested: `treasury` needs `transfers`. */
const CAPABILITY_PREREQUISITES: Record<string, string[]> = { treasury: ['transfers'] };
const prerequisiteDepth = (capability: string): number =>
  Math.max(0, ...(CAPABILITY_PREREQUISITES[capability] ?? []).map((prerequisite) => 1 + prerequisiteDepth(prerequisite)));

// Capabilities are waited for: financial accounts and cardholders need them active. A product's ToS
// acceptance is recorded before its capability is requested, which needs it to become active.
function planAccount(accountName: string, account: AccountConfig, path: PathSegment[], protectCards: boolean): PlannedResource[] {
  const accountArg = { account: account.id };
  const accountPaths = { account: [...path, 'id'] };
  // Capabilities and features may serve other stacks: unrequested on removal only when asked.
  const removal: Record<string, unknown> = account.unrequestOnRemove === true ? { unrequestOnRemove: true } : {};
  const removalPaths: Record<string, PathSegment[]> =
    account.unrequestOnRemove === true ? { unrequestOnRemove: [...path, 'unrequestOnRemove'] } : {};
  const declaredCapabilities = list(account.capabilities);
  const capabilityName = (capability: string) => `${accountName}-${capability}`;
  const acceptances = entries(account.tosAcceptance).map(([product, acceptance]) => ({
    ...resource('TosAcceptance', capabilityName(product), [...path, 'tosAcceptance', product], {
      ...accountArg,
      product,
      ...record(acceptance),
    }),
    argPaths: { ...accountPaths, product: [...path, 'tosAcceptance', product] },
  }));
  const capabilities = declaredCapabilities
    .map((capability, index) => ({
      ...resource('AccountCapability', capabilityName(capability), [...path, 'capabilities', index], {
        ...accountArg,
        capability,
        waitForActive: true,
        ...removal,
      }),
      argPaths: { ...accountPaths, ...removalPaths, capability: [...path, 'capabilities', index] },
      dependsOn: [
        ...(CAPABILITY_PREREQUISITES[capability] ?? [])
          .filter((prerequisite) => declaredCapabilities.includes(prerequisite))
          .map((prerequisite) => resourceKey('AccountCapability', capabilityName(prerequisite))),
        ...acceptances.filter((acceptance) => acceptance.args.product === capability).map(keyOf),
      ],
    }))
    // Prerequisites first: the program declares every resource after those it waits for.
    .sort((a, b) => prerequisiteDepth(a.args.capability as string) - prerequisiteDepth(b.args.capability as string));
  const capabilityKeys = capabilities.map(keyOf);
  const plan: PlannedResource[] = [...acceptances, ...capabilities];

  const financialAccount = planFinancialAccount(accountName, account.financialAccount && record(account.financialAccount), [
    ...path,
    'financialAccount',
  ]);
  for (const planned of financialAccount.resources) {
    const features = planned.kind === 'FinancialAccountFeatures';
    plan.push({
      ...planned,
      args: { ...accountArg, ...planned.args, ...(features ? removal : {}) },
      argPaths: { ...accountPaths, ...planned.argPaths, ...(features ? removalPaths : {}) },
      dependsOn: capabilityKeys,
    });
  }

  for (const [cardholderName, cardholder] of entries(account.cardholders)) {
    const cardholderPath = [...path, 'cardholders', cardholderName];
    const holder = {
      ...resource('Cardholder', `${accountName}-${cardholderName}`, cardholderPath, { ...accountArg, ...declared(cardholder) }),
      argPaths: accountPaths,
      dependsOn: capabilityKeys,
      retainOnDelete: record(cardholder).retainOnDelete === true,
      authorization: record(cardholder).authorization,
    };
    plan.push(holder);
    for (const [cardName, card] of entries(record(cardholder).cards)) {
      plan.push(
        planCard(`${holder.name}-${cardName}`, card, [...cardholderPath, 'cards', cardName], {
          accountArg,
          accountPaths,
          holder,
          financialAccount,
          protectCards,
        }),
      );
    }
  }
  return plan;
}

interface PlannedFinancialAccount {
  resources: PlannedResource[];
  /** What cards draw on: the managed account's ID or the existing account's. */
  id?: IdOf | string;
  idPath?: PathSegment[];
  /** The features resource cards wait for (card_issuing must be on). */
  features?: ResourceKey;
}

function planFinancialAccount(
  accountName: string,
  config: FinancialAccountConfig | undefined,
  path: PathSegment[],
): PlannedFinancialAccount {
  if (config === undefined) return { resources: [] };
  const resources: PlannedResource[] = [];
  let id: IdOf | string | undefined = config.id;
  let idPath = [...path, 'id'];
  if (config.id === undefined) {
    const managed = {
      ...resource('FinancialAccount', accountName, path, declared(config)),
      retainOnDelete: config.retainOnDelete === true,
    };
    resources.push(managed);
    id = new IdOf(keyOf(managed));
    idPath = path;
  }
  if (config.features === undefined) return { resources, id, idPath };
  const features = resource('FinancialAccountFeatures', accountName, [...path, 'features'], {
    financialAccount: id,
    features: config.features,
  });
  features.argPaths = { financialAccount: idPath, features: [...path, 'features'] };
  resources.push(features);
  return { resources, id, idPath, features: keyOf(features) };
}

interface CardContext {
  accountArg: { account: string };
  accountPaths: Record<string, PathSegment[]>;
  holder: PlannedResource;
  financialAccount: PlannedFinancialAccount;
  protectCards: boolean;
}

function planCard(name: string, card: CardConfig, path: PathSegment[], context: CardContext): PlannedResource {
  const { financialAccount } = context;
  const args = {
    ...context.accountArg,
    cardholder: new IdOf(keyOf(context.holder)),
    ...(financialAccount.id !== undefined ? { financialAccount: financialAccount.id } : {}),
    ...declared(card),
    // The provider fills its defaults in too; the plan needs the currency for its checks (config/stack-rules.ts).
    currency: record(card).currency ?? cardSpec.fields.currency.default,
    type: record(card).type ?? cardSpec.fields.type.default,
  };
  return {
    ...resource('Card', name, path, args),
    argPaths: {
      ...context.accountPaths,
      cardholder: context.holder.path,
      ...(financialAccount.idPath ? { financialAccount: financialAccount.idPath } : {}),
    },
    dependsOn: financialAccount.features ? [financialAccount.features] : [],
    protect: context.protectCards,
    retainOnDelete: record(card).retainOnDelete === true,
    authorization: record(card).authorization,
  };
}

function resource(kind: ResourceKind, name: string, path: PathSegment[], args: Record<string, unknown>): PlannedResource {
  return { kind, name, path, args: withoutUndefined(args), argPaths: {}, dependsOn: [], protect: false, retainOnDelete: false };
}

export const keyOf = (planned: Pick<PlannedResource, 'kind' | 'name'>): ResourceKey => resourceKey(planned.kind, planned.name);

/** The stack-file path of a planned resource's argument (`spendingControls.spendingLimits[0]` included). */
export function argumentPath(planned: PlannedResource, argument: string): string {
  const head = argument.split(/[.[]/, 1)[0];
  const source = planned.argPaths[head];
  if (source !== undefined) return renderPath(source) + argument.slice(head.length);
  const base = renderPath(planned.path);
  return argument === '' ? base : `${base}.${argument}`;
}

/** The file's fields that are provider arguments. */
function declared(value: object | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record(value)).filter(([key]) => !PROGRAM_KEYS.includes(key)));
}

const withoutUndefined = (args: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined));

// Tolerant readers: validation plans files that may not match the schema yet (it reports those).
function record<T extends object>(value: T | undefined): Partial<T> & Record<string, unknown> {
  return (value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {}) as Partial<T> & Record<string, unknown>;
}

function entries<T>(value: Record<string, T> | undefined): [string, T][] {
  return Object.entries(record(value)) as [string, T][];
}

function list<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}
