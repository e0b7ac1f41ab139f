import { expect } from 'chai';
import type Stripe from 'stripe';
import type { Emulator } from '../../emulator';
import { financialAccountProvider as faProvider } from '../../provider/resources/financialAccount';
import { financialAccountFeaturesProvider as featuresProvider } from '../../provider/resources/financialAccountFeatures';
import {
  create,
  engine,
  expectAcceptedByStripeMock,
  failureOf,
  hidden,
  type Managed,
  plan,
  refresh,
  requestIssuingCapabilities,
  startStripe,
  stopStripe,
  update,
} from './support';

const ACCOUNT = 'acct_1TreasurySuite';
// Stripe allows three open financial accounts per connected account: closing tests use another one.
const CLOSING_ACCOUNT = 'acct_1TreasuryClosing';
const on = { stripeAccount: ACCOUNT };
const faArgs = (name: string, extra: Record<string, unknown> = {}) => ({
  ...hidden(name),
  account: ACCOUNT,
  supportedCurrencies: ['usd'],
  ...extra,
});
const closingArgs = (name: string) => faArgs(name, { account: CLOSING_ACCOUNT });
const onClosing = { stripeAccount: CLOSING_ACCOUNT };

async function capturingWarnings(run: () => Promise<unknown>): Promise<string[]> {
  const warnings: string[] = [];
  const originalWarn = console.warn;
  console.warn = (message: string) => warnings.push(message);
  try {
    await run();
  } finally {
    console.warn = originalWarn;
  }
  return warnings;
}

describe('FinancialAccount and FinancialAccountFeatures providers against the emulator', () => {
  let emulator: Emulator;
  let stripe: Stripe;

  before(async () => {
    ({ emulator, stripe } = await startStripe({ seedAccounts: [ACCOUNT, CLOSING_ACCOUNT] }));
    for (const account of [ACCOUNT, CLOSING_ACCOUNT]) await requestIssuingCapabilities(account);
  });
  after(() => stopStripe(emulator));

  it('creates a financial account with one call (after a look for one an interrupted run left); outputs status, features and balance; plans no change', async () => {
    const before = emulator.requests().length;
    const fa = await create(faProvider, faArgs('main', { nickname: 'Operating', metadata: { team: 'ops' } }));
    expect(
      emulator
        .requests()
        .slice(before)
        .map((r) => `${r.method} ${r.path}`),
    ).to.deep.equal(['GET /v1/treasury/financial_accounts', 'POST /v1/treasury/financial_accounts']);
    expect(fa.outs).to.deep.include({
      status: 'open',
      platformRestrictions: { inboundFlows: 'unrestricted', outboundFlows: 'unrestricted' },
    });
    expect(fa.outs.balance.cash).to.deep.equal({ usd: 0 });
    const refreshed = (await refresh(faProvider, fa))!;
    expect(refreshed.inputs).to.deep.equal(fa.inputs);
    expect(await plan(faProvider, refreshed, faArgs('main', { nickname: 'Operating', metadata: { team: 'ops' } }))).to.include({
      changes: false,
    });
    expect((await plan(faProvider, refreshed, faArgs('main', { supportedCurrencies: ['usd', 'eur'] }))).replaces).to.deep.equal([
      'supportedCurrencies',
    ]);
  });

  it('refresh shows drift in nickname, restrictions and metadata; update restores them', async () => {
    const args = faArgs('drifty', { nickname: 'Cards' });
    let fa: Managed = await create(faProvider, args);
    await stripe.treasury.financialAccounts.update(
      fa.id,
      {
        nickname: 'Renamed',
        platform_restrictions: { outbound_flows: 'restricted' },
        metadata: { extra: 'x' },
      },
      on,
    );
    fa = (await refresh(faProvider, fa))!;
    expect(fa.inputs).to.deep.include({
      nickname: 'Renamed',
      platformRestrictions: { inboundFlows: 'unrestricted', outboundFlows: 'restricted' },
    });
    expect(await plan(faProvider, fa, args)).to.deep.equal({ changes: true, replaces: [] });
    fa = await update(faProvider, fa, args);
    const stored = await stripe.treasury.financialAccounts.retrieve(fa.id, {}, on);
    expect(stored.nickname).to.equal('Cards');
    expect(stored.platform_restrictions).to.deep.equal({ inbound_flows: 'unrestricted', outbound_flows: 'unrestricted' });
    expect(stored.metadata).to.deep.equal({ pulumi_stack: 'provider-test', pulumi_name: 'drifty' });
    await engine(faProvider).delete!(fa.id, fa.outs);
  });

  it('features: requests card_issuing on an account this stack may not manage, reads statuses, plans no change', async () => {
    const unmanaged = await stripe.treasury.financialAccounts.create({ supported_currencies: ['usd'] }, on);
    const args = {
      ...hidden('features'),
      account: ACCOUNT,
      financialAccount: unmanaged.id,
      features: ['card_issuing', 'financial_addresses.aba'],
    };
    const features = await create(featuresProvider, args);
    expect(features.id).to.equal(unmanaged.id);
    expect(features.outs.statuses.card_issuing).to.deep.include({ requested: true, status: 'active' });
    expect(features.outs.statuses['financial_addresses.aba']).to.deep.include({ requested: true });
    const refreshed = (await refresh(featuresProvider, features))!;
    expect(refreshed.inputs.features).to.deep.equal(['card_issuing', 'financial_addresses.aba']);
    expect(await plan(featuresProvider, refreshed, args)).to.include({ changes: false });

    // Out-of-band unrequest is drift on this resource's own features; up requests it again.
    await stripe.treasury.financialAccounts.updateFeatures(unmanaged.id, { financial_addresses: { aba: { requested: false } } }, on);
    const drifted = (await refresh(featuresProvider, features))!;
    expect(drifted.inputs.features).to.deep.equal(['card_issuing']);
    const restored = await update(featuresProvider, drifted, args);
    expect(restored.outs.statuses['financial_addresses.aba'].requested).to.equal(true);

    // By default destroy leaves the features requested (other stacks may rely on them).
    await engine(featuresProvider).delete!(features.id, restored.outs);
    const kept = await stripe.treasury.financialAccounts.retrieveFeatures(unmanaged.id, {}, on);
    expect([kept.card_issuing?.requested, kept.financial_addresses?.aba?.requested]).to.deep.equal([true, true]);
    // Dropping a feature from the list leaves it requested too, unless unrequestOnRemove is set.
    const dropped = await update(featuresProvider, restored, { ...args, features: ['card_issuing'] });
    expect((await stripe.treasury.financialAccounts.retrieveFeatures(unmanaged.id, {}, on)).financial_addresses?.aba?.requested).to.equal(
      true,
    );
    const optedIn = await update(featuresProvider, dropped, { ...args, unrequestOnRemove: true });
    await update(featuresProvider, optedIn, { ...args, features: ['card_issuing'], unrequestOnRemove: true });
    expect(
      (await stripe.treasury.financialAccounts.retrieveFeatures(unmanaged.id, {}, on)).financial_addresses?.aba?.requested,
    ).to.not.equal(true);
    await engine(featuresProvider).delete!(features.id, { ...restored.outs, unrequestOnRemove: true });
    const after = await stripe.treasury.financialAccounts.retrieveFeatures(unmanaged.id, {}, on);
    // Stripe lists only requested features.
    expect(after.card_issuing?.requested).to.not.equal(true);
    expect(after.financial_addresses?.aba?.requested).to.not.equal(true);
    await stripe.treasury.financialAccounts.close(unmanaged.id, {}, on);
  });

  it('platform restrictions: the account warns that its cards cannot authorize; each feature they restrict warns how to lift it, without drift', async () => {
    let fa: Managed | undefined;
    const accountWarnings = await capturingWarnings(async () => {
      fa = await create(faProvider, faArgs('restricted', { platformRestrictions: { outboundFlows: 'restricted' } }));
    });
    expect(fa!.outs.warnings).to.have.length(1);
    expect(accountWarnings.join('\n')).to.include(
      `FinancialAccount: financial account ${fa!.id}: platformRestrictions.outboundFlows is restricted: cards on this account cannot authorize (declined not_allowed) and received debits fail`,
    );

    let features: Managed | undefined;
    const args = {
      ...hidden('restricted-features'),
      account: ACCOUNT,
      financialAccount: fa!.id,
      features: ['card_issuing', 'financial_addresses.aba'],
    };
    const featureWarnings = await capturingWarnings(async () => {
      features = await create(featuresProvider, args);
    });
    // card_issuing stays active under the restriction; the ABA address is restricted by it.
    expect(features!.outs.statuses.card_issuing.status).to.equal('active');
    expect(features!.outs.statuses['financial_addresses.aba']).to.deep.equal({
      requested: true,
      status: 'restricted',
      statusDetails: [{ code: 'restricted_by_platform', resolution: 'remove_restriction', restriction: 'outbound_flows' }],
    });
    expect(features!.outs.warnings).to.deep.equal([
      `financial account ${fa!.id}: feature financial_addresses.aba is restricted by the platform's own restriction ` +
        '(platform_restrictions.outbound_flows, restricted_by_platform); to lift it set platformRestrictions.outboundFlows: unrestricted on the FinancialAccount',
    ]);
    expect(featureWarnings.join('\n')).to.include('FinancialAccountFeatures: financial account');
    // Restricted is a status, not drift: the requested features are what the stack declares.
    const refreshed = (await refresh(featuresProvider, features!))!;
    expect(refreshed.inputs.features).to.deep.equal(['card_issuing', 'financial_addresses.aba']);
    expect(await plan(featuresProvider, refreshed, args)).to.include({ changes: false });

    // Lifting the restriction in the stack clears both warnings.
    const lifted = await update(faProvider, fa!, faArgs('restricted'));
    expect([lifted.outs.warnings, lifted.outs.restrictedFeatures]).to.deep.equal([[], []]);
    const after = (await refresh(featuresProvider, refreshed))!;
    expect([after.outs.warnings, after.outs.statuses['financial_addresses.aba'].status]).to.deep.equal([[], 'active']);
  });

  it('platform restrictions: inbound flows restricted warns that credits other than wires fail and lists the restricted features', async () => {
    const fa = await create(faProvider, faArgs('inbound-restricted', { platformRestrictions: { inboundFlows: 'restricted' } }));
    await create(featuresProvider, {
      ...hidden('inbound-features'),
      account: ACCOUNT,
      financialAccount: fa.id,
      features: ['card_issuing', 'intra_stripe_flows'],
    });
    const refreshed = (await refresh(faProvider, fa))!;
    expect(refreshed.outs.restrictedFeatures).to.deep.equal(['intra_stripe_flows']);
    expect(refreshed.outs.warnings).to.deep.equal([
      `financial account ${fa.id}: platformRestrictions.inboundFlows is restricted: received credits other than wires fail; restricted features: intra_stripe_flows`,
    ]);
  });

  it('destroy closes the account; a balance makes Stripe refuse, and the error says why', async () => {
    const fa = await create(faProvider, closingArgs('funded'));
    await stripe.testHelpers.treasury.receivedCredits.create(
      { financial_account: fa.id, amount: 1000, currency: 'usd', network: 'ach' },
      onClosing,
    );
    const message = await failureOf(() => engine(faProvider).delete!(fa.id, fa.outs));
    expect(message).to.match(
      new RegExp(`^FinancialAccount funded \\(${fa.id}\\): delete failed: .*cannot be closed while it holds a balance`),
    );

    const empty = await create(faProvider, closingArgs('empty'));
    await engine(faProvider).delete!(empty.id, empty.outs);
    expect((await stripe.treasury.financialAccounts.retrieve(empty.id, {}, onClosing)).status).to.equal('closed');
    expect(await refresh(faProvider, empty), 'a closed account is gone for refresh').to.equal(undefined);
    await engine(faProvider).delete!(empty.id, empty.outs);
  });

  it('a closed account is not replayed: the same declaration creates a new one', async () => {
    const first = await create(faProvider, closingArgs('reborn'));
    await stripe.treasury.financialAccounts.close(first.id, {}, onClosing);
    const second = await create(faProvider, closingArgs('reborn'));
    expect(second.id).to.not.equal(first.id);
    expect(second.outs.status).to.equal('open');
  });

  it("sent only requests that Stripe's stripe-mock also accepts", () => expectAcceptedByStripeMock(emulator));
});
