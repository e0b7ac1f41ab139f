import { expect } from 'chai';
import { unexpectedOutcomes } from '../../../simulate/expectations';
import { declinedResult, incrementResult, multiCaptureResult, purchaseResult, replacementResult } from './fixtures';

describe('simulate: scenario result → expected state', () => {
  it('purchase: approved, captured, refunded, balance back', () => {
    expect(unexpectedOutcomes(purchaseResult())).to.deep.equal([]);
  });

  it('purchase: names each difference', () => {
    const result = purchaseResult();
    result.authorizations[0] = { ...result.authorizations[0], approved: false, reason: 'webhook_error' };
    result.transactions = [result.transactions[0]];
    result.after = { cash: 0, outboundPending: 0 };
    expect(unexpectedOutcomes(result)).to.deep.equal([
      'authorization iauth_1 was declined (webhook_error), expected approved',
      'transactions are [capture -1000], expected [capture -1000, refund 1000]',
      'financial account cash moved by -1000, expected 0',
    ]);
  });

  it('every scenario: the cash is back where it was before the run, naming the flow that did not get it there', () => {
    const result = purchaseResult();
    result.cashRestores[0] = {
      ...result.cashRestores[0],
      cashAfter: 1000,
      flow: { ...result.cashRestores[0].flow, status: 'failed', failureCode: 'insufficient_funds' },
    };
    expect(unexpectedOutcomes(result)).to.deep.equal([
      'fa_1 has 1000 usd cash after it was put back, expected 0 as before the run (received_debit rd_1 of -1000: failed, insufficient_funds)',
    ]);
    expect(unexpectedOutcomes({ ...declinedResult('over-limit', 'spending_controls'), cashRestores: result.cashRestores })).to.have.length(
      1,
    );
  });

  it('increment: the purchase and the increment to the cap approved, the one past it declined by the authorizer, the hold reversed', () => {
    expect(unexpectedOutcomes(incrementResult())).to.deep.equal([]);
    const overCap = incrementResult();
    overCap.increments = {
      cap: 500000,
      held: 500001,
      requests: overCap.increments!.requests.map((r, i) => (i === 2 ? { ...r, approved: true, reason: 'webhook_approved' } : r)),
    };
    overCap.authorizations[0].status = 'pending';
    expect(unexpectedOutcomes(overCap)).to.deep.equal([
      'requests on iauth_3 were [1000 approved (webhook_approved), 499000 approved (webhook_approved), 1 approved (webhook_approved)], ' +
        'expected [1000 approved (webhook_approved), 499000 approved (webhook_approved), 1 declined (webhook_declined)]',
      'the authorization held 500001 after the increments, expected the cap 500000',
      'authorization iauth_3 is pending, expected reversed',
    ]);
  });

  it('declines: the reason Stripe reports decides', () => {
    expect(unexpectedOutcomes(declinedResult('over-limit', 'spending_controls'))).to.deep.equal([]);
    expect(unexpectedOutcomes(declinedResult('authorizer-decline', 'webhook_declined'))).to.deep.equal([]);
    expect(unexpectedOutcomes(declinedResult('over-limit', 'insufficient_funds'))).to.deep.equal([
      'authorization iauth_2 was declined (insufficient_funds), expected declined (spending_controls)',
    ]);
  });

  it('restricted-outbound: not_allowed, card_issuing still active, only outbound features restricted, and the restriction put back', () => {
    const result = {
      ...declinedResult('restricted-outbound', 'not_allowed'),
      outboundFlows: {
        original: 'unrestricted',
        during: 'restricted',
        restored: 'unrestricted',
        activeFeatures: ['card_issuing', 'deposit_insurance'],
        restrictedFeatures: ['financial_addresses.aba', 'outbound_payments.ach'],
      },
    };
    expect(unexpectedOutcomes(result)).to.deep.equal([]);
    result.outboundFlows.restored = 'restricted';
    expect(unexpectedOutcomes(result)).to.deep.equal([
      'outbound_flows is restricted after the scenario, expected it restored to unrestricted',
    ]);
    result.outboundFlows = {
      ...result.outboundFlows,
      restored: 'unrestricted',
      activeFeatures: ['deposit_insurance'],
      restrictedFeatures: ['card_issuing', 'outbound_payments.ach'],
    };
    expect(unexpectedOutcomes(result)).to.deep.equal([
      'card_issuing was not in active_features during the restriction (active: deposit_insurance)',
      'the restriction restricted card_issuing, which moves no money out',
    ]);
  });

  it('force-capture: one unlinked capture that took the amount', () => {
    const result = {
      ...purchaseResult(),
      scenario: 'force-capture' as const,
      authorizations: [],
      transactions: [{ id: 'ipi_3', type: 'capture', amount: -1000, authorization: null }],
      after: { cash: 0, outboundPending: 0 },
      cashRestores: [],
    };
    expect(unexpectedOutcomes(result)).to.deep.equal([]);
    expect(unexpectedOutcomes({ ...result, after: result.before })).to.deep.equal(['financial account cash moved by 0, expected -1000']);
  });

  it('dispute: submitted on the captured transaction', () => {
    const purchase = purchaseResult();
    const result = {
      ...purchase,
      scenario: 'dispute' as const,
      transactions: [purchase.transactions[0]],
      after: { cash: 0, outboundPending: 0 },
      cashRestores: [],
      disputes: [{ id: 'idp_1', status: 'submitted', amount: 1000, transaction: 'ipi_1' }],
    };
    expect(unexpectedOutcomes(result)).to.deep.equal([]);
    expect(
      unexpectedOutcomes({ ...result, disputes: [{ ...result.disputes[0], status: 'unsubmitted', transaction: 'ipi_9' }] }),
    ).to.deep.equal(['expected one submitted dispute, got unsubmitted', 'the dispute is not on the captured transaction']);
  });

  it('multi-capture: the first capture leaves the rest held, the second closes it; cash moved by both captures', () => {
    expect(unexpectedOutcomes(multiCaptureResult())).to.deep.equal([]);
    const closedEarly = multiCaptureResult();
    closedEarly.captures![0] = { ...closedEarly.captures![0], status: 'closed', held: 0, outboundPending: 0 };
    expect(unexpectedOutcomes(closedEarly)).to.deep.equal([
      'after the first capture of 500 the authorization was closed holding 0 (outbound_pending +0), expected pending holding 500',
    ]);
    const stillHeld = multiCaptureResult();
    stillHeld.captures![1] = { ...stillHeld.captures![1], status: 'pending', held: 250, outboundPending: 250 };
    expect(unexpectedOutcomes(stillHeld)).to.deep.equal([
      'after the closing capture the authorization was pending holding 250, expected closed holding 0 with outbound_pending back',
    ]);
  });

  it('replacement: number kept, original active until the replacement is activated, then canceled; the limit counts both cards', () => {
    expect(unexpectedOutcomes(replacementResult())).to.deep.equal([]);
    const newNumber = replacementResult();
    newNumber.replacement = { ...newNumber.replacement!, sameLast4: false, originalBefore: 'canceled', originalAfter: 'active' };
    expect(unexpectedOutcomes(newNumber)).to.deep.equal([
      'the damaged replacement ic_4 has another card number than ic_3',
      'the original was canceled before the replacement was activated, expected active',
      'the original was active once the replacement was activated, expected canceled',
    ]);
    const limitNotShared = replacementResult();
    limitNotShared.authorizations[1] = { ...limitNotShared.authorizations[1], approved: true, reason: 'webhook_approved' };
    expect(unexpectedOutcomes(limitNotShared)).to.deep.equal([
      "the replacement's purchase over the shared limit was approved (webhook_approved), closed, expected declined (spending_controls)",
    ]);
  });
});
