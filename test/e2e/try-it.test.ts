/**
 * Issues 16 and 14, as a new user meets the project: a fresh clone is installed with every install script
 * that package.json does not list refused (`npm ci --strict-allow-scripts`, as .ci/run installs), then
 * the README's "Try it" commands run exactly as written, with no STRIPE_API_KEY and no network:
 * `npm start`, `npm run simulate -- --stack dev all`, an edit of stacks/Pulumi.dev.yaml and
 * `npm run review -- --stack dev`. The working tree stays clean: everything they write is git-ignored.
 *
 * The clone is the project's working tree as git sees it (tracked and not ignored files), committed in a
 * new repository. Only the Pulumi CLI is not rebuilt: `.toolchain` is copied from this checkout (building
 * it from Go takes minutes; `npm run setup` finds it cached, as it says).
 */

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { NODE_BIN_DIR, PROJECT_ROOT, TOOLCHAIN_DIR } from '../../toolchain/paths';

interface CommandRun {
  code: number;
  output: string;
}

/** Runs a command to its end, stdout and stderr together as a terminal shows them. */
function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

const git = (cwd: string, ...args: string[]) =>
  spawnSync('git', ['-c', 'user.name=Try It', '-c', 'user.email=try-it@example.invalid', ...args], { cwd, encoding: 'utf8' });

/** The working tree as a clone of it would be: tracked and untracked files that git does not ignore. */
function cloneWorkingTree(into: string): void {
  const listed = git(PROJECT_ROOT, 'ls-files', '-z', '--cached', '--others', '--exclude-standard');
  expect(listed.status, listed.stderr).to.equal(0);
  for (const file of new Set(listed.stdout.split('\0').filter(Boolean))) {
    const from = path.join(PROJECT_ROOT, file);
    if (!fs.existsSync(from)) continue; // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(into, file)), { recursive: true });
    fs.copyFileSync(from, path.join(into, file));
    fs.chmodSync(path.join(into, file), fs.statSync(from).mode);
  }
  for (const args of [
    ['init', '-q'],
    ['add', '-A'],
    ['commit', '-q', '-m', 'clone'],
  ]) {
    const result = git(into, ...args);
    expect(result.status, result.stderr).to.equal(0);
  }
}

/**
 * No network: a network namespace of its own with only loopback (`unshare -rn`), where the kernel
 * allows one; otherwise every proxy variable points at a closed port. Either way the ports the commands
 * use (emulator 12111, authorizer 4242) are theirs in the namespace.
 */
const ISOLATED = spawnSync('unshare', ['-rn', 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8' }).status === 0;
function offline(command: string[], env: NodeJS.ProcessEnv): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  if (ISOLATED) return { command: 'unshare', args: ['-rn', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...command], env };
  const closed = 'http://127.0.0.1:9';
  return {
    command: command[0],
    args: command.slice(1),
    env: {
      ...env,
      HTTP_PROXY: closed,
      HTTPS_PROXY: closed,
      http_proxy: closed,
      https_proxy: closed,
      NO_PROXY: '127.0.0.1,localhost',
      npm_config_offline: 'true',
    },
  };
}

/** A new user's shell: no Stripe key, no Pulumi backend or passphrase, no npm settings of this test run. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(STRIPE_|PULUMI_|npm_|AUTHORIZER_)/i.test(key)) continue;
    env[key] = value;
  }
  // This checkout's Node 22 is not on a new user's PATH: the clone brings its own.
  env.PATH = (env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => path.resolve(dir) !== NODE_BIN_DIR)
    .join(path.delimiter);
  return env;
}

describe('Try it: a fresh clone, installed with unlisted install scripts refused, runs the README commands offline', function () {
  this.timeout(1_800_000);
  let root: string;
  let clone: string;
  let env: NodeJS.ProcessEnv;

  const npm = async (args: string[]) => {
    const offlineRun = offline(['npm', ...args], env);
    return run(offlineRun.command, offlineRun.args, { cwd: clone, env: offlineRun.env });
  };
  const gitStatus = () => git(clone, 'status', '--porcelain').stdout;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-issuing-try-it-'));
    clone = path.join(root, 'stripe-issuing-as-code');
    fs.mkdirSync(clone);
    cloneWorkingTree(clone);
    fs.cpSync(TOOLCHAIN_DIR, path.join(clone, '.toolchain'), { recursive: true });
    env = userEnv();
  });

  after(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('strict install refuses a dependency install script that package.json does not list', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(clone, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> };
    expect(manifest.allowScripts).to.deep.equal({ protobufjs: false });
    const unlisted = { ...manifest, allowScripts: {} };
    fs.writeFileSync(path.join(clone, 'package.json'), JSON.stringify(unlisted, null, 2));
    try {
      const refused = await run('npm', ['ci', '--no-audit', '--no-fund', '--strict-allow-scripts'], { cwd: clone, env });
      expect(refused.code).to.not.equal(0);
      expect(refused.output)
        .to.contain('ESTRICTALLOWSCRIPTS')
        .and.to.match(/^npm error +protobufjs@7\.6\.6 \(/m);
    } finally {
      expect(git(clone, 'checkout', '--', 'package.json').status).to.equal(0);
    }
  });

  it('npm ci --strict-allow-scripts runs no install script (Node 22.23.3 comes from the lockfile), and warns nothing about our own package.json', async () => {
    const install = await run(
      'npm',
      ['ci', '--no-audit', '--no-fund', '--strict-allow-scripts', '--foreground-scripts', '--prefer-offline'],
      { cwd: clone, env },
    );
    expect(install.code, install.output).to.equal(0);
    const scriptsRun = install.output.match(/^> \S+ (preinstall|install|postinstall|prepare)$/gm);
    expect(scriptsRun).to.equal(null);
    expect(install.output).not.to.match(/EBADENGINE[\s\S]{0,80}stripe-issuing-as-code/);
    expect(install.output).not.to.contain('install-scripts');
    const node = spawnSync(path.join(clone, 'node_modules', '.bin', 'node'), ['--version'], { encoding: 'utf8' });
    expect(node.stdout.trim()).to.equal('v22.23.3');
    expect(gitStatus()).to.equal('');
  });

  it(`npm start: the dev stack up on the emulator, then a preview with no changes (${ISOLATED ? 'network namespace with loopback only' : 'proxies closed'})`, async () => {
    const start = await npm(['start']);
    expect(start.code, start.output).to.equal(0);
    expect(start.output, 'the copied toolchain is reused')
      .to.match(/^\[setup\] .+: cached/m)
      .and.not.to.match(/^\[setup\] building/m);
    expect(start.output).to.contain(
      'No STRIPE_API_KEY: using the offline Stripe emulator at http://127.0.0.1:12111 (state in .emulator/dev.json)',
    );
    expect(start.output).to.match(/Card\s+acme-jane-travel\s+ic_\w+\s+\d{4}\s+active/);
    expect(start.output).to.contain('No changes: the stack matches Stripe.');
    expect(gitStatus()).to.equal('');
  });

  it('npm run simulate -- --stack dev all: one line per scenario, every one as expected, exit 0', async () => {
    const simulate = await npm(['run', 'simulate', '--', '--stack', 'dev', 'all']);
    expect(simulate.code, simulate.output).to.equal(0);
    expect(simulate.output).to.contain(
      'Simulating on stack dev with the offline Stripe emulator at http://127.0.0.1:12111 (state in .emulator/dev.json), the local authorizer at http://127.0.0.1:4242/',
    );
    const lines = simulate.output.split('\n').filter((line) => /^(ok|NOT as expected) /.test(line));
    expect(lines.map((line) => line.split(/\s{2,}/).slice(0, 3))).to.deep.equal([
      ['ok', 'purchase', 'approved (webhook_approved), capture 1000, refund 1000'],
      ['ok', 'over-limit', 'declined (spending_controls)'],
      ['ok', 'restricted-outbound', 'declined (not_allowed), outbound_flows restricted during it, unrestricted after'],
      ['ok', 'force-capture', 'no authorization, capture 1000'],
      ['ok', 'dispute', 'approved (webhook_approved), capture 1000, dispute submitted'],
      ['ok', 'authorizer-decline', 'declined (webhook_declined)'],
      [
        'ok',
        'increment',
        'approved (webhook_approved), +499000 approved (webhook_approved), +1 declined (webhook_declined), held 500000 of cap 500000, reversed',
      ],
      [
        'ok',
        'multi-capture',
        'approved (webhook_approved), capture 500, capture 250, pending holding 500 after capturing 500, closed holding 0 after capturing 250',
      ],
      [
        'ok',
        'replacement',
        'approved (webhook_approved), declined (spending_controls), approved (webhook_approved), capture 1000, refund 1000, damaged replacement kept the number, original active until it was activated, then canceled, limit 1500 shared',
      ],
    ]);
    expect(simulate.output, 'detail tables only with --verbose').not.to.contain('authorization  approved');
    expect(simulate.output).to.contain('9 scenario(s) as expected');
    expect(simulate.output).not.to.match(/whsec_|sk_test_emulator/);
    expect(gitStatus()).to.equal('');
  });

  it('an edit of stacks/Pulumi.dev.yaml, then npm run review -- --stack dev: the change in the summary, exit 0', async () => {
    const file = path.join(clone, 'stacks', 'Pulumi.dev.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const limit = '- {amount: 500000, interval: monthly}';
    expect(text.split(limit)).to.have.length(2);
    fs.writeFileSync(file, text.replace(limit, '- {amount: 600000, interval: monthly}'));

    const review = await npm(['run', 'review', '--', '--stack', 'dev']);
    expect(review.code, review.output).to.equal(0);
    expect(review.output).to.contain('#### ~ update Card `acme-jane-travel`');
    expect(review.output).to.contain('| `spendingControls.spendingLimits[0].amount` | `500000` | `600000` |');
    expect(review.output).to.contain('| update | 1 |');
    expect(review.output).not.to.contain('No changes.');
    expect(gitStatus()).to.equal(' M stacks/Pulumi.dev.yaml\n');
    expect(git(clone, 'checkout', '--', 'stacks/Pulumi.dev.yaml').status).to.equal(0);
    expect(gitStatus()).to.equal('');
  });
});
