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

/** An increment as it should end: the purchase and the increment to the cap approved, one unit past it declined, reversed. */
export function incrementResult(): ScenarioResult {
  return {
    ...purchaseResult(),
    scenario: 'increment',
    card: { name: 'globex-fleet-van-1', id: 'ic_2', account: 'acct_2', financialAccount: 'fa_2' },
    purchase: { amount: 1000, currency: 'usd', category: 'service_stations', country: 'US' },
    authorizations: [{ id: 'iauth_3', approved: true, reason: 'webhook_declined', amount: 1, status: 'reversed' }],
    transactions: [],
    increments: {
      cap: 500000,
      held: 500000,
      requests: [
        { amount: 1000, approved: true, reason: 'webhook_approved' },
        { amount: 499000, approved: true, reason: 'webhook_approved' },
        { amount: 1, approved: false, reason: 'webhook_declined' },
      ],
    },
  };
}
