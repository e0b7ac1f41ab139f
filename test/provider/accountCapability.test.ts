import { expect } from 'chai';
import Stripe from 'stripe';
import type { Emulator } from '../../emulator';
import { accountCapabilityProvider, isUnrequestRefused } from '../../provider/resources/accountCapability';
import { create, engine, expectAcceptedByStripeMock, failureOf, hidden, plan, refresh, startStripe, stopStripe, update } from './support';

/** The provider as the engine calls it. */
const provider = engine(accountCapabilityProvider);

const ACCOUNT = 'acct_1CapabilitySuite';
const args = (capability: string, extra: Record<string, unknown> = {}) => ({
  ...hidden(capability),
  account: ACCOUNT,
  capability,
  ...extra,
});

describe('AccountCapability provider against the emulator', () => {
  let emulator: Emulator;
  let stripe: Stripe;

  describe('with instant activation', () => {
    before(async () => ({ emulator, stripe } = await startStripe({ seedAccounts: [ACCOUNT] })));
    after(() => stopStripe(emulator));

    it('requests the capability with one call on the account URL, outputs status and requirements', async () => {
      const before = emulator.requests().length;
      const transfers = await create(provider, args('transfers'));
      const sent = emulator.requests().slice(before);
      expect(sent.map((r) => `${r.method} ${r.path}`)).to.deep.equal([`POST /v1/accounts/${ACCOUNT}/capabilities/transfers`]);
      expect(sent[0].stripeAccount).to.equal(null);
      expect(transfers.id).to.equal(`${ACCOUNT}/transfers`);
      expect(transfers.outs).to.deep.include({ status: 'active', requested: true, warnings: [] });
      expect(transfers.outs.requirements).to.deep.include({ currentlyDue: [], pastDue: [] });
    });

    it('plans no change after refresh, and replaces on another capability name', async () => {
      const treasury = await create(provider, args('treasury'));
      const refreshed = (await refresh(provider, treasury))!;
      expect(await plan(provider, refreshed, args('treasury'))).to.deep.equal({ changes: false, replaces: [] });
      expect((await plan(provider, refreshed, args('card_payments'))).replaces).to.deep.equal(['capability']);
    });

    it('refresh drops a capability unrequested out of band', async () => {
      const cardPayments = await create(provider, args('card_payments'));
      await stripe.accounts.updateCapability(ACCOUNT, 'card_payments', { requested: false });
      expect(await refresh(provider, cardPayments)).to.equal(undefined);
    });

    /** Runs `fn`, returning what it logged through the engine's log (console outside an engine). */
    async function logged(fn: () => Promise<unknown>): Promise<string> {
      const lines: string[] = [];
      const original = { warn: console.warn, log: console.log, info: console.info };
      console.warn = console.log = console.info = (message: string) => lines.push(String(message));
      try {
        await fn();
      } finally {
        Object.assign(console, original);
      }
      return lines.join('\n');
    }

    it('destroy leaves the capability requested by default, saying so', async () => {
      const cardPayments = await create(provider, args('card_payments'));
      const before = emulator.requests().length;
      const log = await logged(() => provider.delete!(cardPayments.id, cardPayments.outs));
      expect(
        emulator
          .requests()
          .slice(before)
          .filter((r) => r.method === 'POST'),
        'no unrequest sent',
      ).to.deep.equal([]);
      expect(log).to.match(/left card_payments requested on acct_1CapabilitySuite \(unrequestOnRemove is off\); dropped from state/);
      expect((await stripe.accounts.retrieveCapability(ACCOUNT, 'card_payments')).requested).to.equal(true);
    });

    it('destroy with unrequestOnRemove unrequests; where Stripe refuses (permanent) it warns and drops it from state', async () => {
      const cardPayments = await create(provider, args('card_payments', { unrequestOnRemove: true }));
      expect(cardPayments.outs.unrequestOnRemove).to.equal(true);
      await provider.delete!(cardPayments.id, cardPayments.outs);
      expect((await stripe.accounts.retrieveCapability(ACCOUNT, 'card_payments')).requested).to.equal(false);

      const cardIssuing = (await refresh(provider, await create(provider, args('card_issuing', { unrequestOnRemove: true }))))!;
      const log = await logged(() => provider.delete!(cardIssuing.id, cardIssuing.outs));
      expect(log).to.match(
        /Stripe kept card_issuing requested on acct_1CapabilitySuite \(The card_issuing capability is permanent once requested.*\); dropped from state/,
      );
      expect((await stripe.accounts.retrieveCapability(ACCOUNT, 'card_issuing')).requested).to.equal(true);
    });

    it('turning unrequestOnRemove on or off is an update, not a replace, and validates as a boolean', async () => {
      const transfers = (await refresh(provider, await create(provider, args('transfers'))))!;
      expect(await plan(provider, transfers, args('transfers', { unrequestOnRemove: true }))).to.deep.equal({
        changes: true,
        replaces: [],
      });
      const failures = (await provider.check!({}, args('transfers', { unrequestOnRemove: 'yes' }))).failures ?? [];
      expect(failures.map((f) => f.property)).to.deep.equal(['unrequestOnRemove']);
    });

    it('treats only Stripe\'s refusal to unrequest as "kept"; other invalid requests surface', async () => {
      // The refusal as the real client reports it (transfers is permanent).
      const refusal = await stripe.accounts.updateCapability(ACCOUNT, 'transfers', { requested: false }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refusal).to.be.instanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(isUnrequestRefused(refusal)).to.equal(true);
      const generate = (raw: Record<string, unknown>) =>
        Stripe.errors.StripeError.generate({ type: 'invalid_request_error', ...raw } as never);
      expect(isUnrequestRefused(generate({ statusCode: 400, message: 'This capability is permanent once requested.' }))).to.equal(true);
      for (const other of [
        generate({ statusCode: 400, code: 'parameter_unknown', param: 'requested', message: 'Received unknown parameter: requested' }),
        generate({ statusCode: 400, message: 'This account is not onboarded.', param: 'account' }),
        generate({ statusCode: 404, code: 'resource_missing', message: "No such capability: 'x'" }),
        Stripe.errors.StripeError.generate({ type: 'api_error', statusCode: 500, message: 'An unknown error occurred' } as never),
        new Error('socket hang up'),
      ]) {
        expect(isUnrequestRefused(other), String((other as Error).message)).to.equal(false);
      }
    });

    it("sent only requests that Stripe's stripe-mock also accepts", () => expectAcceptedByStripeMock(emulator));
  });

  describe('with pending activation (real onboarding)', () => {
    before(async () => ({ emulator, stripe } = await startStripe({ seedAccounts: [ACCOUNT], activation: 'pending' })));
    after(() => stopStripe(emulator));

    it('without waiting: created pending, with a warning naming the status', async () => {
      const transfers = await create(provider, args('transfers'));
      expect(transfers.outs.status).to.equal('pending');
      expect(transfers.outs.warnings[0]).to.match(/^transfers on acct_1CapabilitySuite is pending/);
    });

    it('waiting times out with a clear message of what is due', async () => {
      const message = await failureOf(() => create(provider, args('treasury', { waitForActive: true, waitTimeoutSeconds: 1 })));
      expect(message).to.match(
        /^AccountCapability treasury: create failed: capability treasury on acct_1CapabilitySuite is still pending after 1s: /,
      );
    });

    it('waiting returns once Stripe activates the capability; turning waiting on later updates and waits', async () => {
      const activateSoon = setTimeout(() => emulator.activateCapability(ACCOUNT, 'card_issuing'), 700);
      const cardIssuing = await create(provider, args('card_issuing', { waitForActive: true, waitTimeoutSeconds: 20 }));
      clearTimeout(activateSoon);
      expect(cardIssuing.outs.status).to.equal('active');

      const transfers = (await refresh(provider, await create(provider, args('transfers'))))!;
      expect(await plan(provider, transfers, args('transfers', { waitForActive: true }))).to.deep.equal({ changes: true, replaces: [] });
      setTimeout(() => emulator.activateCapability(ACCOUNT, 'transfers'), 500);
      const updated = await update(provider, transfers, args('transfers', { waitForActive: true, waitTimeoutSeconds: 20 }));
      expect(updated.outs.status).to.equal('active');
    });
  });

  describe('on a platform not onboarded to Issuing', () => {
    before(async () => ({ emulator, stripe } = await startStripe({ seedAccounts: [ACCOUNT], platformIssuing: false })));
    after(() => stopStripe(emulator));

    it("fails with Stripe's reason, naming the resource", async () => {
      const message = await failureOf(() => create(provider, args('card_issuing')));
      expect(message).to.match(/^AccountCapability card_issuing: create failed: .*not onboarded to Issuing/);
    });
  });
});
