/**
 * The pack's own package (policy/package.json, what `npm publish` would ship and what @pulumi/policy reads
 * its version from) agrees with PulumiPolicy.yaml and with the root's pinned dependencies, which are the
 * ones the pack resolves in this checkout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import * as yaml from 'js-yaml';
import { PROJECT_ROOT } from '../../../toolchain/paths';

const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

describe('policy/package.json', () => {
  const pack = JSON.parse(read('policy/package.json')) as { version: string; dependencies: Record<string, string> };
  const root = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };

  it('has the version of PulumiPolicy.yaml', () => {
    const manifest = yaml.load(read('policy/PulumiPolicy.yaml')) as { version: string; runtime: string };
    expect(manifest.runtime).to.equal('nodejs');
    expect(pack.version).to.equal(manifest.version);
  });

  it('depends on @pulumi/policy and @pulumi/pulumi at the exact versions the root pins', () => {
    expect(Object.keys(pack.dependencies)).to.have.members(['@pulumi/policy', '@pulumi/pulumi']);
    for (const [name, version] of Object.entries(pack.dependencies)) {
      expect(version, name).to.match(/^\d+\.\d+\.\d+$/);
      expect(root.dependencies[name], name).to.equal(version);
    }
  });
});
