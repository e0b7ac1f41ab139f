/**
 * `npm run github` (what the pipelines tell GitHub) over real HTTP against GitHub's REST routes on
 * loopback: one review comment edited in place, the irreversible-steps gate and who may open it, and
 * one drift issue per stack, updated and closed.
 */

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { GitHubApi } from './github-api';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const PR = 42;

describe('npm run github: review comment, approval gate and drift issues (GitHub REST on loopback)', () => {
  let api: GitHubApi;
  let dir: string;

  /** `npm run github -- ARGS` as a workflow step runs it. */
  async function github(args: string[]): Promise<{ code: number; output: string }> {
    try {
      const { stdout, stderr } = await promisify(execFile)('npm', ['run', '--silent', 'github', '--', ...args], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...api.env },
      });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, output: failed.stdout + failed.stderr };
    }
  }

  const review = (stack: string, markdown: string, exit: number) => {
    fs.writeFileSync(path.join(dir, `${stack}.md`), markdown);
    fs.writeFileSync(path.join(dir, `${stack}.exit`), `${exit}\n`);
  };
  const comments = () => api.comments.filter((c) => c.issue === PR);

  beforeEach(async () => {
    api = new GitHubApi();
    await api.start();
    api.pullRequest(PR);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reviews-'));
  });

  afterEach(async () => {
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('posts the reviews of all stacks as one comment and edits that comment on later runs', async () => {
    // Someone else's comments first, over more than one page.
    for (let i = 0; i < 120; i++) api.comments.push({ id: i + 1, issue: PR, body: `chatter ${i}` });
    review('staging', '## Pulumi preview of stack `staging`\n\nNo changes.\n', 0);
    review('prod', '## Pulumi preview of stack `prod`\n\n| create | 1 |\n', 0);
    expect((await github(['review-comment', '--pr', String(PR), '--dir', dir])).code).to.equal(0);
    const ours = comments().filter((c) => c.body.includes('stripe-issuing-as-code:review'));
    expect(ours).to.have.length(1);
    expect(ours[0].body).to.contain('stack `staging`').and.to.contain('stack `prod`');
    expect(ours[0].body.indexOf('`prod`')).to.be.lessThan(ours[0].body.indexOf('`staging`'));

    review('prod', '## Pulumi preview of stack `prod`\n\n| update | 2 |\n', 0);
    expect((await github(['review-comment', '--pr', String(PR), '--dir', dir])).code).to.equal(0);
    const after = comments().filter((c) => c.body.includes('stripe-issuing-as-code:review'));
    expect(after, 'still one comment').to.have.length(1);
    expect(after[0].id).to.equal(ours[0].id);
    expect(after[0].body).to.contain('| update | 2 |').and.not.to.contain('| create | 1 |');
    expect(comments()).to.have.length(121);
  });

  it('fails the check on irreversible steps until a maintainer adds the approval label', async () => {
    review('prod', '## Pulumi preview of stack `prod`\n\n> [!CAUTION]\n> **1 irreversible step**\n', 2);
    const blocked = await github(['review-comment', '--pr', String(PR), '--dir', dir]);
    expect(blocked.code).to.equal(1);
    expect(blocked.output).to.contain('approve-irreversible');
    expect(comments()[0].body).to.contain(':stop_sign: Irreversible steps in `prod`');

    api.roles.dev = 'write';
    api.label(PR, 'approve-irreversible', 'dev');
    expect((await github(['review-comment', '--pr', String(PR), '--dir', dir])).code, 'a writer cannot approve').to.equal(1);

    api.roles.lead = 'maintain';
    api.label(PR, 'approve-irreversible', 'lead');
    expect((await github(['review-comment', '--pr', String(PR), '--dir', dir])).code).to.equal(0);
    expect(comments()).to.have.length(1);
    expect(comments()[0].body).to.contain('approved by @lead (maintain)');
  });

  it('withdraws the approval when new commits arrive', async () => {
    review('prod', '## Pulumi preview of stack `prod`\n\n> **1 irreversible step**\n', 2);
    api.roles.owner = 'admin';
    api.label(PR, 'approve-irreversible', 'owner');
    const run = await github(['review-comment', '--pr', String(PR), '--dir', dir, '--new-commits']);
    expect(run.code).to.equal(1);
    expect(api.issue(PR).labels).not.to.include('approve-irreversible');
  });

  it('fails when a preview failed, whatever the labels', async () => {
    review('staging', '## Pulumi preview of stack `staging`\n\n### Errors and warnings\n', 1);
    const run = await github(['review-comment', '--pr', String(PR), '--dir', dir]);
    expect(run.code).to.equal(1);
    expect(comments()[0].body).to.contain(':x: The preview failed for `staging`');
  });

  it('opens one drift issue per stack, updates it, and closes it when the drift is gone', async () => {
    const report = path.join(dir, 'drift.md');
    fs.writeFileSync(report, '## Drift of stack `prod`\n\n#### ~ update Card `acme-jane-travel`\n');
    expect((await github(['drift-issue', '--stack', 'prod', '--report', report, '--exit', '2'])).code).to.equal(0);
    fs.writeFileSync(report, '## Drift of stack `staging`\n\n#### ~ update Cardholder `acme-jane`\n');
    expect((await github(['drift-issue', '--stack', 'staging', '--report', report, '--exit', '2'])).code).to.equal(0);
    const open = () => api.issues.filter((i) => i.state === 'open' && !i.pull_request);
    expect(open().map((i) => i.title)).to.have.members(['Drift in stack prod', 'Drift in stack staging']);
    expect(open().every((i) => i.labels.includes('drift'))).to.equal(true);

    fs.writeFileSync(report, '## Drift of stack `prod`\n\n#### - gone Card `acme-jane-office`\n');
    expect((await github(['drift-issue', '--stack', 'prod', '--report', report, '--exit', '2'])).code).to.equal(0);
    const prod = open().filter((i) => i.title === 'Drift in stack prod');
    expect(prod, 'updated, not a second issue').to.have.length(1);
    expect(prod[0].body).to.contain('acme-jane-office').and.not.to.contain('acme-jane-travel');

    expect((await github(['drift-issue', '--stack', 'prod', '--report', report, '--exit', '0'])).code).to.equal(0);
    expect(api.issue(prod[0].number).state).to.equal('closed');
    expect(api.comments.find((c) => c.issue === prod[0].number)?.body).to.contain('No drift');
    expect(open().map((i) => i.title)).to.deep.equal(['Drift in stack staging']);
  });

  it('fails on a failed drift run without touching issues', async () => {
    const report = path.join(dir, 'drift.md');
    fs.writeFileSync(report, '## Drift of stack `prod`\n\nThe stack file is invalid\n');
    const run = await github(['drift-issue', '--stack', 'prod', '--report', report, '--exit', '1']);
    expect(run.code).to.equal(1);
    expect(api.requests).to.deep.equal([]);
  });

  it('names what is missing and never prints the token', async () => {
    const noToken = await promisify(execFile)('npm', ['run', '--silent', 'github', '--', 'review-comment', '--pr', '1', '--dir', dir], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, GITHUB_REPOSITORY: api.repo, GITHUB_TOKEN: '' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((noToken as { code: number }).code).to.equal(1);
    expect((noToken as { stderr: string }).stderr).to.contain('GITHUB_TOKEN must be set');

    const wrongToken = 'ghs_wrong_but_still_secret_42';
    const rejected = await promisify(execFile)(
      'npm',
      ['run', '--silent', 'github', '--', 'review-comment', '--pr', String(PR), '--dir', dir],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...api.env, GITHUB_TOKEN: wrongToken },
      },
    ).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect((rejected as { code: number }).code).to.equal(1);
    const output = (rejected as { stdout: string; stderr: string }).stdout + (rejected as { stderr: string }).stderr;
    expect(output).to.contain('answered 401');
    expect(output).not.to.contain(wrongToken);
  });
});
