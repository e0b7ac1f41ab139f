/**
 * The workflow files themselves: actionlint (built by `npm run setup -- --ci-tools`) finds nothing;
 * every secret comes from the CI secret store by its own name, with nothing secret written in them, and
 * only through a stack's environment: the read-only one for code of a pull request and for drift checks,
 * the writing one for the deploy job alone; every action is pinned to a commit; npm installs with the
 * install-script policy enforced.
 */

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../toolchain/paths';
import { readManifest } from '../../toolchain/setup';
import { runSteps, workflowFiles, workflowJobs } from './workflow';

const SECRET_NAMES = ['STRIPE_API_KEY', 'PULUMI_CONFIG_PASSPHRASE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

describe('GitHub Actions workflow files', () => {
  it('lint clean with actionlint', () => {
    const { actionlint } = readManifest();
    expect(actionlint, 'run `npm run setup -- --ci-tools`').to.be.a('string');
    const lint = spawnSync(actionlint!, ['-color=false'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(lint.stdout + lint.stderr).to.equal('');
    expect(lint.status).to.equal(0);
  });

  it('lint catches a broken workflow (the lint is not a no-op)', () => {
    const broken = path.join(PROJECT_ROOT, '.github', 'workflows', 'pull-request.yml');
    const text = fs.readFileSync(broken, 'utf8').replace('needs.validate.outputs.stacks', 'needs.validat.outputs.stacks');
    const lint = spawnSync(readManifest().actionlint!, ['-color=false', '-stdin-filename', 'pull-request.yml', '-'], {
      cwd: PROJECT_ROOT,
      input: text,
      encoding: 'utf8',
    });
    expect(lint.status).to.equal(1);
    expect(lint.stdout).to.contain('validat');
  });

  it('take each secret from the secret store under its own name, and contain no secret', () => {
    for (const step of runSteps()) {
      for (const name of SECRET_NAMES.filter((n) => n in step.env)) {
        expect(step.env[name], `${step.file} "${step.label}" ${name}`).to.equal(`\${{ secrets.${name} }}`);
      }
    }
    for (const file of workflowFiles()) {
      const text = fs.readFileSync(file, 'utf8');
      expect(text, file).not.to.match(/\b(sk|rk)_(live|test)_\w+|whsec_\w+|AKIA[0-9A-Z]{16}/);
      // A passphrase or key written as a literal value instead of an expression.
      expect(text, file).not.to.match(/^\s*(STRIPE_API_KEY|PULUMI_CONFIG_PASSPHRASE|AWS_SECRET_ACCESS_KEY|GITHUB_TOKEN):\s*[^$\s]/m);
    }
  });

  it('keep expressions out of scripts (values come in through env:, never pasted into bash)', () => {
    for (const step of runSteps()) expect(step.run, `${step.file} "${step.label}"`).not.to.contain('${{');
  });

  // Fails on main: previews and drift ran every stack with repository-level secrets, no environment.
  it("give a job secrets only through its stack's environment: `<stack>-read` for previews and drift, `<stack>` for the deploy job alone", () => {
    const secretJobs = workflowJobs().filter(({ doc }) => JSON.stringify(doc.steps ?? []).includes('secrets.'));
    const environments = Object.fromEntries(
      secretJobs.map(({ file, job, doc }) => [
        `${file} ${job}`,
        typeof doc.environment === 'object' ? doc.environment.name : doc.environment,
      ]),
    );
    expect(environments).to.deep.equal({
      '.github/workflows/deploy.yml up': `\${{ matrix.stack }}`,
      '.github/workflows/drift.yml drift': `\${{ matrix.stack }}-read`,
      '.github/workflows/pull-request.yml preview': `\${{ matrix.stack }}-read`,
    });
    for (const { file, workflow } of workflowJobs()) {
      expect(JSON.stringify(workflow.env ?? {}), `${file}: no workflow-level secret`).not.to.contain('secrets.');
    }
  });

  // Fails on main: actions were referenced by movable tags (`@v4`).
  it('pin every action to a full commit SHA, its release tag in a comment', () => {
    const uses = workflowFiles().flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/^\s*-?\s*uses:\s*(.+)$/gm)].map((m) => ({ file, ref: m[1].trim() })),
    );
    expect(uses.length).to.be.greaterThan(0);
    for (const { file, ref } of uses.filter((u) => !u.ref.startsWith('./'))) {
      expect(ref, file).to.match(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  // Fails on main: the workflows ran a plain `npm ci`, which runs unreviewed install scripts.
  it('install as .ci/run does, with the install-script policy enforced by the npm that knows it', () => {
    const installs = runSteps().filter((s) => /\bnpm (ci|install)\b/.test(s.run));
    expect(installs.map((s) => `${s.file}: ${s.run.trim()}`)).to.deep.equal([
      '.github/actions/node/action.yml: npm install --global npm@11.19.1 --no-audit --no-fund',
      '.github/actions/node/action.yml: npm ci --no-audit --no-fund --strict-allow-scripts',
    ]);
    expect(fs.readFileSync(path.join(PROJECT_ROOT, '.ci', 'run'), 'utf8')).to.contain('npm ci --no-audit --no-fund --strict-allow-scripts');
  });
});
