import { expect } from 'chai';
import { UNKNOWN } from '../../../provider/canonical';
import { checkInputs, diffInputs, metadataPatch } from '../../../provider/engine/check-diff';
import type { BaseInputs, ResourceSpec } from '../../../provider/engine/spec';
import { accountCapabilitySpec } from '../../../provider/resources/accountCapability';
import { cardSpec } from '../../../provider/resources/card';
import { cardholderSpec } from '../../../provider/resources/cardholder';
import { financialAccountSpec } from '../../../provider/resources/financialAccount';
import { webhookEndpointSpec } from '../../../provider/resources/webhookEndpoint';

const hidden = { account: 'acct_1Test', pulumiStack: 'dev', pulumiName: 'thing' };
const address = { line1: '1 Main St', city: 'San Francisco', postalCode: '94111', country: 'US' };
type Props = Record<string, unknown>;
const canonical = <I extends BaseInputs, O extends I, S>(spec: ResourceSpec<I, O, S>, args: Props) =>
  checkInputs(spec, args).inputs as Props;

describe('diff: Stripe mutability, names the changed properties, no perpetual diffs', () => {
  const card = canonical(cardSpec, { ...hidden, cardholder: 'ich_1', currency: 'usd', type: 'virtual' });

  it('finds no change between equal canonical inputs, whatever the list order or Stripe nulls', () => {
    const a = canonical(cardSpec, {
      ...card,
      spendingControls: { blockedCategories: ['bakeries', 'airlines_air_carriers'], spendingLimits: [] },
    });
    const b = {
      ...card,
      spendingControls: { blockedCategories: ['airlines_air_carriers', 'bakeries'], allowedCategories: null },
      brand: 'Visa',
      last4: '4242',
    };
    expect(diffInputs(cardSpec, b, a)).to.deep.equal({ changed: [], replaces: [] });
  });

  it("treats an omitted status as Stripe's default (inactive) and empty controls as none", () => {
    const fromStripe = { ...card, status: 'inactive', spendingControls: undefined, metadata: {} };
    expect(diffInputs(cardSpec, fromStripe, card).changed).to.deep.equal([]);
  });

  it('updates card status, spending controls and metadata in place', () => {
    const news = {
      ...card,
      status: 'active',
      spendingControls: { spendingLimits: [{ amount: 100, interval: 'daily' }] },
      metadata: { team: 'ops' },
    };
    expect(diffInputs(cardSpec, card, news)).to.deep.equal({
      changed: ['status', 'spendingControls', 'metadata'],
      replaces: [],
    });
  });

  it('replaces a card on create-only fields and on another account', () => {
    const news = { ...card, currency: 'eur', type: 'physical', cardholder: 'ich_2', financialAccount: 'fa_2', account: 'acct_2Other' };
    expect(diffInputs(cardSpec, card, news).replaces).to.deep.equal(['account', 'cardholder', 'currency', 'type']);
    // Issuing.CardUpdateParams.financial_account: a card moves to another financial account in place.
    expect(diffInputs(cardSpec, card, { ...card, financialAccount: 'fa_2' })).to.deep.equal({
      changed: ['financialAccount'],
      replaces: [],
    });
  });

  it('replaces when a create-only value is unknown until apply (a cardholder being replaced)', () => {
    expect(diffInputs(cardSpec, card, { ...card, cardholder: UNKNOWN }).replaces).to.deep.equal(['cardholder']);
  });

  it('ignores create-time facts: stack, logical name, adoptId', () => {
    expect(diffInputs(cardSpec, card, { ...card, pulumiName: 'renamed', pulumiStack: 'other', adoptId: 'ic_9' }).changed).to.deep.equal([]);
  });

  it('cardholder: name and type replace, the rest updates', () => {
    const holder = canonical(cardholderSpec, { ...hidden, name: 'Jenny Rosen', billing: { address } });
    expect(diffInputs(cardholderSpec, holder, { ...holder, name: 'Jenny Smith', type: 'company' }).replaces).to.deep.equal([
      'name',
      'type',
    ]);
    const updated = { ...holder, email: 'j@example.com', status: 'inactive', billing: { address: { ...address, city: 'Oakland' } } };
    expect(diffInputs(cardholderSpec, holder, updated)).to.deep.equal({ changed: ['email', 'billing', 'status'], replaces: [] });
  });

  it('financial account: currencies replace; nickname, restrictions, metadata update', () => {
    const fa = canonical(financialAccountSpec, { ...hidden, supportedCurrencies: ['usd'] });
    expect(diffInputs(financialAccountSpec, fa, { ...fa, supportedCurrencies: ['eur'] }).replaces).to.deep.equal(['supportedCurrencies']);
    const news = canonical(financialAccountSpec, {
      ...hidden,
      supportedCurrencies: ['usd'],
      nickname: 'ops',
      platformRestrictions: { outboundFlows: 'restricted' },
    });
    expect(diffInputs(financialAccountSpec, fa, news)).to.deep.equal({ changed: ['nickname', 'platformRestrictions'], replaces: [] });
  });

  it('webhook endpoint: connect and apiVersion replace; url and events update', () => {
    const { account: _a, ...platform } = hidden;
    const hook = canonical(webhookEndpointSpec, { ...platform, url: 'https://a.example/h', enabledEvents: ['*'] });
    expect(diffInputs(webhookEndpointSpec, hook, { ...hook, connect: true, apiVersion: '2026-10-28.endive' }).replaces).to.deep.equal([
      'connect',
      'apiVersion',
    ]);
    expect(diffInputs(webhookEndpointSpec, { ...hook, secret: 'whsec_x' }, { ...hook, url: 'https://b.example/h' })).to.deep.equal({
      changed: ['url'],
      replaces: [],
    });
  });

  it('capability: another capability name replaces; waiting options update', () => {
    const cap = canonical(accountCapabilitySpec, { ...hidden, capability: 'card_issuing' });
    expect(diffInputs(accountCapabilitySpec, cap, { ...cap, capability: 'treasury' }).replaces).to.deep.equal(['capability']);
    expect(diffInputs(accountCapabilitySpec, cap, { ...cap, waitForActive: true }).replaces).to.deep.equal([]);
  });

  it('metadata patch: desired keys, managed keys, and "" for removed keys', () => {
    expect(metadataPatch({ old: '1', keep: '2' }, { ...hidden, metadata: { keep: '3' } })).to.deep.equal({
      keep: '3',
      pulumi_stack: 'dev',
      pulumi_name: 'thing',
      old: '',
    });
  });
});
