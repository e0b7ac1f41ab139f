/**
 * The dynamic-provider path on the real engine: a minimal resource (a file on disk) through
 * up → no-change preview → no-change refresh → drift → update → destroy, checked from outside the engine.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { createWorkspace, TestStack, type Workspace } from '../../testbed/workspace';
import { readManifest } from '../../toolchain/setup';

describe('real Pulumi engine: dynamic provider lifecycle (file fixture)', () => {
  let workspace: Workspace;
  let stack: TestStack;
  let file: string;

  before(async () => {
    const manifest = readManifest();
    console.log(`      using pulumi ${manifest.pulumiVersion} (${manifest.source}) at ${manifest.pulumi}`);
    workspace = createWorkspace({ fixture: 'file-resource' });
    stack = await TestStack.create(workspace, 'engine');
    const dir = fs.mkdtempSync(path.join(workspace.dir, 'files-'));
    file = path.join(dir, 'greeting.txt');
    await stack.setConfig('dir', dir);
    await stack.setConfig('content', 'hello');
  });

  after(() => workspace?.cleanup());

  it('answers `pulumi about` offline, with the Node 22 language runtime', async () => {
    const about = await stack.run(['about']);
    expect(about.stdout).to.match(/This project is written in nodejs: executable='[^']+' version='v22\./);
    expect(about.stdout).to.match(/^Version\s+3\.\d+\.\d+/m);
  });

  it('creates the resource on up', async () => {
    await stack.up();
    expect(fs.readFileSync(file, 'utf8')).to.equal('hello');
    expect(await stack.outputs()).to.deep.equal({ content: 'hello' });
  });

  it('shows no changes in a preview and a refresh right after up', async () => {
    await stack.expectNoChangesPreview();
    await stack.refresh({ expectNoChanges: true });
  });

  it('detects drift on refresh and restores on up', async () => {
    fs.writeFileSync(file, 'changed out of band');
    const refreshed = await stack.refresh();
    expect(refreshed.stdout).to.match(/1 updated/);
    expect(await stack.previewOps()).to.deep.equal({ 'File:greeting': 'update' });
    await stack.up();
    expect(fs.readFileSync(file, 'utf8')).to.equal('hello');
  });

  it('updates in place when the input changes', async () => {
    await stack.setConfig('content', 'bonjour');
    expect(await stack.previewOps()).to.deep.equal({ 'File:greeting': 'update' });
    await stack.up();
    expect(fs.readFileSync(file, 'utf8')).to.equal('bonjour');
    await stack.expectNoChangesPreview();
  });

  it('deletes the resource on destroy', async () => {
    await stack.destroy();
    expect(fs.existsSync(file)).to.equal(false);
    const state = await stack.exportState();
    expect(state.deployment.resources ?? []).to.deep.equal([]);
  });
});
