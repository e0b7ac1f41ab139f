// Stripe's test-mode helpers: simulated card purchases and their lifecycle, money movements without an
// authorization, card shipping and Treasury funding. Each delegates to the resource family it acts on.
import type { RouteTable } from '../router';
import {
  captureAuthorization,
  createAuthorization,
  expireAuthorization,
  finalizeAuthorizationAmount,
  forceCapture,
  incrementAuthorization,
  refundTransaction,
  reverseAuthorization,
  unlinkedRefund,
} from './authorizations';
import { advanceShipping } from './cards';
import { receiveCredit, receiveDebit } from './received-money';

export const testHelperRoutes: RouteTable = {
  'POST /v1/test_helpers/issuing/authorizations': createAuthorization,
  'POST /v1/test_helpers/issuing/authorizations/{authorization}/capture': captureAuthorization,
  'POST /v1/test_helpers/issuing/authorizations/{authorization}/expire': expireAuthorization,
  'POST /v1/test_helpers/issuing/authorizations/{authorization}/increment': incrementAuthorization,
  'POST /v1/test_helpers/issuing/authorizations/{authorization}/reverse': reverseAuthorization,
  'POST /v1/test_helpers/issuing/authorizations/{authorization}/finalize_amount': finalizeAuthorizationAmount,
  'POST /v1/test_helpers/issuing/transactions/create_force_capture': forceCapture,
  'POST /v1/test_helpers/issuing/transactions/create_unlinked_refund': unlinkedRefund,
  'POST /v1/test_helpers/issuing/transactions/{transaction}/refund': refundTransaction,
  'POST /v1/test_helpers/issuing/cards/{card}/shipping/ship': (_params, ctx) => advanceShipping(ctx, 'ship'),
  'POST /v1/test_helpers/issuing/cards/{card}/shipping/deliver': (_params, ctx) => advanceShipping(ctx, 'deliver'),
  'POST /v1/test_helpers/issuing/cards/{card}/shipping/fail': (_params, ctx) => advanceShipping(ctx, 'fail'),
  'POST /v1/test_helpers/issuing/cards/{card}/shipping/return': (_params, ctx) => advanceShipping(ctx, 'return'),
  'POST /v1/test_helpers/issuing/cards/{card}/shipping/submit': (_params, ctx) => advanceShipping(ctx, 'submit'),
  'POST /v1/test_helpers/treasury/received_credits': receiveCredit,
  'POST /v1/test_helpers/treasury/received_debits': receiveDebit,
};
