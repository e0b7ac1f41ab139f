import { expect } from 'chai';
import { CONFIG_KEYS, configureFromStack, resolveSettings } from '../../../provider/settings';
import { rateLimitWaitMs, RATE_LIMIT_RETRIES } from '../../../provider/client';
import { redact, translateError } from '../../../provider/errors';
import { fakeLiveKey } from '../../support/fake-keys';

const configure = (values: Record<string, string>) =>
  configureFromStack({ config: { get: (key: string) => values[key], require: (key: string) => values[key] } });

describe('settings: key from stack config or env, live/test guard', () => {
  afterEach(() => configure({}));

  it('prefers stack config over the environment', async () => {
    await configure({ [CONFIG_KEYS.apiKey]: 'sk_test_fromConfig', [CONFIG_KEYS.apiBase]: 'http://127.0.0.1:1234', [CONFIG_KEYS.apiVersion]: '2026-01-01.x' });
    expect(resolveSettings({ STRIPE_API_KEY: 'sk_test_fromEnv', STRIPE_API_BASE: 'http://elsewhere' })).to.deep.equal({
      apiKey: 'sk_test_fromConfig', apiBase: 'http://127.0.0.1:1234', apiVersion: '2026-01-01.x', mode: 'test',
    });
  });

  it('falls back to STRIPE_API_KEY / STRIPE_API_BASE / STRIPE_API_VERSION', () => {
    expect(resolveSettings({ STRIPE_API_KEY: 'rk_test_env', STRIPE_API_BASE: 'http://127.0.0.1:9' })).to.deep.equal({
      apiKey: 'rk_test_env', apiBase: 'http://127.0.0.1:9', mode: 'test',
    });
  });

  it('says how to provide a key when there is none', () => {
    expect(() => resolveSettings({})).to.throw(/pulumi config set --secret stripe-issuing:stripeApiKey.*STRIPE_API_KEY/);
  });

  it('refuses a live key unless the stack is in live mode, without echoing the key', async () => {
    const key = fakeLiveKey('sk', 'abcdef123456');
    let message = '';
    try {
      resolveSettings({ STRIPE_API_KEY: key });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.match(/live Stripe key.*stripe-issuing:mode/);
    expect(message).to.not.include(key);
    await configure({ [CONFIG_KEYS.mode]: 'live' });
    expect(resolveSettings({ STRIPE_API_KEY: key }).mode).to.equal('live');
  });

  it('refuses a test key when the stack is in live mode', async () => {
    await configure({ [CONFIG_KEYS.mode]: 'live', [CONFIG_KEYS.apiKey]: 'sk_test_x' });
    expect(() => resolveSettings({})).to.throw(/"live" but the Stripe key is not a live key/);
  });

  it('rejects an unknown mode', async () => {
    await configure({ [CONFIG_KEYS.mode]: 'prod', [CONFIG_KEYS.apiKey]: 'sk_test_x' });
    expect(() => resolveSettings({})).to.throw(/must be "test" or "live", got "prod"/);
  });
});

describe('429 backoff is bounded', () => {
  it('doubles from 0.5 s, caps at 8 s, honors Retry-After', () => {
    const noJitter = () => 0.5;
    expect([0, 1, 2, 3, 4, 5].map((n) => rateLimitWaitMs(n, undefined, noJitter))).to.deep.equal([500, 1000, 2000, 4000, 8000, 8000]);
    expect(rateLimitWaitMs(0, '3', noJitter)).to.equal(3000);
    expect(rateLimitWaitMs(0, '600', noJitter)).to.equal(8000);
    expect(RATE_LIMIT_RETRIES).to.be.within(1, 10);
  });
});

describe('errors never carry secrets', () => {
  it('redacts keys, webhook secrets and card numbers', () => {
    expect(redact('Invalid API Key provided: sk_test_********************abcd and whsec_abc123 card 4242 4242 4242 4242'))
      .to.equal('Invalid API Key provided: [redacted] and [redacted] card [redacted]');
  });

  it('translates a Stripe error into action, message and codes', () => {
    const error = translateError('Card c1: create failed', {
      type: 'StripeInvalidRequestError', message: 'No such cardholder: ich_1', code: 'resource_missing', param: 'cardholder',
      statusCode: 400, requestId: 'req_1', headers: { authorization: 'Bearer sk_test_secret' },
    });
    expect(error.message).to.equal(
      'Card c1: create failed: No such cardholder: ich_1 (HTTP 400, StripeInvalidRequestError, code resource_missing, param cardholder, request req_1)');
  });
});
