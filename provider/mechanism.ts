import { createHash } from 'node:crypto';
import type * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { containsUnknown, sameValue } from './canonical';
import { stripeClient } from './client';
import { cannotUnset, isMissing, translateError } from './errors';
import { idempotencyKey, keyAfterDeadObject, keyAfterFailure, replayedClientFailure, wasReplayed } from './idempotency';
import { configureFromStack, resolveSettings } from './settings';
import { Failures, accountId, metadata as checkMetadata, requireString, stripeId } from './validation';

/** Inputs every resource has: the connected account, plus hidden inputs the resource class adds. */
export interface BaseInputs {
  account: string;
  /** Stack and logical name: feed the Idempotency-Key and the `pulumi_stack`/`pulumi_name` metadata. */
  pulumiStack: string;
  pulumiName: string;
  /** ID of an existing Stripe object to take over instead of creating one. */
  adoptId?: string;
  metadata?: Record<string, string>;
}

/** Inputs that only matter at create: never a reason to update or replace. */
const CREATE_TIME_KEYS = ['pulumiStack', 'pulumiName', 'adoptId'] as const;

type Props = Record<string, unknown>;

/** What one resource type contributes; everything else (client, keys, errors, diff, read) is shared. */
export interface ResourceSpec<I extends BaseInputs, S> {
  typeName: string;
  /** True for objects that may live on the platform itself (no `account`). */
  accountOptional?: boolean;
  /**
   * Prefix of the Stripe IDs `adoptId` may name (e.g. `ic_`). Without it the type takes no `adoptId`:
   * its create already takes over what exists (requesting a capability or feature already requested).
   */
  idPrefix?: string;
  /** Inputs Stripe cannot change after create: a change replaces the object. */
  createOnly: readonly (keyof I & string)[];
  /** Inputs Stripe updates in place. */
  updatable: readonly (keyof I & string)[];
  /**
   * Updatable inputs (or dotted paths below one, e.g. `spendingControls.spendingLimits`) Stripe refuses
   * to unset once given: `check` fails when the program drops one the old inputs had (unless the change
   * replaces the object), so `update` never sees such a removal.
   */
  unsettable?: readonly ((keyof I & string) | `${keyof I & string}.${string}`)[];
  /** Pure: push failures with exact property paths; `account`, hidden inputs and metadata are checked for you. */
  validate(news: Props, failures: Failures): void;
  /** Pure: the canonical spelling of valid inputs (Stripe's defaults filled in, sets sorted). */
  canonicalize(news: Props): Props;
  /** One call; `metadata` already holds the managed keys. */
  create(stripe: Stripe, inputs: I, metadata: Record<string, string>, idempotencyKey: string): Promise<Stripe.Response<S>>;
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
  /** The spec's inputs as Stripe has them now (write-only fields taken from `prior`). */
  inputsOf(object: S, prior: I): Props;
  /** Outputs beyond the inputs. `prior`: earlier outputs and the current inputs (for values Stripe shows only once). */
  outputsOf(object: S, prior: Props): Props;
  /** Brings the object from `olds` to `news`; `metadata` is the patch to send (removed keys as ''). */
  update(stripe: Stripe, id: string, olds: I, news: I, metadata: Record<string, string>): Promise<S>;
  /** Optional: wait until the object is usable (e.g. a capability `active`); runs after create and update. */
  settle?(stripe: Stripe, object: S, inputs: I): Promise<S>;
  /** Stripe's notion of deleting this object; a missing object counts as deleted. */
  remove(stripe: Stripe, id: string, props: I & Props): Promise<void>;
}

const managedMetadata = (inputs: BaseInputs) => ({ pulumi_stack: inputs.pulumiStack, pulumi_name: inputs.pulumiName });

/** The metadata patch: desired keys, managed keys, and '' for every key to remove. */
export function metadataPatch(oldUser: Record<string, string> | undefined, inputs: BaseInputs): Record<string, string> {
  const patch: Record<string, string> = { ...inputs.metadata, ...managedMetadata(inputs) };
  for (const key of Object.keys(oldUser ?? {})) if (!(key in patch)) patch[key] = '';
  return patch;
}

/** Splits Stripe metadata into the user's part (an input) and drops the provider's own keys. */
export function userMetadata(stripeMetadata: Record<string, string> | null | undefined): Record<string, string> {
  const user = { ...(stripeMetadata ?? {}) };
  delete user.pulumi_stack;
  delete user.pulumi_name;
  return user;
}

function valueAt(root: unknown, path: string): unknown {
  return path
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== '')
    .reduce<unknown>((value, part) => (value as Props | undefined)?.[part], root);
}

/**
 * Pure `check`: failures with paths (ignoring values unknown until apply), else canonical inputs.
 * `olds` are the inputs of the last deployment (none at create): removing an `unsettable` input they
 * had fails here, before any Stripe call of the `up`, rather than halfway through it in `update`.
 */
export function checkInputs<I extends BaseInputs, S>(spec: ResourceSpec<I, S>, inputs: Props, olds: Props = {}): pulumi.dynamic.CheckResult {
  const news = withoutProvider(inputs);
  const failures: Failures = [];
  if (!(spec.accountOptional && news.account === undefined)) accountId(failures, 'account', news.account);
  requireString(failures, 'pulumiStack', news.pulumiStack);
  requireString(failures, 'pulumiName', news.pulumiName);
  if (spec.idPrefix !== undefined) stripeId(failures, 'adoptId', news.adoptId, spec.idPrefix, false);
  else if (news.adoptId !== undefined) {
    failures.push({
      property: 'adoptId',
      reason: `${spec.typeName} does not take adoptId: declaring it takes over what already exists in Stripe ` +
        '(requesting what is already requested changes nothing); remove adoptId',
    });
  }
  if (spec.updatable.includes('metadata' as keyof I & string)) checkMetadata(failures, 'metadata', news.metadata);
  spec.validate(news, failures);
  const real = failures.filter((f) => !containsUnknown(valueAt(news, f.property)));
  if (real.length > 0) return { inputs: news, failures: real };
  const canonical = { ...spec.canonicalize(news), ...identityOf(news) };
  const removed = unsetFailures(spec, withoutProvider(olds), canonical);
  if (removed.length > 0) return { inputs: news, failures: removed };
  return { inputs: canonical };
}

/** Unsettable inputs the old inputs had and the new canonical ones drop, on an object that is kept. */
function unsetFailures<I extends BaseInputs, S>(spec: ResourceSpec<I, S>, olds: Props, news: Props): Failures {
  const dropped = (spec.unsettable ?? []).filter((key) =>
    valueAt(olds, key) !== undefined && valueAt(news, key) === undefined && !containsUnknown(news[key.split('.')[0]]));
  // A replacement creates a new object, which simply never gets the field: nothing is unset.
  if (dropped.length === 0 || diffInputs(spec, olds, news).replaces.length > 0) return [];
  return dropped.map((key) => {
    const old = valueAt(olds, key);
    const keep = typeof old === 'object' && old !== null && !Array.isArray(old) ? 'keep at least one of its fields' : 'keep a value';
    return {
      property: key,
      reason: `was set and Stripe cannot unset it (its API refuses to remove ${key} from a ${spec.typeName} once given): ` +
        `${keep}, or replace the ${spec.typeName}`,
    };
  });
}

/** Pure `diff`: which inputs changed, and which of those Stripe can only set at create. */
export function diffInputs<I extends BaseInputs, S>(spec: ResourceSpec<I, S>, olds: Props, news: Props) {
  const changed = ['account', ...spec.createOnly, ...spec.updatable].filter(
    (key) => containsUnknown(news[key]) || !sameValue(olds[key], news[key]),
  );
  const replaces = changed.filter((key) => key === 'account' || (spec.createOnly as readonly string[]).includes(key));
  return { changed, replaces };
}

/** `account` and the create-time facts of earlier inputs: what Stripe's object cannot tell. */
function identityOf(props: Props): Props {
  const keys = ['account', ...CREATE_TIME_KEYS];
  return Object.fromEntries(keys.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]));
}

function pickInputs<I extends BaseInputs, S>(spec: ResourceSpec<I, S>, props: Props): I {
  const keys = ['account', ...CREATE_TIME_KEYS, ...spec.createOnly, ...spec.updatable];
  return Object.fromEntries(keys.filter((k) => props[k] !== undefined).map((k) => [k, props[k]])) as unknown as I;
}

/**
 * Who else manages an object, as its `pulumi_stack`/`pulumi_name` metadata says; undefined when the
 * metadata names these inputs or nobody (an object made outside Pulumi).
 */
function ownerElsewhere(stripeMetadata: Record<string, string> | null | undefined, inputs: BaseInputs): string | undefined {
  const stack = stripeMetadata?.pulumi_stack || undefined;
  const name = stripeMetadata?.pulumi_name || undefined;
  if (stack === undefined && name === undefined) return undefined;
  if (stack === inputs.pulumiStack && name === inputs.pulumiName) return undefined;
  return `stack "${stack ?? '(none)'}" as "${name ?? '(none)'}"`;
}

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
function ownedList<I extends BaseInputs, S>(spec: ResourceSpec<I, S>, stripe: Stripe, inputs: I, scope: string): Promise<S[]> {
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
async function findOwned<I extends BaseInputs, S>(spec: ResourceSpec<I, S>, stripe: Stripe, inputs: I, scope: string): Promise<S | undefined> {
  if (!spec.listOwned) return undefined;
  const owned = (await ownedList(spec, stripe, inputs, scope)).filter((object) => {
    const stripeMetadata = (object as { metadata?: Record<string, string> | null }).metadata;
    if (stripeMetadata?.pulumi_stack !== inputs.pulumiStack || stripeMetadata?.pulumi_name !== inputs.pulumiName) return false;
    const actual = { ...identityOf(inputs as unknown as Props), ...spec.inputsOf(object, inputs) };
    return !spec.isDead(object, inputs) && diffInputs(spec, actual, inputs as unknown as Props).replaces.length === 0;
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

/** Create attempts per `create`: the first key and up to this many minus one derived from replays. */
const CREATE_ROUNDS = 10;

// Create, or take over `adoptId` or what an interrupted create left (findOwned), and in all cases end
// with the object matching the inputs.
async function createOrAdopt<I extends BaseInputs, S>(spec: ResourceSpec<I, S>, stripe: Stripe, inputs: I, scope: string) {
  const reconcile = async (current: S, prior: Props) => {
    const actual = { ...identityOf(inputs as unknown as Props), ...spec.inputsOf(current, inputs) } as unknown as I;
    const { changed, replaces } = diffInputs(spec, actual as unknown as Props, inputs as unknown as Props);
    if (replaces.length > 0) {
      throw new Error(
        `${spec.typeName} ${spec.idOf(current, inputs)} differs in fields Stripe cannot change (${replaces.join(', ')}); ` +
          'make the arguments match the existing object or drop adoptId to create a new one',
      );
    }
    const stripeMetadata = (current as { metadata?: Record<string, string> }).metadata;
    const managedMissing = stripeMetadata !== undefined && !sameValue(
      { pulumi_stack: stripeMetadata.pulumi_stack, pulumi_name: stripeMetadata.pulumi_name }, managedMetadata(inputs));
    const id = spec.idOf(current, inputs);
    // What `check` refuses for a deployed object: the arguments may not drop what the object has.
    const kept = (spec.unsettable ?? []).filter((key) => valueAt(actual, key) !== undefined && valueAt(inputs, key) === undefined);
    if (kept.length > 0) throw cannotUnset(`${spec.typeName} ${id}`, kept.join(', '));
    if (changed.length === 0 && !managedMissing) return { object: current, prior };
    return { object: await spec.update(stripe, id, actual, inputs, metadataPatch(actual.metadata, inputs)), prior };
  };

  if (inputs.adoptId) {
    const current = await spec.retrieve(stripe, inputs.adoptId, inputs.account);
    if (spec.isDead(current, inputs)) throw new Error(`cannot adopt ${inputs.adoptId}: it is no longer usable (canceled, closed or unrequested)`);
    const owner = ownerElsewhere((current as { metadata?: Record<string, string> | null }).metadata, inputs);
    if (owner) {
      throw new Error(
        `cannot adopt ${inputs.adoptId}: its metadata says it is managed by ${owner}, not by stack ` +
          `"${inputs.pulumiStack}" as "${inputs.pulumiName}"; two stacks or resources must not manage one object ` +
          '(remove it from the other, or clear its pulumi_stack/pulumi_name metadata, before adopting it here)',
      );
    }
    return reconcile(current, {});
  }
  const left = await findOwned(spec, stripe, inputs, scope);
  if (left !== undefined) {
    return reconcile(left, {});
  }
  const { adoptId: _ignored, ...facts } = inputs;
  let key = idempotencyKey({ type: spec.typeName, ...facts });
  const metadata = { ...inputs.metadata, ...managedMetadata(inputs) };
  // Each round either returns or moves past one dead object or one stored failure (see
  // provider/idempotency.ts); a few rounds cover any real history within the 24 h Stripe keeps keys.
  let lastFailure: Record<string, unknown> | undefined;
  for (let round = 0; round < CREATE_ROUNDS; round++) {
    let created: Stripe.Response<S>;
    try {
      created = await spec.create(stripe, inputs, metadata, key);
    } catch (error) {
      // A first-time failure is the answer; a replayed one may be out of date: try again under a new key.
      lastFailure = replayedClientFailure(error);
      if (lastFailure === undefined) throw error;
      key = keyAfterFailure(key, lastFailure);
      continue;
    }
    lastFailure = undefined;
    if (!wasReplayed(created)) return { object: created as S, prior: {} };
    // A replay returns the first response, not the object as it is now: look at it.
    const id = spec.idOf(created, inputs);
    const current = await spec.retrieve(stripe, id, inputs.account).catch((e) => {
      if (isMissing(e)) return undefined;
      throw e;
    });
    if (current !== undefined && !spec.isDead(current, inputs)) {
      return reconcile(current, spec.outputsOf(created, {}));
    }
    key = keyAfterDeadObject(key, id);
  }
  throw new Error(
    `Stripe replayed ${CREATE_ROUNDS} earlier outcomes (dead objects or failures) for this resource's idempotency keys` +
      `${lastFailure ? `, the last a failure: ${String(lastFailure.message)}` : ''}; ` +
      'Stripe forgets keys after 24 hours, or change an input to start a new key chain',
  );
}

/** Outputs may carry `warnings` (conditions that make the object useless, e.g. cards that cannot authorize). */
function logWarnings(typeName: string, outs: Props): Props {
  // The provider process has no engine connection: the SDK writes these to stderr, which the CLI shows.
  const log: typeof pulumi.log = require('@pulumi/pulumi').log;
  for (const warning of (outs.warnings as string[] | undefined) ?? []) void log.warn(`${typeName}: ${warning}`);
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

/** Turns a resource spec into the dynamic provider the engine serializes and runs. */
export function makeProvider<I extends BaseInputs, S>(spec: ResourceSpec<I, S>): pulumi.dynamic.ResourceProvider {
  const client = () => stripeClient(resolveSettings());
  const actionLabel = (verb: string, props: Props, id?: string) =>
    `${spec.typeName} ${String(props.pulumiName ?? '')}${id ? ` (${id})` : ''}: ${verb} failed`;
  const guarded = async <T>(action: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw translateError(action, error);
    }
  };

  return {
    configure: configureFromStack,

    async check(olds: Props, news: Props) {
      return checkInputs(spec, news, olds);
    },

    async diff(_id: string, olds: Props, news: Props) {
      const { changed, replaces } = diffInputs(spec, olds, news);
      // State written before the provider became a reference (provider/implementation.ts) carries the
      // whole implementation: an update with no input change rewrites it, without calling Stripe.
      const newProvider = olds.__provider !== undefined && olds.__provider !== news.__provider;
      return { changes: changed.length > 0 || newProvider, replaces };
    },

    async create(raw: I) {
      const inputs = withoutProvider(raw);
      const settings = resolveSettings();
      // Which Stripe (key and server) the lists of left-behind objects belong to; a hash, never the key.
      const scope = createHash('sha256').update(`${settings.apiBase ?? ''} ${settings.apiKey}`).digest('hex');
      return guarded(actionLabel('create', inputs as unknown as Props), async () => {
        const stripe = stripeClient(settings);
        const made = await createOrAdopt(spec, stripe, inputs, scope).catch((error: unknown) => {
          ownedLists().delete(ownedListKey(spec.typeName, inputs.account, scope));
          throw error;
        });
        const object = spec.settle ? await spec.settle(stripe, made.object, inputs) : made.object;
        const prior = made.prior;
        return { id: spec.idOf(object, inputs), outs: logWarnings(spec.typeName, { ...inputs, ...spec.outputsOf(object, { ...prior, ...inputs }) }) };
      });
    },

    async read(id: string, props: I & Props) {
      return guarded(actionLabel('read', props, id), async () => {
        const prior = pickInputs(spec, props as Props);
        const object = await spec.retrieve(client(), id, prior.account).catch((e) => {
          if (isMissing(e)) return undefined;
          throw e;
        });
        if (object === undefined || spec.isDead(object, prior)) return {};
        const inputs = { ...identityOf(prior as unknown as Props), ...spec.inputsOf(object, prior) };
        return { id, inputs, props: logWarnings(spec.typeName, { ...inputs, ...spec.outputsOf(object, props) }) };
      });
    },

    async update(id: string, olds: I & Props, raw: I) {
      const news = withoutProvider(raw);
      // Only the serialized provider changed (see diff): the outputs stand, Stripe has nothing to do.
      if (diffInputs(spec, olds, news as unknown as Props).changed.length === 0) return { outs: { ...withoutProvider(olds), ...news } };
      return guarded(actionLabel('update', news as unknown as Props, id), async () => {
        const stripe = client();
        const updated = await spec.update(stripe, id, pickInputs(spec, olds as Props), news, metadataPatch(olds.metadata, news));
        const object = spec.settle ? await spec.settle(stripe, updated, news) : updated;
        return { outs: logWarnings(spec.typeName, { ...news, ...spec.outputsOf(object, { ...olds, ...news }) }) };
      });
    },

    async delete(id: string, props: I & Props) {
      await guarded(actionLabel('delete', props, id), async () => {
        const stripe = client();
        await spec.remove(stripe, id, props).catch(async (error) => {
          if (isMissing(error)) return;
          // Stripe refuses to cancel/close/unrequest what already is: that is a successful delete.
          const current = await spec.retrieve(stripe, id, props.account).catch((e) => (isMissing(e) ? undefined : Promise.reject(error)));
          if (current !== undefined && !spec.isDead(current, pickInputs(spec, props as Props))) throw error;
        });
      });
    },
  };
}
