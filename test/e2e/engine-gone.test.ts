/**
 * A CLI killed mid-`up` (Ctrl-C twice, an OOM, a CI timeout) leaves no language host or program behind:
 * the offline host watches its engine, as Pulumi's own hosts do, and takes its program with it.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { processesMarked } from '../../testbed/processes';
import { createWorkspace, TestStack, WORKSPACE_MARKER, type Workspace } from '../../testbed/workspace';

const BOUND_MS = 30_000;

describe('real Pulumi engine: a killed CLI leaves nothing running', () => {
  let workspace: Workspace;
  let stack: TestStack;
  let startedFile: string;

  before(async () => {
    workspace = createWorkspace({ fixture: 'never-done-resource' });
    stack = await TestStack.create(workspace, 'killed');
    startedFile = path.join(workspace.dir, 'create-started');
    await stack.setConfig('startedFile', startedFile);
  });

  after(() => workspace?.cleanup());

  const marked = () => processesMarked(WORKSPACE_MARKER, path.dirname(workspace.dir));
  const kinds = () => {
    const found = marked();
    return {
      languageHost: found.filter((p) => p.command.includes('language-host.js')),
      program: found.filter((p) => p.command.includes('@pulumi/pulumi/cmd/run')),
      dynamicProvider: found.filter((p) => p.command.includes('dynamic-provider')),
    };
  };

  it('sees the language host and its program exit after the CLI is SIGKILLed mid-up', async function () {
    this.timeout(120_000);
    let before: ReturnType<typeof kinds> | undefined;
    const { killed } = await stack.upKilledWhen(() => {
      if (!fs.existsSync(startedFile)) return false;
      before = kinds();
      return true;
    });
    const killedAt = Date.now();
    expect(killed, 'the CLI was killed while create was waiting').to.equal(true);
    // Seen alive just before the kill, so their disappearance below means something.
    expect(before?.languageHost, 'the language host, before the kill').to.have.length(1);
    expect(before?.program, 'the program, before the kill').to.have.length(1);

    let left = kinds();
    while ((left.languageHost.length > 0 || left.program.length > 0) && Date.now() - killedAt < BOUND_MS) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = kinds();
    }
    const seconds = ((Date.now() - killedAt) / 1000).toFixed(1);
    console.log(`      language host and program gone ${seconds} s after the kill (bound ${BOUND_MS / 1000} s)`);
    // Pulumi's Node dynamic provider has no engine health check (docs/dynamic-providers.md): cleanup reaps it.
    console.log(`      dynamic-provider processes still alive then: ${left.dynamicProvider.length}`);
    expect(left.languageHost, 'language host still running').to.deep.equal([]);
    expect(left.program, 'program still running').to.deep.equal([]);
  });
});
