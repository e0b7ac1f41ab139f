// The replay itself must be able to fail: a request stripe-mock refuses is reported by name, and a
// missing stripe-mock binary is an error that says how to get it.
import { expect } from 'chai';
import type { RecordedRequest } from '../../emulator';
import { overlayEntryUsedBy, PINNED_OVERLAY } from '../../emulator/spec/pinned-overlay';
import { replayAgainstStripeMock, skippedForPinnedApi } from './replay';

function accepted(method: string, path: string, body: string): RecordedRequest {
  return {
    method,
    path,
    query: '',
    body,
    params: {},
    stripeAccount: 'acct_conformance',
    idempotencyKey: null,
    stripeVersion: null,
    requestId: 'req_test',
    operation: null,
    status: 200,
  };
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

  // One request per pinned-API overlay entry: stripe-mock's older spec refuses each (so the entry is
  // needed), and the replay skips and lists them instead of failing.
  describe('requests that use the pinned API (emulator/spec/pinned-overlay.ts)', () => {
    const pinned = [
      accepted('POST', '/v1/issuing/cards/ic_123', 'financial_account=fa_123'),
      accepted(
        'POST',
        '/v1/webhook_endpoints',
        'url=https%3A%2F%2Fhooks.example.com%2Fs&enabled_events[0]=issuing_card.created&api_version=2026-10-28.endive',
      ),
      accepted('POST', '/v1/webhook_endpoints/we_123', 'enabled_events[0]=issuing_card.created&enabled_events[1]=apps.install.created'),
      accepted('POST', '/v1/test_helpers/treasury/received_credits', 'financial_account=fa_123&amount=100&currency=usd&network=rtp'),
      ...['blik_recurring_payments', 'paypay_payments', 'sequra_payments', 'wero_payments'].map((name) =>
        accepted('POST', '/v1/accounts/acct_123', `capabilities[${name}][requested]=true`),
      ),
      ...['/v1/issuing/cards/ic_123', '/v1/issuing/cardholders/ich_123'].flatMap((path) =>
        ['allowed_merchant_countries', 'blocked_merchant_countries', 'allowed_card_presences', 'blocked_card_presences'].map((control) =>
          accepted(
            'POST',
            path,
            `spending_controls[${control}]=&spending_controls[spending_limits][0][amount]=100&spending_controls[spending_limits][0][interval]=daily`,
          ),
        ),
      ),
    ];

    it('has one sample per overlay entry, and ordinary requests use none', () => {
      expect(pinned.map((request) => overlayEntryUsedBy(request))).to.deep.equal(PINNED_OVERLAY);
      for (const ordinary of [
        accepted('POST', '/v1/issuing/cards/ic_123', 'status=active'),
        accepted(
          'POST',
          '/v1/webhook_endpoints',
          'url=https%3A%2F%2Fh.example.com&enabled_events[0]=issuing_card.created&api_version=2026-08-26.dahlia',
        ),
        accepted('POST', '/v1/test_helpers/treasury/received_credits', 'financial_account=fa_123&amount=100&currency=usd&network=ach'),
        accepted('POST', '/v1/accounts/acct_123', 'capabilities[card_issuing][requested]=true'),
        accepted('POST', '/v1/issuing/cards/ic_123', 'spending_controls[allowed_merchant_countries][0]=US'),
      ]) {
        expect(overlayEntryUsedBy(ordinary), ordinary.body).to.equal(undefined);
      }
    });

    const refused = pinned.filter((request) => !overlayEntryUsedBy(request)!.stripeMockAccepts);

    it('stripe-mock refuses each of them, except the entries it does not check (capability names)', async () => {
      for (const request of pinned) {
        const error = await replayAgainstStripeMock([request], undefined, { skipPinnedApi: false }).then(
          () => null,
          (e: Error) => e,
        );
        if (refused.includes(request)) expect(error?.message, request.body).to.match(/refused 1 of 1 requests/);
        else expect(error, request.body).to.equal(null);
      }
    });

    it('the replay skips those stripe-mock refuses and lists each with its source', async () => {
      expect(await replayAgainstStripeMock(pinned)).to.equal(pinned.length - refused.length);
      expect(skippedForPinnedApi(pinned).map((s) => s.source)).to.deep.equal(
        PINNED_OVERLAY.filter((entry) => !entry.stripeMockAccepts).map((entry) => entry.source),
      );
    });
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
