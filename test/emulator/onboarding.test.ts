// Onboarding: seeded accounts start without the Issuing and Treasury ToS acceptance (like a new Stripe
// account), an acceptance is recorded whole, and Account Links are served for hosted onboarding.
import { expect } from 'chai';
import { startEmulator } from '../../emulator';
import { clientFor, TOS } from '../../testbed/stripe-objects';
import { replayAgainstStripeMock } from '../conformance/replay';
import { stripeError, useEmulator } from './harness';

const SEEDED = 'acct_1SeededNoTerms';

describe('emulator: onboarding', () => {
  const h = useEmulator({ seedAccounts: [SEEDED] });

  it('seeds accounts without the ToS acceptance: card_issuing and treasury stay inactive until it is recorded', async () => {
    await h.stripe.accounts.update(SEEDED, {
      capabilities: { transfers: { requested: true }, treasury: { requested: true }, card_issuing: { requested: true } },
    });
    const treasury = await h.stripe.accounts.retrieveCapability(SEEDED, 'treasury');
    expect([treasury.status, treasury.requirements?.currently_due, treasury.requirements?.disabled_reason]).to.deep.equal([
      'inactive',
      ['settings.treasury.tos_acceptance.date', 'settings.treasury.tos_acceptance.ip'],
      'requirements.fields_needed',
    ]);
    expect((await h.stripe.accounts.retrieveCapability(SEEDED, 'transfers')).status).to.equal('active');

    const recorded = await h.stripe.accounts.update(SEEDED, {
      settings: { card_issuing: { tos_acceptance: { ...TOS, user_agent: 'Mozilla/5.0' } }, treasury: { tos_acceptance: TOS } },
    });
    expect(recorded.settings?.card_issuing?.tos_acceptance).to.deep.equal({ ...TOS, user_agent: 'Mozilla/5.0' });
    expect(recorded.capabilities).to.deep.equal({ card_issuing: 'active', transfers: 'active', treasury: 'active' });
  });

  it('refuses an acceptance without its date or IP (each is required when the other fields are given)', async () => {
    const account = await h.stripe.accounts.create({ type: 'custom' });
    const noIp = await stripeError(
      h.stripe.accounts.update(account.id, { settings: { card_issuing: { tos_acceptance: { date: TOS.date } } } }),
    );
    expect([noIp.statusCode, noIp.code, noIp.param]).to.deep.equal([
      400,
      'parameter_missing',
      'settings[card_issuing][tos_acceptance][ip]',
    ]);
    const noDate = await stripeError(
      h.stripe.accounts.create({ type: 'custom', settings: { treasury: { tos_acceptance: { ip: TOS.ip, user_agent: 'x' } } } }),
    );
    expect([noDate.code, noDate.param]).to.deep.equal(['parameter_missing', 'settings[treasury][tos_acceptance][date]']);
    expect((await h.stripe.accounts.retrieve(account.id)).settings?.card_issuing?.tos_acceptance?.date).to.equal(null);
  });

  it('creates Account Links for connected accounts, refused for unknown accounts', async () => {
    const link = await h.stripe.accountLinks.create({
      account: SEEDED,
      type: 'account_onboarding',
      collection_options: { fields: 'currently_due' },
      refresh_url: 'https://platform.example/reauth',
      return_url: 'https://platform.example/return',
    });
    expect(link.object).to.equal('account_link');
    expect(link.expires_at - link.created).to.equal(300);
    expect(link.url.startsWith(`${h.emulator.url}/setup/s/${SEEDED}/`)).to.equal(true);
    const missing = await stripeError(h.stripe.accountLinks.create({ account: 'acct_1Nobody', type: 'account_onboarding' }));
    expect([missing.statusCode, missing.code, missing.param]).to.deep.equal([404, 'resource_missing', 'account']);
    const badType = await stripeError(h.stripe.accountLinks.create({ account: SEEDED, type: 'account_management' }));
    expect([badType.statusCode, badType.param]).to.deep.equal([400, 'type']);
  });

  it('seeds accounts with the acceptance when told to (seedTosAccepted)', async () => {
    const emulator = await startEmulator({ seedAccounts: [SEEDED], seedTosAccepted: true });
    try {
      const stripe = clientFor(emulator);
      const account = await stripe.accounts.update(SEEDED, { capabilities: { card_issuing: { requested: true } } });
      expect(account.capabilities).to.deep.equal({ card_issuing: 'active' });
    } finally {
      await emulator.close();
    }
  });

  it('sends only requests stripe-mock accepts', async () => {
    expect(await replayAgainstStripeMock(h.emulator.requests())).to.be.greaterThan(0);
  });
});
