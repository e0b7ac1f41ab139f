// Putting a financial account's cash back after a scenario, with the real `stripe` client against the
// emulator: a received debit of what the run added, a received credit of what it took, also when the
// scenario fails.
import { expect } from 'chai';
import { type CashAccount, cashAccounts, withCashRestored } from '../../../simulate/cash-restore';
import { issuingFinancialAccount, onboardedAccount } from '../../../testbed/stripe-objects';
import { useEmulator } from '../../emulator/harness';

describe('simulate: cash put back after each scenario', () => {
  const h = useEmulator();
  let target: CashAccount;
  const on = () => ({ stripeAccount: target.account });
  const cash = async () => (await h.stripe.treasury.financialAccounts.retrieve(target.financialAccount, {}, on())).balance.cash.usd;
  const move = async (kind: 'receivedCredits' | 'receivedDebits', amount: number): Promise<void> => {
    await h.stripe.testHelpers.treasury[kind].create(
      { financial_account: target.financialAccount, amount, currency: 'usd', network: 'ach' },
      on(),
    );
  };

  beforeEach(async () => {
    const account = await onboardedAccount(h.stripe);
    target = { account, financialAccount: (await issuingFinancialAccount(h.stripe, account)).id };
    await move('receivedCredits', 200);
  });

  it('debits what the scenario added, leaving the cash it found', async () => {
    const { result, cashRestores } = await withCashRestored(h.stripe, [target], async () => {
      await move('receivedCredits', 1500);
      return 'done';
    });
    expect(result).to.equal('done');
    expect(cashRestores).to.have.length(1);
    const [cashRestore] = cashRestores;
    expect(cashRestore).to.deep.include({
      financialAccount: target.financialAccount,
      currency: 'usd',
      cashBefore: 200,
      cashLeft: 1700,
      cashAfter: 200,
    });
    expect(cashRestore.flow).to.deep.include({ type: 'received_debit', change: -1500, status: 'succeeded', failureCode: null });
    const debit = await h.stripe.treasury.receivedDebits.retrieve(cashRestore.flow.id, {}, on());
    expect([debit.amount, debit.description]).to.deep.equal([1500, 'Simulation: cash back to what it was before the run']);
    expect(await cash()).to.equal(200);
  });

  it('credits back what the scenario took from cash that was already there', async () => {
    const { cashRestores } = await withCashRestored(h.stripe, [target], () => move('receivedDebits', 150));
    expect(cashRestores.map((s) => [s.flow.type, s.flow.change, s.cashLeft, s.cashAfter])).to.deep.equal([
      ['received_credit', 150, 50, 200],
    ]);
    expect(await cash()).to.equal(200);
  });

  it('moves nothing when the cash is as it was', async () => {
    const { cashRestores } = await withCashRestored(h.stripe, [target], async () => undefined);
    expect(cashRestores).to.deep.equal([]);
    expect((await h.stripe.treasury.receivedDebits.list({ financial_account: target.financialAccount }, on())).data).to.deep.equal([]);
  });

  it('puts the cash back when the scenario fails, then throws its error', async () => {
    const failing = withCashRestored(h.stripe, [target], async () => {
      await move('receivedCredits', 1000);
      throw new Error('authorization refused by the network');
    });
    const error = await failing.then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).to.equal('authorization refused by the network');
    expect(await cash()).to.equal(200);
  });

  it('says so when putting the cash back fails too', async () => {
    const failing = withCashRestored(h.stripe, [target], async () => {
      await move('receivedCredits', 1000);
      h.emulator.setFaults({ serverErrorRatio: 1 });
      throw new Error('scenario failed');
    });
    const error = await failing
      .then(
        () => null,
        (e: Error) => e,
      )
      .finally(() => h.emulator.setFaults({}));
    expect(error?.message).to.match(/^scenario failed\n\(putting the financial accounts' cash back also failed: .+\)$/);
    expect(await cash()).to.equal(1200);
  });

  it('reads each financial account once, whatever the number of cards on it', () => {
    const cards = [
      { account: 'acct_1', financialAccount: 'fa_1' },
      { account: 'acct_1', financialAccount: 'fa_1' },
      { account: 'acct_2', financialAccount: 'fa_2' },
    ];
    expect(cashAccounts(cards)).to.deep.equal([cards[0], cards[2]]);
  });
});
