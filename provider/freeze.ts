/**
 * Safety actions taken outside the stack on cards and cardholders: a fraud team freezing a card or a
 * cardholder in the Dashboard (`inactive`), Stripe blocking a cardholder (`blocked`), a card canceled
 * (`canceled`, permanent: Stripe cannot reactivate it). A deploy never undoes them: refresh records what it
 * found, `up` refuses to send `status: active` over a freeze or to issue a canceled card anew, and the
 * refusal names the stack-file edit that accepts it. Pure, shared by the provider (engine/pulumi-adapter.ts) and the
 * reports (scripts/review.ts, scripts/drift.ts), so that the review flags exactly what `up` refuses.
 *
 * Stripe's rules: a card's `canceled` "is permanent" (API reference, Update a card, `status`), "a canceled
 * card cannot be activated again. To replace a canceled card, you must create a new card" (Issuing docs,
 * Managing cards); a cardholder's `blocked` is only in `Issuing.Cardholder.Status`, not in the create or
 * update params (stripe 23.1.0): only Stripe sets it. Stripe does not say whether an API update may lift
 * a block; this project never sends one over it.
 *
 * Only the stack file can accept a freeze, by saying what Stripe has: `status: inactive` (a freeze or a
 * block), `status: canceled` (a card canceled). A reactivation is then an ordinary, reviewed edit of that
 * line back to `active` in a later change; a block only Stripe can lift.
 */

/** What refresh records in the outputs when Stripe holds an object stopped while the stack had it active. */
export const OUT_OF_BAND_STATUS = 'outOfBandStatus';

/** The properties of a card's or cardholder's inputs or outputs these rules read. */
export interface StatusProps {
  status?: string;
  /** Stripe's status (`inactive`, `blocked`) when refresh found the object stopped outside the stack. */
  outOfBandStatus?: string;
  /** A cardholder's status as Stripe reports it, `blocked` included. */
  stripeStatus?: string;
  pulumiStack?: string;
  pulumiName?: string;
  /** Where the stack file declares the object (`issuing.accounts.acme.cardholders.jane.cards.travel`). */
  declaredAt?: string;
}

/**
 * After a refresh: the freeze found in Stripe, or none. A freeze is Stripe's `inactive` or `blocked`
 * where the state had the object active (or already knew of the freeze); it lasts until Stripe has the
 * object active again or the stack accepts it.
 */
export function outOfBandStatusAfterRead(prior: StatusProps, stripeStatus: string): string | undefined {
  if (stripeStatus !== 'inactive' && stripeStatus !== 'blocked') return undefined;
  return prior.outOfBandStatus !== undefined || prior.status === 'active' ? stripeStatus : undefined;
}

/** What a change from `olds` (the state's outputs) to `news` (the stack's inputs) would undo, if anything. */
export type Undone = 'reactivation' | 'reissue';

export function undoneByChange(olds: StatusProps, news: StatusProps): Undone | undefined {
  if (olds.status === 'canceled' && news.status !== 'canceled') return 'reissue';
  const stopped = olds.outOfBandStatus !== undefined || olds.stripeStatus === 'blocked';
  if (stopped && news.status === 'active' && olds.status !== 'active') return 'reactivation';
  return undefined;
}

/** The stack now says what Stripe has (`inactive` over a freeze): the state forgets the freeze. */
export const acceptsFreeze = (olds: StatusProps, news: StatusProps): boolean =>
  olds.outOfBandStatus !== undefined && news.status !== 'active';

/** `stacks/Pulumi.dev.yaml: issuing.accounts.acme.cardholders.jane.cards.travel.status` */
function statusKey(props: StatusProps): string {
  const file = `stacks/Pulumi.${props.pulumiStack ?? '<stack>'}.yaml`;
  return props.declaredAt ? `${file}: ${props.declaredAt}.status` : `${file}: the status of ${props.pulumiName ?? 'this resource'}`;
}

/**
 * Why `up` refuses the change, naming the object and the edit that accepts what Stripe has. `typeName`:
 * `Card` or `Cardholder`; `id`: the Stripe object.
 */
export function refusal(undone: Undone, typeName: string, id: string, olds: StatusProps, news: StatusProps): string {
  const object = `${typeName} ${news.pulumiName ?? ''} (${id})`;
  if (undone === 'reissue') {
    return (
      `${object} was canceled outside the stack, and Stripe cannot reactivate a canceled card; up does not issue a new ` +
      `one in its place. Accept the cancel: set ${statusKey(news)} to canceled. To issue a new card, declare it as a new ` +
      'card entry (a reviewed create).'
    );
  }
  const held = olds.outOfBandStatus ?? olds.stripeStatus;
  const by = held === 'blocked' ? 'blocked by Stripe (only Stripe can lift a block)' : 'frozen outside the stack';
  return (
    `${object} is ${by}: Stripe has it ${held} while the stack says active, and up does not reactivate ` +
    `it. Accept the freeze: set ${statusKey(news)} to inactive. To reactivate, lift the freeze where it was set, or, ` +
    'once the accepted freeze is deployed, set the status back to active in a reviewed change.'
  );
}
