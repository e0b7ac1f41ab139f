/**
 * A stack deployed before the provider became a reference (its state holds the whole implementation
 * in every `__provider`) upgrades in place through the real CLI: the preview replaces nothing and
 * calls no Stripe API, the next `up` calls none either and rewrites the state small, and the preview
 * after it is clean. The fixture was written by the code of that time (test/fixtures/upgrade-from-inlined-provider/README.md).
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { type Emulator, startEmulator } from '../../emulator';
import { createWorkspace, type StateExport, TestStack, type Workspace } from '../../testbed/workspace';
import { PROJECT_ROOT } from '../../toolchain/paths';

const FIXTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'upgrade-from-inlined-provider');
const PASSPHRASE = 'upgrade-fixture';

const dynamicResources = (state: StateExport) =>
  (state.deployment.resources ?? []).filter((r) => r.type.startsWith('pulumi-nodejs:dynamic/'));
const providerBytes = (state: StateExport) =>
  dynamicResources(state)
    .flatMap((r) => [r.inputs?.__provider, r.outputs?.__provider])
    .map((p) => Buffer.byteLength(String(p)));

describe('Upgrading a stack whose state holds inlined providers (real CLI)', () => {
  let emulator: Emulator;
  let workspace: Workspace;
  let stack: TestStack;
  let emulatorState: string;

  before(async () => {
    // The emulator's objects as the fixture's `up` left them (a copy: the emulator persists to it).
    emulatorState = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'upgrade-emulator-')), 'emulator.json');
    fs.copyFileSync(path.join(FIXTURE, 'emulator.json'), emulatorState);
    emulator = await startEmulator({ persistPath: emulatorState });
    workspace = createWorkspace({ env: { STRIPE_API_BASE: emulator.url, STRIPE_API_KEY: 'sk_test_upgradefixture' } });
    workspace.env.PULUMI_CONFIG_PASSPHRASE = PASSPHRASE;
    fs.copyFileSync(path.join(FIXTURE, 'Pulumi.upgrade.yaml'), path.join(workspace.dir, 'stacks', 'Pulumi.upgrade.yaml'));
    stack = await TestStack.create(workspace, 'upgrade');
    await stack.run(['stack', 'import', '--file', path.join(FIXTURE, 'state.json')]);
  });

  after(async () => {
    workspace?.cleanup();
    await emulator?.close();
    fs.rmSync(path.dirname(emulatorState), { recursive: true, force: true });
  });

  it('starts from a state of tens of kilobytes per serialized provider', async () => {
    const sizes = providerBytes(await stack.exportState());
    expect(sizes.length).to.be.greaterThan(0);
    expect(Math.min(...sizes), 'smallest inlined __provider in the fixture').to.be.above(20_000);
  });

  it('previews an in-place update of each resource: no replace, no Stripe call', async () => {
    const before = emulator.requests().length;
    const preview = await stack.previewJson();
    expect(emulator.requests().slice(before), 'Stripe requests during the preview').to.deep.equal([]);
    const ops = (preview.steps ?? []).filter((s) => s.urn.includes('dynamic/')).map((s) => s.op);
    expect(ops.length, 'resources the preview visits').to.be.greaterThan(0);
    expect([...new Set(ops)], 'operations').to.deep.equal(['update']);
  });

  it('up rewrites the state small without a Stripe call; the next preview is clean', async () => {
    const before = emulator.requests().length;
    await stack.up();
    expect(
      emulator
        .requests()
        .slice(before)
        .map((r) => `${r.method} ${r.path}`),
      'Stripe requests during the up',
    ).to.deep.equal([]);
    const sizes = providerBytes(await stack.exportState());
    expect(Math.max(...sizes), 'largest __provider after the upgrade').to.be.below(2048);
    await stack.expectNoChangesPreview();
    await stack.refresh({ expectNoChanges: true });
  });
});
