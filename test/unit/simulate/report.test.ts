import { expect } from 'chai';
import { formatScenarioLine, formatScenarioResult } from '../../../simulate/report';
import { declinedResult, incrementResult, purchaseResult } from './fixtures';

describe('simulate: report', () => {
  it('shows the card, the authorization, the transactions and the balance of a scenario', () => {
    const text = formatScenarioResult(purchaseResult(), []);
    expect(text).to.equal(
      [
        '== purchase: acme-jane-travel (ic_1 on acct_1), 1000 usd at airlines_air_carriers in US',
        '',
        'authorization  approved  reason            amount  status',
        '-------------  --------  ----------------  ------  ------',
        'iauth_1        yes       webhook_approved    1000  closed',
        '',
        'transaction  type     amount  authorization',
        '-----------  -------  ------  -------------',
        'ipi_1        capture   -1000  iauth_1',
        'ipi_2        refund     1000  iauth_1',
        '',
        'financial account  funded  cash before  cash after  pending before  pending after',
        '-----------------  ------  -----------  ----------  --------------  -------------',
        'fa_1                 1000         1000        1000               0              0',
        '',
        'cash put back  flow            id    change  status     cash before run  left by run  cash now',
        '-------------  --------------  ----  ------  ---------  ---------------  -----------  --------',
        'fa_1           received_debit  rd_1   -1000  succeeded                0         1000         0',
        '',
        'as expected',
      ].join('\n'),
    );
  });

  it('says so when no cash had to be put back, and shows a failed flow with its failure code', () => {
    expect(formatScenarioResult({ ...purchaseResult(), cashRestores: [] }, [])).to.include(
      '\n\ncash put back: nothing to do, every financial account has the cash it had before the run\n\n',
    );
    const failed = purchaseResult();
    failed.cashRestores[0].flow = { ...failed.cashRestores[0].flow, status: 'failed', failureCode: 'insufficient_funds' };
    expect(formatScenarioResult(failed, [])).to.match(/rd_1 {3}-1000 {2}failed \(insufficient_funds\)/);
  });

  it('lists what was not as expected', () => {
    expect(formatScenarioResult(purchaseResult(), ['one', 'two'])).to.match(/NOT as expected:\n {2}- one\n {2}- two$/);
  });

  it('says in one line per scenario what Stripe did and whether it was expected', () => {
    expect(formatScenarioLine(purchaseResult(), [])).to.equal(
      'ok  purchase             approved (webhook_approved), capture 1000, refund 1000  [acme-jane-travel: 1000 usd at airlines_air_carriers, US]',
    );
    expect(formatScenarioLine(declinedResult('over-limit', 'spending_controls'), ['one'])).to.equal(
      'NOT as expected  over-limit           declined (spending_controls)  [acme-jane-travel: 1000 usd at airlines_air_carriers, US]',
    );
    const forced = {
      ...purchaseResult(),
      scenario: 'force-capture' as const,
      authorizations: [],
      transactions: [{ id: 'ipi_3', type: 'capture', amount: -1000, authorization: null }],
    };
    expect(formatScenarioLine(forced, [])).to.match(/^ok {2}force-capture {8}no authorization, capture 1000 {2}\[/);
    expect(formatScenarioLine(incrementResult(), [])).to.equal(
      'ok  increment            approved (webhook_approved), +499000 approved (webhook_approved), +1 declined (webhook_declined), ' +
        'held 500000 of cap 500000, reversed  [globex-fleet-van-1: 1000 usd at service_stations, US]',
    );
    expect(formatScenarioResult(incrementResult(), [])).to.contain(
      [
        'request      amount  approved  reason',
        '-----------  ------  --------  ----------------',
        'purchase       1000  yes       webhook_approved',
      ].join('\n'),
    );
  });
});
