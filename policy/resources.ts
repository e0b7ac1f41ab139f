/**
 * The pack's view of a stack: plain data the rules judge, so that each rule is a pure function of it
 * (test/unit/policy/). index.ts builds it from what @pulumi/policy hands a stack validation.
 */

/** The type tokens of the project's dynamic resources (provider/engine/resource-class.ts). */
export const TYPE_PREFIX = 'pulumi-nodejs:dynamic/stripe-issuing:';

/** A resource the program declares, with the inputs the engine passed the pack. */
export interface DeclaredResource {
  urn: string;
  /** The short type: `Card`, `Cardholder`, … (the registry's names, provider/resources/registry.ts). */
  type: string;
  name: string;
  /** Inputs as the engine sent them, secrets unwrapped; a value not known during preview is UNKNOWN. */
  inputs: Record<string, unknown>;
  /** Dotted paths of the inputs that are Pulumi secrets (`individual.dob`, `email`). */
  secretPaths: ReadonlySet<string>;
  protect: boolean;
  /** URNs of the resources it depends on (a card on its cardholder). */
  dependencies: readonly string[];
}

/** A resource of the stack's last checkpoint (`pulumi stack export`). */
export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  retainOnDelete: boolean;
}

/** What a rule reports: the resource it is about (none: the stack) and a message a reviewer can act on. */
export interface Violation {
  urn?: string;
  message: string;
}

/** The stack's settings the rules read (its config `stripe-issuing:mode` and `stripe-issuing:demo`). */
export interface StackSettings {
  live: boolean;
  /** A demo of fictional people (test mode only), the one kind of stack that may keep personal data in plain text. */
  demo: boolean;
}

/** Pulumi's wire value for "not known until the update runs" (@pulumi/pulumi runtime/rpc `unknownValue`). */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

export const shortType = (token: string): string | undefined =>
  token.startsWith(TYPE_PREFIX) ? token.slice(TYPE_PREFIX.length) : undefined;

/** `urn:pulumi:dev::stripe-issuing::pulumi-nodejs:dynamic/stripe-issuing:Card::acme-jane-travel` → `acme-jane-travel`. */
export const nameOfUrn = (urn: string): string => urn.slice(urn.lastIndexOf('::') + 2);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function valueAt(props: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), props);
}

export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  return isRecord(value) && Object.values(value).some(containsUnknown);
}

/** Where the stack file declares a resource, for a message that names the edit (`issuing.accounts.acme.cardholders.jane`). */
export function whereDeclared(resource: { type: string; name: string; inputs: Record<string, unknown> }): string {
  const at = resource.inputs.declaredAt;
  return typeof at === 'string' && at !== UNKNOWN ? `${resource.type} ${resource.name} (${at})` : `${resource.type} ${resource.name}`;
}
