import { expect } from 'chai';
import { allStacks, touchedStacks } from '../../scripts/changed-stacks';

describe('changed-stacks: which stacks a change touches', () => {
  const stacks = ['prod', 'staging'];

  it('lists the project stacks without the offline demo stack', () => {
    expect(allStacks()).to.deep.equal(['prod', 'staging']);
  });

  it('touches a stack whose file changed, and only that one', () => {
    expect(touchedStacks(['stacks/Pulumi.staging.yaml'], stacks)).to.deep.equal(['staging']);
    expect(touchedStacks(['stacks/Pulumi.staging.yaml', 'stacks/Pulumi.prod.yaml'], stacks)).to.deep.equal(['prod', 'staging']);
  });

  it('touches every stack when the program changes', () => {
    for (const file of [
      'provider/resources/card.ts',
      'config/plan.ts',
      'program/declare.ts',
      'index.js',
      'index.ts',
      'package-lock.json',
      'toolchain/go.mod',
      'Pulumi.yaml',
    ]) {
      expect(touchedStacks([file], stacks), file).to.deep.equal(stacks);
    }
  });

  it('touches nothing for docs, tests, the demo stack or a deleted stack file', () => {
    expect(
      touchedStacks(['README.md', 'docs/team.md', 'test/e2e/drift.test.ts', 'stacks/Pulumi.dev.yaml', 'stacks/Pulumi.old.yaml'], stacks),
    ).to.deep.equal([]);
  });
});
