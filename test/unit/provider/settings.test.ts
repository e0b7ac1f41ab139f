import { expect } from 'chai';
import { retryAfterMs } from '../../../provider/client';
import { redact, translateError } from '../../../provider/errors';
import { engineParallelism, HEADROOM, pacerFor, RequestPacer, STRIPE_RATE_LIMITS } from '../../../provider/pacer';
import { CONFIG_KEYS, configureFromStack, requestRate, resolveSettings } from '../../../provider/settings';
import { fakeLiveKey } from '../../support/fake-keys';

const configure = (values: Record<string, string>) =>
  configureFromStack({ config: { get: (key: string) => values[key], require: (key: string) => values[key] } });

describe('settings: key from stack config or env, live/test guard', () => {
  afterEach(() => configure({}));

  it('prefers stack config over the environment', async () => {
    await configure({
      [CONFIG_KEYS.apiKey]: 'sk_test_fromConfig',
      [CONFIG_KEYS.apiBase]: 'http://127.0.0.1:1234',
      [CONFIG_KEYS.apiVersion]: '2026-01-01.x',
    });
    expect(resolveSettings({ STRIPE_API_KEY: 'sk_test_fromEnv', STRIPE_API_BASE: 'http://elsewhere' })).to.deep.equal({
      apiKey: 'sk_test_fromConfig',
      apiBase: 'http://127.0.0.1:1234',
      apiVersion: '2026-01-01.x',
      mode: 'test',
      maxRequestsPerSecond: 25,
    });
  });

  it('falls back to STRIPE_API_KEY / STRIPE_API_BASE / STRIPE_API_VERSION', () => {
    expect(resolveSettings({ STRIPE_API_KEY: 'rk_test_env', STRIPE_API_BASE: 'http://127.0.0.1:9' })).to.deep.equal({
      apiKey: 'rk_test_env',
      apiBase: 'http://127.0.0.1:9',
      mode: 'test',
      maxRequestsPerSecond: 25,
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
    expect(message).to.match(
      /^stripe-issuing:mode: is "test" but the Stripe key \(STRIPE_API_KEY\) is a live key.*`stripe-issuing:mode: live`/,
    );
    expect(message).to.not.include(key);
    await configure({ [CONFIG_KEYS.mode]: 'live' });
    expect(resolveSettings({ STRIPE_API_KEY: key }).mode).to.equal('live');
  });

  it('refuses a test key when the stack is in live mode', async () => {
    await configure({ [CONFIG_KEYS.mode]: 'live', [CONFIG_KEYS.apiKey]: 'sk_test_x' });
    expect(() => resolveSettings({})).to.throw(/"live" but the Stripe key \(stripe-issuing:stripeApiKey\) is not a live key/);
  });

  it('rejects an unknown mode', async () => {
    await configure({ [CONFIG_KEYS.mode]: 'prod', [CONFIG_KEYS.apiKey]: 'sk_test_x' });
    expect(() => resolveSettings({})).to.throw(/must be "test" or "live", got "prod"/);
  });
});

describe('the request rate of a stack', () => {
  it("defaults to Stripe's limit for the mode and takes a lower share from the stack or the environment", async () => {
    await configure({ [CONFIG_KEYS.apiKey]: 'sk_test_x' });
    expect(resolveSettings({}).maxRequestsPerSecond).to.equal(STRIPE_RATE_LIMITS.test);
    expect(resolveSettings({ STRIPE_MAX_REQUESTS_PER_SECOND: '7' }).maxRequestsPerSecond).to.equal(7);
    await configure({ [CONFIG_KEYS.apiKey]: 'sk_test_x', [CONFIG_KEYS.maxRequestsPerSecond]: '10' });
    expect(resolveSettings({ STRIPE_MAX_REQUESTS_PER_SECOND: '7' }).maxRequestsPerSecond).to.equal(10);
    expect(requestRate(undefined, 'live')).to.equal(100);
  });

  it('refuses a rate that is not a positive number, naming the setting', async () => {
    for (const bad of ['0', '-3', 'fast']) {
      await configure({ [CONFIG_KEYS.apiKey]: 'sk_test_x', [CONFIG_KEYS.maxRequestsPerSecond]: bad });
      expect(() => resolveSettings({})).to.throw(
        `stripe-issuing:maxRequestsPerSecond must be a positive number of requests per second, got "${bad}"`,
      );
    }
  });
});

describe('the request pacer (a virtual clock: no timing in tests)', () => {
  /** A pacer whose sleeps advance a virtual clock; `sent` records when each request was let through. */
  function virtualPacer(ceiling: number) {
    let now = 0;
    const pacer = new RequestPacer(
      ceiling,
      () => now,
      async (ms) => {
        now += ms;
      },
    );
    const sent: number[] = [];
    const send = async () => {
      await pacer.acquire();
      sent.push(now);
    };
    return { pacer, sent, send, advance: (ms: number) => (now += ms) };
  }

  it('spaces requests evenly at the ceiling instead of letting them burst', async () => {
    const { sent, send } = virtualPacer(20);
    for (let i = 0; i < 5; i++) await send();
    expect(sent).to.deep.equal([0, 50, 100, 150, 200]);
  });

  it('after a 429 slows down, honours Retry-After for every sender, then climbs back to the ceiling', async () => {
    const { pacer, sent, send } = virtualPacer(20);
    await send();
    pacer.rateLimited(2000);
    expect(pacer.currentRate).to.equal(14);
    await send();
    expect(sent[1], 'paused for Retry-After').to.be.at.least(2000);
    for (let i = 0; i < 100; i++) pacer.accepted();
    expect(pacer.currentRate).to.equal(20);
  });

  it('without Retry-After pauses one interval of the new pace; never drops below 1 request/s', () => {
    const { pacer } = virtualPacer(2);
    for (let i = 0; i < 10; i++) pacer.rateLimited();
    expect(pacer.currentRate).to.equal(1);
  });

  it('is one per key in a process, whichever copy of the module asks, and keeps no key', () => {
    const key = 'sk_test_pacerCanary';
    expect(pacerFor(key, 25)).to.equal(pacerFor(key, 25));
    expect(pacerFor(key, 25)).to.not.equal(pacerFor('sk_test_other', 25));
    expect(pacerFor(key, 25).ceiling).to.equal(25 * HEADROOM);
    const registry = (globalThis as Record<string, unknown>).__stripeIssuingRequestPacers as Map<string, unknown>;
    expect([...registry.keys()].join(' ')).to.not.include(key);
  });

  it('asks the engine for as many resources in flight as requests per second, never fewer than its own default', () => {
    expect(engineParallelism(25)).to.equal(25);
    expect(engineParallelism(100)).to.equal(100);
    expect(engineParallelism(2.5)).to.equal(8);
  });

  it('reads Retry-After in seconds', () => {
    expect(retryAfterMs('3')).to.equal(3000);
    expect(retryAfterMs(undefined)).to.equal(undefined);
    expect(retryAfterMs('soon')).to.equal(undefined);
  });
});

describe('errors never carry secrets', () => {
  it('redacts keys, webhook secrets and card numbers', () => {
    expect(redact('Invalid API Key provided: sk_test_********************abcd and whsec_abc123 card 4242 4242 4242 4242')).to.equal(
      'Invalid API Key provided: [redacted] and [redacted] card [redacted]',
    );
  });

  it('translates a Stripe error into action, message and codes', () => {
    const error = translateError('Card c1: create failed', {
      type: 'StripeInvalidRequestError',
      message: 'No such cardholder: ich_1',
      code: 'resource_missing',
      param: 'cardholder',
      statusCode: 400,
      requestId: 'req_1',
      headers: { authorization: 'Bearer sk_test_secret' },
    });
    expect(error.message).to.equal(
      'Card c1: create failed: No such cardholder: ich_1 (HTTP 400, StripeInvalidRequestError, code resource_missing, param cardholder, request req_1)',
    );
  });
});
