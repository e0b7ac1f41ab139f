import { expect } from 'chai';
import Stripe from 'stripe';
import { keyAfterFailure, replayedClientFailure } from '../../../provider/idempotency';

// Errors as stripe-node builds them from a response: the body's error plus headers, status, request id.
function stripeError(statusCode: number, headers: Record<string, string>, requestId: string) {
  const raw = {
    type: 'invalid_request_error' as const,
    code: 'resource_missing',
    param: 'cardholder',
    message: "No such issuing cardholder: 'ich_1'",
    request_log_url: 'https://dashboard.stripe.com/test/logs/req_original',
    headers,
    statusCode,
    requestId,
  };
  return statusCode >= 500 ? new Stripe.errors.StripeAPIError(raw) : new Stripe.errors.StripeInvalidRequestError(raw);
}

describe('idempotency: moving past a replayed failure', () => {
  it('identifies a replayed 4xx by its stored body, the same for every replay', () => {
    const first = replayedClientFailure(stripeError(400, { 'idempotent-replayed': 'true', 'request-id': 'req_a' }, 'req_a'));
    const second = replayedClientFailure(stripeError(400, { 'idempotent-replayed': 'true', 'request-id': 'req_b' }, 'req_b'));
    expect(first).to.deep.equal({
      status: 400,
      type: 'invalid_request_error',
      code: 'resource_missing',
      param: 'cardholder',
      message: "No such issuing cardholder: 'ich_1'",
      log: 'https://dashboard.stripe.com/test/logs/req_original',
    });
    expect(second).to.deep.equal(first);
    expect(keyAfterFailure('pulumi-k0', first!))
      .to.equal(keyAfterFailure('pulumi-k0', second!))
      .and.match(/^pulumi-[0-9a-f]{64}$/);
    expect(keyAfterFailure('pulumi-k1', first!)).to.not.equal(keyAfterFailure('pulumi-k0', first!));
  });

  it('leaves first-time errors, replayed 5xx (the object may exist) and other errors alone', () => {
    expect(replayedClientFailure(stripeError(400, { 'request-id': 'req_a' }, 'req_a'))).to.equal(undefined);
    expect(replayedClientFailure(stripeError(500, { 'idempotent-replayed': 'true' }, 'req_a'))).to.equal(undefined);
    expect(replayedClientFailure(new Error('socket hang up'))).to.equal(undefined);
    expect(replayedClientFailure(undefined)).to.equal(undefined);
  });
});
