import { expect } from 'chai';
import { planIssuing, type ResourceKey } from '../../../config/plan';
import type { IssuingConfig } from '../../../config/types';
import { simulationCards } from '../../../simulate/cards';

const address = { line1: '1 Main St', city: 'Springfield', postalCode: '94103', country: 'US' };
const issuing = {
  accounts: {
    acme: {
      id: 'acct_1Acme',
      financialAccount: { supportedCurrencies: ['usd'], features: ['card_issuing'] },
      cardholders: { jane: { name: 'Jane Rivera', billing: { address }, cards: { travel: { status: 'active' } } } },
    },
    globex: {
      id: 'acct_1Globex',
      financialAccount: { id: 'fa_existing', features: ['card_issuing'] },
      cardholders: { fleet: { name: 'Globex Fleet', type: 'company', billing: { address }, cards: { 'van-1': {} } } },
    },
  },
} as unknown as IssuingConfig;
const plan = planIssuing(issuing, { mode: 'test' });

describe('simulate: the stack cards', () => {
  it('joins the plan (names, accounts, financial accounts) with the stack output IDs', () => {
    const ids = new Map<ResourceKey, string>([
      ['Card:acme-jane-travel', 'ic_travel'],
      ['Card:globex-fleet-van-1', 'ic_van'],
      ['FinancialAccount:acme', 'fa_acme'],
    ]);
    expect(simulationCards(plan, ids)).to.deep.equal([
      { name: 'acme-jane-travel', cardholderName: 'acme-jane', id: 'ic_travel', account: 'acct_1Acme', financialAccount: 'fa_acme' },
      {
        name: 'globex-fleet-van-1',
        cardholderName: 'globex-fleet',
        id: 'ic_van',
        account: 'acct_1Globex',
        financialAccount: 'fa_existing',
      },
    ]);
  });

  it('names a declared card missing from the outputs', () => {
    const ids = new Map<ResourceKey, string>([
      ['Card:acme-jane-travel', 'ic_travel'],
      ['FinancialAccount:acme', 'fa_acme'],
    ]);
    expect(() => simulationCards(plan, ids)).to.throw(
      "Card:globex-fleet-van-1 is declared in the stack file but not in the stack's outputs: run pulumi up first.",
    );
  });
});
