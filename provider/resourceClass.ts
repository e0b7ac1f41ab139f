import * as pulumi from '@pulumi/pulumi';

/** Type tokens are `pulumi-nodejs:dynamic/stripe-issuing:<Type>`. */
export const MODULE = 'stripe-issuing';

/**
 * The props a resource class hands to `pulumi.dynamic.Resource`: outputs seeded as undefined (so
 * they appear on the class), the arguments, and the hidden create-time inputs naming stack and
 * logical name (idempotency keys and `pulumi_stack`/`pulumi_name` metadata).
 */
export function resourceProps(name: string, args: object, outputNames: readonly string[]): pulumi.Inputs {
  const seeded = Object.fromEntries(outputNames.map((output) => [output, undefined]));
  return { ...seeded, ...args, pulumiStack: pulumi.getStack(), pulumiName: name };
}
