import * as pulumi from '@pulumi/pulumi';
import type { ResourceType } from '../resources/registry';
import { implementationOf } from './compiled-package';
import { makeProvider } from './pulumi-adapter';
import type { BaseInputs, ResourceSpec, TypedProvider } from './spec';

/** Type tokens are `pulumi-nodejs:dynamic/stripe-issuing:<Type>`. */
export const MODULE = 'stripe-issuing';

/** A resource's arguments: each input may be a `pulumi.Input` (a value, a promise or an output). */
export type In<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** A resource object: every input and output as a `pulumi.Output`. */
export type ResourceOf<O> = pulumi.dynamic.Resource & { readonly [K in keyof O]-?: pulumi.Output<O[K]> };

/** A resource class: `new Card(name, args, opts?)`. */
export type ResourceClass<A, O> = new (name: string, args: A, opts?: pulumi.CustomResourceOptions) => ResourceOf<O>;

/**
 * The props a resource class hands to `pulumi.dynamic.Resource`: every input and output seeded as
 * undefined (so they appear on the object; undefined is never sent), the arguments, and the hidden
 * create-time inputs naming stack and logical name (idempotency keys and `pulumi_stack`/`pulumi_name` metadata).
 */
export function resourceProps(name: string, args: object, outputNames: readonly string[]): pulumi.Inputs {
  const seeded = Object.fromEntries(outputNames.map((output) => [output, undefined]));
  return { ...seeded, ...args, pulumiStack: pulumi.getStack(), pulumiName: name };
}

/** What a resource type is, for everything that is not the provider: the registry (registry.ts) lists these. */
export interface Registration<I extends BaseInputs, O extends I, S, A> {
  spec: ResourceSpec<I, O, S>;
  /** The object the engine runs; the compiled package's entry for this type exports it (implementation.ts). */
  provider: TypedProvider<I, O>;
  Class: ResourceClass<A, O>;
  /** Steps a reviewer must see (scripts/review.ts flags them): what deleting or replacing it does that cannot be undone. */
  irreversible?: Partial<Record<'delete' | 'replace', string>>;
}

export interface RegisterOptions<A> {
  irreversible?: Partial<Record<'delete' | 'replace', string>>;
  /** Rewrites the arguments before they go to the engine (e.g. personal data made secret). */
  prepareArgs?(args: A): A;
  /** Outputs that are Pulumi secrets. */
  secretOutputs?: readonly string[];
  /** Outputs the provider adds itself (the freeze a refresh found, provider/freeze.ts). */
  extraOutputs?: readonly string[];
}

/**
 * A resource type from its spec: the provider the engine runs and the class programs declare. Every
 * input and every output of the spec's tables is a property of the class: a new one is one table entry.
 */
export function register<I extends BaseInputs, O extends I, S, A extends object>(
  spec: ResourceSpec<I, O, S>,
  options: RegisterOptions<A> = {},
): Registration<I, O, S, A> {
  const type = spec.typeName as ResourceType;
  const names = [...Object.keys(spec.fields), ...Object.keys(spec.outputs), ...(options.extraOutputs ?? [])];
  const secretOutputs = options.secretOutputs ?? [];
  const Class = class extends pulumi.dynamic.Resource {
    constructor(name: string, args: A, opts?: pulumi.CustomResourceOptions) {
      const prepared = options.prepareArgs ? options.prepareArgs(args) : args;
      const secretOpts =
        secretOutputs.length > 0
          ? { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secretOutputs] }
          : opts;
      super(implementationOf(type), name, resourceProps(name, prepared, names), secretOpts, MODULE, type);
    }
  };
  Object.defineProperty(Class, 'name', { value: type });
  return {
    spec,
    provider: makeProvider(spec),
    Class: Class as unknown as ResourceClass<A, O>,
    ...(options.irreversible ? { irreversible: options.irreversible } : {}),
  };
}
