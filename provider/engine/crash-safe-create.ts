/**
 * `create` that never makes a second object: adopt what `adoptId` names, take over what an interrupted
 * create left (found by its metadata), else create under an Idempotency-Key chain (provider/idempotency.ts).
 */
import type Stripe from 'stripe';
import { sameValue } from '../canonical';
import { cannotUnset, isMissing } from '../errors';
import { idempotencyKey, keyAfterDeadObject, keyAfterFailure, replayedClientFailure, wasReplayed } from '../idempotency';
import { diffInputs, inputsOf, managedMetadata, metadataOf, metadataPatch, unsettableOf, valueAt } from './check-diff';
import { createParams, readOutputs, updateParams } from './fields';
import type { BaseInputs, ResourceSpec } from './spec';

type Props = Record<string, unknown>;
type Metadata = Record<string, string>;

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
export const ownedLists = () => ((globalThis as OwnedLists)[OWNED_LISTS] ??= new Map());
export const ownedListKey = (typeName: string, account: string | undefined, scope: string) => `${scope} ${typeName} ${account ?? ''}`;

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
export async function retrieveIfExists<I extends BaseInputs, O extends I, S>(
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
export async function createOrAdopt<I extends BaseInputs, O extends I, S>(
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
