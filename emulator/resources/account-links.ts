// Account Links: single-use URLs for Stripe-hosted onboarding of a connected account. The emulator has no
// onboarding form, so its URL (on the emulator's own address) is not served; the object matches Stripe's.
// Source: API reference "Create an account link" and stripe 23.1.0 `AccountLinkCreateParams`; the
// example in docs.stripe.com/issuing/connect (created 1612927106, expires_at 1612927406) gives the
// five-minute lifetime.
import type Stripe from 'stripe';
import { invalidRequest } from '../errors';
import { newId, nowSeconds } from '../ids';
import type { RouteTable } from '../router';

const LINK_LIFETIME_SECONDS = 300;

export const accountLinkRoutes: RouteTable = {
  'POST /v1/account_links': (params, ctx): Stripe.AccountLink => {
    if (ctx.accountId !== ctx.store.platformAccountId) {
      throw invalidRequest(
        'Account Links are created by the platform for its connected accounts: send the request without Stripe-Account.',
      );
    }
    const account = ctx.store.connectedAccount(params.account, 'account');
    const created = nowSeconds();
    return {
      object: 'account_link',
      created,
      expires_at: created + LINK_LIFETIME_SECONDS,
      url: `${ctx.runtime.baseUrl}/setup/s/${account.account.id}/${newId('link', 24).slice('link_'.length)}`,
    };
  },
};
