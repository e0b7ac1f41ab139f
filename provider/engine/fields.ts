import type Stripe from 'stripe';
import { compact, sameValue, UNKNOWN } from '../canonical';
import { snake, toStripe } from '../casing';
import { metadata as checkMetadata, type Failures, USER_METADATA_KEYS } from '../validation';

/**
 * Inputs every resource has, which the mechanism checks and compares itself: the connected account,
 * the stack and logical name (Idempotency-Key and `pulumi_stack`/`pulumi_name` metadata), `adoptId` and
 * `declaredAt` (where the stack file declares it, for messages).
 */
export const BASE_KEYS = ['account', 'pulumiStack', 'pulumiName', 'adoptId', 'declaredAt'] as const;
export type BaseKey = (typeof BASE_KEYS)[number];

type Props = Record<string, unknown>;
/** A property of inputs of any resource type (interfaces have no index signature). */
const get = (props: object, key: string): unknown => (props as Props)[key];

/**
 * One input of a resource, declared once: how Stripe lets it change, how it is checked, its default,
 * its canonical spelling, how it is sent and how it reads back. the engine (check-diff.ts, pulumi-adapter.ts) derives the rest (allowed
 * keys, create-only/updatable/unsettable lists, canonical inputs, create and update parameters, the
 * inputs `read` rebuilds). `V` is the input's type.
 */
export interface Field<I, S, V> {
  /** What it is, for people: the docs table (docs/resources.md) and the stack-file schema say it (npm run generate). */
  description: string;
  /** The stack file must give it (docs and schema); `check` enforces it. */
  required?: true;
  /**
   * What a stack file may write for it (a JSON Schema fragment; config/stack.schema.json is generated from
   * it). Absent: the stack file never writes it, the program wires it (a card's cardholder, every `account`).
   */
  schema?: SchemaFragment;
  /** `createOnly`: Stripe cannot change it after create, so a change replaces the object. `updatable`: changed in place. */
  mutability: 'createOnly' | 'updatable';
  /**
   * Pure: failures for the given value (undefined when absent, else its default) at `path`; `inputs`: all
   * of them, for a rule this field has on others (rules of the whole resource go in the spec's `validate`).
   */
  check?(failures: Failures, path: string, value: unknown, inputs: Props): void;
  /** Stripe's value when none is given: canonical inputs carry it, so that a default never shows as a diff. */
  default?: V;
  /** Pure: the canonical spelling of a valid value (sets sorted, defaults inside it filled in, empties dropped). */
  canonical?(value: V): V | undefined;
  /**
   * Stripe's API refuses to remove it once given: `true`, or the fields below it it cannot remove.
   * `check` then fails when the program drops it from a kept object, so `update` never has to.
   */
  unsettable?: true | readonly string[];
  /**
   * The Stripe parameter for a value, given the old one on update (undefined at create). Default: the
   * value with its keys in snake_case; the parameter's name is always the input's name in snake_case.
   */
  param?(value: V | undefined, old: V | undefined): unknown;
  /** What an update sends when the input is removed (Stripe's "empty value" unsets it); without it nothing is sent. */
  empty?: '';
  /** The input as the Stripe object has it now, canonical; values Stripe never returns come from `prior`, the last inputs. */
  read(object: S, prior: I): V | undefined;
}

/** The table of a resource's inputs: every input of `I` but the base ones has exactly one entry. */
export type Fields<I, S> = { [K in Exclude<keyof I, BaseKey> & string]-?: Field<I, S, Exclude<I[K], undefined>> };

/** A JSON Schema fragment (draft-07, ajv strict), `errorMessage` included (config/schema.ts shows it). */
export type SchemaFragment = Record<string, unknown>;

/** One output beyond the inputs, declared once: what it is, and how the Stripe object gives it. */
export interface OutputField<S, I, V> {
  description: string;
  /** `prior`: earlier outputs and the current inputs (for values Stripe shows only once, e.g. a webhook secret). */
  read(object: S, prior: Partial<I> & Props): V;
}

/**
 * A resource's outputs table, typed from its entries: `outputs<S, I>()({ last4: { description, read } })`.
 * The outputs type is `OutputsOf<typeof table>`, so a new output is one entry.
 */
export const outputs =
  <S, I>() =>
  <T extends Record<string, OutputField<S, I, unknown>>>(table: T): T =>
    table;

/** The values an outputs table gives; an entry whose read may give `undefined` is optional. */
export type OutputsOf<T> = {
  [K in keyof T as T[K] extends OutputField<never, never, infer V> ? (undefined extends V ? never : K) : never]: T[K] extends OutputField<
    never,
    never,
    infer V
  >
    ? V
    : never;
} & {
  [K in keyof T as T[K] extends OutputField<never, never, infer V> ? (undefined extends V ? K : never) : never]?: T[K] extends OutputField<
    never,
    never,
    infer V
  >
    ? Exclude<V, undefined>
    : never;
};

/** Every output the table gives for the object (those reading `undefined` left out). */
export function readOutputs<S, I>(table: Record<string, OutputField<S, I, unknown>>, object: S, prior: Partial<I> & Props): Props {
  const read = Object.entries(table).map(([key, output]) => [key, output.read(object, prior)]);
  return Object.fromEntries(read.filter(([, value]) => value !== undefined));
}

const entries = <I, S>(fields: Fields<I, S>) => Object.entries(fields) as [string, Field<I, S, unknown>][];

/** Every input a resource takes: anything else is a typo `check` reports. */
export const allowedKeys = <I, S>(fields: Fields<I, S>): string[] => [...BASE_KEYS, ...Object.keys(fields)];

/** Inputs Stripe cannot change after create: a change replaces the object. */
export const createOnlyKeys = <I, S>(fields: Fields<I, S>): string[] =>
  entries(fields)
    .filter(([, field]) => field.mutability === 'createOnly')
    .map(([key]) => key);

/** Inputs Stripe updates in place. */
export const updatableKeys = <I, S>(fields: Fields<I, S>): string[] =>
  entries(fields)
    .filter(([, field]) => field.mutability === 'updatable')
    .map(([key]) => key);

/** Inputs, or dotted paths below one (e.g. `spendingControls.spendingLimits`), Stripe refuses to unset once given. */
export const unsettablePaths = <I, S>(fields: Fields<I, S>): string[] =>
  entries(fields).flatMap(([key, field]) =>
    field.unsettable === true ? [key] : (field.unsettable ?? []).map((below) => `${key}.${below}`),
  );

/** Pure: every field's own check, in table order, of the value given or else its default. */
export function checkFields<I, S>(fields: Fields<I, S>, news: Props, failures: Failures): void {
  for (const [key, field] of entries(fields)) field.check?.(failures, key, news[key] ?? field.default, news);
}

/**
 * Pure: the canonical spelling of valid inputs, Stripe's defaults filled in and empties dropped. A
 * value unknown until apply stays unknown (there is nothing to sort or fill yet).
 */
export function canonicalFields<I, S>(fields: Fields<I, S>, news: Props): Props {
  const canonical = entries(fields).map(([key, field]) => {
    const value = news[key] ?? field.default;
    if (value === UNKNOWN || value === undefined || !field.canonical) return [key, value];
    return [key, field.canonical(value)];
  });
  return compact(Object.fromEntries(canonical)) ?? {};
}

/** The inputs as the Stripe object has them now (see `Field.read`). */
export function readFields<I, S>(fields: Fields<I, S>, object: S, prior: I): Props {
  const read = entries(fields).map(([key, field]) => [key, field.read(object, prior)]);
  return compact(Object.fromEntries(read)) ?? {};
}

const paramOf = <I, S>(field: Field<I, S, unknown>, value: unknown, old: unknown) =>
  field.param ? field.param(value, old) : toStripe(value);

/**
 * Create parameters: every given input under its Stripe name, and `metadata` (the user's keys with the
 * managed ones) when the resource has metadata. A spec whose Stripe call has another shape ignores them.
 */
export function createParams<I, S>(fields: Fields<I, S>, inputs: object, metadata: Record<string, string>): Props {
  const params: Props = {};
  for (const [key, field] of entries(fields)) {
    const value = get(inputs, key);
    if (key !== 'metadata' && value !== undefined) params[snake(key)] = paramOf(field, value, undefined);
  }
  return 'metadata' in fields ? { ...params, metadata } : params;
}

/**
 * Update parameters: the updatable inputs that changed, a removed one as its `empty` value (or not at
 * all: `check` refuses removing what Stripe cannot unset), and the metadata patch when the resource has
 * metadata.
 */
export function updateParams<I, S>(fields: Fields<I, S>, olds: object, news: object, metadata: Record<string, string>): Props {
  const params: Props = {};
  for (const [key, field] of entries(fields)) {
    const [old, value] = [get(olds, key), get(news, key)];
    if (key === 'metadata' || field.mutability !== 'updatable' || sameValue(old, value)) continue;
    if (value !== undefined || field.param) params[snake(key)] = paramOf(field, value, old);
    else if (field.empty !== undefined) params[snake(key)] = field.empty;
  }
  return 'metadata' in fields ? { ...params, metadata } : params;
}

/** The user's part of Stripe metadata: the provider's own keys dropped. */
export function userMetadata(stripeMetadata: Record<string, string> | null | undefined): Record<string, string> {
  const user = { ...(stripeMetadata ?? {}) };
  delete user.pulumi_stack;
  delete user.pulumi_name;
  return user;
}

/** `metadata`, the same on every object that has it: the mechanism sends it as a patch (removed keys as ''). */
export const metadataField = <I, S extends { metadata: Stripe.Metadata | null }>(): Field<I, S, Record<string, string>> => ({
  description: `Your keys: at most ${USER_METADATA_KEYS} (pulumi_stack and pulumi_name are the provider's). A key removed here is removed in Stripe.`,
  schema: { $ref: '#/definitions/metadata' },
  mutability: 'updatable',
  check: checkMetadata,
  read: (object) => userMetadata(object.metadata),
});
