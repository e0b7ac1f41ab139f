// Onboarding through the providers: on an account without the Issuing and Treasury ToS acceptance a
// capability's wait ends with each due requirement and what provides it; TosAcceptance records the
// acceptance with one account update, reads it back, restores it after out-of-band changes, and leaves
// it in Stripe on delete.
import { expect } from 'chai';
import type Stripe from 'stripe';
import type { Emulator } from '../../emulator';
import { accountCapabilityProvider } from '../../provider/resources/accountCapability';
import { tosAcceptanceProvider } from '../../provider/resources/tosAcceptance';
import { create, engine, expectAcceptedByStripeMock, failureOf, hidden, plan, refresh, startStripe, stopStripe, update } from './support';

/** The provider as the engine calls it. */
const provider = engine(tosAcceptanceProvider);

const ACCOUNT = 'acct_1TosAcceptanceSuite';
const ACCEPTED = { date: 1767225600, ip: '203.0.113.10', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' };
const acceptance = (product: string, extra: Record<string, unknown> = {}) => ({
  ...hidden(`acme-${product}`),
  account: ACCOUNT,
  product,
  ...ACCEPTED,
  ...extra,
});
const capability = (name: string) => ({
  ...hidden(`acme-${name}`),
  account: ACCOUNT,
  capability: name,
  waitForActive: true,
  waitTimeoutSeconds: 300,
});
const recordedOn = async (stripe: Stripe, product: 'card_issuing' | 'treasury') =>
  (await stripe.accounts.retrieve(ACCOUNT)).settings?.[product]?.tos_acceptance;

describe('TosAcceptance provider against the emulator (account seeded without the acceptance)', () => {
  let emulator: Emulator;
  let stripe: Stripe;
  before(async () => ({ emulator, stripe } = await startStripe({ seedAccounts: [ACCOUNT], seedTosAccepted: false })));
  after(() => stopStripe(emulator));

  it('a capability waiting for active stops on requirements only the platform can provide, naming what provides each', async () => {
    await create(accountCapabilityProvider, capability('transfers'));
    const message = await failureOf(() => create(accountCapabilityProvider, capability('card_issuing')));
    expect(message).to.equal(
      'AccountCapability acme-card_issuing: create failed: capability card_issuing on acct_1TosAcceptanceSuite is inactive until the platform ' +
        'provides what Stripe lists as due; due now: ' +
        'settings.card_issuing.tos_acceptance.date (stack file: tosAcceptance.card_issuing.date of the account acct_1TosAcceptanceSuite); ' +
        'settings.card_issuing.tos_acceptance.ip (stack file: tosAcceptance.card_issuing.ip of the account acct_1TosAcceptanceSuite); ' +
        'disabled reason: requirements.fields_needed',
    );
  });

  it('records the acceptance with one account update; the capability then becomes active', async () => {
    const before = emulator.requests().length;
    const recorded = await create(provider, acceptance('card_issuing'));
    const sent = emulator.requests().slice(before);
    expect(sent.map((r) => `${r.method} ${r.path} ${r.stripeAccount}`)).to.deep.equal([`POST /v1/accounts/${ACCOUNT} null`]);
    expect(sent[0].params).to.deep.equal({
      settings: { card_issuing: { tos_acceptance: { date: String(ACCEPTED.date), ip: ACCEPTED.ip, user_agent: ACCEPTED.userAgent } } },
    });
    expect(recorded.id).to.equal(`${ACCOUNT}/settings.card_issuing.tos_acceptance`);
    expect(await recordedOn(stripe, 'card_issuing')).to.deep.equal({
      date: ACCEPTED.date,
      ip: ACCEPTED.ip,
      user_agent: ACCEPTED.userAgent,
    });
    const cardIssuing = await create(accountCapabilityProvider, capability('card_issuing'));
    expect([cardIssuing.outs.status, cardIssuing.outs.warnings]).to.deep.equal(['active', []]);
  });

  it('a retried create replays the same update and changes nothing', async () => {
    const again = await create(provider, acceptance('card_issuing'));
    expect(again.id).to.equal(`${ACCOUNT}/settings.card_issuing.tos_acceptance`);
    const replayed = emulator.requests().filter((r) => r.path === `/v1/accounts/${ACCOUNT}` && r.method === 'POST');
    expect(new Set(replayed.map((r) => r.idempotencyKey)).size).to.equal(1);
  });

  it('reads the acceptance back: no change after refresh; an out-of-band change is drift the next update restores', async () => {
    const state = (await refresh(provider, await create(provider, acceptance('treasury'))))!;
    expect(await plan(provider, state, acceptance('treasury'))).to.deep.equal({ changes: false, replaces: [] });

    await stripe.accounts.update(ACCOUNT, { settings: { treasury: { tos_acceptance: { date: 1767000000, ip: '198.51.100.1' } } } });
    const drifted = (await refresh(provider, state))!;
    expect(drifted.inputs).to.deep.include({ date: 1767000000, ip: '198.51.100.1' });
    expect(drifted.inputs).not.to.have.property('userAgent');
    expect(await plan(provider, drifted, acceptance('treasury'))).to.deep.equal({ changes: true, replaces: [] });
    await update(provider, drifted, acceptance('treasury'));
    expect(await recordedOn(stripe, 'treasury')).to.deep.equal({ date: ACCEPTED.date, ip: ACCEPTED.ip, user_agent: ACCEPTED.userAgent });
  });

  it('a new acceptance updates in place (dropping the user agent empties it); another product replaces', async () => {
    const state = (await refresh(provider, await create(provider, acceptance('treasury'))))!;
    const { userAgent: _dropped, ...withoutAgent } = acceptance('treasury', { date: 1767312000, ip: '2001:db8::7' });
    expect(await plan(provider, state, withoutAgent)).to.deep.equal({ changes: true, replaces: [] });
    await update(provider, state, withoutAgent);
    expect(await recordedOn(stripe, 'treasury')).to.deep.equal({ date: 1767312000, ip: '2001:db8::7', user_agent: null });
    expect((await plan(provider, state, acceptance('card_issuing'))).replaces).to.deep.equal(['product']);
  });

  it('delete leaves the acceptance in Stripe (the API cannot withdraw one) and says so', async () => {
    const state = await create(provider, acceptance('card_issuing'));
    const warnings: string[] = [];
    const originalWarn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      await provider.delete!(state.id, state.outs);
    } finally {
      console.warn = originalWarn;
    }
    expect(warnings.join('\n')).to.contain(`Stripe keeps ${ACCOUNT}/settings.card_issuing.tos_acceptance`);
    expect((await recordedOn(stripe, 'card_issuing'))?.date).to.equal(ACCEPTED.date);
  });

  it("sent only requests that Stripe's stripe-mock also accepts", () => expectAcceptedByStripeMock(emulator));
});
