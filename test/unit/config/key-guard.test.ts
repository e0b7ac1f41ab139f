/**
 * The key guard fails closed, with one classification (provider/settings.ts classifyKey) in the program's
 * preflight, the provider, simulate and every script that picks a Stripe target: only a recognisable test
 * key on a test stack, only a live key on a live stack; whitespace anywhere or another kind of credential
 * is refused with the stack file, the setting and what is allowed, never with the key.
 */
import * as path from 'node:path';
import { expect } from 'chai';
import { preflight } from '../../../config/preflight';
import { readStackDocument } from '../../../config/validate';
import { withStripeTarget } from '../../../lib/stripe-target';
import { CONFIG_KEYS, classifyKey, configureFromStack, resolveSettings } from '../../../provider/settings';
import { assertTestOnly } from '../../../simulate/guard';
import { fakeLiveKey } from '../../support/fake-keys';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TEST_KEY = 'sk_test_51KeyGuard000';
const LIVE_KEY = fakeLiveKey('sk', '51KeyGuard000');

/** Keys no stack accepts: whitespace (leading, trailing, inner, a secret file's newline) or an unknown kind. */
const REFUSED: [string, string, RegExp][] = [
  ['leading space', ` ${TEST_KEY}`, /contains whitespace/],
  ['trailing newline', `${TEST_KEY}\n`, /contains whitespace/],
  ['inner tab', 'sk_test_51Key\tGuard', /contains whitespace/],
  ['live key after a space', ` ${LIVE_KEY}`, /contains whitespace/],
  ['live key with a newline', `${LIVE_KEY}\r\n`, /contains whitespace/],
  ['publishable key', 'pk_test_51KeyGuard000', /is a publishable key/],
  ['webhook secret', 'whsec_51KeyGuard000', /signing secret/],
  ['a prefix alone', 'sk_test_', /is not a Stripe secret or restricted key/],
  ['garbage', 'not-a-key', /is not a Stripe secret or restricted key/],
];

function inProjectRoot<T>(run: () => T): T {
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    return run();
  } finally {
    process.chdir(cwd);
  }
}

const programProblems = (stack: string, key: string) =>
  inProjectRoot(() => preflight(stack, { get: () => undefined }, { STRIPE_API_KEY: key }).problems);

function providerError(mode: 'test' | 'live', key: string): string | undefined {
  configureFromStack({ config: { get: (k: string) => (k === CONFIG_KEYS.mode ? mode : undefined), require: () => '' } });
  try {
    resolveSettings({ STRIPE_API_KEY: key });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    configureFromStack({ config: { get: () => undefined, require: () => '' } });
  }
}

async function targetError(stack: string, key: string): Promise<string | undefined> {
  try {
    await withStripeTarget(
      readStackDocument(stack, ROOT),
      { stack, projectRoot: ROOT, env: { STRIPE_API_KEY: key } },
      async () => undefined,
    );
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function simulateError(key: string): string | undefined {
  try {
    assertTestOnly({ stack: 'dev', mode: 'test', apiKey: key });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('the key guard: one classification, fail closed', () => {
  it('classifies secret and restricted keys by their prefix, and nothing else', () => {
    expect(classifyKey(TEST_KEY)).to.deep.equal({ mode: 'test' });
    expect(classifyKey('rk_test_51KeyGuard000')).to.deep.equal({ mode: 'test' });
    expect(classifyKey(LIVE_KEY)).to.deep.equal({ mode: 'live' });
    expect(classifyKey(fakeLiveKey('rk'))).to.deep.equal({ mode: 'live' });
    for (const [name, key] of REFUSED) expect(classifyKey(key), name).to.have.property('refused');
  });

  for (const [name, key, reason] of REFUSED) {
    it(`refuses a key with ${name} on a test and a live stack, in the program, the provider, the scripts and simulate`, async () => {
      const messages = [
        ...programProblems('dev', key),
        ...programProblems('prod', key),
        providerError('test', key),
        providerError('live', key),
        await targetError('dev', key),
        await targetError('prod', key),
        simulateError(key),
      ];
      for (const message of messages) {
        expect(message, name).to.match(reason);
        // A bare prefix is part of what the message allows; every other key must not appear.
        if (!/^(sk|rk)_(test|live)_$/.test(key)) expect(message).not.to.include(key.trim());
      }
      expect(programProblems('dev', key)).to.deep.equal([
        `stacks/Pulumi.dev.yaml: stripeApiKey: the Stripe key (STRIPE_API_KEY) ${classifyKeyReason(key)}; allowed: sk_test_… or rk_test_… on a test stack, sk_live_… or rk_live_… on a live stack`,
      ]);
      expect(await targetError('prod', key)).to.match(/^stacks\/Pulumi\.prod\.yaml: stripeApiKey: the Stripe key \(STRIPE_API_KEY\) /);
      expect(providerError('live', key)).to.match(/^stripe-issuing:stripeApiKey: the Stripe key \(STRIPE_API_KEY\) /);
    });
  }

  it('accepts a test key only on a test stack and a live key only on a live stack, everywhere', async () => {
    expect(programProblems('dev', TEST_KEY)).to.deep.equal([]);
    expect(programProblems('prod', LIVE_KEY)).to.deep.equal([]);
    expect(providerError('test', TEST_KEY)).to.equal(undefined);
    expect(providerError('live', LIVE_KEY)).to.equal(undefined);
    expect(await targetError('dev', TEST_KEY)).to.equal(undefined);
    expect(await targetError('prod', LIVE_KEY)).to.equal(undefined);
    expect(programProblems('dev', LIVE_KEY)[0]).to.contain('mode: is "test" but the Stripe key (STRIPE_API_KEY) is a live key');
    expect(programProblems('prod', TEST_KEY)[0]).to.contain('mode: is "live" but the Stripe key (STRIPE_API_KEY) is not a live key');
    expect(providerError('test', LIVE_KEY)).to.match(/^stripe-issuing:mode: is "test" but the Stripe key \(STRIPE_API_KEY\) is a live key/);
    expect(providerError('live', TEST_KEY)).to.match(
      /^stripe-issuing:mode: is "live" but the Stripe key \(STRIPE_API_KEY\) is not a live key/,
    );
    expect(await targetError('dev', LIVE_KEY)).to.match(
      /^stacks\/Pulumi\.dev\.yaml: mode: is "test" but the Stripe key \(STRIPE_API_KEY\) is a live key/,
    );
    expect(await targetError('prod', TEST_KEY)).to.match(/^stacks\/Pulumi\.prod\.yaml: mode: is "live" but the Stripe key/);
  });
});

function classifyKeyReason(key: string): string {
  const kind = classifyKey(key);
  return 'refused' in kind ? kind.refused : '';
}
