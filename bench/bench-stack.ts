/**
 * The stack files the engine benchmarks deploy: one connected account with its capabilities, a
 * financial account with card_issuing, and `cards` cards spread over cardholders of at most
 * CARDS_PER_HOLDER cards each (500 cards: 50 cardholders). With `cards` null, the same program declares
 * nothing: the account is named but no resource is planned for it.
 */
import * as fs from 'node:fs';
import { planIssuing } from '../config/plan';
import type { CardholderConfig, IssuingConfig } from '../config/types';
import { checkedStack, parseStackDocument } from '../config/validate';

export const BENCH_ACCOUNT = 'acct_1BenchAcmeIssuing';
export const CARDS_PER_HOLDER = 10;

export function benchIssuing(cards: number | null, account = BENCH_ACCOUNT): IssuingConfig {
  if (cards === null) return { accounts: { acme: { id: account } } };
  const holders = Math.ceil(cards / CARDS_PER_HOLDER);
  // Names are printed on cards: letters only, so each cardholder gets a letter suffix (aa, ab, …).
  const suffix = (h: number) => String.fromCharCode(97 + (Math.floor(h / 26) % 26), 97 + (h % 26));
  const holder = (h: number): CardholderConfig => ({
    name: `Jane Rivera ${suffix(h).toUpperCase()}`,
    email: `jane${h}@acme.example`,
    billing: { address: { line1: '510 Townsend St', city: 'San Francisco', state: 'CA', postalCode: '94103', country: 'US' } },
    individual: { firstName: 'Jane', lastName: 'Rivera' },
    cards: Object.fromEntries(
      Array.from({ length: Math.min(CARDS_PER_HOLDER, cards - h * CARDS_PER_HOLDER) }, (_, i) => [
        `card${h * CARDS_PER_HOLDER + i + 1}`,
        { status: 'active', spendingControls: { spendingLimits: [{ amount: 50000, interval: 'monthly' }] } },
      ]),
    ),
  });
  return {
    accounts: {
      acme: {
        id: account,
        capabilities: ['transfers', 'treasury', 'card_issuing'],
        financialAccount: { nickname: 'Bench operating', supportedCurrencies: ['usd'], features: ['card_issuing'] },
        cardholders: Object.fromEntries(Array.from({ length: holders }, (_, h) => [`jane${h + 1}`, holder(h)])),
      },
    },
  };
}

/** How many resources the program declares for a stack file: checked and planned as the program does. */
export function resourceCount(stackFile: string): number {
  const checked = checkedStack(parseStackDocument(stackFile, fs.readFileSync(stackFile, 'utf8')));
  return planIssuing(checked.issuing, checked).length;
}
