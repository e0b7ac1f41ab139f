import * as pulumi from '@pulumi/pulumi';
import { expect } from 'chai';

// Pulumi's own runtime mocks (no Stripe involved): they show what each class registers with the engine.
const registered: pulumi.runtime.MockResourceArgs[] = [];

describe('resource classes', () => {
  before(() =>
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(args);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      'stripe-issuing',
      'unit',
      false,
    ),
  );

  it('register their own type token, the arguments, and the hidden stack/name inputs', async () => {
    const provider = await import('../../../provider');
    const account = 'acct_1Classes';
    const address = { line1: '1 Main St', city: 'SF', postalCode: '94111', country: 'US' };
    const resources = [
      new provider.AccountCapability('cap', { account, capability: 'card_issuing' }),
      new provider.FinancialAccount('fa', { account, supportedCurrencies: ['usd'] }),
      new provider.FinancialAccountFeatures('features', { account, financialAccount: 'fa_1', features: ['card_issuing'] }),
      new provider.Cardholder('holder', { account, name: 'Jenny Rosen', billing: { address } }),
      new provider.Card('card', { account, cardholder: 'ich_1', currency: 'usd', type: 'virtual' }),
      new provider.WebhookEndpoint('hook', { url: 'https://example.com/h', enabledEvents: ['*'] }),
      new provider.TosAcceptance('tos', { account, product: 'card_issuing', date: 1767225600, ip: '203.0.113.10' }),
    ];
    await Promise.all(resources.map((r) => new Promise<void>((resolve) => r.id.apply(() => resolve()))));

    expect(registered.map((r) => r.type).sort()).to.deep.equal([
      'pulumi-nodejs:dynamic/stripe-issuing:AccountCapability',
      'pulumi-nodejs:dynamic/stripe-issuing:Card',
      'pulumi-nodejs:dynamic/stripe-issuing:Cardholder',
      'pulumi-nodejs:dynamic/stripe-issuing:FinancialAccount',
      'pulumi-nodejs:dynamic/stripe-issuing:FinancialAccountFeatures',
      'pulumi-nodejs:dynamic/stripe-issuing:TosAcceptance',
      'pulumi-nodejs:dynamic/stripe-issuing:WebhookEndpoint',
    ]);
    const cardInputs = registered.find((r) => r.name === 'card')!.inputs;
    expect(cardInputs).to.include({ account, cardholder: 'ich_1', pulumiStack: 'unit', pulumiName: 'card' });
    expect(cardInputs).to.not.have.any.keys('apiKey', 'stripeApiKey');
    expect(cardInputs.__provider)
      .to.be.a('string')
      .and.not.match(/sk_(test|live)_[A-Za-z0-9]{6,}/);
    // What the engine stores per resource is a reference to the compiled provider package, the same for
    // every resource of a type (provider/engine/compiled-package.ts): passing a provider object built from local
    // modules instead would inline 45-70 KB of code into every resource's state.
    for (const r of registered) {
      const type = r.type.split(':').pop();
      expect(r.inputs.__provider, r.type).to.include(`require("@stripe-issuing/provider/providers/${type}.js")`);
      expect(Buffer.byteLength(r.inputs.__provider), `${r.type} __provider bytes`).to.be.below(2048);
    }
  });
});
