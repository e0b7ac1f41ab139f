/** Pure `check` and `diff` of any resource type, from its spec's field table: tested without a server. */
import type * as pulumi from '@pulumi/pulumi';
import { containsUnknown, sameValue } from '../canonical';
import { accountId, type Failures, requireString, stripeId, unknownKeys } from '../validation';
import { allowedKeys, canonicalFields, checkFields, createOnlyKeys, readFields, unsettablePaths, updatableKeys } from './fields';
import type { BaseInputs, ResourceSpec } from './spec';

/** Inputs Stripe's object cannot tell, kept from earlier inputs: never a reason to update or replace. */
const CREATE_TIME_KEYS = ['pulumiStack', 'pulumiName', 'adoptId', 'declaredAt'] as const;

type Props = Record<string, unknown>;
type Metadata = Record<string, string>;

export const managedMetadata = (inputs: BaseInputs) => ({ pulumi_stack: inputs.pulumiStack, pulumi_name: inputs.pulumiName });

/** The user's metadata input of any resource's inputs (none on types without metadata). */
export const metadataOf = (inputs: object): Metadata | undefined => (inputs as { metadata?: Metadata }).metadata;

/** The metadata patch: desired keys, managed keys, and '' for every key to remove. */
export function metadataPatch(oldUser: Metadata | undefined, inputs: BaseInputs & { metadata?: Metadata }): Metadata {
  const patch: Metadata = { ...metadataOf(inputs), ...managedMetadata(inputs) };
  for (const key of Object.keys(oldUser ?? {})) if (!(key in patch)) patch[key] = '';
  return patch;
}

/** The value at `path` (`a.b`, `a[0].b`) of inputs or outputs. */
export function valueAt(root: object, path: string): unknown {
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
export function identityOf(props: object): Props {
  const keys = ['account', ...CREATE_TIME_KEYS];
  return Object.fromEntries(keys.filter((k) => valueAt(props, k) !== undefined).map((k) => [k, valueAt(props, k)]));
}

/** The inputs among outputs (or among inputs with the engine's `__provider`). */
export function pickInputs<I extends BaseInputs, O extends I, S>(spec: ResourceSpec<I, O, S>, props: O | I): I {
  const picked: Partial<I> = {};
  for (const key of allowedOf(spec) as (keyof I & string)[]) if (props[key] !== undefined) picked[key] = props[key];
  return picked as I;
}

/** The inputs as the Stripe object has them now: identity from `prior`, the rest read back through `fields`. */
export function inputsOf<I extends BaseInputs, O extends I, S>(spec: ResourceSpec<I, O, S>, object: S, prior: I): I {
  const read: Props = { ...identityOf(prior), ...readFields(spec.fields, object, prior) };
  return read as I;
}

/**
 * The engine hands the serialized provider along with the inputs as `__provider` (and adds it back to
 * the outputs itself): it is neither a user argument nor a fact for idempotency keys.
 */
export function withoutProvider<T extends object>(props: T): T {
  const { __provider: _provider, ...rest } = props as T & { __provider?: unknown };
  return rest as T;
}
