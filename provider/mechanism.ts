import { createHash } from 'node:crypto';
import type * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { containsUnknown, sameValue } from './canonical';
import { stripeClient } from './client';
import { cannotUnset, isMissing, translateError } from './errors';
import {
  allowedKeys,
  canonicalFields,
  checkFields,
  createOnlyKeys,
  createParams,
  type Fields,
  type OutputField,
  readFields,
  readOutputs,
  unsettablePaths,
  updatableKeys,
  updateParams,
} from './fields';
import { acceptsFreeze, OUT_OF_BAND_STATUS, outOfBandStatusAfterRead, refusal, undoneByChange } from './freeze';
import { idempotencyKey, keyAfterDeadObject, keyAfterFailure, replayedClientFailure, wasReplayed } from './idempotency';
import { configureFromStack, resolveSettings } from './settings';
import { accountId, type Failures, requireString, stripeId, unknownKeys } from './validation';

/** Inputs every resource has: the connected account, plus hidden inputs the resource class adds. */
export interface BaseInputs {
  account: string;
  /** Stack and logical name: feed the Idempotency-Key and the `pulumi_stack`/`pulumi_name` metadata. */
  pulumiStack: string;
  pulumiName: string;
  /** ID of an existing Stripe object to take over instead of creating one. */
  adoptId?: string;
  /** Where the stack file declares the resource (`issuing.accounts.acme.cardholders.jane`), for messages naming an edit. */
  declaredAt?: string;
}

/** Inputs Stripe's object cannot tell, kept from earlier inputs: never a reason to update or replace. */
const CREATE_TIME_KEYS = ['pulumiStack', 'pulumiName', 'adoptId', 'declaredAt'] as const;

type Props = Record<string, unknown>;
/**
 * Parameters of a Stripe request, snake_case, as `fields.ts` derives them from the inputs at run time;
 * each spec names the `stripe` parameter type it sends them as.
 */
// biome-ignore lint/suspicious/noExplicitAny: built from the field table at run time; each spec casts it to its `stripe` params type
export type StripeParams = Record<string, any>;
type Metadata = Record<string, string>;

/**
 * What one resource type contributes; everything else (client, keys, errors, check, diff, read) is
 * shared. `I`: its inputs; `O`: its outputs (the inputs and what Stripe adds); `S`: the Stripe object.
 */
export interface ResourceSpec<I extends BaseInputs, O extends I, S> {
  typeName: string;
  /** True for objects that may live on the platform itself (no `account`). */
  accountOptional?: boolean;
  /**
   * Prefix of the Stripe IDs `adoptId` may name (e.g. `ic_`). Without it the type takes no `adoptId`:
   * its create already takes over what exists (requesting a capability or feature already requested).
   */
  idPrefix?: string;
  /** Each input declared once: mutability, check, default, canonical form, Stripe parameter, read-back (fields.ts). */
  fields: Fields<I, S>;
  /** Pure, optional: rules across fields (e.g. shipping only on physical cards); each field's own check is in `fields`. */
  validate?(news: Props, failures: Failures): void;
  /**
   * One call. `params`: the create parameters derived from `fields`, metadata with the managed keys
   * included; a type whose Stripe call has another shape builds its own from `inputs`.
   */
  create(stripe: Stripe, inputs: I, params: StripeParams, idempotencyKey: string): Promise<Stripe.Response<S>>;
  /** One call; may throw `resource_missing`. */
  retrieve(stripe: Stripe, id: string, account: string): Promise<S>;
  /**
   * Objects of this type on the resource's account, every page (listed once per process: `ownedList`);
   * `findOwned` keeps those whose metadata names this stack and resource.
   * Stripe's search API does not cover Issuing or Treasury objects, so this is a list. Types without
   * it (capabilities, features) create nothing that could be left behind.
   */
  listOwned?(stripe: Stripe, inputs: I): Promise<S[]>;
  /** The Pulumi ID of a Stripe object. */
  idOf(object: S, inputs: I): string;
  /** Canceled, closed, deleted, unrequested: the object no longer serves these inputs. */
  isDead(object: S, inputs: I): boolean;
  /**
   * Stripe's status, for types a fraud team or Stripe may stop outside the stack (cards, cardholders;
   * provider/freeze.ts). Refresh then keeps a dead object in state instead of dropping it (so `up` never
   * re-issues a canceled card silently) and records a freeze; `up` refuses to undo either.
   */
  stripeStatusOf?(object: S): string;
  /** Each output beyond the inputs declared once: description and read (fields.ts `outputs`). */
  outputs: Record<string, OutputField<S, I, unknown>>;
  /**
   * Brings the object from `olds` to `news`. `params`: the changed updatable inputs and the metadata
   * patch (removed keys as ''), derived from `fields`.
   */
  update(stripe: Stripe, id: string, olds: I, news: I, params: StripeParams): Promise<S>;
  /** Optional: wait until the object is usable (e.g. a capability `active`); runs after create and update. */
  awaitUsable?(stripe: Stripe, object: S, inputs: I): Promise<S>;
  /** Stripe's notion of deleting this object; a missing object counts as deleted. */
  remove(stripe: Stripe, id: string, props: O): Promise<void>;
}

const managedMetadata = (inputs: BaseInputs) => ({ pulumi_stack: inputs.pulumiStack, pulumi_name: inputs.pulumiName });

/** The user's metadata input of any resource's inputs (none on types without metadata). */
const metadataOf = (inputs: object): Metadata | undefined => (inputs as { metadata?: Metadata }).metadata;

/** The metadata patch: desired keys, managed keys, and '' for every key to remove. */
export function metadataPatch(oldUser: Metadata | undefined, inputs: BaseInputs & { metadata?: Metadata }): Metadata {
  const patch: Metadata = { ...metadataOf(inputs), ...managedMetadata(inputs) };
  for (const key of Object.keys(oldUser ?? {})) if (!(key in patch)) patch[key] = '';
  return patch;
}

/** The value at `path` (`a.b`, `a[0].b`) of inputs or outputs. */
function valueAt(root: object, path: string): unknown {
  return path
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== '')
    .reduce<unknown>((value, part) => (value as Props | undefined)?.[part], root);
}

/** The lists a spec's field table implies (fields.ts), computed when asked (a table has a dozen entries). */
export const createOnlyOf = <I extends BaseInputs, O extends I, S>(spec: ResourceSpec<I, O, S>) => createOnlyKeys(spec.fields);
export const updatableOf = <I extends BaseInputs, O extends I, S>(spec: ResourceSpec<I, O, S>) => updatableKeys(spec.fields);
export const unsettableOf = <I extends BaseInputs, O extends I, S>(spec: ResourceSpec<I, O, S>) => unsettablePaths(spec.fields);
export const allowedOf = <I extends BaseInputs, O extends I, S>(spec: ResourceSpec<I, O, S>) => allowedKeys(spec.fields);

/**
 * Pure `check`: failures with paths (ignoring values unknown until apply), else canonical inputs.
 * `olds` are the inputs of the last deployment (none at create): removing an `unsettable` input they
 * had fails here, before any Stripe call of the `up`, rather than halfway through it in `update`.
 */
export function checkInputs<I extends BaseInputs, O extends I, S>(
  spec: ResourceSpec<I, O, S>,
  inputs: object,
  olds: object = {},
): pulumi.dynamic.CheckResult<Props> {
  const news = withoutProvider(inputs as Props);
  const failures: Failures = [];
  unknownKeys(failures, '', news, allowedOf(spec));
  if (!(spec.accountOptional && news.account === undefined)) accountId(failures, 'account', news.account);
  requireString(failures, 'pulumiStack', news.pulumiStack);
  requireString(failures, 'pulumiName', news.pulumiName);
  if (spec.idPrefix !== undefined) stripeId(failures, 'adoptId', news.adoptId, spec.idPrefix, false);
  else if (news.adoptId !== undefined) {
    failures.push({
      property: 'adoptId',
      reason:
        `${spec.typeName} does not take adoptId: declaring it takes over what already exists in Stripe ` +
        '(requesting what is already requested changes nothing); remove adoptId',
    });
  }
  checkFields(spec.fields, news, failures);
  spec.validate?.(news, failures);
  const real = failures.filter((f) => !containsUnknown(valueAt(news, f.property)));
  if (real.length > 0) return { inputs: news, failures: real };
  const canonical = { ...canonicalFields(spec.fields, news), ...identityOf(news) };
  const removed = unsetFailures(spec, withoutProvider(olds as Props), canonical);
  if (removed.length > 0) return { inputs: news, failures: removed };
  return { inputs: canonical };
}

/** Unsettable inputs the old inputs had and the new canonical ones drop, on an object that is kept. */
function unsetFailures<I extends BaseInputs, O extends I, S>(spec: ResourceSpec<I, O, S>, olds: Props, news: Props): Failures {
  const dropped = unsettableOf(spec).filter(
    (key) => valueAt(olds, key) !== undefined && valueAt(news, key) === undefined && !containsUnknown(news[key.split('.')[0]]),
  );
  // A replacement creates a new object, which simply never gets the field: nothing is unset.
  if (dropped.length === 0 || diffInputs(spec, olds, news).replaces.length > 0) return [];
  return dropped.map((key) => {
    const old = valueAt(olds, key);
    const keep = typeof old === 'object' && old !== null && !Array.isArray(old) ? 'keep at least one of its fields' : 'keep a value';
    return {
      property: key,
      reason:
        `was set and Stripe cannot unset it (its API refuses to remove ${key} from a ${spec.typeName} once given): ` +
        `${keep}, or replace the ${spec.typeName}`,
    };
  });
}

/** Pure `diff`: which inputs changed, and which of those Stripe can only set at create. */
export function diffInputs<I extends BaseInputs, O extends I, S>(spec: ResourceSpec<I, O, S>, olds: object, news: object) {
  const createOnly = createOnlyOf(spec);
  const changed = ['account', ...createOnly, ...updatableOf(spec)].filter(
    (key) => containsUnknown(valueAt(news, key)) || !sameValue(valueAt(olds, key), valueAt(news, key)),
  );
  const replaces = changed.filter((key) => key === 'account' || createOnly.includes(key));
  return { changed, replaces };
}

/** `account` and the create-time facts of earlier inputs: what Stripe's object cannot tell. */
function identityOf(props: object): Props {
  const keys = ['account', ...CREATE_TIME_KEYS];
  return Object.fromEntries(keys.filter((k) => valueAt(props, k) !== undefined).map((k) => [k, valueAt(props, k)]));
}

/** The inputs among outputs (or among inputs with the engine's `__provider`). */
function pickInputs<I extends BaseInputs, O extends I, S>(spec: ResourceSpec<I, O, S>, props: O | I): I {
  const picked: Partial<I> = {};
  for (const key of allowedOf(spec) as (keyof I & string)[]) if (props[key] !== undefined) picked[key] = props[key];
  return picked as I;
}

/** The inputs as the Stripe object has them now: identity from `prior`, the rest read back through `fields`. */
function inputsOf<I extends BaseInputs, O extends I, S>(spec: ResourceSpec<I, O, S>, object: S, prior: I): I {
  const read: Props = { ...identityOf(prior), ...readFields(spec.fields, object, prior) };
  return read as I;
}

/**
 * Who else manages an object, as its `pulumi_stack`/`pulumi_name` metadata says; undefined when the
 * metadata names these inputs or nobody (an object made outside Pulumi).
 */
function ownerElsewhere(stripeMetadata: Metadata | null | undefined, inputs: BaseInputs): string | undefined {
  const stack = stripeMetadata?.pulumi_stack || undefined;
  const name = stripeMetadata?.pulumi_name || undefined;
  if (stack === undefined && name === undefined) return undefined;
  if (stack === inputs.pulumiStack && name === inputs.pulumiName) return undefined;
  return `stack "${stack ?? '(none)'}" as "${name ?? '(none)'}"`;
}

/** The metadata of a Stripe object, for the types that have it. */
const stripeMetadataOf = (object: unknown) => (object as { metadata?: Metadata | null }).metadata;

// Lists of `listOwned`, per process, on globalThis (the sources and the compiled package share them).
const OWNED_LISTS = '__stripeIssuingOwnedLists';
type OwnedLists = { [OWNED_LISTS]?: Map<string, Promise<unknown[]>> };
const ownedLists = () => ((globalThis as OwnedLists)[OWNED_LISTS] ??= new Map());
const ownedListKey = (typeName: string, account: string | undefined, scope: string) => `${scope} ${typeName} ${account ?? ''}`;

/** Forgets every list `ownedList` took: what a new provider process starts with (tests model runs with it). */
export function forgetOwnedLists(): void {
  ownedLists().clear();
}

/**
 * What `listOwned` returns, listed once per process, Stripe key, type and account: left-behind objects
 * come from earlier runs, so a list taken before this process created any of them is complete, and an
 * `up` of N cards pays ⌈N/100⌉ list requests instead of one per card. A create that fails forgets the
 * list (its attempt may itself have left an object behind, e.g. when the response was lost).
 */
function ownedList<I extends BaseInputs, O extends I, S>(
  spec: ResourceSpec<I, O, S>,
  stripe: Stripe,
  inputs: I,
  scope: string,
): Promise<S[]> {
  const key = ownedListKey(spec.typeName, inputs.account, scope);
  let list = ownedLists().get(key) as Promise<S[]> | undefined;
  if (list === undefined) {
    list = spec.listOwned!(stripe, inputs);
    ownedLists().set(key, list);
    list.catch(() => ownedLists().delete(key));
  }
  return list;
}

/**
 * The live object an earlier, interrupted `create` of this resource left in Stripe (its metadata names
 * this stack and resource, on the same account), which the state never learned of: a killed `up`
 * followed by an edit, or a retry after Stripe forgot the idempotency key, would otherwise create a
 * second one. Two such objects are an error naming both. An object that differs in a field Stripe
 * cannot change is not taken: it cannot serve these inputs, and during a replacement it is the object
 * being replaced (the engine creates the new one first).
 */
async function findOwned<I extends BaseInputs, O extends I, S>(
  spec: ResourceSpec<I, O, S>,
  stripe: Stripe,
  inputs: I,
  scope: string,
): Promise<S | undefined> {
  if (!spec.listOwned) return undefined;
  const owned = (await ownedList(spec, stripe, inputs, scope)).filter((object) => {
    const stripeMetadata = stripeMetadataOf(object);
    if (stripeMetadata?.pulumi_stack !== inputs.pulumiStack || stripeMetadata?.pulumi_name !== inputs.pulumiName) return false;
    return !spec.isDead(object, inputs) && diffInputs(spec, inputsOf(spec, object, inputs), inputs).replaces.length === 0;
  });
  if (owned.length > 1) {
    const ids = owned.map((object) => spec.idOf(object, inputs)).join(' and ');
    throw new Error(
      `${ids} both say (pulumi_stack/pulumi_name metadata) that they are ${spec.typeName} "${inputs.pulumiName}" of stack ` +
        `"${inputs.pulumiStack}"; keep one: set adoptId to it, and cancel or delete the other (or clear its metadata)`,
    );
  }
  return owned[0];
}

/** The object, or undefined when Stripe says it does not exist (404, `resource_missing`). */
async function retrieveIfExists<I extends BaseInputs, O extends I, S>(
  spec: ResourceSpec<I, O, S>,
  stripe: Stripe,
  id: string,
  account: string,
): Promise<S | undefined> {
  try {
    return await spec.retrieve(stripe, id, account);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** Create attempts per `create`: the first key and up to this many minus one derived from replays. */
const CREATE_ROUNDS = 10;

/** An object `create` ends with, and what an earlier response showed that a read may not (a webhook secret). */
interface Made<S> {
  object: S;
  prior: Props;
}

/**
 * Brings an existing object (adopted, left behind, or replayed) to the inputs: refuses when a field
 * Stripe cannot change differs, or when the inputs drop what Stripe cannot unset (what `check` refuses
 * for a deployed object); otherwise one update of what differs, managed metadata included, or none.
 */
async function reconcile<I extends BaseInputs, O extends I, S>(
  spec: ResourceSpec<I, O, S>,
  stripe: Stripe,
  inputs: I,
  current: S,
): Promise<S> {
  const actual = inputsOf(spec, current, inputs);
  const id = spec.idOf(current, inputs);
  const { changed, replaces } = diffInputs(spec, actual, inputs);
  if (replaces.length > 0) {
    throw new Error(
      `${spec.typeName} ${id} differs in fields Stripe cannot change (${replaces.join(', ')}); ` +
        'make the arguments match the existing object or drop adoptId to create a new one',
    );
  }
  const stripeMetadata = stripeMetadataOf(current);
  const managedMissing =
    stripeMetadata !== undefined &&
    !sameValue({ pulumi_stack: stripeMetadata?.pulumi_stack, pulumi_name: stripeMetadata?.pulumi_name }, managedMetadata(inputs));
  const kept = unsettableOf(spec).filter((key) => valueAt(actual, key) !== undefined && valueAt(inputs, key) === undefined);
  if (kept.length > 0) throw cannotUnset(`${spec.typeName} ${id}`, kept.join(', '));
  if (changed.length === 0 && !managedMissing) return current;
  const params = updateParams(spec.fields, actual, inputs, metadataPatch(metadataOf(actual), inputs));
  return spec.update(stripe, id, actual, inputs, params);
}

/**
 * Takes over `adoptId`. Refused when the object is dead, or when its metadata says another stack or
 * resource manages it (two owners would fight over it); otherwise reconciled to the inputs.
 */
async function adopt<I extends BaseInputs, O extends I, S>(
  spec: ResourceSpec<I, O, S>,
  stripe: Stripe,
  inputs: I,
  adoptId: string,
): Promise<S> {
  const current = await spec.retrieve(stripe, adoptId, inputs.account);
  if (spec.isDead(current, inputs)) throw new Error(`cannot adopt ${adoptId}: it is no longer usable (canceled, closed or unrequested)`);
  const owner = ownerElsewhere(stripeMetadataOf(current), inputs);
  if (owner) {
    throw new Error(
      `cannot adopt ${adoptId}: its metadata says it is managed by ${owner}, not by stack ` +
        `"${inputs.pulumiStack}" as "${inputs.pulumiName}"; two stacks or resources must not manage one object ` +
        '(remove it from the other, or clear its pulumi_stack/pulumi_name metadata, before adopting it here)',
    );
  }
  return reconcile(spec, stripe, inputs, current);
}

/**
 * Creates under an Idempotency-Key of the inputs (provider/idempotency.ts), so a lost response or a
 * killed process never makes a second object. What Stripe answers, round by round:
 * - a new object (not replayed): that is the object;
 * - a replayed object that still lives: the first attempt's object, reconciled to the inputs (it may
 *   have drifted since), with the replayed response as `prior` (it shows what a read no longer does);
 * - a replayed object that is gone or dead (canceled, closed, unrequested): create again under a key
 *   derived from its ID, a chain that stays idempotent;
 * - a replayed client failure (a stored 4xx, maybe out of date): create again under a key derived from it;
 * - a first-time failure: thrown, it is the answer.
 * After `CREATE_ROUNDS` replays, an error says how to start a new chain.
 */
async function createIdempotently<I extends BaseInputs, O extends I, S>(
  spec: ResourceSpec<I, O, S>,
  stripe: Stripe,
  inputs: I,
): Promise<Made<S>> {
  // Neither changes what is created: where the stack file declares it is only for messages.
  const { adoptId: _ignored, declaredAt: _declaredAt, ...facts } = inputs;
  let key = idempotencyKey({ type: spec.typeName, ...facts });
  const params = createParams(spec.fields, inputs, { ...metadataOf(inputs), ...managedMetadata(inputs) });
  let lastFailure: Props | undefined;
  for (let round = 0; round < CREATE_ROUNDS; round++) {
    let created: Stripe.Response<S>;
    try {
      created = await spec.create(stripe, inputs, params, key);
    } catch (error) {
      lastFailure = replayedClientFailure(error);
      if (lastFailure === undefined) throw error;
      key = keyAfterFailure(key, lastFailure);
      continue;
    }
    lastFailure = undefined;
    if (!wasReplayed(created)) return { object: created, prior: {} };
    // A replay returns the first response, not the object as it is now: look at it.
    const id = spec.idOf(created, inputs);
    const current = await retrieveIfExists(spec, stripe, id, inputs.account);
    if (current !== undefined && !spec.isDead(current, inputs)) {
      return { object: await reconcile(spec, stripe, inputs, current), prior: readOutputs(spec.outputs, created, {}) };
    }
    key = keyAfterDeadObject(key, id);
  }
  throw new Error(
    `Stripe replayed ${CREATE_ROUNDS} earlier outcomes (dead objects or failures) for this resource's idempotency keys` +
      `${lastFailure ? `, the last a failure: ${String(lastFailure.message)}` : ''}; ` +
      'Stripe forgets keys after 24 hours, or change an input to start a new key chain',
  );
}

/**
 * `create`: take over `adoptId`, or what an interrupted create of this resource left (`findOwned`),
 * else create idempotently; in all cases end with the object matching the inputs.
 */
async function createOrAdopt<I extends BaseInputs, O extends I, S>(
  spec: ResourceSpec<I, O, S>,
  stripe: Stripe,
  inputs: I,
  scope: string,
): Promise<Made<S>> {
  if (inputs.adoptId) return { object: await adopt(spec, stripe, inputs, inputs.adoptId), prior: {} };
  const left = await findOwned(spec, stripe, inputs, scope);
  if (left !== undefined) return { object: await reconcile(spec, stripe, inputs, left), prior: {} };
  return createIdempotently(spec, stripe, inputs);
}

/** Outputs may carry `warnings` (conditions that make the object useless, e.g. cards that cannot authorize). */
function logWarnings<T extends object>(typeName: string, outs: T): T {
  // The provider process has no engine connection: the SDK writes these to stderr, which the CLI shows.
  const log: typeof pulumi.log = require('@pulumi/pulumi').log;
  for (const warning of (valueAt(outs, 'warnings') as string[] | undefined) ?? []) void log.warn(`${typeName}: ${warning}`);
  return outs;
}

/**
 * The engine hands the serialized provider along with the inputs as `__provider` (and adds it back to
 * the outputs itself): it is neither a user argument nor a fact for idempotency keys.
 */
function withoutProvider<T extends object>(props: T): T {
  const { __provider: _provider, ...rest } = props as T & { __provider?: unknown };
  return rest as T;
}

/** A dynamic provider typed by the inputs and outputs of its resource (Pulumi's own interface is generic). */
export type TypedProvider<I, O> = pulumi.dynamic.ResourceProvider<I, O>;

/** Turns a resource spec into the dynamic provider the engine serializes and runs. */
export function makeProvider<I extends BaseInputs, O extends I, S>(spec: ResourceSpec<I, O, S>): TypedProvider<I, O> {
  const client = () => stripeClient(resolveSettings());
  const actionLabel = (verb: string, props: Partial<I>, id?: string) =>
    `${spec.typeName} ${String(props.pulumiName ?? '')}${id ? ` (${id})` : ''}: ${verb} failed`;
  const guarded = async <T>(action: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw translateError(action, error);
    }
  };
  const awaitUsable = (stripe: Stripe, object: S, inputs: I) => (spec.awaitUsable ? spec.awaitUsable(stripe, object, inputs) : object);
  const outputs = (inputs: I, object: S, prior: Partial<O> | Props): O =>
    logWarnings(spec.typeName, { ...inputs, ...readOutputs(spec.outputs, object, prior as Partial<I> & Props) } as O);

  return {
    configure: configureFromStack,

    // The engine's inputs are unchecked: `check` reads them as plain properties and returns canonical inputs.
    async check(olds: I, news: I) {
      const checked: pulumi.dynamic.CheckResult<Props> = checkInputs(spec, news, olds);
      return checked as pulumi.dynamic.CheckResult<I>;
    },

    async diff(_id: string, olds: O & { __provider?: unknown }, news: I & { __provider?: unknown }) {
      const { changed, replaces } = diffInputs(spec, olds, news);
      // State written before the provider became a reference (provider/implementation.ts) carries the
      // whole implementation: an update with no input change rewrites it, without calling Stripe.
      const newProvider = olds.__provider !== undefined && olds.__provider !== news.__provider;
      // The stack accepts a freeze refresh found: an update (no Stripe call) makes the state forget it.
      const accepted = spec.stripeStatusOf !== undefined && acceptsFreeze(olds, news);
      return { changes: changed.length > 0 || newProvider || accepted, replaces };
    },

    async create(raw: I) {
      const inputs = withoutProvider(raw);
      const settings = resolveSettings();
      // Which Stripe (key and server) the lists of left-behind objects belong to; a hash, never the key.
      const scope = createHash('sha256')
        .update(`${settings.apiBase ?? ''} ${settings.apiKey}`)
        .digest('hex');
      return guarded(actionLabel('create', inputs), async () => {
        const stripe = stripeClient(settings);
        const made = await createOrAdopt(spec, stripe, inputs, scope).catch((error: unknown) => {
          ownedLists().delete(ownedListKey(spec.typeName, inputs.account, scope));
          throw error;
        });
        const object = await awaitUsable(stripe, made.object, inputs);
        return { id: spec.idOf(object, inputs), outs: outputs(inputs, object, { ...made.prior, ...inputs }) };
      });
    },

    async read(id: string, props?: O): Promise<pulumi.dynamic.ReadResult<O>> {
      return guarded(actionLabel('read', props ?? {}, id), async () => {
        if (props === undefined)
          throw new Error('the engine gave no state to read with (pulumi import does not work for dynamic resources)');
        const prior = pickInputs(spec, props);
        const object = await retrieveIfExists(spec, client(), id, prior.account);
        const stripeStatus = object && spec.stripeStatusOf?.(object);
        if (object === undefined || (spec.isDead(object, prior) && stripeStatus === undefined)) return {};
        const inputs = inputsOf(spec, object, prior);
        const freeze = stripeStatus === undefined ? undefined : outOfBandStatusAfterRead(props, stripeStatus);
        return {
          id,
          inputs: inputs as O,
          props: { ...outputs(inputs, object, props), ...(freeze ? { [OUT_OF_BAND_STATUS]: freeze } : {}) },
        };
      });
    },

    async update(id: string, olds: O, raw: I) {
      const news = withoutProvider(raw);
      const undone = spec.stripeStatusOf && undoneByChange(olds, news);
      if (undone) throw new Error(refusal(undone, spec.typeName, id, olds, news));
      // Only the serialized provider changed, or a freeze was accepted (see diff): the outputs stand
      // (less the freeze), Stripe has nothing to do.
      if (diffInputs(spec, olds, news).changed.length === 0) {
        const { [OUT_OF_BAND_STATUS]: _accepted, ...outs } = withoutProvider(olds) as O & { [OUT_OF_BAND_STATUS]?: string };
        return { outs: { ...outs, ...news } as O };
      }
      return guarded(actionLabel('update', news, id), async () => {
        const stripe = client();
        const oldInputs = pickInputs(spec, olds);
        const params = updateParams(spec.fields, oldInputs, news, metadataPatch(metadataOf(olds), news));
        const updated = await spec.update(stripe, id, oldInputs, news, params);
        const object = await awaitUsable(stripe, updated, news);
        return { outs: outputs(news, object, { ...olds, ...news }) };
      });
    },

    async delete(id: string, props: O) {
      await guarded(actionLabel('delete', props, id), async () => {
        const stripe = client();
        await spec.remove(stripe, id, props).catch(async (error) => {
          if (isMissing(error)) return;
          // Stripe refuses to cancel/close/unrequest what already is: that is a successful delete.
          const current = await retrieveIfExists(spec, stripe, id, props.account).catch(() => Promise.reject(error));
          if (current !== undefined && !spec.isDead(current, pickInputs(spec, props))) throw error;
        });
      });
    },
  };
}
