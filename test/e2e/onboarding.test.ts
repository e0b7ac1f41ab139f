/**
 * Issue 17, end to end through the real CLI against the emulator: an account without the Issuing and
 * Treasury ToS acceptance stops `up` at its card_issuing capability, naming each due requirement and the stack key
 * that provides it; `npm run onboarding-link` creates the Account Link for hosted onboarding; with the
 * acceptance added to the stack file, `up` activates the capabilities and creates the features and
 * cards, and the next preview is clean.
 */

import { expect } from 'chai';
import Stripe from 'stripe';
import { ISSUING_CONFIG_KEY } from '../../config/paths';
import { type Emulator, startEmulator } from '../../emulator';
import { createWorkspace, runNpmScript, TestStack, type Workspace } from '../../testbed/workspace';
import { replayAgainstStripeMock } from '../conformance/replay';
import { fakeLiveKey } from '../support/fake-keys';

const ACCOUNT = 'acct_1OnboardingAcme';
const API_KEY = 'sk_test_onboardingEndToEnd';
const ONBOARDING = { returnUrl: 'https://app.acme.example/onboarding/done', refreshUrl: 'https://app.acme.example/onboarding/expired' };
const ACCEPTED = { date: 1767225600, ip: '203.0.113.10', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)' };

function issuing(withAcceptance: boolean) {
  return {
    onboarding: ONBOARDING,
    accounts: {
      acme: {
        id: ACCOUNT,
        capabilities: ['transfers', 'treasury', 'card_issuing'],
        ...(withAcceptance ? { tosAcceptance: { card_issuing: ACCEPTED, treasury: ACCEPTED } } : {}),
        financialAccount: { supportedCurrencies: ['usd'], features: ['card_issuing'] },
        cardholders: {
          jane: {
            name: 'Jane Rivera',
            billing: { address: { line1: '510 Townsend St', city: 'San Francisco', state: 'CA', postalCode: '94103', country: 'US' } },
            individual: { firstName: 'Jane', lastName: 'Rivera' },
            cards: { travel: { status: 'active' } },
          },
        },
      },
    },
  };
}

describe('onboarding through the real CLI: ToS acceptance in the stack file, hosted onboarding link', function () {
  this.timeout(600_000);
  let emulator: Emulator;
  let stripe: Stripe;
  let workspace: Workspace;
  let stack: TestStack;
  const linkRequests = () => emulator.requests().filter((r) => r.method === 'POST' && r.path === '/v1/account_links');

  before(async () => {
    emulator = await startEmulator({ seedAccounts: [ACCOUNT] });
    stripe = new Stripe(API_KEY, { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
    workspace = createWorkspace({ env: { STRIPE_API_BASE: emulator.url, STRIPE_API_KEY: API_KEY } });
    stack = await TestStack.create(workspace, 'onboarding');
    stack.setConfigValue(ISSUING_CONFIG_KEY, issuing(false));
  });

  after(async () => {
    workspace?.cleanup();
    await emulator?.close();
  });

  it('without the acceptance, up stops at card_issuing, listing each requirement and the stack key that provides it', async () => {
    const run = await stack.run(['up', '--yes', '--skip-preview'], [1]);
    const output = run.stdout + run.stderr;
    expect(output).to.contain(`capability card_issuing on ${ACCOUNT} is inactive until the platform provides what Stripe lists as due`);
    for (const field of ['date', 'ip']) {
      expect(output).to.contain(
        `settings.card_issuing.tos_acceptance.${field} (stack file: tosAcceptance.card_issuing.${field} of the account ${ACCOUNT})`,
      );
    }
    const capability = await stripe.accounts.retrieveCapability(ACCOUNT, 'card_issuing');
    expect([capability.status, capability.requirements?.currently_due]).to.deep.equal([
      'inactive',
      ['settings.card_issuing.tos_acceptance.date', 'settings.card_issuing.tos_acceptance.ip'],
    ]);
    expect((await stripe.issuing.cards.list({}, { stripeAccount: ACCOUNT })).data).to.deep.equal([]);
    expect((await stripe.treasury.financialAccounts.list({}, { stripeAccount: ACCOUNT })).data).to.deep.equal([]);
  });

  it("npm run onboarding-link prints what is due and an Account Link with the stack file's return and refresh URLs", async () => {
    const run = await runNpmScript(workspace, 'onboarding-link', ['--stack', 'onboarding', '--account', 'acme'], workspace.env);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.contain('acme-card_issuing: inactive');
    expect(run.stdout).to.match(
      /acme-card_issuing +settings\.card_issuing\.tos_acceptance\.date +stack file: accounts\.acme\.tosAcceptance\.card_issuing\.date/,
    );
    expect(run.stdout).to.contain(`${emulator.url}/setup/s/${ACCOUNT}/`);
    const [request] = linkRequests();
    expect([linkRequests().length, request.stripeAccount]).to.deep.equal([1, null]);
    expect(request.params).to.deep.equal({
      account: ACCOUNT,
      type: 'account_onboarding',
      collection_options: { fields: 'currently_due' },
      return_url: ONBOARDING.returnUrl,
      refresh_url: ONBOARDING.refreshUrl,
    });
  });

  it('onboarding-link refuses, before any Stripe call, a live key on a test stack and an account the stack does not declare', async () => {
    const live = await runNpmScript(workspace, 'onboarding-link', ['--stack', 'onboarding', '--account', 'acme'], {
      ...workspace.env,
      STRIPE_API_KEY: fakeLiveKey(),
    });
    expect(live.status).to.equal(1);
    expect(live.stderr).to.contain('stacks/Pulumi.onboarding.yaml: mode: is "test" but the Stripe key (STRIPE_API_KEY) is a live key');
    expect(live.stderr).not.to.contain(fakeLiveKey());
    const unknown = await runNpmScript(workspace, 'onboarding-link', ['--stack', 'onboarding', '--account', 'globex'], workspace.env);
    expect([unknown.status, unknown.stderr.trim()]).to.deep.equal([
      1,
      'stacks/Pulumi.onboarding.yaml: issuing.accounts has no account "globex"; declared: acme',
    ]);
    expect(linkRequests()).to.have.length(1);
  });

  it('with the acceptance in the stack file, up activates the capabilities and creates the features and cards; the preview is clean', async () => {
    stack.setConfigValue(ISSUING_CONFIG_KEY, issuing(true));
    await stack.up();
    for (const product of ['card_issuing', 'treasury'] as const) {
      expect((await stripe.accounts.retrieveCapability(ACCOUNT, product)).status).to.equal('active');
      expect((await stripe.accounts.retrieve(ACCOUNT)).settings?.[product]?.tos_acceptance).to.deep.equal({
        date: ACCEPTED.date,
        ip: ACCEPTED.ip,
        user_agent: ACCEPTED.userAgent,
      });
    }
    const [financialAccount] = (await stripe.treasury.financialAccounts.list({}, { stripeAccount: ACCOUNT })).data;
    expect(financialAccount.active_features).to.include('card_issuing');
    const cards = (await stripe.issuing.cards.list({}, { stripeAccount: ACCOUNT })).data;
    expect(cards.map((card) => card.status)).to.deep.equal(['active']);
    await stack.expectNoChangesPreview();
    const rows = (await stack.outputs()).resources as Array<{ type: string; name: string; requirementsDue?: unknown }>;
    expect(rows.filter((row) => row.type === 'TosAcceptance').map((row) => row.name)).to.deep.equal(['acme-card_issuing', 'acme-treasury']);
    expect(rows.filter((row) => row.requirementsDue !== undefined)).to.deep.equal([]);
  });

  it('an acceptance changed outside Pulumi shows on refresh and the next up restores it', async () => {
    await stripe.accounts.update(ACCOUNT, { settings: { card_issuing: { tos_acceptance: { date: 1767000000, ip: '198.51.100.1' } } } });
    await stack.refresh();
    expect(await stack.previewOps()).to.deep.equal({ 'TosAcceptance:acme-card_issuing': 'update' });
    await stack.up();
    expect((await stripe.accounts.retrieve(ACCOUNT)).settings?.card_issuing?.tos_acceptance?.ip).to.equal(ACCEPTED.ip);
    await stack.expectNoChangesPreview();
  });

  it("sent only requests that Stripe's stripe-mock also accepts", async () => {
    expect(await replayAgainstStripeMock(emulator.requests())).to.be.greaterThan(0);
  });
});
