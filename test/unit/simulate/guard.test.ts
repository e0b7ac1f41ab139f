import { expect } from 'chai';
import { assertTestOnly, SimulationRefused } from '../../../simulate/guard';
import { fakeLiveKey } from '../../support/fake-keys';

describe('simulate: test mode only', () => {
  const refused = (input: Parameters<typeof assertTestOnly>[0]) => {
    try {
      assertTestOnly(input);
    } catch (error) {
      expect(error).to.be.instanceOf(SimulationRefused);
      return (error as Error).message;
    }
    return undefined;
  };

  it('accepts secret and restricted test keys on test stacks', () => {
    expect(refused({ stack: 'dev', mode: 'test', apiKey: 'sk_test_abc' })).to.equal(undefined);
    expect(refused({ stack: 'dev', mode: undefined, apiKey: 'rk_test_abc' })).to.equal(undefined);
  });

  it('refuses a live stack whatever the key', () => {
    expect(refused({ stack: 'prod', mode: 'live', apiKey: 'sk_test_abc' })).to.equal(
      'stack prod is in live mode (stripe-issuing:mode: live): simulations run only on test-mode stacks.',
    );
  });

  it('refuses live keys, other keys and no key, without echoing the key', () => {
    for (const apiKey of [fakeLiveKey('sk', 'secretValue'), fakeLiveKey('rk', 'secretValue')]) {
      const message = refused({ stack: 'dev', mode: 'test', apiKey });
      expect(message).to.equal('STRIPE_API_KEY is a live key: simulations accept only test keys (sk_test_… or rk_test_…).');
    }
    expect(refused({ stack: 'dev', mode: 'test', apiKey: 'pk_test_secretValue' })).to.equal(
      'STRIPE_API_KEY is a publishable key (pk_…), which cannot manage Issuing: use a secret (sk_…) or restricted (rk_…) key: ' +
        'simulations need a Stripe test key (sk_test_… or rk_test_…).',
    );
    expect(refused({ stack: 'dev', mode: 'test', apiKey: undefined })).to.match(/^STRIPE_API_KEY is not set/);
    expect(refused({ stack: 'dev', mode: 'test', apiKey: '' })).to.match(/^STRIPE_API_KEY is not set/);
  });
});
