/**
 * This repository's own stack files keep the platform's rules that read only the declared resources
 * (cards limited, the blocked-category baseline, live cards protected), checked on the resources the
 * program plans from each file. The rules that need the engine (secrets, replacements) run through the
 * real CLI in test/e2e/policy.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { IdOf, keyOf, planIssuing } from '../../../config/plan';
import { checkedStack, parseStackDocument } from '../../../config/validate';
import { type DeclaredResource, TYPE_PREFIX } from '../../../policy/resources';
import { DEFAULT_BLOCKED_CATEGORIES, weakerThanBaseline } from '../../../policy/rules/blocked-categories';
import { unprotectedLiveCards } from '../../../policy/rules/live-protect';
import { cardsWithoutLimit } from '../../../policy/rules/spending-limits';
import { PROJECT_ROOT } from '../../../toolchain/paths';

const STACKS = path.join(PROJECT_ROOT, 'stacks');

/** The planned resources as the pack sees them: URNs by key, dependencies from IDs and `dependsOn`. */
function declaredResources(file: string): { resources: DeclaredResource[]; live: boolean } {
  const checked = checkedStack(parseStackDocument(file, fs.readFileSync(file, 'utf8')));
  const plan = planIssuing(checked.issuing, checked);
  const urnOf = (key: string) => `urn:pulumi:${checked.stack}::stripe-issuing::${TYPE_PREFIX}${key.replace(':', '::')}`;
  const resources = plan.map((planned): DeclaredResource => {
    const ids = Object.values(planned.args).flatMap((value) => (value instanceof IdOf ? [value.key] : []));
    return {
      urn: urnOf(keyOf(planned)),
      type: planned.kind,
      name: planned.name,
      inputs: planned.args,
      secretPaths: new Set(),
      protect: planned.protect,
      dependencies: [...ids, ...planned.dependsOn].map(urnOf),
    };
  });
  return { resources, live: checked.mode === 'live' };
}

describe("policy pack: this repository's stack files keep the platform's rules", () => {
  const files = fs.readdirSync(STACKS).filter((name) => /^Pulumi\..+\.yaml$/.test(name));

  it('reads every committed stack file', () => {
    expect(files).to.include.members(['Pulumi.dev.yaml', 'Pulumi.staging.yaml', 'Pulumi.prod.yaml']);
  });

  for (const name of files) {
    it(`${name}: every card limited, the baseline blocked, live cards protected`, () => {
      const { resources, live } = declaredResources(path.join(STACKS, name));
      expect(resources.filter((resource) => resource.type === 'Card')).to.not.be.empty;
      expect(cardsWithoutLimit(resources)).to.deep.equal([]);
      expect(weakerThanBaseline(resources, DEFAULT_BLOCKED_CATEGORIES)).to.deep.equal([]);
      expect(unprotectedLiveCards(resources, { live, demo: false })).to.deep.equal([]);
    });
  }
});
