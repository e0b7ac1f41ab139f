// A real `stripe` client on the emulator, and the objects Issuing needs made through it: a connected
// account onboarded for Issuing on Financial Accounts, a financial account that issues cards, an active
// cardholder. Shared by the emulator's tests and the benchmarks.
import Stripe from 'stripe';
import type { Emulator } from '../emulator';

export function clientFor(emulator: Emulator, apiKey = 'sk_test_emulator'): Stripe {
  return new Stripe(apiKey, { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries: 0 });
}

export const TOS = { date: 1700000000, ip: '127.0.0.1' };

/** A custom connected account ready for Issuing on Financial Accounts (ToS accepted, capabilities requested). */
export async function onboardedAccount(stripe: Stripe): Promise<string> {
  const account = await stripe.accounts.create({
    type: 'custom',
    country: 'US',
    capabilities: { transfers: { requested: true }, treasury: { requested: true }, card_issuing: { requested: true } },
    settings: { card_issuing: { tos_acceptance: TOS }, treasury: { tos_acceptance: TOS } },
  });
  return account.id;
}

export async function issuingFinancialAccount(
  stripe: Stripe,
  account: string,
  extra: Partial<Stripe.Treasury.FinancialAccountCreateParams> = {},
): Promise<Stripe.Treasury.FinancialAccount> {
  return stripe.treasury.financialAccounts.create(
    {
      supported_currencies: ['usd'],
      features: { card_issuing: { requested: true }, financial_addresses: { aba: { requested: true } } },
      ...extra,
    },
    { stripeAccount: account },
  );
}

export const BILLING = { address: { line1: '1 Main St', city: 'San Francisco', state: 'CA', postal_code: '94103', country: 'US' } };

export async function activeCardholder(
  stripe: Stripe,
  account: string,
  extra: Partial<Stripe.Issuing.CardholderCreateParams> = {},
): Promise<Stripe.Issuing.Cardholder> {
  return stripe.issuing.cardholders.create(
    { name: 'Jenny Rosen', type: 'individual', billing: BILLING, individual: { first_name: 'Jenny', last_name: 'Rosen' }, ...extra },
    { stripeAccount: account },
  );
}
