/**
 * The stack files the engine benchmarks deploy: one connected account with its capabilities, a
 * financial account with card_issuing, one cardholder and `cards` cards. With `cards` null, the same
 * program declares nothing: the account is named but no resource is planned for it.
 */
import { planIssuing } from '../config/plan';
import type { CardholderConfig, IssuingConfig } from '../config/types';

export const BENCH_ACCOUNT = 'acct_1BenchAcmeIssuing';

export function benchIssuing(cards: number | null): IssuingConfig {
    if (cards === null) return { accounts: { acme: { id: BENCH_ACCOUNT } } };
    const holder: CardholderConfig = {
        name: 'Jane Rivera',
        email: 'jane@acme.example',
        billing: { address: { line1: '510 Townsend St', city: 'San Francisco', state: 'CA', postalCode: '94103', country: 'US' } },
        individual: { firstName: 'Jane', lastName: 'Rivera' },
        cards: Object.fromEntries(
            Array.from({ length: cards }, (_, i) => [`card${i + 1}`, { status: 'active', spendingControls: { spendingLimits: [{ amount: 50000, interval: 'monthly' }] } }]),
        ),
    };
    return {
        accounts: {
            acme: {
                id: BENCH_ACCOUNT,
                capabilities: ['transfers', 'treasury', 'card_issuing'],
                financialAccount: { nickname: 'Bench operating', supportedCurrencies: ['usd'], features: ['card_issuing'] },
                cardholders: { jane: holder },
            },
        },
    };
}

/** How many resources the program declares for this setup (the plan the program itself uses). */
export function resourceCount(issuing: IssuingConfig): number {
    return planIssuing(issuing, { mode: 'test' }).length;
}
