/** The smallest complete issuing setup; tests start from a fresh copy and change one thing each. */
import type { IssuingConfig } from '../../config/types';

export const ADDRESS = { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };

/** One account, one managed financial account, one cardholder with one card; a new object tree each call. */
export function minimalIssuing(): IssuingConfig {
  return {
    accounts: {
      acme: {
        id: 'acct_1Acme',
        capabilities: ['transfers', 'treasury', 'card_issuing'],
        financialAccount: { supportedCurrencies: ['usd'], features: ['card_issuing'] },
        cardholders: {
          jane: {
            name: 'Jane Doe',
            billing: { address: { ...ADDRESS } },
            // Stripe activates an individual's cards only once the cardholder has both names.
            individual: { firstName: 'Jane', lastName: 'Doe' },
            cards: { travel: { status: 'active', spendingControls: { spendingLimits: [{ amount: 5000, interval: 'daily' }] } } },
          },
        },
      },
    },
  };
}
