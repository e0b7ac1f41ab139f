/**
 * A platform's own Pulumi program (test/fixtures/consumer-program, outside this tree once copied) installs
 * the tarball `npm run package` packs, and runs it through the real CLI against the emulator: up → clean
 * preview → update in place → the policy pack (policy/) → destroy, each checked with the real `stripe` client. Nothing of this
 * repository's sources is on its module path: its `node_modules` is its own `npm install`.
 */
import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import Stripe from 'stripe';
import { STATE_BOUND_BYTES } from '../../bench/engine';
import { type Emulator, startEmulator } from '../../emulator';
import { createWorkspace, stateResources, TestStack, type Workspace } from '../../testbed/workspace';
import { PROJECT_ROOT } from '../../toolchain/paths';
import { expectNoPlainPersonalData } from '../support/personal-data';

const run = promisify(execFile);
const ACCOUNT = 'acct_1ConsumerAcme';
const PACKAGE = '@stripe-issuing/provider';
const CARD = 'Card:acme-jane-travel';
const HOLDER = 'Cardholder:acme-jane';
const PACK = path.join(PROJECT_ROOT, 'policy');

/** Every file below `dir`, relative. */
function filesBelow(dir: string, below = ''): string[] {
  return fs.readdirSync(path.join(dir, below), { withFileTypes: true }).flatMap((entry) => {
    const name = path.join(below, entry.name);
    return entry.isDirectory() ? filesBelow(dir, name) : [name];
  });
}

describe('Your own Pulumi program: the provider installed from its packed tarball', () => {
  let emulator: Emulator;
  let stripe: Stripe;
  let packDir: string;
  let tarball: string;
  let workspace: Workspace;
  let stack: TestStack;
  const apiKey = `sk_test_consumer_${crypto.randomBytes(8).toString('hex')}`;
  const onAccount = { stripeAccount: ACCOUNT };
  const ids = async () =>
    Object.fromEntries(Object.entries(stateResources(await stack.exportState())).map(([key, r]) => [key, r.id as string]));

  before(async function () {
    // Packing, then an `npm install` of the tarball and the program's own dependencies (from npm's cache).
    this.timeout(600_000);
    emulator = await startEmulator({ seedAccounts: [ACCOUNT] });
    stripe = new Stripe(apiKey, { host: '127.0.0.1', port: emulator.port, protocol: 'http' });

    packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-issuing-pack-'));
    await run('npm', ['run', '--silent', 'package', '--', '--out', packDir], { cwd: PROJECT_ROOT });
    [tarball] = fs.readdirSync(packDir).map((name) => path.join(packDir, name));

    // The key and the emulator come from the program's stack config only, as a consumer sets them.
    workspace = createWorkspace({ fixture: 'consumer-program', env: { STRIPE_API_KEY: '', STRIPE_API_BASE: '' } });
    fs.rmSync(path.join(workspace.dir, 'node_modules')); // the link to this tree's: the program installs its own
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: workspace.dir, env: workspace.env });

    stack = await TestStack.create(workspace, 'consumer');
    await stack.setConfig('stripe-issuing:mode', 'test');
    await stack.setConfig('stripe-issuing:stripeApiBase', emulator.url);
    await stack.setConfig('stripe-issuing:stripeApiKey', apiKey, { secret: true });
    await stack.setConfig('connectedAccount', ACCOUNT);
    await stack.setConfig('monthlyLimit', '50000');
  });

  after(async () => {
    workspace?.cleanup();
    if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
    await emulator?.close();
  });

  it('installs as a package of its own: compiled JavaScript with type declarations, no sources', async () => {
    const installed = path.join(workspace.dir, 'node_modules', ...PACKAGE.split('/'));
    expect(fs.lstatSync(installed).isSymbolicLink()).to.equal(false);
    expect(fs.realpathSync(installed).startsWith(fs.realpathSync(workspace.dir))).to.equal(true);
    const files = filesBelow(installed);
    expect(files).to.include.members(['index.js', 'index.d.ts', 'README.md', 'package.json', path.join('providers', 'Card.js')]);
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).to.deep.equal([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    expect(manifest.version).to.equal(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).version);
    // The program, and the README's short example, type-check against the package's declarations alone.
    await run('npx', ['tsc', '-p', '.'], { cwd: workspace.dir, env: workspace.env });
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const example = /## In your own program\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).to.include(`from '${PACKAGE}'`);
    fs.writeFileSync(path.join(workspace.dir, 'readme-example.ts'), example as string);
    const strict = ['--noEmit', '--strict', '--esModuleInterop', '--skipLibCheck', '--module', 'commonjs', '--target', 'es2022'];
    await run('npx', ['tsc', ...strict, '--moduleResolution', 'node', 'readme-example.ts'], { cwd: workspace.dir, env: workspace.env });
  });

  it('up creates the account setup, the cardholder and the card in Stripe, with a small state', async () => {
    await stack.up();
    const id = await ids();
    const card = await stripe.issuing.cards.retrieve(id[CARD], {}, onAccount);
    expect(card.status).to.equal('active');
    expect(card.cardholder.id).to.equal(id[HOLDER]);
    expect(card.financial_account).to.equal(id['FinancialAccount:acme']);
    expect(card.spending_controls.spending_limits).to.deep.equal([{ amount: 50000, interval: 'monthly', categories: null }]);
    expect(card.metadata).to.include({ pulumi_stack: 'consumer', pulumi_name: 'acme-jane-travel' });
    expect((await stack.outputs()).cardLast4).to.equal(card.last4);

    const state = await stack.exportState();
    const ours = (state.deployment.resources ?? []).filter((r) => r.type.startsWith('pulumi-nodejs:dynamic/stripe-issuing:'));
    expect(ours).to.have.length(9);
    // The serialized provider is a reference into the consumer's node_modules, not an inlined copy.
    for (const resource of ours) {
      const type = resource.type.slice(resource.type.lastIndexOf(':') + 1);
      expect(resource.inputs?.__provider).to.be.a('string').and.include(`require("${PACKAGE}/providers/${type}.js")`);
      expect(Buffer.byteLength(resource.inputs?.__provider as string)).to.be.below(1024);
    }
    // Every byte of the export (stack and provider entries included), shared over our resources.
    expect(Buffer.byteLength(JSON.stringify(state)) / ours.length).to.be.at.most(STATE_BOUND_BYTES);
    // The date of birth the program gives in plain text reaches state only encrypted.
    expectNoPlainPersonalData(state, { day: 7, month: 9, year: 1979 });
  });

  it('a preview right after up shows no change', async () => {
    await stack.expectNoChangesPreview();
  });

  it('a changed limit updates the card in place', async () => {
    const before = await ids();
    await stack.setConfig('monthlyLimit', '75000');
    await stack.up();
    const after = await ids();
    expect(after[CARD]).to.equal(before[CARD]);
    const card = await stripe.issuing.cards.retrieve(after[CARD], {}, onAccount);
    expect(card.spending_controls.spending_limits).to.deep.equal([{ amount: 75000, interval: 'monthly', categories: null }]);
    await stack.expectNoChangesPreview();
  });

  it("the platform's policy pack passes on it, and fails naming the card when the baseline grows", async () => {
    const passed = await stack.run(['preview', '--policy-pack', PACK]);
    expect(passed.stdout + passed.stderr).not.to.match(/mandatory|advisory/);
    const stricter = path.join(workspace.dir, 'policy-config.json');
    fs.writeFileSync(
      stricter,
      JSON.stringify({ 'blocked-categories-baseline': { blockedCategories: ['betting_casino_gambling', 'wires_money_orders'] } }),
    );
    const failed = await stack.run(['preview', '--policy-pack', PACK, '--policy-pack-config', stricter], [1]);
    expect(failed.stdout + failed.stderr)
      .to.include('blocked-categories-baseline')
      .and.include('mandatory')
      .and.include('Card acme-jane-travel does not block wires_money_orders');
  });

  it('destroy cancels the card and deactivates the cardholder, and leaves the state empty', async () => {
    const id = await ids();
    await stack.destroy();
    expect((await stripe.issuing.cards.retrieve(id[CARD], {}, onAccount)).status).to.equal('canceled');
    expect((await stripe.issuing.cardholders.retrieve(id[HOLDER], {}, onAccount)).status).to.equal('inactive');
    expect(stateResources(await stack.exportState())).to.deep.equal({});
  });
});
