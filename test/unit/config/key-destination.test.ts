// Live keys go only to Stripe; plain HTTP only to this machine. The stack file's stripeApiBase is
// refused by validation (the key named), STRIPE_API_BASE by the program's preflight and by the provider
// at every call; the mode comes only from the stack, never from the environment.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import * as yaml from 'js-yaml';
import { preflight as checkPreflight } from '../../../config/preflight';
import { checkStackText } from '../../../config/validate';
import { CONFIG_KEYS, configureFromStack, resolveSettings } from '../../../provider/settings';
import { EMBEDDED_PASSPHRASE, publicPassphraseRefusal, pulumiEnv } from '../../../toolchain/env';
import { fakeLiveKey } from '../../support/fake-keys';
import { minimalIssuing } from '../../support/issuing-config';

const FILE = 'stacks/Pulumi.prod.yaml';
const ROOT = path.resolve(__dirname, '..', '..', '..');

function stackText(mode: 'test' | 'live', apiBase?: string): string {
  return yaml.dump({
    config: {
      'stripe-issuing:mode': mode,
      ...(apiBase ? { 'stripe-issuing:stripeApiBase': apiBase } : {}),
      'stripe-issuing:issuing': minimalIssuing(),
    },
  });
}

const configure = (values: Record<string, string>) =>
  configureFromStack({ config: { get: (key: string) => values[key], require: (key: string) => values[key] } });

describe('where the Stripe key may be sent', () => {
  afterEach(() => configure({}));

  it("validation refuses any stripeApiBase but Stripe's on a live stack, naming the key", () => {
    expect(checkStackText(FILE, stackText('live', 'https://stripe-proxy.example.com'))).to.deep.equal([
      `${FILE}: stripeApiBase: points a live stack at https://stripe-proxy.example.com: a live key goes only to Stripe's API (https://api.stripe.com); remove the override`,
    ]);
    expect(checkStackText(FILE, stackText('live', 'http://127.0.0.1:12111'))).to.have.length(1);
    expect(checkStackText(FILE, stackText('live', 'https://api.stripe.com'))).to.deep.equal([]);
  });

  it('validation allows plain HTTP only to loopback, on any stack', () => {
    expect(checkStackText(FILE, stackText('test', 'http://stripe-mock.internal:12111'))[0]).to.equal(
      `${FILE}: stripeApiBase: is plain HTTP to stripe-mock.internal, which is not this machine: the key would cross the network unencrypted; ` +
        'use https, or a loopback address (127.0.0.1, localhost, [::1]) for the emulator',
    );
    for (const base of ['http://127.0.0.1:12111', 'http://localhost:9', 'http://[::1]:9', 'https://stripe-mock.internal']) {
      expect(checkStackText(FILE, stackText('test', base)), base).to.deep.equal([]);
    }
  });

  it('the provider refuses STRIPE_API_BASE other than Stripe on a live stack, at every call', async () => {
    await configure({ [CONFIG_KEYS.mode]: 'live' });
    const env = { STRIPE_API_KEY: fakeLiveKey(), STRIPE_API_BASE: 'http://127.0.0.1:12111' };
    expect(() => resolveSettings(env)).to.throw(
      'Refusing to send the Stripe key: STRIPE_API_BASE points a live stack at http://127.0.0.1:12111: a live key goes only to ' +
        "Stripe's API (https://api.stripe.com); remove the override.",
    );
    expect(resolveSettings({ ...env, STRIPE_API_BASE: 'https://api.stripe.com/' }).apiBase).to.equal('https://api.stripe.com/');
  });

  it('the provider refuses plain HTTP off this machine on a test stack', () => {
    expect(() => resolveSettings({ STRIPE_API_KEY: 'sk_test_x', STRIPE_API_BASE: 'http://10.0.0.5:12111' })).to.throw(
      /STRIPE_API_BASE is plain HTTP to 10\.0\.0\.5/,
    );
    expect(resolveSettings({ STRIPE_API_KEY: 'sk_test_x', STRIPE_API_BASE: 'http://127.0.0.1:9' }).apiBase).to.equal('http://127.0.0.1:9');
  });

  it('takes the mode from the stack only: STRIPE_MODE=live does not make a live key acceptable', () => {
    expect(() => resolveSettings({ STRIPE_API_KEY: fakeLiveKey(), STRIPE_MODE: 'live' })).to.throw(
      /is "test" but the Stripe key \(STRIPE_API_KEY\) is a live key/,
    );
  });

  it('the program refuses STRIPE_API_BASE on a live stack before declaring anything', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'key-destination-'));
    const cwd = process.cwd();
    try {
      fs.mkdirSync(path.join(directory, 'stacks'));
      fs.writeFileSync(path.join(directory, 'stacks', 'Pulumi.prod.yaml'), stackText('live'));
      process.chdir(directory);
      const settings = { get: () => undefined };
      const problems = checkPreflight('prod', settings, {
        STRIPE_API_KEY: fakeLiveKey(),
        STRIPE_API_BASE: 'https://evil.example',
      }).problems;
      expect(problems).to.deep.equal([
        `${path.join('stacks', 'Pulumi.prod.yaml')}: STRIPE_API_BASE (environment variable): points a live stack at https://evil.example: ` +
          "a live key goes only to Stripe's API (https://api.stripe.com); remove the override",
      ]);
    } finally {
      process.chdir(cwd);
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('no secrets under the public demo passphrase', () => {
  it('refuses `config set --secret` when the demo passphrase is in use, and nothing else', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-secret-'));
    try {
      const base = { PATH: '/usr/bin', HOME: home, PULUMI_HOME: path.join(home, '.pulumi') };
      const secretWrite = ['config', 'set', '--secret', '--stack', 'dev', 'stripe-issuing:stripeApiKey', 'sk_test_x'];
      expect(publicPassphraseRefusal(secretWrite, pulumiEnv(base, 'dev'))).to.match(/public demo passphrase/);
      expect(publicPassphraseRefusal(['config', 'set-all', '--stack', 'dev', '--secret', 'a=b'], pulumiEnv(base, 'dev'))).to.match(
        /public demo passphrase/,
      );
      expect(publicPassphraseRefusal(['config', 'set', '--stack', 'dev', 'stripe-issuing:mode', 'test'], pulumiEnv(base, 'dev'))).to.equal(
        undefined,
      );
      expect(publicPassphraseRefusal(secretWrite, pulumiEnv({ ...base, PULUMI_CONFIG_PASSPHRASE: 'my own' }, 'dev'))).to.equal(undefined);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('`npm run pulumi -- config set --secret` on the demo stack exits 1 with the reason, before the CLI runs', () => {
    const backend = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-secret-backend-'));
    try {
      const result = spawnSync(
        process.execPath,
        [
          '-r',
          'ts-node/register/transpile-only',
          'toolchain/cli.ts',
          'config',
          'set',
          '--secret',
          '--stack',
          'dev',
          'stripe-issuing:stripeApiKey',
          'sk_test_never_stored',
        ],
        {
          cwd: ROOT,
          encoding: 'utf8',
          // A backend of its own, so that nothing could touch the project's dev stack even if the refusal failed.
          env: { ...process.env, PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: EMBEDDED_PASSPHRASE },
        },
      );
      expect(result.status).to.equal(1);
      expect(result.stderr).to.include("Refusing `config set --secret`: this stack's passphrase is the public demo passphrase");
      expect(fs.readdirSync(backend)).to.deep.equal([]);
    } finally {
      fs.rmSync(backend, { recursive: true, force: true });
    }
  });
});
