import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { expect } from 'chai';
import type Stripe from 'stripe';
import type { Emulator } from '../../emulator';
import { implementationOf } from '../../provider/engine/compiled-package';
import { cardholderProvider } from '../../provider/resources/cardholder';
import { CONFIG_KEYS, configureFromStack } from '../../provider/settings';
import { ADDRESS, API_KEY, create, expectAcceptedByStripeMock, hidden, refresh, startStripe, stopStripe } from './support';

const ACCOUNT_A = 'acct_1TransportA';
const ACCOUNT_B = 'acct_1TransportB';

describe('Provider transport: backoff, serialized providers, accounts, credentials', () => {
  let emulator: Emulator;
  let stripe: Stripe;

  beforeEach(async () => ({ emulator, stripe } = await startStripe({ seedAccounts: [ACCOUNT_A, ACCOUNT_B] })));
  afterEach(() => stopStripe(emulator));

  it('slows its pace on 429s (limit far below the pace) until Stripe lets every request through', async () => {
    const holder = await create(cardholderProvider, {
      ...hidden('busy'),
      account: ACCOUNT_A,
      name: 'Busy Bee',
      billing: { address: ADDRESS },
    });
    emulator.setFaults({ rateLimitPerSecond: 2 });
    const reads = await Promise.all(Array.from({ length: 6 }, () => refresh(cardholderProvider, holder)));
    emulator.setFaults({});
    expect(reads.map((r) => r?.id)).to.deep.equal(Array(6).fill(holder.id));
    const statuses = emulator
      .requests()
      .filter((r) => r.method === 'GET' && r.path === `/v1/issuing/cardholders/${holder.id}`)
      .map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length, 'rate-limited answers seen').to.be.greaterThan(0);
    expect(statuses.filter((s) => s === 200)).to.have.length(6);
  });

  it('a serialized provider, loaded like the engine loads it, configures and creates (SDK loaded inside the methods)', async () => {
    const reference = implementationOf('WebhookEndpoint');
    const serialized = await pulumi.runtime.serializeFunction(() => reference, { allowSecrets: false });
    const requireFromString = require('require-from-string');
    const loaded: pulumi.dynamic.ResourceProvider = requireFromString(serialized.text, path.join(__dirname, 'serialized.js')).handler();
    const config: Record<string, string> = { [CONFIG_KEYS.apiKey]: API_KEY, [CONFIG_KEYS.apiBase]: emulator.url };
    await loaded.configure!({ config: { get: (key: string) => config[key], require: (key: string) => config[key] } });
    const endpoint = await create(loaded, { ...hidden('serialized'), url: 'https://hooks.example.com/s', enabledEvents: ['*'] });
    expect((await stripe.webhookEndpoints.retrieve(endpoint.id)).url).to.equal('https://hooks.example.com/s');
  });

  it('puts each object on its own connected account (many accounts in one stack)', async () => {
    const args = (account: string) => ({ ...hidden(`holder-${account}`), account, name: 'Jenny Rosen', billing: { address: ADDRESS } });
    const a = await create(cardholderProvider, args(ACCOUNT_A));
    const b = await create(cardholderProvider, args(ACCOUNT_B));
    expect(a.id).to.not.equal(b.id);
    expect((await stripe.issuing.cardholders.retrieve(a.id, {}, { stripeAccount: ACCOUNT_A })).id).to.equal(a.id);
    let missing = 0;
    try {
      await stripe.issuing.cardholders.retrieve(a.id, {}, { stripeAccount: ACCOUNT_B });
    } catch (error) {
      missing = (error as { statusCode: number }).statusCode;
    }
    expect(missing).to.equal(404);
  });

  it('without a key, says how to give one; no request is sent', async () => {
    const previous = process.env.STRIPE_API_KEY;
    delete process.env.STRIPE_API_KEY;
    await configureFromStack({ config: { get: () => undefined, require: () => '' } });
    let message = '';
    try {
      await create(cardholderProvider, { ...hidden('keyless'), account: ACCOUNT_A, name: 'Jenny Rosen', billing: { address: ADDRESS } });
    } catch (error) {
      message = (error as Error).message;
    } finally {
      if (previous !== undefined) process.env.STRIPE_API_KEY = previous;
    }
    expect(message).to.match(
      /stripe-issuing:stripeApiKey: no Stripe API key: run `pulumi config set --secret stripe-issuing:stripeApiKey <key>` or set STRIPE_API_KEY/,
    );
    expect(emulator.requests()).to.have.length(0);
  });

  it("sent only requests that Stripe's stripe-mock also accepts", async () => {
    await create(cardholderProvider, { ...hidden('conform'), account: ACCOUNT_A, name: 'Jenny Rosen', billing: { address: ADDRESS } });
    await expectAcceptedByStripeMock(emulator);
  });
});
