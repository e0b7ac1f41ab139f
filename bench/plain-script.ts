/**
 * The bound of the rate-limited `up`: a plain stripe-node script that makes the same objects as the
 * bench stack (capabilities, financial account and its features, cardholders, cards) with no engine
 * and no state, every request in flight as soon as what it refers to exists, paced for the same limit
 * by the same pacer the provider uses. What the `up` takes beyond it is the engine's and provider's.
 */
import type Stripe from 'stripe';
import type { IssuingConfig } from '../config/types';
import { stripeClient } from '../provider/client';

/** Makes every object of `issuing`'s single account through `apiBase`; resolves with the requests made. */
export async function makeObjectsPlainly(
  issuing: IssuingConfig,
  apiBase: string,
  apiKey: string,
  requestsPerSecond: number,
): Promise<void> {
  const stripe = stripeClient({ apiKey, apiBase, mode: 'test', maxRequestsPerSecond: requestsPerSecond });
  for (const account of Object.values(issuing.accounts)) {
    const id = account.id as string;
    const onAccount = { stripeAccount: id };
    const capabilities = Promise.all(
      (account.capabilities ?? []).map((name) => stripe.accounts.updateCapability(id, name, { requested: true })),
    );
    const cardholders = Object.values(account.cardholders ?? {}).map(async (holder) => {
      const made = await stripe.issuing.cardholders.create(
        {
          name: holder.name,
          email: holder.email,
          type: 'individual',
          status: 'active',
          billing: {
            address: {
              line1: holder.billing.address.line1,
              city: holder.billing.address.city,
              state: holder.billing.address.state,
              postal_code: holder.billing.address.postalCode,
              country: holder.billing.address.country,
            },
          },
          individual: holder.individual && { first_name: holder.individual.firstName, last_name: holder.individual.lastName },
        },
        onAccount,
      );
      return { id: made.id, cards: Object.keys(holder.cards ?? {}).length };
    });
    await capabilities;
    const financialAccount = await stripe.treasury.financialAccounts.create(
      { supported_currencies: account.financialAccount?.supportedCurrencies ?? ['usd'], nickname: account.financialAccount?.nickname },
      onAccount,
    );
    await stripe.treasury.financialAccounts.updateFeatures(financialAccount.id, { card_issuing: { requested: true } }, onAccount);
    const cards = (await Promise.all(cardholders)).flatMap((holder) =>
      Array.from({ length: holder.cards }, () =>
        stripe.issuing.cards.create(
          {
            cardholder: holder.id,
            financial_account: financialAccount.id,
            currency: 'usd',
            type: 'virtual',
            status: 'active',
            spending_controls: { spending_limits: [{ amount: 50000, interval: 'monthly' }] },
          } as Stripe.Issuing.CardCreateParams,
          onAccount,
        ),
      ),
    );
    await Promise.all(cards);
  }
}
