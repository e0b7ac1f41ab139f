/**
 * Every command the GitHub Actions workflows run, run from the workflow files themselves (their `run:`
 * steps, with their env) in a checkout of the project: validate and changed-stacks in a git history,
 * the pull-request review of a stack and its one comment, `pulumi up`, and the drift report with its
 * issue. Stripe is the emulator, GitHub's REST API is served on loopback. The preview and the drift check
 * run as their read-only environments let them: with a restricted key that may only read (a proxy in
 * front of the emulator refuses anything but GET) while the state backend's folder is watched for any
 * write. The last test checks that no run step of any workflow was left out.
 */

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import * as yaml from 'js-yaml';
import Stripe from 'stripe';
import { ISSUING_CONFIG_KEY } from '../../config/paths';
import { type Emulator, startEmulator } from '../../emulator';
import { createWorkspace, stateResources, TestStack, type Workspace } from '../../testbed/workspace';
import { EMBEDDED_PASSPHRASE } from '../../toolchain/env';
import { PROJECT_ROOT, TOOLCHAIN_MANIFEST } from '../../toolchain/paths';
import { commitSha, GitHubApi } from '../pipelines/github-api';
import { findStep, type RunStep, runStep, runSteps, type StepResult } from '../pipelines/workflow';
import { READ_ONLY_KEY, ReadOnlyStripe } from '../support/read-only-stripe';

const API_KEY = 'sk_test_workflows';
const PR = 7;
/**
 * The install steps of .github/actions/node: `npm ci` replaces node_modules, which the workspace shares
 * with the project, so .ci/run runs it instead; the global npm it pins is the machine's to install.
 */
const INSTALL_STEPS = ['npm ci --no-audit --no-fund --strict-allow-scripts', 'npm install --global npm@11.19.1 --no-audit --no-fund'];

/** Every change to files under `dir` (created, written, removed) while `work` runs. Reads change nothing. */
async function writesUnder<T>(dir: string, work: () => Promise<T>): Promise<{ result: T; writes: string[] }> {
  const writes: string[] = [];
  const watcher = fs.watch(dir, { recursive: true }, (event, file) => writes.push(`${event} ${file}`));
  try {
    const result = await work();
    // Events of the last writes arrive after the process ends.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { result, writes };
  } finally {
    watcher.close();
  }
}

describe("the workflows' run steps, executed from the workflow files (emulator, GitHub API on loopback)", function () {
  this.timeout(600_000);
  let emulator: Emulator;
  let workspace: Workspace;
  let github: GitHubApi;
  let stripe: Stripe;
  let devStack: TestStack;
  let readOnly: ReadOnlyStripe;
  /** The workspace's file backend: where the stacks' state is. */
  let stateDir: string;
  const devState = async () => stateResources(await devStack.exportState());
  const ran = new Set<RunStep>();

  async function step(
    file: string,
    job: string,
    label: string,
    expressions: Record<string, string> = {},
    cwd = workspace.dir,
    env: NodeJS.ProcessEnv = {},
  ): Promise<StepResult> {
    const found = findStep(file, job, label);
    ran.add(found);
    const { GITHUB_TOKEN: _token, ...githubEnv } = github.env;
    return runStep(found, {
      cwd,
      env: { ...workspace.env, ...githubEnv, ...env },
      expressions: {
        'vars.PULUMI_BACKEND_URL': workspace.env.PULUMI_BACKEND_URL!,
        'secrets.STRIPE_API_KEY': API_KEY,
        'secrets.PULUMI_CONFIG_PASSPHRASE': workspace.env.PULUMI_CONFIG_PASSPHRASE!,
        'secrets.AWS_ACCESS_KEY_ID': '',
        'secrets.AWS_SECRET_ACCESS_KEY': '',
        'github.token': github.token,
        'matrix.stack': 'dev',
        'github.sha': commitSha('main after the merge'),
        ...expressions,
      },
    });
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: workspace.dir, encoding: 'utf8' }).trim();

  before(async () => {
    const dev = yaml.load(fs.readFileSync(path.join(PROJECT_ROOT, 'stacks', 'Pulumi.dev.yaml'), 'utf8')) as {
      config: Record<string, unknown>;
    };
    const accounts = Object.values((dev.config[ISSUING_CONFIG_KEY] as { accounts: Record<string, { id: string }> }).accounts).map(
      (a) => a.id,
    );
    emulator = await startEmulator({ seedAccounts: accounts });
    stripe = new Stripe(API_KEY, { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
    github = new GitHubApi();
    await github.start();
    github.pullRequest(PR);
    readOnly = new ReadOnlyStripe(emulator.url);
    await readOnly.start();
    // The project's dev stack file carries the salt of the public demo passphrase.
    workspace = createWorkspace({ env: { STRIPE_API_BASE: emulator.url } });
    stateDir = new URL(workspace.env.PULUMI_BACKEND_URL!).pathname;
    workspace.env.PULUMI_CONFIG_PASSPHRASE = EMBEDDED_PASSPHRASE;
    // A checkout: the project's stack files in a git history.
    for (const file of fs.readdirSync(path.join(PROJECT_ROOT, 'stacks')))
      fs.copyFileSync(path.join(PROJECT_ROOT, 'stacks', file), path.join(workspace.dir, 'stacks', file));
    fs.writeFileSync(path.join(workspace.dir, '.gitignore'), 'node_modules\n.toolchain\n');
    git('init', '-q', '-b', 'main');
    git('-c', 'user.name=ci', '-c', 'user.email=ci@example.com', 'add', '-A');
    git('-c', 'user.name=ci', '-c', 'user.email=ci@example.com', 'commit', '-q', '-m', 'base');
    devStack = await TestStack.create(workspace, 'dev');
  });

  after(async () => {
    workspace?.cleanup();
    await github?.close();
    await readOnly?.close();
    await emulator?.close();
  });

  it('pull request: validates the stack files and lists the stacks the change touches', async () => {
    const base = git('rev-parse', 'HEAD');
    const staging = path.join(workspace.dir, 'stacks', 'Pulumi.staging.yaml');
    fs.appendFileSync(staging, '# reviewed\n');
    fs.writeFileSync(path.join(workspace.dir, 'NOTES.md'), 'docs only\n');
    git('-c', 'user.name=ci', '-c', 'user.email=ci@example.com', 'commit', '-qam', 'edit staging');
    git('add', 'NOTES.md');
    git('-c', 'user.name=ci', '-c', 'user.email=ci@example.com', 'commit', '-qm', 'notes');

    const validate = await step('.github/workflows/pull-request.yml', 'validate', 'npm run validate');
    expect(validate.code, validate.output).to.equal(0);
    expect(validate.output).to.contain('ok   stacks/Pulumi.prod.yaml');

    const stacks = await step('.github/workflows/pull-request.yml', 'validate', 'stacks', { 'github.event.pull_request.base.sha': base });
    expect(stacks.code, stacks.output).to.equal(0);
    expect(stacks.outputs.stacks).to.equal('["staging"]');
  });

  it('pull request: a broken stack file fails validation with the file and key named', async () => {
    const staging = path.join(workspace.dir, 'stacks', 'Pulumi.staging.yaml');
    const text = fs.readFileSync(staging, 'utf8');
    try {
      fs.writeFileSync(staging, text.replace(/status: active/, 'status: frozen'));
      const validate = await step('.github/workflows/pull-request.yml', 'validate', 'npm run validate');
      expect(validate.code).to.equal(1);
      expect(validate.output).to.match(/stacks\/Pulumi\.staging\.yaml: .*status/);
    } finally {
      fs.writeFileSync(staging, text);
    }
  });

  it('push to main and schedule: list the touched stacks, or all of them', async () => {
    const deploy = await step('.github/workflows/deploy.yml', 'stacks', 'stacks', { 'github.event.before': git('rev-parse', 'HEAD~2') });
    expect(deploy.outputs.stacks).to.equal('["staging"]');
    const validate = await step('.github/workflows/deploy.yml', 'stacks', 'npm run validate');
    expect(validate.code, validate.output).to.equal(0);
    const created = await step('.github/workflows/deploy.yml', 'stacks', 'stacks', {
      'github.event.before': '0000000000000000000000000000000000000000',
    });
    expect(created.outputs.stacks).to.equal('["prod","staging"]');
    const drift = await step('.github/workflows/drift.yml', 'stacks', 'stacks');
    expect(drift.outputs.stacks).to.equal('["prod","staging"]');
  });

  it('toolchain action: `npm run setup` finds the built CLI', async () => {
    // In the project itself: setup writes the language host's path into the shared .toolchain, which
    // must not point into a temporary copy. The plain setup also rewrites the manifest without the
    // test tools: keep ours.
    const manifest = fs.readFileSync(TOOLCHAIN_MANIFEST, 'utf8');
    try {
      const setup = await step('.github/actions/toolchain/action.yml', 'action', 'npm run setup', {}, PROJECT_ROOT);
      expect(setup.code, setup.output).to.equal(0);
      expect(setup.output).to.match(/pulumi v3\.\d+\.\d+/);
    } finally {
      fs.writeFileSync(TOOLCHAIN_MANIFEST, manifest);
    }
  });

  /** A step with the read-only secrets of a `<stack>-read` environment: the restricted key, writes watched. */
  const readOnlyStep = (file: string, job: string, label: string) =>
    writesUnder(stateDir, () =>
      step(file, job, label, { 'secrets.STRIPE_API_KEY': READ_ONLY_KEY }, workspace.dir, { STRIPE_API_BASE: readOnly.url }),
    );

  it('pull request: reviews the dev stack with read-only secrets and posts one comment, edited on the next push', async () => {
    const { result: review, writes } = await readOnlyStep('.github/workflows/pull-request.yml', 'preview', 'Preview and review');
    expect(review.code, review.output).to.equal(0);
    expect(readOnly.refused, 'no write reached Stripe').to.deep.equal([]);
    expect(writes, 'nothing written to the state backend').to.deep.equal([]);
    expect(fs.readFileSync(path.join(workspace.dir, 'reviews', 'dev.exit'), 'utf8').trim()).to.equal('0');
    expect(fs.readFileSync(path.join(workspace.dir, 'reviews', 'dev.md'), 'utf8')).to.contain('#### + create Card `acme-jane-travel`');

    const { result: policy, writes: policyWrites } = await readOnlyStep('.github/workflows/pull-request.yml', 'preview', 'Policy pack');
    expect(policy.code, policy.output).to.equal(0);
    expect(policy.output).to.match(/stripe-issuing-policies@v0\.1\.0/);
    expect(policy.output).not.to.match(/\[(mandatory|advisory)\]/);
    expect(readOnly.refused, 'no write reached Stripe').to.deep.equal([]);
    expect(policyWrites, 'nothing written to the state backend').to.deep.equal([]);

    const comment = {
      'github.event.pull_request.number': String(PR),
      'github.event.action': 'opened',
      'github.event.label.name': '',
      'github.event.pull_request.head.sha': github.issue(PR).head!.sha,
      'needs.validate.outputs.stacks': '["dev"]',
    };
    const first = await step('.github/workflows/pull-request.yml', 'review-comment', 'One plan comment, and the approval gate', comment);
    expect(first.code, first.output).to.equal(0);
    const again = await step('.github/workflows/pull-request.yml', 'review-comment', 'One plan comment, and the approval gate', {
      ...comment,
      'github.event.action': 'synchronize',
    });
    expect(again.code, again.output).to.equal(0);
    const ours = github.comments.filter((c) => c.issue === PR);
    expect(ours).to.have.length(1);
    expect(ours[0].body).to.contain('## Pulumi preview of stack `dev`');
  });

  it('push to main: the gate on the merge commit, then `pulumi up` deploys the stack', async () => {
    const gate = await step('.github/workflows/deploy.yml', 'up', 'Gate on the merge commit');
    expect(gate.code, gate.output).to.equal(0);
    expect(gate.output).to.contain('Nothing irreversible in dev');
    const { result: up, writes } = await writesUnder(stateDir, () => step('.github/workflows/deploy.yml', 'up', 'pulumi up'));
    expect(up.code, up.output).to.equal(0);
    expect(await devState()).to.have.property('Card:acme-jane-travel');
    expect(writes.length, 'the watch sees the state written by an up').to.be.greaterThan(0);
  });

  it('push to main: the gate refuses irreversible steps nothing approved, before any up', async () => {
    const stackFile = path.join(workspace.dir, 'stacks', 'Pulumi.dev.yaml');
    const text = fs.readFileSync(stackFile, 'utf8');
    try {
      // Removing the office card from the stack cancels it: irreversible.
      const doc = yaml.load(text) as {
        config: Record<string, { accounts: { acme: { cardholders: { jane: { cards: { office?: unknown } } } } } }>;
      };
      delete doc.config[ISSUING_CONFIG_KEY].accounts.acme.cardholders.jane.cards.office;
      fs.writeFileSync(stackFile, yaml.dump(doc));
      const gate = await step('.github/workflows/deploy.yml', 'up', 'Gate on the merge commit');
      expect(gate.code).to.equal(1);
      expect(gate.output).to.contain('dev: delete Card acme-jane-office').and.to.contain('is not the merge of a pull request');
      expect(await devState()).to.have.property('Card:acme-jane-office');
    } finally {
      fs.writeFileSync(stackFile, text);
    }
  });

  it('schedule: no drift opens no issue; drift opens one; its end closes it (read-only secrets)', async () => {
    readOnly.requests.length = 0;
    const { result: quiet, writes } = await readOnlyStep('.github/workflows/drift.yml', 'drift', 'Drift report and issue');
    expect(quiet.code, quiet.output).to.equal(0);
    expect(github.issues.filter((i) => !i.pull_request)).to.deep.equal([]);
    // The refresh read every object with GET and asked nothing else; the state stayed as it was.
    expect(readOnly.requests.length).to.be.greaterThan(0);
    expect(readOnly.refused).to.deep.equal([]);
    expect(writes).to.deep.equal([]);

    const card = (await devState())['Card:acme-jane-travel'].id!;
    await stripe.issuing.cards.update(card, { status: 'inactive' }, { stripeAccount: 'acct_1DevAcmeIssuing' });
    const { result: drifted, writes: driftWrites } = await readOnlyStep('.github/workflows/drift.yml', 'drift', 'Drift report and issue');
    expect(drifted.code, drifted.output).to.equal(0);
    expect(readOnly.refused).to.deep.equal([]);
    expect(driftWrites).to.deep.equal([]);
    console.log(
      `      read-only refreshes asked Stripe: ${[...new Set(readOnly.requests.map((r) => r.replace(/\/(acct|ich|ic|fa|we)_[A-Za-z0-9]+/g, '/{id}')))].join(', ')}`,
    );
    const issues = github.issues.filter((i) => !i.pull_request);
    expect(issues.map((i) => [i.title, i.state])).to.deep.equal([['Drift in stack dev', 'open']]);
    expect(issues[0].body).to.contain('| `status` | `active` | `inactive` |');

    await stripe.issuing.cards.update(card, { status: 'active' }, { stripeAccount: 'acct_1DevAcmeIssuing' });
    const back = await step('.github/workflows/drift.yml', 'drift', 'Drift report and issue');
    expect(back.code, back.output).to.equal(0);
    expect(issues[0].state).to.equal('closed');
  });

  it('a write with the read-only key is refused (the proxy is not a no-op)', async () => {
    const client = new Stripe(READ_ONLY_KEY, {
      host: '127.0.0.1',
      port: Number(new URL(readOnly.url).port),
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    const card = (await devState())['Card:acme-jane-travel'].id!;
    expect((await client.issuing.cards.retrieve(card, {}, { stripeAccount: 'acct_1DevAcmeIssuing' })).id).to.equal(card);
    const refused = await client.issuing.cards
      .update(card, { status: 'inactive' }, { stripeAccount: 'acct_1DevAcmeIssuing' })
      .catch((e: Error) => e);
    expect(refused).to.be.instanceOf(Stripe.errors.StripePermissionError);
  });

  it('ran every run step of every workflow (the install steps: by .ci/run and the machine)', () => {
    const left = runSteps().filter((s) => ![...ran].some((r) => r.file === s.file && r.job === s.job && r.label === s.label));
    expect(left.filter((s) => !INSTALL_STEPS.includes(s.run.trim())).map((s) => `${s.file} ${s.job}: ${s.label}`)).to.deep.equal([]);
    expect(fs.readFileSync(path.join(PROJECT_ROOT, '.ci', 'run'), 'utf8')).to.contain(INSTALL_STEPS[0]);
  });
});
