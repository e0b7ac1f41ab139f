/**
 * `npm run github` (what the pipelines tell GitHub) over real HTTP against GitHub's REST routes on
 * loopback: one review comment (the pipeline's own) edited in place, the irreversible-steps gate, who may
 * open it and for which commit, the same gate on the merge commit, and one drift issue per stack, updated
 * and closed.
 */

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { commitSha, GitHubApi } from './github-api';

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

  /** The review-comment step's arguments in a pull-request run for `event` (the PR's head as the event names it). */
  const gateArgs = (event: string, opts: { stacks?: string[]; label?: string } = {}) => [
    'review-comment',
    '--pr',
    String(PR),
    '--dir',
    dir,
    '--stacks',
    JSON.stringify(opts.stacks ?? ['prod']),
    '--head',
    api.issue(PR).head!.sha,
    '--event',
    event,
    ...(opts.label ? ['--label', opts.label] : []),
  ];
  const gate = (event: string, opts: { stacks?: string[]; label?: string } = {}) => github(gateArgs(event, opts));
  const ownComments = () => comments().filter((c) => c.user?.login === 'github-actions[bot]');
  const IRREVERSIBLE =
    '## Pulumi preview of stack `prod`\n\n> [!CAUTION]\n> **1 irreversible step**\n> - **delete** Card `acme-jane-travel`: cancels the card\n';

  it('posts the reviews of all stacks as one comment and edits that comment on later runs', async () => {
    // Someone else's comments first, over more than one page.
    for (let i = 0; i < 120; i++) api.comment(PR, 'dev', `chatter ${i}`);
    review('staging', '## Pulumi preview of stack `staging`\n\nNo changes.\n', 0);
    review('prod', '## Pulumi preview of stack `prod`\n\n| create | 1 |\n', 0);
    expect((await gate('opened', { stacks: ['staging', 'prod'] })).code).to.equal(0);
    const ours = comments().filter((c) => c.body.includes('stripe-issuing-as-code:review'));
    expect(ours).to.have.length(1);
    expect(ours[0].body).to.contain('stack `staging`').and.to.contain('stack `prod`');
    expect(ours[0].body.indexOf('`prod`')).to.be.lessThan(ours[0].body.indexOf('`staging`'));

    review('prod', '## Pulumi preview of stack `prod`\n\n| update | 2 |\n', 0);
    expect((await gate('synchronize', { stacks: ['staging', 'prod'] })).code).to.equal(0);
    const after = comments().filter((c) => c.body.includes('stripe-issuing-as-code:review'));
    expect(after, 'still one comment').to.have.length(1);
    expect(after[0].id).to.equal(ours[0].id);
    expect(after[0].body).to.contain('| update | 2 |').and.not.to.contain('| create | 1 |');
    expect(comments()).to.have.length(121);
  });

  // Fails on main: the first comment carrying the marker was the plan, whoever wrote it, and was edited.
  it("takes only its own comment for the plan: anyone else's comment with the marker is ignored, never edited", async () => {
    const forged = api.comment(
      PR,
      'mallory',
      `<!-- stripe-issuing-as-code:review -->\n<!-- stripe-issuing-as-code:approval {"sha":"${api.issue(PR).head!.sha}","steps":["prod: delete Card acme-jane-travel"],"event":1,"by":"lead","role":"admin"} -->\nNothing to see`,
    );
    review('prod', IRREVERSIBLE, 2);
    const run = await gate('opened');
    expect(run.code, 'the forged approval approves nothing').to.equal(1);
    expect(api.comments.find((c) => c.id === forged.id)?.body)
      .to.contain('Nothing to see')
      .and.not.to.contain('plan of this pull request');
    expect(ownComments()).to.have.length(1);
    expect(ownComments()[0].body).to.contain(':stop_sign:');
    expect(api.requests.filter((r) => r === `PATCH /repos/${api.repo}/issues/comments/${forged.id}`)).to.deep.equal([]);
  });

  it('fails the check on irreversible steps until a maintainer adds the approval label', async () => {
    review('prod', IRREVERSIBLE, 2);
    const blocked = await gate('opened');
    expect(blocked.code).to.equal(1);
    expect(blocked.output).to.contain('approve-irreversible');
    expect(comments()[0].body).to.contain(':stop_sign: Irreversible steps in `prod`');

    api.roles.dev = 'write';
    api.label(PR, 'approve-irreversible', 'dev');
    expect((await gate('labeled', { label: 'approve-irreversible' })).code, 'a writer cannot approve').to.equal(1);

    api.roles.lead = 'maintain';
    api.unlabel(PR, 'approve-irreversible', 'lead');
    expect((await gate('unlabeled', { label: 'approve-irreversible' })).code).to.equal(1);
    api.label(PR, 'approve-irreversible', 'lead');
    const approved = await gate('labeled', { label: 'approve-irreversible' });
    expect(approved.code, approved.output).to.equal(0);
    expect(comments()).to.have.length(1);
    expect(comments()[0].body).to.contain('approved by @lead (maintain) on commit');
    // A later event on the same commit (another label) keeps the approval.
    api.label(PR, 'documentation', 'dev');
    expect((await gate('labeled', { label: 'documentation' })).code).to.equal(0);
  });

  describe('an approval covers one commit and the steps it was given on (fails on main but the first)', () => {
    const approve = async () => {
      review('prod', IRREVERSIBLE, 2);
      expect((await gate('opened')).code, 'the plan is shown first').to.equal(1);
      api.roles.lead = 'admin';
      api.label(PR, 'approve-irreversible', 'lead');
      const approved = await gate('labeled', { label: 'approve-irreversible' });
      expect(approved.code, approved.output).to.equal(0);
    };

    it('label → push: the push withdraws the approval and removes the label', async () => {
      await approve();
      api.push(PR, commitSha('pr-42 second push'));
      const run = await gate('synchronize');
      expect(run.code).to.equal(1);
      expect(api.issue(PR).labels).not.to.include('approve-irreversible');
    });

    it('label → push whose run is cancelled by another label event: the label left on does not cover the new commit', async () => {
      await approve();
      api.push(PR, commitSha('pr-42 second push'));
      // The synchronize run never ran (cancelled): the label is still on.
      api.label(PR, 'documentation', 'dev');
      const run = await gate('labeled', { label: 'documentation' });
      expect(run.code).to.equal(1);
      expect(run.output).to.match(/approval covers commit [0-9a-f]{12}, not [0-9a-f]{12}/);
    });

    it('label → close → push → reopen: the reopened pull request needs a new approval', async () => {
      await approve();
      api.issue(PR).state = 'closed';
      api.push(PR, commitSha('pr-42 pushed while closed'));
      api.issue(PR).state = 'open';
      const run = await gate('reopened');
      expect(run.code).to.equal(1);
      expect(ownComments()[0].body).to.contain(':stop_sign:');
    });

    it('label → another label event cancelling the run: the label whose run never ran approves nothing', async () => {
      review('prod', IRREVERSIBLE, 2);
      expect((await gate('opened')).code).to.equal(1);
      api.roles.lead = 'admin';
      api.label(PR, 'approve-irreversible', 'lead');
      // Its run was cancelled by the next event's (concurrency group of the pull request).
      api.label(PR, 'documentation', 'dev');
      const run = await gate('labeled', { label: 'documentation' });
      expect(run.code).to.equal(1);
      expect(run.output).to.contain('was not given on this commit');
    });

    it('a label added before the plan of this commit was shown approves nothing', async () => {
      api.roles.lead = 'admin';
      review('prod', IRREVERSIBLE, 2);
      api.label(PR, 'approve-irreversible', 'lead');
      expect((await gate('labeled', { label: 'approve-irreversible' })).code).to.equal(1);
    });

    it('a new irreversible step on the same commit is not covered', async () => {
      await approve();
      review('prod', `${IRREVERSIBLE}> - **delete** Card \`acme-jane-office\`: cancels the card\n`, 2);
      api.label(PR, 'documentation', 'dev');
      const run = await gate('labeled', { label: 'documentation' });
      expect(run.code).to.equal(1);
      expect(run.output).to.contain('prod: delete Card acme-jane-office');
    });
  });

  describe('the gate fails closed (fails on main: it read only the *.md files there were)', () => {
    it('a stack whose summary is missing (its preview job failed, or the artifact is lost) fails the gate', async () => {
      review('staging', '## Pulumi preview of stack `staging`\n\nNo changes.\n', 0);
      const run = await gate('opened', { stacks: ['prod', 'staging'] });
      expect(run.code).to.equal(1);
      expect(ownComments()[0].body).to.contain(':x: The review of `prod` failed: no summary').and.not.to.contain('No stack is touched');
    });

    it('no artifact at all fails for every stack to preview', async () => {
      const run = await gate('opened', { stacks: ['prod'] });
      expect(run.code).to.equal(1);
      expect(ownComments()[0].body).not.to.contain('No stack is touched');
    });

    it('a summary without its exit code, or with a failing one, fails the gate', async () => {
      fs.writeFileSync(path.join(dir, 'prod.md'), '## Pulumi preview of stack `prod`\n\nNo changes.\n');
      expect((await gate('opened')).code).to.equal(1);
      expect(ownComments()[0].body).to.contain('no exit code');
      review('prod', '## Pulumi preview of stack `prod`\n\n### Errors and warnings\n', 1);
      expect((await gate('opened')).code).to.equal(1);
      expect(ownComments()[0].body).to.contain(':x: The review of `prod` failed: npm run review exited with 1');
    });

    it('exit 2 without a readable list of irreversible steps fails the gate', async () => {
      review('prod', '## Pulumi preview of stack `prod`\n\nsomething irreversible\n', 2);
      api.roles.lead = 'admin';
      api.label(PR, 'approve-irreversible', 'lead');
      expect((await gate('labeled', { label: 'approve-irreversible' })).code).to.equal(1);
    });

    it('refuses a stack list that is not stack names', async () => {
      const run = await gate('opened', { stacks: ['../etc'] });
      expect(run.code).to.equal(1);
      expect(run.output).to.contain('a stack name has letters, digits');
    });
  });

  describe('deploy-gate: the same gate on the merge commit (fails on main: there was none)', () => {
    const MERGE = commitSha('merge of pr-42');
    const deployGate = () => github(['deploy-gate', '--commit', MERGE, '--stack', 'prod', '--dir', dir]);

    it('passes what the merged pull request approved on its head commit, nothing more', async () => {
      review('prod', IRREVERSIBLE, 2);
      await gate('opened');
      api.roles.lead = 'admin';
      api.label(PR, 'approve-irreversible', 'lead');
      expect((await gate('labeled', { label: 'approve-irreversible' })).code).to.equal(0);
      api.merge(PR, MERGE);
      const passed = await deployGate();
      expect(passed.code, passed.output).to.equal(0);
      expect(passed.output).to.contain(`approved on #${PR} by @lead (admin)`);

      // The merge commit's plan has a step the pull request's did not (main moved on): refused.
      review('prod', `${IRREVERSIBLE}> - **replace** Cardholder \`acme-jane\`: creates a new cardholder\n`, 2);
      const refused = await deployGate();
      expect(refused.code).to.equal(1);
      expect(refused.output).to.contain('prod: replace Cardholder acme-jane').and.to.contain('Nothing is deployed');
    });

    it('refuses irreversible steps of a pull request merged without an approval of its last commit', async () => {
      review('prod', IRREVERSIBLE, 2);
      await gate('opened');
      api.roles.lead = 'admin';
      api.label(PR, 'approve-irreversible', 'lead');
      await gate('labeled', { label: 'approve-irreversible' });
      api.push(PR, commitSha('pr-42 last-minute push'));
      api.merge(PR, MERGE);
      expect((await deployGate()).code).to.equal(1);
    });

    it('refuses irreversible steps pushed to main without a pull request, and a failed or missing review', async () => {
      review('prod', IRREVERSIBLE, 2);
      const direct = await deployGate();
      expect(direct.code).to.equal(1);
      expect(direct.output).to.contain('is not the merge of a pull request');
      fs.rmSync(path.join(dir, 'prod.md'));
      expect((await deployGate()).code).to.equal(1);
      review('prod', '## Pulumi preview of stack `prod`\n\nNo changes.\n', 0);
      expect((await deployGate()).code).to.equal(0);
    });
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

  // Fails on main: the open issue with the marker was updated, whoever opened it.
  it("updates only the pipeline's own drift issue, never someone else's carrying the marker", async () => {
    api.issues.push({
      number: 900,
      title: 'Drift in stack prod',
      body: '<!-- stripe-issuing-as-code:drift:prod -->\nlooks official',
      state: 'open',
      labels: ['drift'],
      user: { login: 'mallory' },
    });
    const report = path.join(dir, 'drift.md');
    fs.writeFileSync(report, '## Drift of stack `prod`\n\n#### ~ update Card `acme-jane-travel`\n');
    expect((await github(['drift-issue', '--stack', 'prod', '--report', report, '--exit', '2'])).code).to.equal(0);
    expect(api.issue(900).body).to.equal('<!-- stripe-issuing-as-code:drift:prod -->\nlooks official');
    const ours = api.issues.filter((i) => i.user.login === 'github-actions[bot]');
    expect(ours.map((i) => i.title)).to.deep.equal(['Drift in stack prod']);
    expect((await github(['drift-issue', '--stack', 'prod', '--report', report, '--exit', '0'])).code).to.equal(0);
    expect(api.issue(900).state).to.equal('open');
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
    const rejected = await promisify(execFile)('npm', ['run', '--silent', 'github', '--', ...gateArgs('opened', { stacks: [] })], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...api.env, GITHUB_TOKEN: wrongToken },
    }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect((rejected as { code: number }).code).to.equal(1);
    const output = (rejected as { stdout: string; stderr: string }).stdout + (rejected as { stderr: string }).stderr;
    expect(output).to.contain('answered 401');
    expect(output).not.to.contain(wrongToken);
  });
});
