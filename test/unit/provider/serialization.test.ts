import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { expect } from 'chai';
import { CONFIG_KEYS } from '../../../provider';
import { IMPLEMENTATION_PACKAGE, implementationOf, type ResourceType } from '../../../provider/engine/compiled-package';
import { accountCapabilityProvider } from '../../../provider/resources/accountCapability';
import { cardProvider } from '../../../provider/resources/card';
import { cardholderProvider } from '../../../provider/resources/cardholder';
import { financialAccountProvider } from '../../../provider/resources/financialAccount';
import { financialAccountFeaturesProvider } from '../../../provider/resources/financialAccountFeatures';
import { webhookEndpointProvider } from '../../../provider/resources/webhookEndpoint';

const KEY = 'sk_test_serializationCanary9f3a';
const hidden = { account: 'acct_1Serial', pulumiStack: 'dev', pulumiName: 'x' };
const address = { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' };
const controls = {
  blockedCategories: ['bakeries'],
  allowedMerchantCountries: ['US', 'DE'],
  spendingLimits: [{ amount: 100, interval: 'daily' }],
};
// Valid arguments that go through every validator and normalizer (countries, categories, casing, metadata).
const providers = {
  AccountCapability: [accountCapabilityProvider, { ...hidden, capability: 'card_issuing', waitForActive: true }],
  FinancialAccount: [
    financialAccountProvider,
    { ...hidden, supportedCurrencies: ['usd'], platformRestrictions: { outboundFlows: 'restricted' }, metadata: { a: 'b' } },
  ],
  FinancialAccountFeatures: [
    financialAccountFeaturesProvider,
    { ...hidden, financialAccount: 'fa_1', features: ['card_issuing', 'financial_addresses.aba'] },
  ],
  Cardholder: [
    cardholderProvider,
    {
      ...hidden,
      name: 'Jenny Rosen',
      email: 'j@example.com',
      phoneNumber: '+14155550100',
      billing: { address },
      individual: { firstName: 'Jenny', dob: { day: 1, month: 2, year: 1990 } },
      spendingControls: controls,
      preferredLocales: ['fr', 'en'],
    },
  ],
  Card: [
    cardProvider,
    { ...hidden, cardholder: 'ich_1', currency: 'eur', type: 'physical', shipping: { name: 'Jenny', address }, spendingControls: controls },
  ],
  WebhookEndpoint: [
    webhookEndpointProvider,
    { pulumiStack: 'dev', pulumiName: 'x', url: 'https://example.com/h', enabledEvents: ['*'], metadata: { a: 'b' } },
  ],
} as const;

describe('provider serialization (what the engine stores as __provider)', function () {
  this.timeout(120000);
  const previousEnv = process.env.STRIPE_API_KEY;

  before(async () => {
    // The worst case: this process configured a key and has it in its environment.
    process.env.STRIPE_API_KEY = KEY;
    await cardProvider.configure!({
      config: { get: (key: string) => (key === CONFIG_KEYS.apiKey ? KEY : undefined), require: () => KEY },
    });
  });
  after(() => {
    if (previousEnv === undefined) delete process.env.STRIPE_API_KEY;
    else process.env.STRIPE_API_KEY = previousEnv;
  });

  for (const [type, [typed, validArgs]] of Object.entries(providers)) {
    // As the engine calls it: with untyped properties.
    const provider: pulumi.dynamic.ResourceProvider = typed;
    it(`${type}: serializes to a small reference without the key and runs from the serialized text`, async () => {
      // The same call the SDK makes for a dynamic resource's provider, on the object its class passes.
      const reference = implementationOf(type as ResourceType);
      const serialized = await pulumi.runtime.serializeFunction(() => reference, { allowSecrets: false });
      expect(serialized.text).to.not.include(KEY);
      expect(serialized.text).to.not.match(/sk_(test|live)_[A-Za-z0-9]{6,}/);
      expect(serialized.containsSecrets).to.equal(false);
      // A require of the compiled entry and nothing else: no inlined function of provider/.
      expect(serialized.text).to.include(`require("${IMPLEMENTATION_PACKAGE}/providers/${type}.js")`);
      expect(Buffer.byteLength(serialized.text), 'serialized provider bytes').to.be.below(2048);
      expect(serialized.text).to.not.match(/makeProvider|checkInputs|stripeClient|spendingControls/);

      // Load it the way cmd/dynamic-provider does (require-from-string), from a file in the project
      // so that `require('stripe')` resolves like in the provider process.
      const requireFromString = require('require-from-string');
      const loaded = requireFromString(serialized.text, path.join(__dirname, 'serialized-provider.js')).handler();
      await loaded.configure({ config: { get: (key: string) => (key === CONFIG_KEYS.apiKey ? KEY : undefined), require: () => KEY } });
      const { failures } = await loaded.check({}, { account: 'nope' });
      expect(failures.map((f: { property: string }) => f.property)).to.include('account');
      // The same arguments give the same answer serialized and in place.
      const original = await provider.check!({}, validArgs);
      expect(original.failures).to.equal(undefined);
      expect(await loaded.check({}, validArgs)).to.deep.equal(original);
      const diff = await loaded.diff('id', original.inputs, { ...original.inputs, metadata: { changed: 'yes' } });
      expect(diff).to.deep.equal(await provider.diff!('id', original.inputs, { ...original.inputs, metadata: { changed: 'yes' } }));
    });
  }
});
