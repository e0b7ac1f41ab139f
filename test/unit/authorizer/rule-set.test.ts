import { expect } from 'chai';
import { assertValidRuleSet } from '../../../authorizer/rule-set';

function problemsOf(value: unknown): string {
  try {
    assertValidRuleSet(value);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('authorizer rules validation', () => {
  it('accepts a complete rule set', () => {
    expect(
      problemsOf({
        stack: 'prod',
        unknownCards: 'decline',
        accounts: { cards: { 'travel-card': 'acct_1Acme' }, cardholders: { jenny: 'acct_1Acme' } },
        killSwitch: false,
        default: { maxAmount: 10000, blockedCountries: ['RU'] },
        cardholders: { jenny: { allowedCategories: ['airlines_air_carriers'] } },
        cards: { 'travel-card': { killSwitch: false, allowedCountries: ['US', 'CA'], blockedCategories: ['bars_taverns'] } },
      }),
    ).to.equal('');
  });

  it('names every problem with its path and what is allowed', () => {
    const message = problemsOf({
      cardholders: { jenny: { maxAmount: 12.5, allowedCountries: ['us'] } },
      cards: {
        'travel-card': { allowedCategories: ['airlines_air_carriers'], blockedCategories: ['bars_taverns'], maxAmout: 5 },
      },
    });
    expect(message).to.contain('rules.cardholders.jenny.maxAmount: expected a positive whole number of minor currency units');
    expect(message).to.contain('rules.cardholders.jenny.allowedCountries[0]: "us" is not valid; expected ISO 3166-1 alpha-2');
    expect(message).to.contain('rules.cards.travel-card: set either allowedCategories or blockedCategories, not both');
    expect(message).to.contain('rules.cards.travel-card.maxAmout: unknown setting; allowed: killSwitch, maxAmount');
  });

  it("requires the stack, the unknown-cards answer and each declared object's account", () => {
    const message = problemsOf({ unknownCards: 'maybe', accounts: { cards: { c: 'not-an-account' } }, cardholders: {}, cards: {} });
    expect(message)
      .to.contain('rules.stack: expected the Pulumi stack name')
      .and.contain('rules.unknownCards: expected one of approve, decline')
      .and.contain('rules.accounts.cards.c: expected a connected account ID (acct_…)')
      .and.contain('rules.accounts.cardholders: expected an object mapping resource names to acct_ IDs');
  });

  it('rejects a rule set without cardholders and cards maps, and empty lists', () => {
    expect(problemsOf({ cards: { c: { blockedCountries: [] } } }))
      .to.contain('rules.cardholders: expected an object keyed by Pulumi resource name')
      .and.contain('rules.cards.c.blockedCountries: expected a non-empty list');
    expect(problemsOf(null)).to.contain('rules: expected an object');
  });
});
