// Treasury money received from and pulled by third parties (test helpers): a received debit takes cash
// out when there is enough and otherwise is created `failed` (Stripe's documented behaviour), leaving
// the balance alone.
import { expect } from 'chai';
import type Stripe from 'stripe';
import { issuingFinancialAccount, onboardedAccount } from '../../testbed/stripe-objects';
import { stripeError, useEmulator } from './harness';

type DebitParams = Parameters<Stripe['testHelpers']['treasury']['receivedDebits']['create']>[0];

describe('emulator: Treasury received debits', () => {
  const h = useEmulator();
  let account: string;
  let fa: Stripe.Treasury.FinancialAccount;
  const on = () => ({ stripeAccount: account });
  const cash = async () => (await h.stripe.treasury.financialAccounts.retrieve(fa.id, {}, on())).balance.cash.usd;
  const debit = (amount: number, extra: Partial<DebitParams> = {}) =>
    h.stripe.testHelpers.treasury.receivedDebits.create(
      { financial_account: fa.id, amount, currency: 'usd', network: 'ach', ...extra },
      on(),
    );

  beforeEach(async () => {
    account = await onboardedAccount(h.stripe);
    fa = await issuingFinancialAccount(h.stripe, account);
    await h.stripe.testHelpers.treasury.receivedCredits.create(
      { financial_account: fa.id, amount: 5000, currency: 'usd', network: 'ach' },
      on(),
    );
  });

  it('takes the amount out of the cash balance and can be read back', async () => {
    const pulled = await debit(2000, {
      description: 'Utility bill',
      initiating_payment_method_details: {
        type: 'us_bank_account',
        us_bank_account: { account_holder_name: 'Power Co', account_number: '000111222333', routing_number: '110000000' },
      },
    });
    expect(pulled).to.include({
      object: 'treasury.received_debit',
      amount: 2000,
      currency: 'usd',
      status: 'succeeded',
      failure_code: null,
      financial_account: fa.id,
      network: 'ach',
      livemode: false,
      description: 'Utility bill',
    });
    expect(pulled.id).to.match(/^rd_/);
    expect(pulled.initiating_payment_method_details?.us_bank_account).to.deep.equal({
      bank_name: 'STRIPE TEST BANK',
      last4: '2333',
      routing_number: '110000000',
    });
    expect(await cash()).to.equal(3000);
    expect(await h.stripe.treasury.receivedDebits.retrieve(pulled.id, {}, on())).to.deep.equal(pulled);
    const listed = await h.stripe.treasury.receivedDebits.list({ financial_account: fa.id, status: 'succeeded' }, on());
    expect(listed.data.map((d) => d.id)).to.deep.equal([pulled.id]);
    const events = await h.stripe.events.list({ type: 'treasury.received_debit.created' }, on());
    expect(events.data.map((e) => (e.data.object as { id: string }).id)).to.deep.equal([pulled.id]);
  });

  it('is created failed with insufficient_funds when it asks for more than the cash, and moves nothing', async () => {
    const refused = await debit(5001);
    expect(refused).to.include({ status: 'failed', failure_code: 'insufficient_funds', amount: 5001 });
    expect(await cash()).to.equal(5000);
    const exact = await debit(5000);
    expect([exact.status, await cash()]).to.deep.equal(['succeeded', 0]);
    const failed = await h.stripe.treasury.receivedDebits.list({ financial_account: fa.id, status: 'failed' }, on());
    expect(failed.data.map((d) => d.id)).to.deep.equal([refused.id]);
    const closed = await h.stripe.treasury.financialAccounts.close(fa.id, {}, on());
    expect(closed.status).to.equal('closed');
    expect(await debit(1)).to.include({ status: 'failed', failure_code: 'account_closed' });
  });

  it('refuses what Stripe refuses: a missing or unknown network, a currency the account lacks, another account', async () => {
    const missing = await stripeError(debit(100, { network: undefined }));
    expect([missing.statusCode, missing.code, missing.param]).to.deep.equal([400, 'parameter_missing', 'network']);
    const wire = await stripeError(debit(100, { network: 'us_domestic_wire' as 'ach' }));
    expect([wire.statusCode, wire.param]).to.deep.equal([400, 'network']);
    const euro = await stripeError(debit(100, { currency: 'eur' }));
    expect([euro.param, euro.message]).to.deep.equal(['currency', `The financial account ${fa.id} does not support eur (supported: usd).`]);
    const other = await onboardedAccount(h.stripe);
    const elsewhere = await stripeError(
      h.stripe.testHelpers.treasury.receivedDebits.create(
        { financial_account: fa.id, amount: 100, currency: 'usd', network: 'ach' },
        { stripeAccount: other },
      ),
    );
    expect([elsewhere.statusCode, elsewhere.code, elsewhere.param]).to.deep.equal([404, 'resource_missing', 'financial_account']);
    expect(await cash()).to.equal(5000);
  });
});

// stripe-node 23.1.0 Treasury.ReceivedCredit / ReceivedDebit: created `succeeded` or `failed`; a closed
// or frozen account fails them (failure_code account_closed / account_frozen) instead of refusing the call.
describe('emulator: money received by a closed or frozen financial account', () => {
  const h = useEmulator();
  let account: string;
  const on = () => ({ stripeAccount: account });
  const credit = (fa: string, network: 'ach' | 'us_domestic_wire' = 'ach') =>
    h.stripe.testHelpers.treasury.receivedCredits.create({ financial_account: fa, amount: 700, currency: 'usd', network }, on());
  const debit = (fa: string) =>
    h.stripe.testHelpers.treasury.receivedDebits.create({ financial_account: fa, amount: 100, currency: 'usd', network: 'ach' }, on());
  const cash = async (fa: string) => (await h.stripe.treasury.financialAccounts.retrieve(fa, {}, on())).balance.cash.usd ?? 0;

  beforeEach(async () => {
    account = await onboardedAccount(h.stripe);
  });

  it('creates a received credit to a closed account failed with account_closed, moving nothing', async () => {
    const fa = await issuingFinancialAccount(h.stripe, account);
    await h.stripe.treasury.financialAccounts.close(fa.id, {}, on());
    const failed = await credit(fa.id);
    expect(failed).to.include({ status: 'failed', failure_code: 'account_closed', amount: 700, financial_account: fa.id });
    expect(await cash(fa.id)).to.equal(0);
    const events = await h.stripe.events.list({ type: 'treasury.received_credit.failed' }, on());
    expect(events.data.map((e) => (e.data.object as { id: string }).id)).to.deep.equal([failed.id]);
    expect(
      (await h.stripe.treasury.receivedCredits.list({ financial_account: fa.id, status: 'failed' }, on())).data.map((c) => c.id),
    ).to.deep.equal([failed.id]);
  });

  it('fails credits (but not wires) while inbound flows are restricted and debits while outbound flows are, with account_frozen', async () => {
    const inbound = await issuingFinancialAccount(h.stripe, account, { platform_restrictions: { inbound_flows: 'restricted' } });
    expect(await credit(inbound.id)).to.include({ status: 'failed', failure_code: 'account_frozen' });
    expect(await cash(inbound.id)).to.equal(0);
    // The inbound restriction does not block inbound wires (Financial account features guide).
    expect(await credit(inbound.id, 'us_domestic_wire')).to.include({ status: 'succeeded', failure_code: null });
    expect(await cash(inbound.id)).to.equal(700);

    const outbound = await issuingFinancialAccount(h.stripe, account, { platform_restrictions: { outbound_flows: 'restricted' } });
    expect(await credit(outbound.id)).to.include({ status: 'succeeded', failure_code: null });
    expect(await debit(outbound.id)).to.include({ status: 'failed', failure_code: 'account_frozen' });
    expect(await cash(outbound.id)).to.equal(700);
    await h.stripe.treasury.financialAccounts.update(outbound.id, { platform_restrictions: { outbound_flows: 'unrestricted' } }, on());
    expect(await debit(outbound.id)).to.include({ status: 'succeeded' });
    expect(await cash(outbound.id)).to.equal(600);
  });
});
