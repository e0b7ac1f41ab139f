/**
 * Issue 6: the dev stack up through the real CLI against the in-process emulator, the local
 * authorizer answering `issuing_authorization.request` with the endpoint's signing secret, then every
 * `npm run simulate` scenario, each checked on the emulator with the real `stripe` client, each leaving
 * the financial accounts' cash as it found it; finally destroy cancels the cards and closes the
 * financial accounts.
 */

import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { expect } from 'chai';
import * as yaml from 'js-yaml';
import Stripe from 'stripe';
import type { AuthorizerLogEntry } from '../../authorizer/handler';
import { type LocalAuthorizer, startLocalAuthorizer } from '../../authorizer/local';
import { stackRuleSet } from '../../config/authorizer-rules';
import { checkedStack, readStackDocument } from '../../config/validate';
import { type Emulator, startEmulator } from '../../emulator';
import { type ScenarioName, type ScenarioResult, simulate, unexpectedOutcomes } from '../../simulate';
import { createWorkspace, runNpmScript, TestStack, type Workspace } from '../../testbed/workspace';
import { PROJECT_ROOT } from '../../toolchain/paths';
import { fakeLiveKey } from '../support/fake-keys';

const API_KEY = 'sk_test_simulateEndToEnd';
const STACK = 'dev';

interface StackFile {
  config: Record<string, unknown> & {
    'stripe-issuing:issuing': { accounts: Record<string, { id: string }>; authorizer: { port?: number } };
  };
}

/** The project's dev stack file as committed: its salt, so the encrypted date of birth in it decrypts. */
const devStackFile = (): StackFile =>
  yaml.load(fs.readFileSync(path.join(PROJECT_ROOT, 'stacks', `Pulumi.${STACK}.yaml`), 'utf8')) as StackFile;

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('npm run simulate on the dev stack (real CLI, emulator, local authorizer)', function () {
  this.timeout(600_000);
  let emulator: Emulator;
  let authorizer: LocalAuthorizer | undefined;
  let workspace: Workspace;
  let stack: TestStack;
  let stripe: Stripe;
  let signingSecret: string;
  let cardIds: Array<{ id: string; account: string }>;
  let financialAccountIds: Array<{ id: string; account: string }>;
  const decisions: AuthorizerLogEntry[] = [];

  const run = async (scenario: ScenarioName): Promise<ScenarioResult> => {
    const [result] = await simulate({ stack: STACK, scenarios: [scenario], cwd: workspace.dir, env: workspace.env });
    expect(unexpectedOutcomes(result), `${scenario} outcome`).to.deep.equal([]);
    return result;
  };
  const on = (result: ScenarioResult) => ({ stripeAccount: result.card.account });
  const decisionOn = (authorization: string) =>
    decisions.find((entry) => entry.event === 'authorization_decided' && entry.authorization === authorization);
  const authorizationOf = (result: ScenarioResult) => stripe.issuing.authorizations.retrieve(result.authorizations[0].id, {}, on(result));
  const cashOf = async (result: ScenarioResult) =>
    (await stripe.treasury.financialAccounts.retrieve(result.card.financialAccount, {}, on(result))).balance.cash[result.purchase.currency];
  /**
   * The card's financial account has the cash it had before the run (before funding); whatever the run
   * added went out with a succeeded received debit of that amount, seen on the emulator.
   */
  const expectCashPutBack = async (result: ScenarioResult) => {
    const beforeRun = result.before.cash - result.funded;
    expect(await cashOf(result), 'cash after the run').to.equal(beforeRun);
    const added = result.after.cash - beforeRun;
    const ofCard = result.cashRestores.filter((s) => s.financialAccount === result.card.financialAccount);
    if (added === 0) {
      expect(ofCard).to.deep.equal([]);
      return;
    }
    expect(ofCard.map((s) => [s.flow.type, s.flow.change, s.cashBefore, s.cashLeft, s.cashAfter])).to.deep.equal([
      ['received_debit', -added, beforeRun, result.after.cash, beforeRun],
    ]);
    const debit = await stripe.treasury.receivedDebits.retrieve(ofCard[0].flow.id, {}, on(result));
    expect(debit).to.include({ status: 'succeeded', amount: added, financial_account: result.card.financialAccount, network: 'ach' });
  };

  before(async () => {
    const port = await freeLoopbackPort();
    emulator = await startEmulator({
      seedAccounts: Object.values(devStackFile().config['stripe-issuing:issuing'].accounts).map((a) => a.id),
    });
    stripe = new Stripe(API_KEY, { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
    workspace = createWorkspace({ env: { STRIPE_API_KEY: API_KEY, STRIPE_API_BASE: emulator.url } });
    stack = await TestStack.create(workspace, STACK);
    stack.copyProjectStackFile(STACK);
    const file = devStackFile();
    file.config['stripe-issuing:issuing'].authorizer.port = port;
    stack.writeStackFile(yaml.dump(file));
    await stack.up();
    const outputs = await stack.outputs();
    const declared = outputs.authorizer as { url: string; signingSecret: string };
    expect(declared.url).to.equal(`http://127.0.0.1:${port}/`);
    signingSecret = declared.signingSecret;
    expect(signingSecret).to.match(/^whsec_/);
    authorizer = await startLocalAuthorizer({
      port,
      secret: signingSecret,
      rules: stackRuleSet(checkedStack(readStackDocument(STACK, workspace.dir))),
      stripeVersion: Stripe.API_VERSION,
      log: (entry) => decisions.push(entry),
    });
    const accountOf = Object.fromEntries(
      Object.entries(devStackFile().config['stripe-issuing:issuing'].accounts).map(([name, a]) => [name, a.id]),
    );
    cardIds = (outputs.resources as Array<{ type: string; name: string; id: string }>)
      .filter((row) => row.type === 'Card')
      .map((row) => ({ id: row.id, account: accountOf[row.name.split('-')[0]] }));
    expect(cardIds).to.have.length(4);
    financialAccountIds = (outputs.resources as Array<{ type: string; name: string; id: string }>)
      .filter((row) => row.type === 'FinancialAccount')
      .map((row) => ({ id: row.id, account: accountOf[row.name] }));
    expect(financialAccountIds).to.have.length(2);
  });

  after(async () => {
    await authorizer?.close();
    await emulator?.close();
    workspace?.cleanup();
  });

  it('purchase: approved by the authorizer, captured, refunded; the funding debited again, the cash back where it was', async () => {
    const result = await run('purchase');
    const authorization = await authorizationOf(result);
    expect(authorization).to.include({ approved: true, status: 'closed' });
    expect(authorization.request_history.map((entry) => entry.reason)).to.deep.equal(['webhook_approved']);
    expect(decisionOn(authorization.id)).to.include({ approved: true, amount: result.purchase.amount });
    const transactions = await stripe.issuing.transactions.list({ card: result.card.id, limit: 100 }, on(result));
    const ofAuthorization = transactions.data.filter((t) => t.authorization === authorization.id).map((t) => [t.type, t.amount]);
    expect(ofAuthorization).to.have.deep.members([
      ['capture', -result.purchase.amount],
      ['refund', result.purchase.amount],
    ]);
    expect([result.funded, result.after.cash]).to.deep.equal([result.purchase.amount, result.before.cash]);
    await expectCashPutBack(result);
  });

  it('over-limit: declined by Stripe for spending_controls before the authorizer is asked', async () => {
    const result = await run('over-limit');
    const authorization = await authorizationOf(result);
    expect(authorization).to.include({ approved: false, status: 'closed' });
    expect(authorization.request_history.map((entry) => entry.reason)).to.deep.equal(['spending_controls']);
    expect(decisionOn(authorization.id)).to.equal(undefined);
    expect(result.after.cash).to.equal(result.before.cash);
    await expectCashPutBack(result);
  });

  it('restricted-outbound: declined not_allowed while outbound flows are restricted, restriction restored', async () => {
    const result = await run('restricted-outbound');
    const authorization = await authorizationOf(result);
    expect(authorization.request_history.map((entry) => [entry.approved, entry.reason])).to.deep.equal([[false, 'not_allowed']]);
    expect(decisionOn(authorization.id)).to.equal(undefined);
    const account = await stripe.treasury.financialAccounts.retrieve(result.card.financialAccount, {}, on(result));
    expect(account.platform_restrictions?.outbound_flows).to.equal('unrestricted');
    // While restricted, card_issuing stayed active and the features moving money out were restricted.
    expect(result.outboundFlows).to.deep.equal({
      original: 'unrestricted',
      during: 'restricted',
      restored: 'unrestricted',
      activeFeatures: ['card_issuing', 'deposit_insurance', 'inbound_transfers.ach'],
      restrictedFeatures: ['financial_addresses.aba', 'intra_stripe_flows', 'outbound_payments.ach', 'outbound_transfers.ach'],
    });
    expect(account.restricted_features).to.deep.equal([]);
    await expectCashPutBack(result);
  });

  it('force-capture: a capture without authorization takes the amount from the financial account', async () => {
    const result = await run('force-capture');
    const transaction = await stripe.issuing.transactions.retrieve(result.transactions[0].id, {}, on(result));
    expect(transaction).to.include({ type: 'capture', amount: -result.purchase.amount, authorization: null, card: result.card.id });
    expect(result.after.cash).to.equal(result.before.cash - result.purchase.amount);
    await expectCashPutBack(result);
  });

  it('dispute: created on the captured transaction (by its ReceivedDebit) and submitted', async () => {
    const result = await run('dispute');
    const dispute = await stripe.issuing.disputes.retrieve(result.disputes[0].id, {}, on(result));
    expect(dispute).to.include({ status: 'submitted', amount: result.purchase.amount, transaction: result.transactions[0].id });
    expect(dispute.evidence.reason).to.equal('fraudulent');
    const transaction = await stripe.issuing.transactions.retrieve(result.transactions[0].id, {}, on(result));
    expect(transaction).to.include({ type: 'capture', dispute: dispute.id, authorization: result.authorizations[0].id });
    // Stripe's way on a financial account: the dispute names the capture's ReceivedDebit (network card).
    const receivedDebit = transaction.treasury?.received_debit;
    expect(dispute.treasury).to.deep.equal({ debit_reversal: null, received_debit: receivedDebit });
    expect(await stripe.treasury.receivedDebits.retrieve(receivedDebit!, {}, on(result))).to.include({
      network: 'card',
      amount: result.purchase.amount,
    });
    expect(result.disputes[0].receivedDebit).to.equal(receivedDebit);
    await expectCashPutBack(result);
  });

  it("authorizer-decline: the authorizer's own rule declines (webhook_declined)", async () => {
    const result = await run('authorizer-decline');
    const authorization = await authorizationOf(result);
    expect(authorization.request_history.map((entry) => [entry.approved, entry.reason])).to.deep.equal([[false, 'webhook_declined']]);
    const decision = decisionOn(authorization.id);
    expect(decision).to.include({ approved: false });
    expect(['over_max_amount', 'country_blocked', 'country_not_allowed', 'category_blocked', 'category_not_allowed']).to.include(
      (decision as { reason: string }).reason,
    );
    expect(result.after.cash).to.equal(result.before.cash);
    await expectCashPutBack(result);
  });

  it('increment: the authorizer is asked about each increment with what is held; to the cap approved, one unit past it declined; the hold reversed', async () => {
    const result = await run('increment');
    // The dev stack's only card whose Stripe limits allow the total past its cap: default maxAmount 500000.
    expect([result.card.name, result.increments?.cap, result.increments?.held]).to.deep.equal(['globex-fleet-van-1', 500000, 500000]);
    const authorization = await authorizationOf(result);
    expect([authorization.status, authorization.amount]).to.deep.equal(['reversed', 0]);
    expect(authorization.request_history.map((entry) => [entry.amount, entry.approved, entry.reason])).to.deep.equal([
      [1000, true, 'webhook_approved'],
      [499000, true, 'webhook_approved'],
      [1, false, 'webhook_declined'],
    ]);
    const asked = decisions.flatMap((entry) =>
      entry.event === 'authorization_decided' && entry.authorization === authorization.id
        ? [[entry.amount, entry.heldAmount, entry.reason]]
        : [],
    );
    expect(asked).to.deep.equal([
      [1000, 0, 'within_rules'],
      [499000, 1000, 'within_rules'],
      [1, 500000, 'over_max_amount'],
    ]);
    expect(result.after).to.deep.equal(result.before);
    await expectCashPutBack(result);
  });

  it('multi-capture: the first capture (close_authorization false) leaves the rest held, the second closes it and releases what is left', async () => {
    const result = await run('multi-capture');
    expect(result.captures?.map((c) => [c.amount, c.closeAuthorization, c.status, c.held])).to.deep.equal([
      [500, false, 'pending', 500],
      [250, true, 'closed', 0],
    ]);
    const authorization = await authorizationOf(result);
    expect([authorization.status, authorization.amount, authorization.treasury?.received_debits.length]).to.deep.equal(['closed', 0, 2]);
    expect(result.after.outboundPending).to.equal(result.before.outboundPending);
    await expectCashPutBack(result);
  });

  it('replacement: a damaged card replaced keeps its number, is canceled when the replacement is activated, and its spending counts against the shared limit', async () => {
    const result = await run('replacement');
    const facts = result.replacement;
    expect([facts?.sameLast4, facts?.originalBefore, facts?.originalAfter]).to.deep.equal([true, 'active', 'canceled']);
    const [original, replacement] = await Promise.all(
      [facts?.original ?? '', facts?.replacement ?? ''].map((id) => stripe.issuing.cards.retrieve(id, {}, on(result))),
    );
    // Both made for the scenario and canceled at its end: the stack's own cards are untouched.
    expect([original.status, replacement.status, replacement.replacement_for, original.replaced_by]).to.deep.equal([
      'canceled',
      'canceled',
      original.id,
      replacement.id,
    ]);
    expect(result.authorizations.map((a) => [a.approved, a.reason, a.status])).to.deep.equal([
      [true, 'webhook_approved', 'closed'],
      [false, 'spending_controls', 'closed'],
      [true, 'webhook_approved', 'reversed'],
    ]);
    await expectCashPutBack(result);
  });

  it('the npm script prints a line per scenario, with --verbose the objects and their states, and no secret', async () => {
    const script = await runNpmScript(workspace, 'simulate', ['--stack', STACK, '--verbose', 'purchase'], workspace.env);
    expect(script.status, script.stderr).to.equal(0);
    expect(script.stdout).to.contain('Simulating on stack dev with Stripe (the key in STRIPE_API_KEY)');
    expect(script.stdout).to.match(
      /^ok {2}purchase {13}approved \(webhook_approved\), capture 1000, refund 1000 {2}\[acme-jane-travel: 1000 usd at \w+, \w\w\]$/m,
    );
    expect(script.stdout).to.match(/== purchase: acme-jane-travel \(ic_\w+ on acct_1DevAcmeIssuing\)/);
    expect(script.stdout).to.match(/iauth_\w+\s+yes\s+webhook_approved\s+1000\s+closed/);
    expect(script.stdout).to.match(/refund\s+1000\s+iauth_/);
    expect(script.stdout).to.match(/cash put back +flow .+\n[- ]+\nfa_\w+ +received_debit +rd_\w+ +-1000 +succeeded +0 +1000 +0\n/);
    expect(script.stdout).to.include('1 scenario(s) as expected');
    for (const secret of [API_KEY, signingSecret]) expect(script.stdout + script.stderr).not.to.include(secret);
  });

  it('the npm script refuses a live key and a live stack before any Stripe call', async () => {
    const before = emulator.requests().length;
    const liveKey = await runNpmScript(workspace, 'simulate', ['--stack', STACK, 'all'], {
      ...workspace.env,
      STRIPE_API_KEY: fakeLiveKey('sk', 'notARealKey'),
    });
    expect(liveKey.status).to.equal(2);
    expect(liveKey.stderr).to.include('refused: stacks/Pulumi.dev.yaml: mode: is "test" but the Stripe key (STRIPE_API_KEY) is a live key');
    expect(liveKey.stderr).not.to.include(fakeLiveKey('sk', 'notARealKey'));
    const liveFile = stack.readStackFile().replace('stripe-issuing:mode: test', 'stripe-issuing:mode: live');
    fs.writeFileSync(path.join(workspace.dir, 'stacks', 'Pulumi.live-copy.yaml'), liveFile);
    const liveStack = await runNpmScript(workspace, 'simulate', ['--stack', 'live-copy', 'purchase'], workspace.env);
    expect(liveStack.status).to.equal(2);
    expect(liveStack.stderr).to.include('refused: stack live-copy is in live mode');
    expect(emulator.requests().length).to.equal(before);
  });

  it('leaves no drift: after a refresh, a preview shows no changes (the restriction was restored)', async () => {
    await stack.refresh();
    await stack.expectNoChangesPreview();
  });

  // Every scenario put the cash back, so the financial accounts are empty and Stripe lets them close.
  it('destroy succeeds: every card canceled, every financial account closed', async () => {
    await stack.destroy();
    for (const card of cardIds) {
      const stored = await stripe.issuing.cards.retrieve(card.id, {}, { stripeAccount: card.account });
      expect(stored.status, card.id).to.equal('canceled');
    }
    for (const fa of financialAccountIds) {
      const stored = await stripe.treasury.financialAccounts.retrieve(fa.id, {}, { stripeAccount: fa.account });
      expect([stored.status, stored.balance.cash.usd], fa.id).to.deep.equal(['closed', 0]);
    }
  });
});
