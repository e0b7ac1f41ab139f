import type { ScenarioResult } from '../../../simulate/result';

/** A purchase as it should end: approved, captured, refunded, balance back, the funding debited again. */
export function purchaseResult(): ScenarioResult {
  return {
    scenario: 'purchase',
    card: { name: 'acme-jane-travel', id: 'ic_1', account: 'acct_1', financialAccount: 'fa_1' },
    purchase: { amount: 1000, currency: 'usd', category: 'airlines_air_carriers', country: 'US' },
    funded: 1000,
    before: { cash: 1000, outboundPending: 0 },
    after: { cash: 1000, outboundPending: 0 },
    authorizations: [{ id: 'iauth_1', approved: true, reason: 'webhook_approved', amount: 1000, status: 'closed' }],
    transactions: [
      { id: 'ipi_1', type: 'capture', amount: -1000, authorization: 'iauth_1' },
      { id: 'ipi_2', type: 'refund', amount: 1000, authorization: 'iauth_1' },
    ],
    disputes: [],
    cashRestores: [
      {
        financialAccount: 'fa_1',
        currency: 'usd',
        cashBefore: 0,
        cashLeft: 1000,
        cashAfter: 0,
        flow: { type: 'received_debit', id: 'rd_1', change: -1000, status: 'succeeded', failureCode: null },
      },
    ],
  };
}

/** A declined purchase with `reason`: nothing moved. */
export function declinedResult(scenario: ScenarioResult['scenario'], reason: string): ScenarioResult {
  return {
    ...purchaseResult(),
    scenario,
    authorizations: [{ id: 'iauth_2', approved: false, reason, amount: 150001, status: 'closed' }],
    transactions: [],
  };
}
