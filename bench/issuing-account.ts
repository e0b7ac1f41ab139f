/**
 * A fresh in-process emulator with one connected account ready to issue cards (capabilities active,
 * a financial account with card_issuing), reached through the real `stripe` client. The onboarding
 * calls are the emulator tests' own (testbed/stripe-objects.ts).
 */
import type Stripe from 'stripe';
import { type Emulator, startEmulator } from '../emulator';
import { activeCardholder, clientFor, issuingFinancialAccount, onboardedAccount } from '../testbed/stripe-objects';

export interface IssuingAccount {
  emulator: Emulator;
  stripe: Stripe;
  account: string;
  financialAccount: string;
  /** Creates an active cardholder on the account. */
  cardholder(): Promise<Stripe.Issuing.Cardholder>;
  /** Creates an active virtual card for `cardholder` drawing on the financial account. */
  card(cardholder: string): Promise<Stripe.Issuing.Card>;
}

export async function startIssuingAccount(): Promise<IssuingAccount> {
  const emulator = await startEmulator();
  try {
    const stripe = clientFor(emulator);
    const account = await onboardedAccount(stripe);
    const financialAccount = (await issuingFinancialAccount(stripe, account)).id;
    const onAccount = { stripeAccount: account };
    return {
      emulator,
      stripe,
      account,
      financialAccount,
      cardholder: () => activeCardholder(stripe, account),
      card: (cardholder) =>
        stripe.issuing.cards.create(
          { cardholder, financial_account: financialAccount, currency: 'usd', type: 'virtual', status: 'active' },
          onAccount,
        ),
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}
