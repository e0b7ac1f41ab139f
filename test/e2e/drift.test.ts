/**
 * `npm run drift` through the real CLI against the emulator: the dev stack goes up, a card, a cardholder
 * and a financial-account feature are changed out of band with the real Stripe client, and the report
 * names each drifted object and field, exits 2 and writes nothing to the state; after `up --refresh`
 * (what the deploy workflow runs), no drift; a freeze or cancel of a card is test/e2e/freeze.test.ts.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import * as yaml from 'js-yaml';
import Stripe from 'stripe';
import { ISSUING_CONFIG_KEY } from '../../config/paths';
import { type Emulator, startEmulator } from '../../emulator';
import { createWorkspace, runNpmScript, stateResources, TestStack, type Workspace } from '../../testbed/workspace';

const API_KEY = 'sk_test_drift_report';
const ACME = 'acct_1DevAcmeIssuing';

describe('npm run drift: out-of-band changes reported through the real CLI (emulator)', function () {
  this.timeout(600_000);
  let emulator: Emulator;
  let stripe: Stripe;
  let workspace: Workspace;
  let stack: TestStack;
  const onAcme = { stripeAccount: ACME };

  /** Runs `npm run drift -- --stack dev --out FILE` in the workspace copy, as the scheduled pipeline does. */
  async function drift(): Promise<{ status: number; stderr: string; markdown: string }> {
    const out = path.join(workspace.dir, 'drift.md');
    fs.rmSync(out, { force: true });
    const run = await runNpmScript(workspace, 'drift', ['--stack', 'dev', '--out', out]);
    return { status: run.status, stderr: run.stderr + run.stdout, markdown: fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '' };
  }

  const ids = async () =>
    Object.fromEntries(Object.entries(stateResources(await stack.exportState())).map(([key, r]) => [key, r.id as string]));

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
  });

  after(async () => {
    workspace?.cleanup();
    await emulator?.close();
  });

  it('reports no drift right after up (exit 0)', async () => {
    const report = await drift();
    expect(report.status, report.stderr).to.equal(0);
    expect(report.markdown).to.contain('## Drift of stack `dev`');
    expect(report.markdown).to.contain('No drift');
  });

  it('reports a card, a cardholder and a feature changed out of band (exit 2) and writes nothing to the state', async () => {
    const id = await ids();
    // A freeze (status inactive) is its own story: test/e2e/freeze.test.ts.
    await stripe.issuing.cards.update(id['Card:acme-jane-travel'], { metadata: { purpose: 'leisure' } }, onAcme);
    await stripe.issuing.cardholders.update(id['Cardholder:acme-jane'], { email: 'someone.else@acme.example' }, onAcme);
    await stripe.treasury.financialAccounts.updateFeatures(
      id['FinancialAccount:acme'],
      { outbound_transfers: { ach: { requested: false } } },
      onAcme,
    );
    const stateBefore = await stack.exportState();

    const report = await drift();
    expect(report.status, report.stderr).to.equal(2);
    const section = (heading: string) => {
      const start = report.markdown.indexOf(heading);
      expect(start, `${heading} in\n${report.markdown}`).to.be.greaterThan(-1);
      const next = report.markdown.indexOf('\n#### ', start + 1);
      return report.markdown.slice(start, next < 0 ? undefined : next);
    };
    expect(report.markdown).to.contain('**3 objects changed outside the stack.**');
    expect(section('#### ~ update Card `acme-jane-travel`')).to.contain('| `metadata.purpose` | `travel` | `leisure` |');
    // A drift issue shows the cardholder's email as changed, never its values.
    expect(section('#### ~ update Cardholder `acme-jane`')).to.contain('| `email` | `[personal data]` | `[personal data]` |');
    expect(report.markdown).not.to.match(/jane\.rivera@|someone\.else@/);
    expect(section('#### ~ update FinancialAccountFeatures `acme`')).to.contain('| `features[6]` | `outbound_transfers.ach` | — |');
    expect(report.markdown).to.contain('| Field | In state | In Stripe now |');
    expect(report.markdown, 'unchanged objects are not listed').not.to.contain('acme-sam');

    expect(await stack.exportState(), 'the state is untouched').to.deep.equal(stateBefore);
  });

  it('reports no drift once `up --refresh` has put the declared values back', async () => {
    await stack.run(['up', '--yes', '--skip-preview', '--refresh']);
    const report = await drift();
    expect(report.status, report.stderr).to.equal(0);
    expect(report.markdown).to.contain('No drift');
    const id = await ids();
    expect((await stripe.issuing.cards.retrieve(id['Card:acme-jane-travel'], {}, onAcme)).metadata.purpose).to.equal('travel');
  });

  it('reports an object deleted out of band as gone', async () => {
    const id = await ids();
    await stripe.webhookEndpoints.del(id['WebhookEndpoint:authorizer-webhook']);
    const report = await drift();
    expect(report.status, report.stderr).to.equal(2);
    expect(report.markdown).to.contain('#### - gone WebhookEndpoint `authorizer-webhook`');
    expect(report.markdown).to.contain(`Stripe object \`${id['WebhookEndpoint:authorizer-webhook']}\` no longer exists`);
    expect(stateResources(await stack.exportState())).to.have.property('WebhookEndpoint:authorizer-webhook');
  });

  it('fails with exit 1 and the stack file named when the stack file is invalid', async () => {
    stack.writeStackFile(stack.readStackFile().replace('status: active', 'status: frozen'));
    const report = await drift();
    expect(report.status, report.stderr).to.equal(1);
    expect(report.markdown).to.contain('The stack file is invalid');
    expect(report.markdown).to.contain('stacks/Pulumi.dev.yaml');
  });
});
