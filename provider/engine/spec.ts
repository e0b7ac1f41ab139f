/**
 * The contract between the engine and a resource type: what each type's file declares (its inputs, field
 * table, outputs table and Stripe calls); everything else (check, diff, the crash-safe create, the Pulumi
 * adapter) is shared and lives beside this file.
 */
import type * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import type { Failures } from '../validation';
import type { Fields, OutputField } from './fields';

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

type Props = Record<string, unknown>;
/**
 * Parameters of a Stripe request, snake_case, as `fields.ts` derives them from the inputs at run time;
 * each spec names the `stripe` parameter type it sends them as.
 */
// biome-ignore lint/suspicious/noExplicitAny: built from the field table at run time; each spec casts it to its `stripe` params type
export type StripeParams = Record<string, any>;

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

/** A dynamic provider typed by the inputs and outputs of its resource (Pulumi's own interface is generic). */
export type TypedProvider<I, O> = pulumi.dynamic.ResourceProvider<I, O>;
