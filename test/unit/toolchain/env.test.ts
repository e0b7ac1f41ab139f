import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { EMBEDDED_PASSPHRASE, pulumiEnv, stackOf } from '../../../toolchain/env';

describe('toolchain environment for the Pulumi CLI', () => {
  // A HOME without Pulumi credentials: the user chose no backend.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'env-home-'));
  const base: NodeJS.ProcessEnv = { PATH: '/usr/bin', HOME: home, PULUMI_HOME: path.join(home, '.pulumi') };
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  it('reads the stack a command names', () => {
    expect(stackOf(['up', '--stack', 'dev', '--yes'])).to.equal('dev');
    expect(stackOf(['preview', '-s', 'prod'])).to.equal('prod');
    expect(stackOf(['preview', '--stack=staging'])).to.equal('staging');
    expect(stackOf(['about'])).to.equal(undefined);
  });

  it('uses the embedded backend, offline, when the user chose none', () => {
    const env = pulumiEnv(base, 'dev');
    expect(env.PULUMI_BACKEND_URL).to.match(/^file:\/\/.*\.pulumi\/state$/);
    expect(env.PULUMI_SKIP_UPDATE_CHECK).to.equal('true');
    expect(env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION).to.equal('true');
    expect(env.PATH?.split(path.delimiter).slice(-1)).to.deep.equal(['/usr/bin']);
  });

  it('gives the public passphrase to the demo stack only', () => {
    expect(pulumiEnv(base, 'dev').PULUMI_CONFIG_PASSPHRASE).to.equal(EMBEDDED_PASSPHRASE);
    expect(pulumiEnv(base, 'prod').PULUMI_CONFIG_PASSPHRASE).to.equal(undefined);
    expect(pulumiEnv(base, undefined).PULUMI_CONFIG_PASSPHRASE).to.equal(undefined);
    expect(pulumiEnv({ ...base, PULUMI_CONFIG_PASSPHRASE: 'mine' }, 'dev').PULUMI_CONFIG_PASSPHRASE).to.equal('mine');
  });

  it('never overrides a backend the user chose', () => {
    const chosen = pulumiEnv({ ...base, PULUMI_BACKEND_URL: 's3://bucket' }, 'dev');
    expect(chosen.PULUMI_BACKEND_URL).to.equal('s3://bucket');
    expect(chosen.PULUMI_HOME).to.equal(base.PULUMI_HOME);
    expect(chosen.PULUMI_CONFIG_PASSPHRASE).to.equal(undefined);
    fs.mkdirSync(base.PULUMI_HOME!, { recursive: true });
    fs.writeFileSync(path.join(base.PULUMI_HOME!, 'credentials.json'), JSON.stringify({ current: 'https://api.pulumi.com' }));
    try {
      expect(pulumiEnv(base, 'dev').PULUMI_BACKEND_URL).to.equal(undefined);
    } finally {
      fs.rmSync(path.join(base.PULUMI_HOME!, 'credentials.json'));
    }
  });

  it("lets `pulumi login` and `logout` write the user's own PULUMI_HOME, so the chosen backend sticks", () => {
    for (const command of ['login', 'logout']) {
      const env = pulumiEnv(base, undefined, command);
      expect(env.PULUMI_BACKEND_URL, command).to.equal(undefined);
      expect(env.PULUMI_HOME, command).to.equal(base.PULUMI_HOME);
    }
    expect(pulumiEnv(base, 'dev', 'preview').PULUMI_BACKEND_URL).to.match(/^file:\/\//);
  });

  it('lets the user turn plugin downloads back on (stacks that deploy the AWS authorizer)', () => {
    expect(
      pulumiEnv({ ...base, PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'false' }, 'prod').PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION,
    ).to.equal('false');
  });
});
