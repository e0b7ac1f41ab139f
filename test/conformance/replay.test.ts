// The replay itself must be able to fail: a request stripe-mock refuses is reported by name, and a
// missing stripe-mock binary is an error that says how to get it.
import { expect } from 'chai';
import type { RecordedRequest } from '../../emulator';
import { replayAgainstStripeMock } from './replay';

function accepted(method: string, path: string, body: string): RecordedRequest {
  return { method, path, query: '', body, params: {}, stripeAccount: 'acct_conformance', idempotencyKey: null, stripeVersion: null, requestId: 'req_test', operation: null, status: 200 };
}

describe('conformance: replayAgainstStripeMock', () => {
  it('fails naming each request stripe-mock refuses and replays the ones it accepts', async () => {
    const requests = [
      accepted('POST', '/v1/issuing/cards', 'currency=usd&type=virtual&cardholder=ich_123'),
      accepted('POST', '/v1/issuing/cards', 'currency=usd&type=virtual&colour=blue'),
    ];
    const error = await replayAgainstStripeMock(requests).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).to.match(/refused 1 of 2 requests/);
    expect(error?.message).to.include('POST /v1/issuing/cards → stripe-mock 400');
    expect(error?.message).to.include('colour=blue');
  });

  it('ignores requests the emulator refused itself', async () => {
    const refused = { ...accepted('POST', '/v1/issuing/cards', 'colour=blue'), status: 400 };
    expect(await replayAgainstStripeMock([refused])).to.equal(0);
  });

  it('fails with a pointer to `npm run setup` when stripe-mock is missing', async () => {
    const error = await replayAgainstStripeMock([], '/nonexistent/stripe-mock').then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).to.match(/stripe-mock is not installed at \/nonexistent\/stripe-mock\. Run `npm run setup`/);
  });
});
