/** A resource spec as the dynamic provider the engine serializes and runs: Pulumi's check, diff, create, read, update, delete. */
import { createHash } from 'node:crypto';
import type * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { stripeClient } from '../client';
import { isMissing, translateError } from '../errors';
import { acceptsFreeze, OUT_OF_BAND_STATUS, outOfBandStatusAfterRead, refusal, undoneByChange } from '../freeze';
import { configureFromStack, resolveSettings } from '../settings';
import { checkInputs, diffInputs, inputsOf, metadataOf, metadataPatch, pickInputs, valueAt, withoutProvider } from './check-diff';
import { createOrAdopt, ownedListKey, ownedLists, retrieveIfExists } from './crash-safe-create';
import { readOutputs, updateParams } from './fields';
import type { BaseInputs, ResourceSpec, TypedProvider } from './spec';

type Props = Record<string, unknown>;

/** Outputs may carry `warnings` (conditions that make the object useless, e.g. cards that cannot authorize). */
function logWarnings<T extends object>(typeName: string, outs: T): T {
  // The provider process has no engine connection: the SDK writes these to stderr, which the CLI shows.
  const log: typeof pulumi.log = require('@pulumi/pulumi').log;
  for (const warning of (valueAt(outs, 'warnings') as string[] | undefined) ?? []) void log.warn(`${typeName}: ${warning}`);
  return outs;
}

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
      // State written before the provider became a reference (provider/engine/compiled-package.ts) carries the
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
