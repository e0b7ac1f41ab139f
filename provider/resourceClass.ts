import * as pulumi from '@pulumi/pulumi';

/** Type tokens are `pulumi-nodejs:dynamic/stripe-issuing:<Type>`. */
export const MODULE = 'stripe-issuing';

/** A resource's arguments: each input may be a `pulumi.Input` (a value, a promise or an output). */
export type In<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/**
 * The props a resource class hands to `pulumi.dynamic.Resource`: outputs seeded as undefined (so
 * they appear on the class), the arguments, and the hidden create-time inputs naming stack and
 * logical name (idempotency keys and `pulumi_stack`/`pulumi_name` metadata).
 */
export function resourceProps(name: string, args: object, outputNames: readonly string[]): pulumi.Inputs {
  const seeded = Object.fromEntries(outputNames.map((output) => [output, undefined]));
  return { ...seeded, ...args, pulumiStack: pulumi.getStack(), pulumiName: name };
}
