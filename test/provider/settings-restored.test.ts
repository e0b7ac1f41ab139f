// The provider tests configure a key and an emulator URL the way the engine does (on globalThis); each
// suite must put back what it found, so later test files in the same mocha process are not affected by
// the order they run in.
import { expect } from 'chai';
import { CONFIG_KEYS, configureFromStack, resolveSettings } from '../../provider/settings';
import { API_KEY, startStripe, stopStripe } from './support';

const ENV = { STRIPE_API_KEY: 'sk_test_fromEnvironment', STRIPE_API_BASE: 'http://127.0.0.1:9' };

describe('provider test support: stopStripe puts the provider settings back', () => {
  it('after a suite, resolveSettings answers as before it, not with the closed emulator', async () => {
    const before = resolveSettings(ENV);
    const { emulator } = await startStripe();
    expect(resolveSettings(ENV)).to.include({ apiKey: API_KEY, apiBase: emulator.url });
    await stopStripe(emulator);
    expect(resolveSettings(ENV)).to.deep.equal(before);
  });

  it('puts back what an earlier suite configured, through nested suites', async () => {
    const before = resolveSettings(ENV);
    const outer = await startStripe();
    try {
      const earlier: Record<string, string> = { [CONFIG_KEYS.apiKey]: 'sk_test_earlierSuite', [CONFIG_KEYS.apiBase]: 'http://127.0.0.1:7' };
      await configureFromStack({ config: { get: (key: string) => earlier[key], require: (key: string) => earlier[key] } });
      const inner = await startStripe();
      await stopStripe(inner.emulator);
      expect(resolveSettings(ENV)).to.include({ apiKey: 'sk_test_earlierSuite', apiBase: 'http://127.0.0.1:7' });
    } finally {
      await stopStripe(outer.emulator);
    }
    expect(resolveSettings(ENV)).to.deep.equal(before);
  });
});
