import * as path from 'node:path';
import { expect } from 'chai';
import { preflight as checkPreflight } from '../../../config/preflight';
import type { StackCheck } from '../../../config/validate';
import { fakeLiveKey } from '../../support/fake-keys';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Runs the preflight from the project root, as the program does, with the given stack settings (key and base URL). */
function preflightCheck(stack: string, settings: Record<string, string>, env: NodeJS.ProcessEnv = {}): StackCheck {
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    return checkPreflight(stack, { get: (key) => settings[key] }, env);
  } finally {
    process.chdir(cwd);
  }
}

const preflight = (stack: string, settings: Record<string, string>, env: NodeJS.ProcessEnv = {}): string[] =>
  preflightCheck(stack, settings, env).problems;

const LIVE_KEY = fakeLiveKey('sk', '51LiveKeyForTestsOnly000');
const TEST_KEY = 'sk_test_51TestKeyForTestsOnly000';

describe('preflight: stack file and live-mode guard', () => {
  it('accepts a test key on a test stack', () => {
    expect(preflight('dev', {}, { STRIPE_API_KEY: TEST_KEY })).to.deep.equal([]);
  });

  it('refuses a live key unless the stack says live, naming the file and where the key came from', () => {
    const problems = preflight('dev', { stripeApiKey: LIVE_KEY });
    expect(problems).to.deep.equal([
      'stacks/Pulumi.dev.yaml: mode: is "test" but the Stripe key (stripe-issuing:stripeApiKey) is a live key: a live key is refused unless the stack says `stripe-issuing:mode: live`',
    ]);
    expect(problems.join('\n')).to.not.contain(LIVE_KEY);
    expect(preflight('dev', {}, { STRIPE_API_KEY: fakeLiveKey('rk', '51Restricted000') })[0]).to.contain('(STRIPE_API_KEY) is a live key');
  });

  it('refuses a test key on a live stack', () => {
    expect(preflight('prod', {}, { STRIPE_API_KEY: TEST_KEY })).to.deep.equal([
      'stacks/Pulumi.prod.yaml: mode: is "live" but the Stripe key (STRIPE_API_KEY) is not a live key (sk_live_… / rk_live_…): a live stack refuses test keys',
    ]);
    expect(preflight('prod', {}, { STRIPE_API_KEY: LIVE_KEY })).to.deep.equal([]);
  });

  it('prefers the stack config key to the environment', () => {
    expect(preflight('prod', { stripeApiKey: LIVE_KEY }, { STRIPE_API_KEY: TEST_KEY })).to.deep.equal([]);
  });

  it('asks for a key when there is none', () => {
    expect(preflight('dev', {})).to.deep.equal([
      'stacks/Pulumi.dev.yaml: stripeApiKey: no Stripe API key: run `pulumi config set --secret stripe-issuing:stripeApiKey <key>` or set STRIPE_API_KEY',
    ]);
  });

  it('gives the checked stack file, whose mode the program declares with', () => {
    expect(preflightCheck('prod', {}, { STRIPE_API_KEY: LIVE_KEY }).checked).to.include({ stack: 'prod', mode: 'live' });
    expect(preflightCheck('dev', {}, { STRIPE_API_KEY: TEST_KEY }).checked).to.include({ stack: 'dev', mode: 'test' });
    expect(preflightCheck('prod', {}, { STRIPE_API_KEY: TEST_KEY }).checked).to.equal(undefined);
  });

  it('reports a stack without a stack file', () => {
    expect(preflight('nope', {}, { STRIPE_API_KEY: TEST_KEY })[0]).to.match(/^stacks\/Pulumi\.nope\.yaml: cannot be read/);
  });
});
