import { expect } from 'chai';
import { readAuthorizationRequest } from '../../../authorizer/authorization';
import { decide } from '../../../authorizer/decide';
import type { AuthorizationRules, RuleSet } from '../../../authorizer/rules';
import { authorizationEvent, type EventOptions } from './fixtures';

function request(options: EventOptions = {}) {
  const event = authorizationEvent({ cardName: 'travel-card', cardholderName: 'jenny', ...options });
  return readAuthorizationRequest((event.data as { object: unknown }).object);
}

function ruleSet(parts: Partial<RuleSet> = {}): RuleSet {
  return { cardholders: {}, cards: {}, ...parts };
}

const onCard = (rules: AuthorizationRules) => ruleSet({ cards: { 'travel-card': rules } });

describe('authorizer decide()', () => {
  it('approves when no rules apply to the card or its cardholder', () => {
    expect(decide(request(), ruleSet({ cards: { other: { killSwitch: true } } })))
      .to.deep.equal({ approved: true, reason: 'no_rules' });
  });

  it('declines everything when the stack kill switch is on, whatever the card rules say', () => {
    expect(decide(request(), ruleSet({ killSwitch: true, cards: { 'travel-card': {} } })))
      .to.deep.equal({ approved: false, reason: 'kill_switch', source: 'stack' });
  });

  it('declines with a card kill switch and approves once it is off', () => {
    expect(decide(request(), onCard({ killSwitch: true })))
      .to.deep.equal({ approved: false, reason: 'kill_switch', source: 'card:travel-card' });
    expect(decide(request(), onCard({ killSwitch: false })).approved).to.equal(true);
  });

  it('declines amounts over maxAmount and approves amounts up to it', () => {
    expect(decide(request({ amount: 5001 }), onCard({ maxAmount: 5000 })))
      .to.deep.equal({ approved: false, reason: 'over_max_amount', source: 'card:travel-card' });
    expect(decide(request({ amount: 5000 }), onCard({ maxAmount: 5000 })))
      .to.deep.equal({ approved: true, reason: 'within_rules', source: 'card:travel-card' });
  });

  it('lowers the held amount to maxAmount when the request is amount-controllable', () => {
    expect(decide(request({ amount: 9000, amountControllable: true }), onCard({ maxAmount: 5000 })))
      .to.deep.equal({ approved: true, reason: 'amount_lowered_to_max', source: 'card:travel-card', amount: 5000 });
  });

  it('allows only the listed merchant categories', () => {
    const rules = onCard({ allowedCategories: ['airlines_air_carriers', 'taxicabs_limousines'] });
    expect(decide(request({ category: 'taxicabs_limousines' }), rules).approved).to.equal(true);
    expect(decide(request({ category: 'bars_taverns' }), rules))
      .to.deep.equal({ approved: false, reason: 'category_not_allowed', source: 'card:travel-card' });
  });

  it('blocks the listed merchant categories', () => {
    const rules = onCard({ blockedCategories: ['betting_casino_gambling'] });
    expect(decide(request({ category: 'betting_casino_gambling' }), rules))
      .to.deep.equal({ approved: false, reason: 'category_blocked', source: 'card:travel-card' });
    expect(decide(request({ category: 'taxicabs_limousines' }), rules).approved).to.equal(true);
  });

  it('allows only the listed merchant countries, comparing codes case-insensitively', () => {
    const rules = onCard({ allowedCountries: ['US', 'CA'] });
    expect(decide(request({ country: 'us' }), rules).approved).to.equal(true);
    expect(decide(request({ country: 'FR' }), rules))
      .to.deep.equal({ approved: false, reason: 'country_not_allowed', source: 'card:travel-card' });
  });

  it('declines an unknown merchant country under an allow list but not under a block list', () => {
    expect(decide(request({ country: null }), onCard({ allowedCountries: ['US'] })).reason).to.equal('country_not_allowed');
    expect(decide(request({ country: null }), onCard({ blockedCountries: ['RU'] })).approved).to.equal(true);
  });

  it('blocks the listed merchant countries', () => {
    expect(decide(request({ country: 'RU' }), onCard({ blockedCountries: ['RU'] })))
      .to.deep.equal({ approved: false, reason: 'country_blocked', source: 'card:travel-card' });
  });

  it('applies card rules on top of cardholder rules: both must pass', () => {
    const rules = ruleSet({
      cardholders: { jenny: { blockedCountries: ['RU'] } },
      cards: { 'travel-card': { blockedCategories: ['bars_taverns'] } },
    });
    expect(decide(request({ country: 'RU' }), rules))
      .to.deep.equal({ approved: false, reason: 'country_blocked', source: 'cardholder:jenny' });
    expect(decide(request({ category: 'bars_taverns' }), rules))
      .to.deep.equal({ approved: false, reason: 'category_blocked', source: 'card:travel-card' });
    expect(decide(request(), rules))
      .to.deep.equal({ approved: true, reason: 'within_rules', source: 'cardholder:jenny+card:travel-card' });
  });

  it('caps at the lowest maxAmount of cardholder and card', () => {
    const rules = ruleSet({ cardholders: { jenny: { maxAmount: 3000 } }, cards: { 'travel-card': { maxAmount: 8000 } } });
    expect(decide(request({ amount: 4000 }), rules))
      .to.deep.equal({ approved: false, reason: 'over_max_amount', source: 'cardholder:jenny' });
  });

  it('uses default in place of a cardholder without its own entry, and not for one with an entry', () => {
    const rules = ruleSet({ default: { maxAmount: 1000 }, cardholders: { jenny: { maxAmount: 9000 } } });
    expect(decide(request({ cardholderName: 'sam', amount: 2000 }), rules))
      .to.deep.equal({ approved: false, reason: 'over_max_amount', source: 'default' });
    expect(decide(request({ amount: 2000 }), rules).approved).to.equal(true);
  });

  it('applies default to cards without pulumi_name metadata (objects made outside Pulumi)', () => {
    const event = authorizationEvent();
    const unnamed = readAuthorizationRequest((event.data as { object: unknown }).object);
    expect(unnamed.cardName).to.equal(null);
    expect(decide(unnamed, ruleSet({ default: { killSwitch: true } })))
      .to.deep.equal({ approved: false, reason: 'kill_switch', source: 'default' });
  });

  it('never resolves inherited object keys as rule entries', () => {
    expect(decide(request({ cardName: '__proto__', cardholderName: 'constructor' }), ruleSet()))
      .to.deep.equal({ approved: true, reason: 'no_rules' });
  });
});
