import { expect } from 'chai';
import { acceptsFreeze, outOfBandStatusAfterRead, refusal, undoneByChange } from '../../../provider/freeze';
import { cardProvider } from '../../../provider/resources/card';
import { cardholderProvider } from '../../../provider/resources/cardholder';

const identity = {
  account: 'acct_1Test',
  pulumiStack: 'prod',
  pulumiName: 'acme-jane-travel',
  declaredAt: 'issuing.accounts.acme.cardholders.jane.cards.travel',
};
const card = { ...identity, cardholder: 'ich_1', currency: 'usd', type: 'virtual', status: 'active' };
const failureOf = async (run: () => Promise<unknown>) =>
  run().then(
    () => '',
    (error: Error) => error.message,
  );

describe('freezes outside the stack: a deploy never undoes them (provider/freeze.ts)', () => {
  it('refresh records inactive or blocked found where the state had the object active, until Stripe lifts it', () => {
    expect(outOfBandStatusAfterRead({ status: 'active' }, 'inactive')).to.equal('inactive');
    expect(outOfBandStatusAfterRead({ status: 'active' }, 'blocked')).to.equal('blocked');
    // Already known (a second refresh reads the state the first wrote): still frozen.
    expect(outOfBandStatusAfterRead({ status: 'inactive', outOfBandStatus: 'inactive' }, 'inactive')).to.equal('inactive');
    expect(outOfBandStatusAfterRead({ status: 'inactive', outOfBandStatus: 'inactive' }, 'active')).to.equal(undefined);
    // What the stack itself declared inactive is no freeze; a cancel is the card's status, not a freeze.
    expect(outOfBandStatusAfterRead({ status: 'inactive' }, 'inactive')).to.equal(undefined);
    expect(outOfBandStatusAfterRead({ status: 'active' }, 'canceled')).to.equal(undefined);
  });

  it('a change undoes a freeze only by asking for active, and a cancel by asking for anything but canceled', () => {
    const frozen = { status: 'inactive', outOfBandStatus: 'inactive' };
    expect(undoneByChange(frozen, { status: 'active' })).to.equal('reactivation');
    expect(undoneByChange(frozen, { status: 'inactive' })).to.equal(undefined);
    expect(undoneByChange({ status: 'inactive', stripeStatus: 'blocked' }, { status: 'active' })).to.equal('reactivation');
    expect(undoneByChange({ status: 'canceled' }, { status: 'active' })).to.equal('reissue');
    expect(undoneByChange({ status: 'canceled' }, { status: 'inactive' })).to.equal('reissue');
    expect(undoneByChange({ status: 'canceled' }, { status: 'canceled' })).to.equal(undefined);
    // The stack's own inactive, then active in a later change: an ordinary reviewed activation.
    expect(undoneByChange({ status: 'inactive' }, { status: 'active' })).to.equal(undefined);
    expect(acceptsFreeze(frozen, { status: 'inactive' })).to.equal(true);
    expect(acceptsFreeze(frozen, { status: 'active' })).to.equal(false);
    expect(acceptsFreeze({ status: 'inactive' }, { status: 'inactive' })).to.equal(false);
  });

  it('the refusal names the object, what Stripe has and the stack-file key that accepts it', () => {
    const frozen = refusal('reactivation', 'Card', 'ic_1', { status: 'inactive', outOfBandStatus: 'inactive' }, card);
    expect(frozen).to.contain('Card acme-jane-travel (ic_1) is frozen outside the stack');
    expect(frozen).to.contain('set stacks/Pulumi.prod.yaml: issuing.accounts.acme.cardholders.jane.cards.travel.status to inactive');
    const blocked = refusal('reactivation', 'Cardholder', 'ich_1', { status: 'inactive', outOfBandStatus: 'blocked' }, identity);
    expect(blocked).to.contain('blocked by Stripe (only Stripe can lift a block)');
    const canceled = refusal('reissue', 'Card', 'ic_1', { status: 'canceled' }, card);
    expect(canceled).to.contain('Card acme-jane-travel (ic_1) was canceled outside the stack');
    expect(canceled).to.contain('set stacks/Pulumi.prod.yaml: issuing.accounts.acme.cardholders.jane.cards.travel.status to canceled');
  });

  it("the provider's diff plans the undo (so previews show it) and its update refuses it before any Stripe call", async () => {
    const frozenState = { ...card, status: 'inactive', outOfBandStatus: 'inactive', brand: 'Visa', last4: '4242' };
    expect(await cardProvider.diff!('ic_1', frozenState as never, card as never)).to.deep.equal({ changes: true, replaces: [] });
    // No Stripe is configured here: a call would fail with another message.
    const message = await failureOf(() => cardProvider.update!('ic_1', frozenState as never, card as never));
    expect(message).to.contain('is frozen outside the stack');
    const canceledState = { ...card, status: 'canceled', brand: 'Visa', last4: '4242' };
    expect(await failureOf(() => cardProvider.update!('ic_1', canceledState as never, card as never))).to.contain(
      'was canceled outside the stack',
    );
  });

  it('accepting the freeze is an update without a Stripe call that drops the freeze from the state', async () => {
    const accepted = { ...card, status: 'inactive' };
    const frozenState = { ...accepted, outOfBandStatus: 'inactive', brand: 'Visa', last4: '4242' };
    expect(await cardProvider.diff!('ic_1', frozenState as never, accepted as never)).to.deep.equal({ changes: true, replaces: [] });
    const { outs } = await cardProvider.update!('ic_1', frozenState as never, accepted as never);
    expect(outs).to.include({ status: 'inactive', last4: '4242' });
    expect(outs).not.to.have.property('outOfBandStatus');
    const { outOfBandStatus: _forgotten, ...forgotten } = frozenState;
    expect(await cardProvider.diff!('ic_1', forgotten as never, accepted as never)).to.deep.equal({ changes: false, replaces: [] });
  });

  it('a cardholder blocked by Stripe reads as inactive: the stack accepts it with inactive, and active is refused', async () => {
    const holder = {
      ...identity,
      pulumiName: 'acme-jane',
      name: 'Jane Rivera',
      type: 'individual',
      billing: { address: { line1: '1 Main St', city: 'San Francisco', postalCode: '94111', country: 'US' } },
      status: 'inactive',
    };
    const blockedState = { ...holder, stripeStatus: 'blocked', requirements: {} };
    expect(await cardholderProvider.diff!('ich_1', blockedState as never, holder as never)).to.deep.equal({ changes: false, replaces: [] });
    const message = await failureOf(() =>
      cardholderProvider.update!('ich_1', blockedState as never, { ...holder, status: 'active' } as never),
    );
    expect(message).to.contain('Cardholder acme-jane (ich_1) is blocked by Stripe');
  });
});
