import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../../toolchain/paths';
import { isAtLeast } from '../../../toolchain/setup';

const NODE_22_DIR = path.dirname(process.execPath);

function runSetup(cwd: string, pathEnv: string, args: string[] = []) {
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'toolchain/setup.ts', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: pathEnv },
  });
}

describe('toolchain setup', () => {
  it('compares CLI versions', () => {
    expect(isAtLeast('v3.274.1', '3.216.0')).to.equal(true);
    expect(isAtLeast('v3.216.0', '3.216.0')).to.equal(true);
    expect(isAtLeast('v3.215.9', '3.216.0')).to.equal(false);
    expect(isAtLeast('v4.0.0', '3.216.0')).to.equal(true);
    expect(isAtLeast('not a version', '3.216.0')).to.equal(false);
  });

  it('reuses the built toolchain on a second run (no rebuild)', () => {
    const result = runSetup(PROJECT_ROOT, process.env.PATH ?? '', ['--stripe-mock']);
    expect(result.status, result.stderr).to.equal(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, '.toolchain', 'toolchain.json'), 'utf8'));
    if (manifest.source === 'built') expect(result.stdout).to.match(/pulumi v3\.\d+\.\d+: cached/);
    expect(result.stdout).to.match(/stripe-mock v[\d.]+: cached/);
    expect(result.stdout).not.to.match(/building/);
  });

  it('fails with a clear message when there is neither pulumi nor go', () => {
    // A fresh copy of the toolchain folder has no cache, so it would have to build.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'setup-no-go-'));
    try {
      fs.cpSync(path.join(PROJECT_ROOT, 'toolchain'), path.join(root, 'toolchain'), { recursive: true });
      for (const file of ['package.json', 'tsconfig.json']) fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(root, file));
      fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
      const result = runSetup(root, NODE_22_DIR);
      expect(result.status).to.equal(1);
      expect(result.stderr).to.contain('there is no `go` on PATH');
      expect(result.stderr).to.contain('Install Pulumi the normal way');
      expect(result.stderr).not.to.match(/^\s+at /m); // a message, not a stack trace
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
