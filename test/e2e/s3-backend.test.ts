/**
 * Shared state for a team: the project on Pulumi's S3 backend, served by a real S3 server (versitygw,
 * posix backend on a temporary folder) on loopback, through the real CLI against the emulator. The dev
 * stack goes up with clean preview and refresh; the project's scripts use the backend the user logged
 * in to; a second `up` of a stack that is being updated is refused by Pulumi's lock with the state left
 * intact; two stacks update in parallel.
 */

import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import * as yaml from 'js-yaml';
import { ISSUING_CONFIG_KEY } from '../../config/paths';
import { type Emulator, startEmulator } from '../../emulator';
import { createWorkspace, runNpmScript, stateResources, TestStack, type Workspace } from '../../testbed/workspace';
import { runPulumi } from '../../toolchain/cli';
import { type S3Server, startS3Server } from '../support/s3-server';

const BUCKET = 'platform-state';
const PROJECT = 'stripe-issuing';
const TEAM_ACCOUNTS = { a: 'acct_1S3TeamAlpha', b: 'acct_1S3TeamBravo' };

/** A small stack of its own for one team: one connected account, a cardholder, a card. */
function teamIssuing(account: string) {
  return {
    accounts: {
      team: {
        id: account,
        capabilities: ['transfers', 'treasury', 'card_issuing'],
        financialAccount: { nickname: 'Team operating', supportedCurrencies: ['usd'], features: ['card_issuing'] },
        cardholders: {
          lead: {
            name: 'Team Lead',
            email: 'lead@team.example',
            billing: { address: { line1: '510 Townsend St', city: 'San Francisco', state: 'CA', postalCode: '94103', country: 'US' } },
            individual: { firstName: 'Team', lastName: 'Lead' },
            cards: { travel: { status: 'active', spendingControls: { spendingLimits: [{ amount: 50000, interval: 'monthly' }] } } },
          },
        },
      },
    },
  };
}

describe('shared state on an S3 backend (versitygw on loopback) through the real CLI', function () {
  this.timeout(600_000);
  let emulator: Emulator;
  let s3: S3Server;
  let workspace: Workspace;
  let dev: TestStack;
  let devIssuing: {
    accounts: Record<
      string,
      {
        id: string;
        cardholders: Record<string, { cards: Record<string, { spendingControls?: { spendingLimits: { amount: number }[] } }> }>;
      }
    >;
  };

  /** The objects Pulumi keeps in the bucket (paths below it). */
  const bucketObjects = (): string[] => {
    const bucket = path.join(s3.root, BUCKET);
    return (fs.readdirSync(bucket, { recursive: true }) as string[]).filter((p) => fs.statSync(path.join(bucket, p)).isFile()).sort();
  };
  const lockFiles = () => bucketObjects().filter((p) => p.startsWith(path.join('.pulumi', 'locks')));

  before(async () => {
    const devFile = yaml.load(fs.readFileSync(path.join(__dirname, '..', '..', 'stacks', 'Pulumi.dev.yaml'), 'utf8')) as {
      config: Record<string, unknown>;
    };
    devIssuing = devFile.config[ISSUING_CONFIG_KEY] as typeof devIssuing;
    // The team stacks record no ToS acceptance: their accounts start with it, as onboarded accounts do.
    emulator = await startEmulator({
      seedAccounts: [...Object.values(devIssuing.accounts).map((a) => a.id), ...Object.values(TEAM_ACCOUNTS)],
      seedTosAccepted: true,
    });
    s3 = await startS3Server();
    s3.createBucket(BUCKET);
    workspace = createWorkspace({ env: { STRIPE_API_BASE: emulator.url, STRIPE_API_KEY: 'sk_test_shared_state', ...s3.env } });
    // The user's own choice: `pulumi login s3://…` (kept in PULUMI_HOME), no PULUMI_BACKEND_URL.
    delete workspace.env.PULUMI_BACKEND_URL;
    const login = await runPulumi(['login', s3.backendUrl(BUCKET), '--non-interactive'], { cwd: workspace.dir, env: workspace.env });
    expect(login.code, login.stderr + login.stdout).to.equal(0);
  });

  after(async () => {
    workspace?.cleanup();
    await s3?.close();
    await emulator?.close();
  });

  it('logs in to the bucket: `pulumi whoami` names the S3 backend', async () => {
    const whoami = await runPulumi(['whoami', '--verbose', '--non-interactive'], { cwd: workspace.dir, env: workspace.env });
    expect(whoami.code, whoami.stderr).to.equal(0);
    expect(whoami.stdout).to.contain(`Backend URL: s3://${BUCKET}`);
  });

  it('brings the dev stack up with the state in the bucket, then preview and refresh are clean', async () => {
    dev = await TestStack.create(workspace, 'dev');
    dev.copyProjectStackFile('dev');
    await dev.up();
    await dev.expectNoChangesPreview();
    await dev.refresh({ expectNoChanges: true });
    await dev.expectNoChangesPreview();
    expect(bucketObjects()).to.include(path.join('.pulumi', 'stacks', PROJECT, 'dev.json'));
    expect(lockFiles(), 'no lock left behind').to.deep.equal([]);
    expect(fs.existsSync(path.join(workspace.dir, '.pulumi', 'state')), 'the embedded backend stays unused').to.equal(false);
  });

  it("runs the project's scripts on the backend the user logged in to (npm run drift and review)", async () => {
    for (const script of ['drift', 'review']) {
      const run = await runNpmScript(workspace, script, ['--stack', 'dev']);
      expect(run.status, `${script}: ${run.stderr}`).to.equal(0);
      expect(run.stdout).to.match(/No drift|No changes/);
    }
    expect(fs.existsSync(path.join(workspace.dir, '.pulumi', 'state')), 'no silent switch to the embedded backend').to.equal(false);
  });

  it("refuses a second `up` of a stack while the first holds Pulumi's lock, and leaves the state intact", async () => {
    const edited = structuredClone(devIssuing);
    edited.accounts.acme.cardholders.jane.cards.travel.spendingControls!.spendingLimits[0].amount = 650000;
    dev.setConfigValue(ISSUING_CONFIG_KEY, edited);
    const before = stateResources(await dev.exportState());

    // The first up runs in its own process group; once its lock is in the bucket, the whole group
    // is paused (SIGSTOP), so the second up certainly meets the lock, then it resumes (SIGCONT).
    let first: ChildProcess | undefined;
    const firstUp = runPulumi(['up', '--yes', '--skip-preview', '--non-interactive', '--stack', 'dev'], {
      cwd: workspace.dir,
      env: workspace.env,
      detached: true,
      onSpawn: (child) => (first = child),
    });
    for (let i = 0; i < 600 && lockFiles().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lockFiles(), 'the first up took the lock').to.have.length(1);
    process.kill(-first!.pid!, 'SIGSTOP');
    let second: Awaited<ReturnType<typeof runPulumi>>;
    try {
      second = await runPulumi(['up', '--yes', '--skip-preview', '--non-interactive', '--stack', 'dev'], {
        cwd: workspace.dir,
        env: workspace.env,
      });
    } finally {
      process.kill(-first!.pid!, 'SIGCONT');
    }
    expect(second.code).to.not.equal(0);
    expect(second.stderr + second.stdout).to.contain('the stack is currently locked by 1 lock(s)');
    expect(second.stderr + second.stdout).to.contain('`pulumi cancel`');

    const firstResult = await firstUp;
    expect(firstResult.code, firstResult.stderr + firstResult.stdout).to.equal(0);
    const after = stateResources(await dev.exportState());
    expect(Object.keys(after)).to.have.members(Object.keys(before));
    for (const key of Object.keys(before)) expect(after[key].id, key).to.equal(before[key].id);
    const travelInputs = after['Card:acme-jane-travel'].inputs;
    expect(travelInputs, 'the travel card keeps its inputs').to.not.equal(undefined);
    const limits = (travelInputs!.spendingControls as { spendingLimits: { amount: number }[] }).spendingLimits;
    expect(limits[0].amount).to.equal(650000);
    expect(lockFiles()).to.deep.equal([]);
    await dev.expectNoChangesPreview();
  });

  it('updates two stacks of the project in parallel', async () => {
    const [alpha, bravo] = await Promise.all([TestStack.create(workspace, 'team-alpha'), TestStack.create(workspace, 'team-bravo')]);
    alpha.setConfigValue(ISSUING_CONFIG_KEY, teamIssuing(TEAM_ACCOUNTS.a));
    bravo.setConfigValue(ISSUING_CONFIG_KEY, teamIssuing(TEAM_ACCOUNTS.b));
    await Promise.all([alpha.up(), bravo.up()]);
    await Promise.all([alpha.expectNoChangesPreview(), bravo.expectNoChangesPreview()]);
    expect(stateResources(await alpha.exportState())).to.have.property('Card:team-lead-travel');
    expect(stateResources(await bravo.exportState())).to.have.property('Card:team-lead-travel');
    expect(bucketObjects()).to.include.members(
      ['dev', 'team-alpha', 'team-bravo'].map((s) => path.join('.pulumi', 'stacks', PROJECT, `${s}.json`)),
    );
  });
});
