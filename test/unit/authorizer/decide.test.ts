import { expect } from 'chai';
import { readAuthorizationRequest } from '../../../authorizer/authorization';
import { decide } from '../../../authorizer/decide';
import type { AuthorizationRules } from '../../../authorizer/types';
import { authorizationEvent, type EventOptions, fixtureRules as ruleSet } from '../../../testbed/authorization-events';

function request(options: EventOptions = {}) {
  const event = authorizationEvent({ cardName: 'travel-card', cardholderName: 'jenny', ...options });
  return readAuthorizationRequest((event.data as { object: unknown }).object, event.account);
}

const onCard = (rules: AuthorizationRules) => ruleSet({ cards: { 'travel-card': rules } });

describe('authorizer decide()', () => {
  it('approves when no rules apply to the card or its cardholder', () => {
    expect(decide(request(), ruleSet({ cards: { other: { killSwitch: true } } }))).to.deep.equal({ approved: true, reason: 'no_rules' });
  });

  it('declines everything when the stack kill switch is on, whatever the card rules say', () => {
    expect(decide(request(), ruleSet({ killSwitch: true, cards: { 'travel-card': {} } }))).to.deep.equal({
      approved: false,
      reason: 'kill_switch',
      source: 'stack',
    });
  });

  it('declines with a card kill switch and approves once it is off', () => {
    expect(decide(request(), onCard({ killSwitch: true }))).to.deep.equal({
      approved: false,
      reason: 'kill_switch',
      source: 'card:travel-card',
    });
    expect(decide(request(), onCard({ killSwitch: false })).approved).to.equal(true);
  });

  it('declines amounts over maxAmount and approves amounts up to it', () => {
    expect(decide(request({ amount: 5001 }), onCard({ maxAmount: 5000 }))).to.deep.equal({
      approved: false,
      reason: 'over_max_amount',
      source: 'card:travel-card',
    });
    expect(decide(request({ amount: 5000 }), onCard({ maxAmount: 5000 }))).to.deep.equal({
      approved: true,
      reason: 'within_rules',
      source: 'card:travel-card',
    });
  });

  it('lowers the held amount to maxAmount when the request is amount-controllable', () => {
    expect(decide(request({ amount: 9000, amountControllable: true }), onCard({ maxAmount: 5000 }))).to.deep.equal({
      approved: true,
      reason: 'amount_lowered_to_max',
      source: 'card:travel-card',
      amount: 5000,
    });
  });

  // Types Issuing.Authorization.PendingRequest.amount: "The additional amount Stripe will hold if the
  // authorization is approved"; Issuing.Authorization.amount: "The total amount that was authorized".
  describe('an increment (hotel, car rental, fuel): the cap is on the total held after the request', () => {
    const heldAlready = { amount: 150000, history: [{ amount: 150000, approved: true }] };
    const capped = onCard({ maxAmount: 200000 });

    it('declines an increment that takes the total past maxAmount, approves one that stays within it', () => {
      expect(decide(request({ held: heldAlready, amount: 100000 }), capped)).to.deep.equal({
        approved: false,
        reason: 'over_max_amount',
        source: 'card:travel-card',
      });
      expect(decide(request({ held: heldAlready, amount: 50000 }), capped)).to.deep.equal({
        approved: true,
        reason: 'within_rules',
        source: 'card:travel-card',
      });
    });

    it('answers an amount-controllable increment with what is left under the cap, never the cap again', () => {
      expect(decide(request({ held: heldAlready, amount: 100000, amountControllable: true }), capped)).to.deep.equal({
        approved: true,
        reason: 'amount_lowered_to_max',
        source: 'card:travel-card',
        amount: 50000,
      });
      const atCap = { amount: 200000, history: [{ amount: 200000, approved: true }] };
      expect(decide(request({ held: atCap, amount: 1, amountControllable: true }), capped)).to.deep.equal({
        approved: false,
        reason: 'over_max_amount',
        source: 'card:travel-card',
      });
    });

    it('counts every approved request, so a partial reversal or capture does not make room for more', () => {
      const reversed = {
        amount: 20000,
        history: [
          { amount: 150000, approved: true },
          { amount: 90000, approved: false },
        ],
      };
      expect(request({ held: reversed }).heldAmount).to.equal(150000);
      expect(decide(request({ held: reversed, amount: 60000 }), capped).reason).to.equal('over_max_amount');
      // …and an `amount` above the history (Stripe's own total) counts as it is.
      expect(request({ held: { amount: 180000, history: [] } }).heldAmount).to.equal(180000);
    });

    it("applies the rules to the amount in the card's currency, never the merchant's", () => {
      const inEuros = (amount: number, merchantAmount: number) =>
        request({ amount, merchantAmount: { amount: merchantAmount, currency: 'eur' } });
      expect(decide(inEuros(5001, 4000), onCard({ maxAmount: 5000 })).reason).to.equal('over_max_amount');
      expect(decide(inEuros(4000, 6000), onCard({ maxAmount: 5000 })).reason).to.equal('within_rules');
    });
  });

  it('allows only the listed merchant categories', () => {
    const rules = onCard({ allowedCategories: ['airlines_air_carriers', 'taxicabs_limousines'] });
    expect(decide(request({ category: 'taxicabs_limousines' }), rules).approved).to.equal(true);
    expect(decide(request({ category: 'bars_taverns' }), rules)).to.deep.equal({
      approved: false,
      reason: 'category_not_allowed',
      source: 'card:travel-card',
    });
  });

  it('blocks the listed merchant categories', () => {
    const rules = onCard({ blockedCategories: ['betting_casino_gambling'] });
    expect(decide(request({ category: 'betting_casino_gambling' }), rules)).to.deep.equal({
      approved: false,
      reason: 'category_blocked',
      source: 'card:travel-card',
    });
    expect(decide(request({ category: 'taxicabs_limousines' }), rules).approved).to.equal(true);
  });

  it('allows only the listed merchant countries, comparing codes case-insensitively', () => {
    const rules = onCard({ allowedCountries: ['US', 'CA'] });
    expect(decide(request({ country: 'us' }), rules).approved).to.equal(true);
    expect(decide(request({ country: 'FR' }), rules)).to.deep.equal({
      approved: false,
      reason: 'country_not_allowed',
      source: 'card:travel-card',
    });
  });

  it('declines an unknown merchant country under an allow list but not under a block list', () => {
    expect(decide(request({ country: null }), onCard({ allowedCountries: ['US'] })).reason).to.equal('country_not_allowed');
    expect(decide(request({ country: null }), onCard({ blockedCountries: ['RU'] })).approved).to.equal(true);
  });

  it('blocks the listed merchant countries', () => {
    expect(decide(request({ country: 'RU' }), onCard({ blockedCountries: ['RU'] }))).to.deep.equal({
      approved: false,
      reason: 'country_blocked',
      source: 'card:travel-card',
    });
  });

  it('applies card rules on top of cardholder rules: both must pass', () => {
    const rules = ruleSet({
      cardholders: { jenny: { blockedCountries: ['RU'] } },
      cards: { 'travel-card': { blockedCategories: ['bars_taverns'] } },
    });
    expect(decide(request({ country: 'RU' }), rules)).to.deep.equal({
      approved: false,
      reason: 'country_blocked',
      source: 'cardholder:jenny',
    });
    expect(decide(request({ category: 'bars_taverns' }), rules)).to.deep.equal({
      approved: false,
      reason: 'category_blocked',
      source: 'card:travel-card',
    });
    expect(decide(request(), rules)).to.deep.equal({ approved: true, reason: 'within_rules', source: 'cardholder:jenny+card:travel-card' });
  });

  it('caps at the lowest maxAmount of cardholder and card', () => {
    const rules = ruleSet({ cardholders: { jenny: { maxAmount: 3000 } }, cards: { 'travel-card': { maxAmount: 8000 } } });
    expect(decide(request({ amount: 4000 }), rules)).to.deep.equal({
      approved: false,
      reason: 'over_max_amount',
      source: 'cardholder:jenny',
    });
  });

  it('uses default in place of a cardholder without its own entry, and not for one with an entry', () => {
    const rules = ruleSet({ default: { maxAmount: 1000 }, cardholders: { jenny: { maxAmount: 9000 } } });
    expect(decide(request({ cardholderName: 'sam', amount: 2000 }), rules)).to.deep.equal({
      approved: false,
      reason: 'over_max_amount',
      source: 'default',
    });
    expect(decide(request({ amount: 2000 }), rules).approved).to.equal(true);
  });

  it("gives cards without pulumi_name metadata (made outside Pulumi) the stack's unknownCards answer", () => {
    const event = authorizationEvent();
    const unnamed = readAuthorizationRequest((event.data as { object: unknown }).object, event.account);
    expect(unnamed.cardName).to.equal(null);
    expect(decide(unnamed, ruleSet({ default: { maxAmount: 1 } }))).to.deep.equal({ approved: false, reason: 'unknown_card' });
    expect(decide(unnamed, ruleSet({ unknownCards: 'approve' }))).to.deep.equal({ approved: true, reason: 'unknown_card' });
  });

  it('matches a card on pulumi_stack, account and pulumi_name, not on the name alone', () => {
    const rules = ruleSet({ cards: { 'travel-card': { maxAmount: 100 } } });
    const unknown = { approved: false, reason: 'unknown_card' };
    expect(decide(request({ amount: 50 }), rules)).to.deep.equal({ approved: true, reason: 'within_rules', source: 'card:travel-card' });
    expect(decide(request({ amount: 50, stack: 'other-stack' }), rules), "another stack's card of that name").to.deep.equal(unknown);
    expect(decide(request({ amount: 50, stack: null }), rules), 'no pulumi_stack').to.deep.equal(unknown);
    expect(decide(request({ amount: 50, account: 'acct_someoneElse' }), rules), 'another connected account').to.deep.equal(unknown);
    expect(decide(request({ amount: 50, account: null }), rules), "the platform's own card").to.deep.equal(unknown);
  });

  it("applies default, not a cardholder entry, when the cardholder is another stack's", () => {
    const rules = ruleSet({ default: { maxAmount: 1000 }, cardholders: { jenny: { maxAmount: 9000 } } });
    const event = authorizationEvent({ cardName: 'travel-card', cardholderName: 'jenny', amount: 2000 });
    const object = (event.data as { object: { card: { cardholder: { metadata: Record<string, string> } } } }).object;
    object.card.cardholder.metadata.pulumi_stack = 'other-stack';
    expect(decide(readAuthorizationRequest(object, event.account), rules)).to.deep.equal({
      approved: false,
      reason: 'over_max_amount',
      source: 'default',
    });
  });

  it('never resolves inherited object keys as rule entries or accounts', () => {
    expect(decide(request({ cardName: '__proto__', cardholderName: 'constructor' }), ruleSet())).to.deep.equal({
      approved: false,
      reason: 'unknown_card',
    });
  });
});
