import { expect } from 'chai';
import type Stripe from 'stripe';
import type { Emulator } from '../../emulator';
import { cardholderProvider } from '../../provider/resources/cardholder';
import {
  ADDRESS,
  create,
  engine,
  expectAcceptedByStripeMock,
  failureOf,
  hidden,
  type Managed,
  plan,
  refresh,
  STRIPE_ADDRESS,
  startStripe,
  stopStripe,
  update,
} from './support';

/** The provider as the engine calls it. */
const provider = engine(cardholderProvider);

const ACCOUNT = 'acct_1CardholderSuite';
const on = { stripeAccount: ACCOUNT };
const args = (name: string, extra: Record<string, unknown> = {}) => ({
  ...hidden(name),
  account: ACCOUNT,
  name: 'Jenny Rosen',
  email: 'jenny@example.com',
  phoneNumber: '+14155550100',
  billing: { address: ADDRESS },
  individual: { firstName: 'Jenny', lastName: 'Rosen', dob: { day: 1, month: 7, year: 1990 } },
  spendingControls: { blockedCategories: ['betting_casino_gambling'], spendingLimits: [{ amount: 50000, interval: 'monthly' }] },
  preferredLocales: ['en'],
  ...extra,
});

describe('Cardholder provider against the emulator', () => {
  let emulator: Emulator;
  let stripe: Stripe;

  before(async () => ({ emulator, stripe } = await startStripe({ seedAccounts: [ACCOUNT] })));
  after(() => stopStripe(emulator));

  it('creates with every field, marks the metadata, and plans no change after refresh', async () => {
    const holder = await create(provider, args('full', { metadata: { team: 'ops' } }));
    expect(holder.id).to.match(/^ich_/);
    expect(holder.outs).to.deep.include({ status: 'active', stripeStatus: 'active', type: 'individual' });
    const stored = await stripe.issuing.cardholders.retrieve(holder.id, {}, on);
    expect(stored.metadata).to.deep.equal({ team: 'ops', pulumi_stack: 'provider-test', pulumi_name: 'full' });
    const refreshed = (await refresh(provider, holder))!;
    expect(refreshed.inputs).to.deep.equal(holder.inputs);
    expect(await plan(provider, refreshed, args('full', { metadata: { team: 'ops' } }))).to.deep.equal({ changes: false, replaces: [] });
  });

  it('a company cardholder keeps its write-only tax ID across refresh', async () => {
    const companyArgs = {
      ...hidden('company'),
      account: ACCOUNT,
      name: 'Rocket Rides',
      type: 'company',
      billing: { address: ADDRESS },
      company: { taxId: '000000000' },
    };
    const holder = await create(provider, companyArgs);
    const refreshed = (await refresh(provider, holder))!;
    expect(refreshed.inputs.company).to.deep.equal({ taxId: '000000000' });
    expect(await plan(provider, refreshed, companyArgs)).to.include({ changes: false });
  });

  it('refresh shows out-of-band edits; update restores them; name and type replace', async () => {
    let holder: Managed = await create(provider, args('drift'));
    await stripe.issuing.cardholders.update(holder.id, { email: 'other@example.com', preferred_locales: ['fr'], metadata: { x: 'y' } }, on);
    holder = (await refresh(provider, holder))!;
    expect(holder.inputs).to.deep.include({ email: 'other@example.com', preferredLocales: ['fr'], metadata: { x: 'y' } });
    expect(await plan(provider, holder, args('drift'))).to.deep.equal({ changes: true, replaces: [] });
    holder = await update(provider, holder, args('drift'));
    const stored = await stripe.issuing.cardholders.retrieve(holder.id, {}, on);
    expect(stored).to.deep.include({ email: 'jenny@example.com', preferred_locales: ['en'] });
    expect(stored.metadata).to.deep.equal({ pulumi_stack: 'provider-test', pulumi_name: 'drift' });
    expect(
      (await plan(provider, holder, args('drift', { name: 'Jenny Smith', type: 'company', individual: undefined }))).replaces,
    ).to.deep.equal(['name', 'type']);
  });

  it('removing a field Stripe cannot unset (phone number) fails clearly at check, before any request', async () => {
    const holder = await create(provider, args('phone'));
    const { phoneNumber: _dropped, ...withoutPhone } = args('phone');
    const before = emulator.requests().length;
    // The engine checks the new arguments against the last deployment's inputs before any step of the `up`.
    const { failures } = await provider.check!(holder.inputs, withoutPhone);
    expect(failures).to.have.length(1);
    expect(failures![0].property).to.equal('phoneNumber');
    expect(failures![0].reason).to.match(
      /^was set and Stripe cannot unset it \(its API refuses to remove phoneNumber from a Cardholder once given\): keep a value/,
    );
    expect(emulator.requests().length).to.equal(before);
  });

  it('check names every unsettable field dropped, and none when the change replaces the cardholder', async () => {
    const holder = await create(provider, args('unsettable'));
    const { email: _e, individual: _i, spendingControls: _s, preferredLocales: _l, ...bare } = args('unsettable');
    const { failures } = await provider.check!(holder.inputs, bare);
    // Spending controls: categories and limits have no empty value to unset them.
    expect((failures ?? []).map((f) => f.property)).to.have.members([
      'email',
      'individual',
      'preferredLocales',
      'spendingControls.blockedCategories',
      'spendingControls.spendingLimits',
    ]);
    expect((await provider.check!(holder.inputs, { ...bare, name: 'Jenny Smith' })).failures ?? []).to.deep.equal([]);
    expect((await provider.check!({}, bare)).failures ?? []).to.deep.equal([]);
  });

  // CardholderUpdateParams.SpendingControls: card presences and merchant countries unset with an empty
  // value; spending_limits_currency is the cardholder's to declare.
  it('updates spending controls whole, unsetting a dropped country list, with card presences and spendingLimitsCurrency', async () => {
    const base = args('controls', {
      spendingControls: {
        blockedMerchantCountries: ['KP'],
        spendingLimits: [{ amount: 9000, interval: 'daily' }],
        spendingLimitsCurrency: 'usd',
      },
    });
    const holder = await create(provider, base);
    expect((await stripe.issuing.cardholders.retrieve(holder.id, {}, on)).spending_controls?.spending_limits_currency).to.equal('usd');
    const next = args('controls', {
      spendingControls: {
        blockedCardPresences: ['not_present'],
        spendingLimits: [{ amount: 9000, interval: 'daily' }],
        spendingLimitsCurrency: 'usd',
      },
    });
    const updated = await update(provider, (await refresh(provider, holder))!, next);
    const stored = (await stripe.issuing.cardholders.retrieve(holder.id, {}, on)).spending_controls!;
    expect(stored).to.deep.include({
      blocked_merchant_countries: null,
      blocked_card_presences: ['not_present'],
      spending_limits_currency: 'usd',
    });
    expect(await plan(provider, (await refresh(provider, updated))!, next)).to.include({ changes: false });
    // Without a declared currency, Stripe's derived one is not drift.
    const plain = await create(provider, args('derived'));
    expect(await plan(provider, (await refresh(provider, plain))!, args('derived'))).to.include({ changes: false });
  });

  it('refuses to adopt a cardholder whose arguments drop a field it has (Stripe cannot unset it)', async () => {
    const existing = await stripe.issuing.cardholders.create(
      {
        name: 'Jenny Rosen',
        type: 'individual',
        email: 'jenny@example.com',
        phone_number: '+14155550100',
        billing: {
          address: STRIPE_ADDRESS,
        },
      },
      on,
    );
    const { phoneNumber: _dropped, ...withoutPhone } = args('adopt-phone', { adoptId: existing.id });
    const before = emulator.requests().length;
    const message = await failureOf(() => create(provider, withoutPhone));
    expect(message).to.match(/Stripe cannot remove phoneNumber from Cardholder ich_\w+ once set/);
    expect(
      emulator
        .requests()
        .slice(before)
        .map((r) => r.method),
    ).to.deep.equal(['GET']);
  });

  it('destroy deactivates; declaring it again reactivates the same cardholder', async () => {
    const holder = await create(provider, args('retired'));
    await provider.delete!(holder.id, holder.outs);
    expect((await stripe.issuing.cardholders.retrieve(holder.id, {}, on)).status).to.equal('inactive');
    const again = await create(provider, args('retired'));
    expect(again.id).to.equal(holder.id);
    expect((await stripe.issuing.cardholders.retrieve(again.id, {}, on)).status).to.equal('active');
  });

  it('refresh shows a cardholder deactivated out of band as a freeze, not as gone; up refuses to reactivate it', async () => {
    let holder: Managed = await create(provider, args('paused'));
    await stripe.issuing.cardholders.update(holder.id, { status: 'inactive' }, on);
    holder = (await refresh(provider, holder))!;
    expect(holder.inputs.status).to.equal('inactive');
    expect(holder.outs).to.include({ stripeStatus: 'inactive', outOfBandStatus: 'inactive' });
    expect(await plan(provider, holder, args('paused'))).to.deep.equal({ changes: true, replaces: [] });
    expect(await failureOf(() => update(provider, holder, args('paused')))).to.contain(
      `Cardholder paused (${holder.id}) is frozen outside the stack`,
    );
    expect((await stripe.issuing.cardholders.retrieve(holder.id, {}, on)).status).to.equal('inactive');
    holder = await update(provider, holder, { ...args('paused'), status: 'inactive' });
    expect(await plan(provider, (await refresh(provider, holder))!, { ...args('paused'), status: 'inactive' })).to.include({
      changes: false,
    });
  });

  it('adopts an existing cardholder and plans no change', async () => {
    const existing = await stripe.issuing.cardholders.create(
      {
        name: 'Jenny Rosen',
        type: 'individual',
        email: 'jenny@example.com',
        billing: {
          address: STRIPE_ADDRESS,
        },
      },
      on,
    );
    const adoptArgs = args('adopted', { adoptId: existing.id });
    const holder = await create(provider, adoptArgs);
    expect(holder.id).to.equal(existing.id);
    const stored = await stripe.issuing.cardholders.retrieve(existing.id, {}, on);
    expect(stored.phone_number).to.equal('+14155550100');
    expect(stored.metadata.pulumi_name).to.equal('adopted');
    expect(await plan(provider, (await refresh(provider, holder))!, adoptArgs)).to.include({ changes: false });
  });

  it("sent only requests that Stripe's stripe-mock also accepts", () => expectAcceptedByStripeMock(emulator));
});
