/**
 * A deploy never undoes a safety action taken outside the stack, through the real CLI against the
 * emulator: the dev stack goes up, a card is frozen (inactive) and another canceled with the real Stripe
 * client, as a fraud team would in the Dashboard. `npm run drift` reports both, `npm run review` flags
 * the reactivation and the re-issue (exit 2), and `up --refresh` (what the deploy workflow runs) stops
 * with a message naming each object and the stack-file edit that accepts it; after that edit `up`
 * succeeds and the preview is clean. The frozen card stays inactive in Stripe and no card is re-issued.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import * as yaml from 'js-yaml';
import Stripe from 'stripe';
import { ISSUING_CONFIG_KEY } from '../../config/paths';
import { type Emulator, startEmulator } from '../../emulator';
import { createWorkspace, PulumiCommandError, runNpmScript, stateResources, TestStack, type Workspace } from '../../testbed/workspace';

const API_KEY = 'sk_test_freeze_wins';
const ACME = 'acct_1DevAcmeIssuing';
const TRAVEL_KEY = 'stacks/Pulumi.dev.yaml: issuing.accounts.acme.cardholders.jane.cards.travel.status';
const OFFICE_KEY = 'stacks/Pulumi.dev.yaml: issuing.accounts.acme.cardholders.jane.cards.office.status';

describe('a freeze or cancel made outside the stack wins over the next deploy (real CLI, emulator)', function () {
  this.timeout(900_000);
  let emulator: Emulator;
  let stripe: Stripe;
  let workspace: Workspace;
  let stack: TestStack;
  let travel: string;
  let office: string;
  const onAcme = { stripeAccount: ACME };

  /** Runs `npm run <script> -- --stack dev --out FILE` in the workspace copy, as the pipelines do. */
  async function report(script: 'drift' | 'review'): Promise<{ status: number; log: string; markdown: string }> {
    const out = path.join(workspace.dir, `${script}.md`);
    fs.rmSync(out, { force: true });
    const run = await runNpmScript(workspace, script, ['--stack', 'dev', '--out', out]);
    return { status: run.status, log: run.stderr + run.stdout, markdown: fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '' };
  }

  const statusOf = async (id: string) => (await stripe.issuing.cards.retrieve(id, {}, onAcme)).status;
  const cardsNamed = async (name: string) =>
    (await stripe.issuing.cards.list({ limit: 100 }, onAcme)).data.filter((card) => card.metadata.pulumi_name === name);

  before(async () => {
    const dev = yaml.load(fs.readFileSync(path.join(__dirname, '..', '..', 'stacks', 'Pulumi.dev.yaml'), 'utf8')) as {
      config: Record<string, unknown>;
    };
    const issuing = dev.config[ISSUING_CONFIG_KEY] as { accounts: Record<string, { id: string }> };
    emulator = await startEmulator({ seedAccounts: Object.values(issuing.accounts).map((a) => a.id) });
    stripe = new Stripe(API_KEY, { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
    workspace = createWorkspace({ env: { STRIPE_API_BASE: emulator.url, STRIPE_API_KEY: API_KEY } });
    stack = await TestStack.create(workspace, 'dev');
    stack.copyProjectStackFile('dev');
    await stack.up();
    const resources = stateResources(await stack.exportState());
    travel = resources['Card:acme-jane-travel'].id as string;
    office = resources['Card:acme-jane-office'].id as string;
    // The fraud team, in the Dashboard: one card frozen, one canceled.
    await stripe.issuing.cards.update(travel, { status: 'inactive' }, onAcme);
    await stripe.issuing.cards.update(office, { status: 'canceled' }, onAcme);
  });

  after(async () => {
    workspace?.cleanup();
    await emulator?.close();
  });

  it('npm run drift reports the freeze and the cancel with the edit that accepts each (exit 2)', async () => {
    const drift = await report('drift');
    expect(drift.status, drift.log).to.equal(2);
    expect(drift.markdown).to.contain('| `status` | `active` | `inactive` |');
    expect(drift.markdown).to.contain('| `status` | `active` | `canceled` |');
    expect(drift.markdown).to.contain(`Card acme-jane-travel (${travel}) is frozen outside the stack`);
    expect(drift.markdown).to.contain(`set ${TRAVEL_KEY} to inactive`);
    expect(drift.markdown).to.contain(`Card acme-jane-office (${office}) was canceled outside the stack`);
    expect(drift.markdown).to.contain(`set ${OFFICE_KEY} to canceled`);
    expect(drift.markdown, 'a canceled card is not gone: up would re-issue it').not.to.contain('gone');
  });

  it('npm run review flags the reactivation and the re-issue as steps up refuses (exit 2)', async () => {
    const review = await report('review');
    expect(review.status, review.log).to.equal(2);
    expect(review.markdown).to.contain('**2 irreversible steps**');
    expect(review.markdown).to.contain(
      `> - **update** Card \`acme-jane-travel\`: up refuses: Card acme-jane-travel (${travel}) is frozen outside the stack`,
    );
    expect(review.markdown).to.contain(
      `> - **update** Card \`acme-jane-office\`: up refuses: Card acme-jane-office (${office}) was canceled outside the stack`,
    );
  });

  /** `up --refresh` as the deploy workflow runs it: the message it fails with, or '' when it succeeds. */
  const deploy = () =>
    stack.run(['up', '--yes', '--skip-preview', '--refresh']).then(
      () => '',
      (error: unknown) => {
        expect(error).to.be.instanceOf(PulumiCommandError);
        return (error as Error).message;
      },
    );
  const TRAVEL_REFUSED = () => [
    `Card acme-jane-travel (${travel}) is frozen outside the stack`,
    `Accept the freeze: set ${TRAVEL_KEY} to inactive`,
  ];
  const OFFICE_REFUSED = () => [
    `Card acme-jane-office (${office}) was canceled outside the stack`,
    `Accept the cancel: set ${OFFICE_KEY} to canceled`,
  ];
  const expectUntouched = async () => {
    expect(await statusOf(travel)).to.equal('inactive');
    expect((await cardsNamed('acme-jane-office')).map((card) => [card.id, card.status])).to.deep.equal([[office, 'canceled']]);
  };

  it('up --refresh stops, naming the object and the stack-file edit; Stripe keeps the freeze, no card is issued', async () => {
    const message = await deploy();
    // The engine stops scheduling after the first failure: it names the card it reached first, or both.
    const named = [TRAVEL_REFUSED(), OFFICE_REFUSED()].filter(([object]) => message.includes(object));
    expect(named, message).not.to.deep.equal([]);
    for (const [object, edit] of named) expect(message, object).to.contain(edit);
    await expectUntouched();
  });

  it('with only the freeze accepted, review still flags the re-issue and up stops on the canceled card', async () => {
    stack.writeStackFile(stack.readStackFile().replace(/(travel:\n\s+status: )active/, '$1inactive'));
    const review = await report('review');
    expect(review.status, review.log).to.equal(2);
    expect(review.markdown).to.contain('**1 irreversible step**');
    expect(review.markdown).to.contain('Accepts the freeze found in Stripe (inactive)');
    const message = await deploy();
    for (const part of OFFICE_REFUSED()) expect(message).to.contain(part);
    expect(message).not.to.contain(TRAVEL_REFUSED()[0]);
    await expectUntouched();
  });

  it('after the stack file accepts the cancel too, up succeeds, the preview is clean and the card is still inactive', async () => {
    stack.writeStackFile(stack.readStackFile().replace(/(office:\n\s+status: )active/, '$1canceled'));
    const review = await report('review');
    expect(review.status, review.log).to.equal(0);
    expect(await deploy()).to.equal('');
    await stack.expectNoChangesPreview();
    await stack.refresh({ expectNoChanges: true });
    await expectUntouched();
  });
});
