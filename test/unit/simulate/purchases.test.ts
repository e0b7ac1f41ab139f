import { expect } from 'chai';
import type { RuleSet } from '../../../authorizer/types';
import {
  approvedPurchase,
  authorizerDeclinedPurchase,
  type CardFacts,
  firstPlanned,
  incrementedPurchase,
  overLimitPurchase,
  type StripeSpendingControls,
} from '../../../simulate/purchases';

function controls(given: Partial<StripeSpendingControls>): StripeSpendingControls {
  return {
    allowed_categories: null,
    allowed_merchant_countries: null,
    blocked_categories: null,
    blocked_merchant_countries: null,
    spending_limits: [],
    spending_limits_currency: 'usd',
    ...given,
  } as StripeSpendingControls;
}

// The dev stack's cards and rules (stacks/Pulumi.dev.yaml).
const travel: CardFacts = {
  name: 'acme-jane-travel',
  cardholderName: 'acme-jane',
  currency: 'usd',
  usable: true,
  controls: [
    controls({
      allowed_categories: ['airlines_air_carriers', 'car_rental_agencies'] as never,
      spending_limits: [
        { amount: 500000, interval: 'monthly', categories: null },
        { amount: 150000, interval: 'per_authorization', categories: null },
      ],
    }),
  ],
};
const office: CardFacts = {
  name: 'acme-jane-office',
  cardholderName: 'acme-jane',
  currency: 'usd',
  usable: true,
  controls: [
    controls({
      blocked_categories: ['betting_casino_gambling'] as never,
      spending_limits: [{ amount: 50000, interval: 'weekly', categories: null }],
    }),
  ],
};
const van: CardFacts = {
  name: 'globex-fleet-van-1',
  cardholderName: 'globex-fleet',
  currency: 'usd',
  usable: true,
  controls: [
    controls({ allowed_categories: ['service_stations'] as never }),
    controls({ spending_limits: [{ amount: 1000000, interval: 'monthly', categories: null }] }),
  ],
};
const rules: RuleSet = {
  stack: 'dev',
  unknownCards: 'decline',
  accounts: {
    cards: { 'acme-jane-travel': 'acct_1Acme', 'acme-jane-office': 'acct_1Acme', 'globex-fleet-van-1': 'acct_1Globex' },
    cardholders: { 'acme-jane': 'acct_1Acme', 'globex-fleet': 'acct_1Globex' },
  },
  default: { maxAmount: 500000 },
  cardholders: { 'acme-jane': { maxAmount: 200000 } },
  cards: { 'acme-jane-office': { blockedCountries: ['KP', 'IR'] } },
};

describe('simulate: planned purchases', () => {
  it('approved: a small amount at a category the card allows, in the US', () => {
    expect(approvedPurchase(travel, rules)).to.deep.equal({
      amount: 1000,
      currency: 'usd',
      category: 'airlines_air_carriers',
      country: 'US',
    });
    expect(approvedPurchase(office, rules)).to.deep.equal({
      amount: 1000,
      currency: 'usd',
      category: 'computer_software_stores',
      country: 'US',
    });
  });

  it('approved: never on an unusable card, never over a limit lower than the usual amount', () => {
    expect(approvedPurchase({ ...travel, usable: false }, rules)).to.equal(undefined);
    const tiny = { ...office, controls: [controls({ spending_limits: [{ amount: 300, interval: 'daily', categories: null }] })] };
    expect(approvedPurchase(tiny, rules)?.amount).to.equal(300);
    const none = { ...office, controls: [controls({ spending_limits: [{ amount: 0, interval: 'all_time', categories: null }] })] };
    expect(approvedPurchase(none, rules)).to.equal(undefined);
  });

  it('over-limit: one unit over the lowest limit that applies to the category', () => {
    expect(overLimitPurchase(travel, rules)?.amount).to.equal(150001);
    const categoryLimit = {
      ...van,
      controls: [
        controls({
          spending_limits: [
            { amount: 100, interval: 'daily', categories: ['airlines_air_carriers'] as never },
            { amount: 70000, interval: 'daily', categories: null },
          ],
        }),
      ],
    };
    expect(overLimitPurchase(categoryLimit, rules)).to.deep.include({ amount: 70001, category: 'computer_software_stores' });
    expect(overLimitPurchase({ ...van, controls: [] }, rules)).to.equal(undefined);
  });

  it("authorizer-decline: over the authorizer's maxAmount when Stripe's limits allow it", () => {
    expect(authorizerDeclinedPurchase(van, rules)).to.deep.equal({
      amount: 500001,
      currency: 'usd',
      category: 'service_stations',
      country: 'US',
    });
  });

  it("authorizer-decline: a country the card's rules block when every cap is above Stripe's limits", () => {
    expect(authorizerDeclinedPurchase(office, rules)).to.deep.equal({
      amount: 1000,
      currency: 'usd',
      category: 'computer_software_stores',
      country: 'KP',
    });
    expect(authorizerDeclinedPurchase(travel, rules)).to.equal(undefined);
  });

  it('increment: to the cap exactly, then one unit past it, on a card whose Stripe limits allow the total past the cap', () => {
    expect(incrementedPurchase(van, rules)).to.deep.equal({
      amount: 1000,
      currency: 'usd',
      category: 'service_stations',
      country: 'US',
      cap: 500000,
      withinCap: 499000,
      pastCap: 1,
    });
    // Jane's cap (200000, not the default) is over the travel card's per-authorization limit and the
    // office card's weekly one: Stripe could decline first, so neither card fits.
    expect(incrementedPurchase(travel, rules)).to.equal(undefined);
    expect(incrementedPurchase(office, rules)).to.equal(undefined);
    expect(firstPlanned([travel, office, van], (card) => incrementedPurchase(card, rules))?.card.name).to.equal('globex-fleet-van-1');
  });

  it('picks the first card in stack-file order that fits', () => {
    expect(firstPlanned([travel, office, van], (card) => authorizerDeclinedPurchase(card, rules))?.card.name).to.equal('acme-jane-office');
    expect(firstPlanned([travel], (card) => authorizerDeclinedPurchase(card, rules))).to.equal(undefined);
  });
});
