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

/** A multi-capture as it should end: 500 captured leaving 500 held, then 250 captured closing it. */
export function multiCaptureResult(): ScenarioResult {
  return {
    ...purchaseResult(),
    scenario: 'multi-capture',
    after: { cash: 250, outboundPending: 0 },
    transactions: [
      { id: 'ipi_3', type: 'capture', amount: -500, authorization: 'iauth_1', treasuryFlow: 'rd_2' },
      { id: 'ipi_4', type: 'capture', amount: -250, authorization: 'iauth_1', treasuryFlow: 'rd_3' },
    ],
    captures: [
      { amount: 500, closeAuthorization: false, status: 'pending', held: 500, outboundPending: 500 },
      { amount: 250, closeAuthorization: true, status: 'closed', held: 0, outboundPending: 0 },
    ],
  };
}

/** A replacement as it should end: number kept, original canceled on activation, the limit shared, money back. */
export function replacementResult(): ScenarioResult {
  return {
    ...purchaseResult(),
    scenario: 'replacement',
    authorizations: [
      { id: 'iauth_4', approved: true, reason: 'webhook_approved', amount: 1000, status: 'closed' },
      { id: 'iauth_5', approved: false, reason: 'spending_controls', amount: 1000, status: 'closed' },
      { id: 'iauth_6', approved: true, reason: 'webhook_approved', amount: 500, status: 'reversed' },
    ],
    transactions: [
      { id: 'ipi_5', type: 'capture', amount: -1000, authorization: 'iauth_4' },
      { id: 'ipi_6', type: 'refund', amount: 1000, authorization: 'iauth_4' },
    ],
    replacement: {
      original: 'ic_3',
      replacement: 'ic_4',
      reason: 'damaged',
      sameLast4: true,
      originalBefore: 'active',
      originalAfter: 'canceled',
      replacedBy: 'ic_4',
      replacementFor: 'ic_3',
      limit: 1500,
    },
  };
}
