/**
 * The workflow files themselves: actionlint (built by `npm run setup -- --ci-tools`) finds nothing, and
 * every secret comes from the CI secret store by its own name, with nothing secret written in them.
 */

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../toolchain/paths';
import { readManifest } from '../../toolchain/setup';
import { runSteps, workflowFiles } from './workflow';

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
});
