// Every operation the emulator serves, as "METHOD /spec/path". The router and the parameter extractor
// both read this list, so an endpoint cannot be served without its parameter schema.
import type Stripe from 'stripe';

export const SERVED_OPERATIONS = [
  'POST /v1/accounts',
  'GET /v1/accounts',
  'GET /v1/accounts/{account}',
  'POST /v1/accounts/{account}',
  'GET /v1/accounts/{account}/capabilities',
  'GET /v1/accounts/{account}/capabilities/{capability}',
  'POST /v1/accounts/{account}/capabilities/{capability}',
  'POST /v1/account_links',
  'POST /v1/treasury/financial_accounts',
  'GET /v1/treasury/financial_accounts',
  'GET /v1/treasury/financial_accounts/{financial_account}',
  'POST /v1/treasury/financial_accounts/{financial_account}',
  'POST /v1/treasury/financial_accounts/{financial_account}/close',
  'GET /v1/treasury/financial_accounts/{financial_account}/features',
  'POST /v1/treasury/financial_accounts/{financial_account}/features',
  'GET /v1/treasury/received_credits',
  'GET /v1/treasury/received_credits/{id}',
  'GET /v1/treasury/received_debits',
  'GET /v1/treasury/received_debits/{id}',
  'GET /v1/treasury/transactions',
  'GET /v1/treasury/transactions/{id}',
  'POST /v1/issuing/cardholders',
  'GET /v1/issuing/cardholders',
  'GET /v1/issuing/cardholders/{cardholder}',
  'POST /v1/issuing/cardholders/{cardholder}',
  'POST /v1/issuing/cards',
  'GET /v1/issuing/cards',
  'GET /v1/issuing/cards/{card}',
  'POST /v1/issuing/cards/{card}',
  'GET /v1/issuing/authorizations',
  'GET /v1/issuing/authorizations/{authorization}',
  'POST /v1/issuing/authorizations/{authorization}',
  'POST /v1/issuing/authorizations/{authorization}/approve',
  'POST /v1/issuing/authorizations/{authorization}/decline',
  'GET /v1/issuing/transactions',
  'GET /v1/issuing/transactions/{transaction}',
  'POST /v1/issuing/transactions/{transaction}',
  'POST /v1/issuing/disputes',
  'GET /v1/issuing/disputes',
  'GET /v1/issuing/disputes/{dispute}',
  'POST /v1/issuing/disputes/{dispute}',
  'POST /v1/issuing/disputes/{dispute}/submit',
  'POST /v1/webhook_endpoints',
  'GET /v1/webhook_endpoints',
  'GET /v1/webhook_endpoints/{webhook_endpoint}',
  'POST /v1/webhook_endpoints/{webhook_endpoint}',
  'DELETE /v1/webhook_endpoints/{webhook_endpoint}',
  'GET /v1/events',
  'GET /v1/events/{id}',
  'POST /v1/test_helpers/issuing/authorizations',
  'POST /v1/test_helpers/issuing/authorizations/{authorization}/capture',
  'POST /v1/test_helpers/issuing/authorizations/{authorization}/expire',
  'POST /v1/test_helpers/issuing/authorizations/{authorization}/increment',
  'POST /v1/test_helpers/issuing/authorizations/{authorization}/reverse',
  'POST /v1/test_helpers/issuing/authorizations/{authorization}/finalize_amount',
  'POST /v1/test_helpers/issuing/transactions/create_force_capture',
  'POST /v1/test_helpers/issuing/transactions/create_unlinked_refund',
  'POST /v1/test_helpers/issuing/transactions/{transaction}/refund',
  'POST /v1/test_helpers/issuing/cards/{card}/shipping/ship',
  'POST /v1/test_helpers/issuing/cards/{card}/shipping/deliver',
  'POST /v1/test_helpers/issuing/cards/{card}/shipping/fail',
  'POST /v1/test_helpers/issuing/cards/{card}/shipping/return',
  'POST /v1/test_helpers/issuing/cards/{card}/shipping/submit',
  'POST /v1/test_helpers/treasury/received_credits',
  'POST /v1/test_helpers/treasury/received_debits',
] as const;

export type ServedOperation = (typeof SERVED_OPERATIONS)[number];

// stripe 23.1.0 does not export the test helpers' params types by name (Stripe.TestHelpers holds only
// the test clock ones): they are read from the client methods that send them, e.g.
// `testHelpers.issuing.authorizations.create(params: TestHelpers.Issuing.AuthorizationCreateParams)`.
type Helpers = Stripe['testHelpers'];
/** A client method's argument at `index` (0: `create(params)`, 1: `capture(id, params?)`). */
type Arg<Method extends (...args: never[]) => unknown, Index extends 0 | 1> = NonNullable<Parameters<Method>[Index]>;

/** Asks for exactly one entry per served operation: none missing, none extra. */
type ForEveryOperation<T extends Record<ServedOperation, object> & Record<Exclude<keyof T, ServedOperation>, never>> = T;

/**
 * The parameters each operation's handler receives: the pinned `stripe` package's (23.1.0) type for the
 * call that sends them. params.ts checks every request against the operation's schema (stripe-mock's
 * spec plus the pinned overlay), so what reaches a handler has this shape, with the form's strings
 * coerced to numbers, booleans and arrays.
 */
export type OperationParams = ForEveryOperation<{
  'POST /v1/accounts': Stripe.AccountCreateParams;
  'GET /v1/accounts': Stripe.AccountListParams;
  'GET /v1/accounts/{account}': Stripe.AccountRetrieveParams;
  'POST /v1/accounts/{account}': Stripe.AccountUpdateParams;
  'GET /v1/accounts/{account}/capabilities': Stripe.AccountListCapabilitiesParams;
  'GET /v1/accounts/{account}/capabilities/{capability}': Stripe.AccountRetrieveCapabilityParams;
  'POST /v1/accounts/{account}/capabilities/{capability}': Stripe.AccountUpdateCapabilityParams;
  'POST /v1/account_links': Stripe.AccountLinkCreateParams;
  'POST /v1/treasury/financial_accounts': Stripe.Treasury.FinancialAccountCreateParams;
  'GET /v1/treasury/financial_accounts': Stripe.Treasury.FinancialAccountListParams;
  'GET /v1/treasury/financial_accounts/{financial_account}': Stripe.Treasury.FinancialAccountRetrieveParams;
  'POST /v1/treasury/financial_accounts/{financial_account}': Stripe.Treasury.FinancialAccountUpdateParams;
  'POST /v1/treasury/financial_accounts/{financial_account}/close': Stripe.Treasury.FinancialAccountCloseParams;
  'GET /v1/treasury/financial_accounts/{financial_account}/features': Stripe.Treasury.FinancialAccountRetrieveFeaturesParams;
  'POST /v1/treasury/financial_accounts/{financial_account}/features': Stripe.Treasury.FinancialAccountUpdateFeaturesParams;
  'GET /v1/treasury/received_credits': Stripe.Treasury.ReceivedCreditListParams;
  'GET /v1/treasury/received_credits/{id}': Stripe.Treasury.ReceivedCreditRetrieveParams;
  'GET /v1/treasury/received_debits': Stripe.Treasury.ReceivedDebitListParams;
  'GET /v1/treasury/received_debits/{id}': Stripe.Treasury.ReceivedDebitRetrieveParams;
  'GET /v1/treasury/transactions': Stripe.Treasury.TransactionListParams;
  'GET /v1/treasury/transactions/{id}': Stripe.Treasury.TransactionRetrieveParams;
  'POST /v1/issuing/cardholders': Stripe.Issuing.CardholderCreateParams;
  'GET /v1/issuing/cardholders': Stripe.Issuing.CardholderListParams;
  'GET /v1/issuing/cardholders/{cardholder}': Stripe.Issuing.CardholderRetrieveParams;
  'POST /v1/issuing/cardholders/{cardholder}': Stripe.Issuing.CardholderUpdateParams;
  'POST /v1/issuing/cards': Stripe.Issuing.CardCreateParams;
  'GET /v1/issuing/cards': Stripe.Issuing.CardListParams;
  'GET /v1/issuing/cards/{card}': Stripe.Issuing.CardRetrieveParams;
  'POST /v1/issuing/cards/{card}': Stripe.Issuing.CardUpdateParams;
  'GET /v1/issuing/authorizations': Stripe.Issuing.AuthorizationListParams;
  'GET /v1/issuing/authorizations/{authorization}': Stripe.Issuing.AuthorizationRetrieveParams;
  'POST /v1/issuing/authorizations/{authorization}': Stripe.Issuing.AuthorizationUpdateParams;
  'POST /v1/issuing/authorizations/{authorization}/approve': Stripe.Issuing.AuthorizationApproveParams;
  'POST /v1/issuing/authorizations/{authorization}/decline': Stripe.Issuing.AuthorizationDeclineParams;
  'GET /v1/issuing/transactions': Stripe.Issuing.TransactionListParams;
  'GET /v1/issuing/transactions/{transaction}': Stripe.Issuing.TransactionRetrieveParams;
  'POST /v1/issuing/transactions/{transaction}': Stripe.Issuing.TransactionUpdateParams;
  'POST /v1/issuing/disputes': Stripe.Issuing.DisputeCreateParams;
  'GET /v1/issuing/disputes': Stripe.Issuing.DisputeListParams;
  'GET /v1/issuing/disputes/{dispute}': Stripe.Issuing.DisputeRetrieveParams;
  'POST /v1/issuing/disputes/{dispute}': Stripe.Issuing.DisputeUpdateParams;
  'POST /v1/issuing/disputes/{dispute}/submit': Stripe.Issuing.DisputeSubmitParams;
  'POST /v1/webhook_endpoints': Stripe.WebhookEndpointCreateParams;
  'GET /v1/webhook_endpoints': Stripe.WebhookEndpointListParams;
  'GET /v1/webhook_endpoints/{webhook_endpoint}': Stripe.WebhookEndpointRetrieveParams;
  'POST /v1/webhook_endpoints/{webhook_endpoint}': Stripe.WebhookEndpointUpdateParams;
  'DELETE /v1/webhook_endpoints/{webhook_endpoint}': Stripe.WebhookEndpointDeleteParams;
  'GET /v1/events': Stripe.EventListParams;
  'GET /v1/events/{id}': Stripe.EventRetrieveParams;
  'POST /v1/test_helpers/issuing/authorizations': Arg<Helpers['issuing']['authorizations']['create'], 0>;
  'POST /v1/test_helpers/issuing/authorizations/{authorization}/capture': Arg<Helpers['issuing']['authorizations']['capture'], 1>;
  'POST /v1/test_helpers/issuing/authorizations/{authorization}/expire': Arg<Helpers['issuing']['authorizations']['expire'], 1>;
  'POST /v1/test_helpers/issuing/authorizations/{authorization}/increment': Arg<Helpers['issuing']['authorizations']['increment'], 1>;
  'POST /v1/test_helpers/issuing/authorizations/{authorization}/reverse': Arg<Helpers['issuing']['authorizations']['reverse'], 1>;
  'POST /v1/test_helpers/issuing/authorizations/{authorization}/finalize_amount': Arg<
    Helpers['issuing']['authorizations']['finalizeAmount'],
    1
  >;
  'POST /v1/test_helpers/issuing/transactions/create_force_capture': Arg<Helpers['issuing']['transactions']['createForceCapture'], 0>;
  'POST /v1/test_helpers/issuing/transactions/create_unlinked_refund': Arg<Helpers['issuing']['transactions']['createUnlinkedRefund'], 0>;
  'POST /v1/test_helpers/issuing/transactions/{transaction}/refund': Arg<Helpers['issuing']['transactions']['refund'], 1>;
  'POST /v1/test_helpers/issuing/cards/{card}/shipping/ship': Arg<Helpers['issuing']['cards']['shipCard'], 1>;
  'POST /v1/test_helpers/issuing/cards/{card}/shipping/deliver': Arg<Helpers['issuing']['cards']['deliverCard'], 1>;
  'POST /v1/test_helpers/issuing/cards/{card}/shipping/fail': Arg<Helpers['issuing']['cards']['failCard'], 1>;
  'POST /v1/test_helpers/issuing/cards/{card}/shipping/return': Arg<Helpers['issuing']['cards']['returnCard'], 1>;
  'POST /v1/test_helpers/issuing/cards/{card}/shipping/submit': Arg<Helpers['issuing']['cards']['submitCard'], 1>;
  'POST /v1/test_helpers/treasury/received_credits': Arg<Helpers['treasury']['receivedCredits']['create'], 0>;
  'POST /v1/test_helpers/treasury/received_debits': Arg<Helpers['treasury']['receivedDebits']['create'], 0>;
}>;
