/**
 * Issue 23, item 3: is `PULUMI_SKIP_CHECKPOINTS=true` safe on the file backend? With it the CLI writes
 * the state only when a command ends, so a CLI killed mid-`up` leaves the state without anything that
 * run created, and one killed mid-`destroy` leaves everything it deleted still in state. A fault run on a
 * small stack with every resource type (ToS acceptances, capabilities, financial account, its features,
 * a cardholder, cards, a webhook endpoint): the CLI's process group is SIGKILLed at a seeded random
 * point of an `up`, then of a `destroy`, and the command is run again. After the `up`: exactly one live
 * Stripe object per declared resource, the one in state, and no change on preview or refresh; after the
 * `destroy`: nothing the stack owns is left live in Stripe, and the state is empty.
 *
 * Reproduce a failure with the seed it prints: SKIP_CHECKPOINTS_SEED=<seed> npx mocha test/e2e/skip-checkpoints.test.ts
 * (SKIP_CHECKPOINTS_ITERATIONS=<n> for more rounds).
 */
import * as path from 'node:path';
import { expect } from 'chai';
import Stripe from 'stripe';
import { type Emulator, startEmulator } from '../../emulator';
import { reapMarked } from '../../testbed/processes';
import { createWorkspace, stateResources, TestStack, WORKSPACE_MARKER, type Workspace } from '../../testbed/workspace';

const ACCOUNT = 'acct_1SkipCheckpointsAcme';
const ISSUING_KEY = 'stripe-issuing:issuing';
const SEED = Number(process.env.SKIP_CHECKPOINTS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ITERATIONS = Number(process.env.SKIP_CHECKPOINTS_ITERATIONS ?? 3);

/** mulberry32: a small seeded generator, so a failing kill point can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOS = { date: 1767225600, ip: '203.0.113.10' };
const cardSpec = (amount: number) => ({ status: 'active', spendingControls: { spendingLimits: [{ amount, interval: 'monthly' }] } });

/** Every resource type once (cards twice): 2 ToS acceptances, 4 capabilities, FA, features, cardholder, 2 cards, endpoint. */
function issuing(webhookDescription = 'skip-checkpoints test') {
  return {
    accounts: {
      acme: {
        id: ACCOUNT,
        // card_payments: one Stripe lets go of, so destroy's unrequest is a real call (the others are permanent).
        capabilities: ['transfers', 'treasury', 'card_issuing', 'card_payments'],
        unrequestOnRemove: true,
        tosAcceptance: { card_issuing: TOS, treasury: TOS },
        financialAccount: { nickname: 'Skip checkpoints', supportedCurrencies: ['usd'], features: ['card_issuing'] },
        cardholders: {
          jane: {
            name: 'Jane Rivera',
            email: 'jane@acme.example',
            billing: { address: { line1: '510 Townsend St', city: 'San Francisco', state: 'CA', postalCode: '94103', country: 'US' } },
            individual: { firstName: 'Jane', lastName: 'Rivera' },
            cards: { travel: cardSpec(50000), office: cardSpec(20000) },
          },
        },
      },
    },
    webhookEndpoints: {
      events: { url: 'http://127.0.0.1:9/stripe-events', enabledEvents: ['issuing_card.created'], description: webhookDescription },
    },
  };
}

const RESOURCES = 12;

describe('PULUMI_SKIP_CHECKPOINTS=true: SIGKILL at random points of up and destroy (real CLI, file backend)', () => {
  let emulator: Emulator;
  let stripe: Stripe;
  let workspace: Workspace;
  const onAccount = { stripeAccount: ACCOUNT };
  const random = seeded(SEED);
  /** When Stripe writes happen in an un-killed run, ms after the CLI started: kills land in [first, end]. */
  const windows: Record<'up' | 'destroy', { first: number; end: number }> = { up: { first: 0, end: 0 }, destroy: { first: 0, end: 0 } };

  const writes = () => emulator.requests().filter((r) => r.method !== 'GET').length;

  /** What Stripe holds for a stack, by kind: every object whose pulumi_stack metadata names it. */
  async function ownedBy(stack: string) {
    const mine = <T extends { metadata: Stripe.Metadata | null }>(list: T[]) => list.filter((o) => o.metadata?.pulumi_stack === stack);
    const [cards, cardholders, financialAccounts, endpoints] = await Promise.all([
      stripe.issuing.cards.list({ limit: 100 }, onAccount).autoPagingToArray({ limit: 1000 }),
      stripe.issuing.cardholders.list({ limit: 100 }, onAccount).autoPagingToArray({ limit: 1000 }),
      stripe.treasury.financialAccounts.list({ limit: 100 }, onAccount).autoPagingToArray({ limit: 1000 }),
      stripe.webhookEndpoints.list({ limit: 100 }).autoPagingToArray({ limit: 1000 }),
    ]);
    return {
      cards: mine(cards),
      cardholders: mine(cardholders),
      financialAccounts: mine(financialAccounts),
      endpoints: mine(endpoints),
    };
  }

  /** Runs a command to its end, noting when its first Stripe write came and when it ended (ms after start). */
  async function timed(stack: TestStack, command: string[]): Promise<{ first: number; end: number }> {
    const before = writes();
    const started = Date.now();
    let first = 0;
    const { killed, result } = await stack.runKilledWhen(command, () => {
      if (first === 0 && writes() > before) first = Date.now() - started;
      return false;
    });
    expect(killed).to.equal(false);
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    return { first, end: Date.now() - started };
  }

  /**
   * The command, SIGKILLed `delay` ms after its first Stripe write (or run to its end if it is quicker),
   * then unlocked. Counted from that write, not from the start: the CLI's and program's start-up before
   * it varies by more than the whole write phase of this small stack, and a kill before any write is
   * trivially safe.
   */
  async function killedAt(stack: TestStack, command: string[], delay: number): Promise<{ killed: boolean; writesBefore: number }> {
    const writesBefore = writes();
    let firstWrite = 0;
    const { killed } = await stack.runKilledWhen(command, () => {
      if (firstWrite === 0 && writes() > writesBefore) firstWrite = Date.now();
      return firstWrite > 0 && Date.now() - firstWrite >= delay;
    });
    // A provider process of the killed CLI may outlive it (Pulumi's Node dynamic provider has no engine
    // health check): give it a moment to finish what it sent, then kill it too, as a crash would.
    await reapMarked(WORKSPACE_MARKER, path.dirname(workspace.dir), 3000);
    await stack.run(['cancel', '--yes']);
    return { killed, writesBefore };
  }

  async function newStack(name: string): Promise<TestStack> {
    const stack = await TestStack.create(workspace, name);
    stack.setConfigValue(ISSUING_KEY, issuing());
    return stack;
  }

  /** After an up: one live object per declared resource, each the one in state; preview and refresh find nothing. */
  async function expectDeployedOnce(stack: TestStack): Promise<void> {
    const state = stateResources(await stack.exportState());
    expect(Object.keys(state), 'every declared resource is in state').to.have.length(RESOURCES);
    const owned = await ownedBy(stack.name);
    const live = {
      cards: owned.cards.filter((c) => c.status !== 'canceled'),
      cardholders: owned.cardholders.filter((c) => c.status === 'active'),
      financialAccounts: owned.financialAccounts.filter((fa) => fa.status === 'open'),
      endpoints: owned.endpoints,
    };
    expect(live.cards.map((c) => c.id).sort(), 'one live card per declared card, the ones in state').to.deep.equal(
      [state['Card:acme-jane-office'].id, state['Card:acme-jane-travel'].id].sort(),
    );
    expect(
      live.cardholders.map((c) => c.id),
      'one active cardholder',
    ).to.deep.equal([state['Cardholder:acme-jane'].id]);
    expect(
      live.financialAccounts.map((fa) => fa.id),
      'one open financial account',
    ).to.deep.equal([state['FinancialAccount:acme'].id]);
    expect(
      live.endpoints.map((e) => e.id),
      'one webhook endpoint',
    ).to.deep.equal([state['WebhookEndpoint:events'].id]);
    const features = await stripe.treasury.financialAccounts.retrieveFeatures(state['FinancialAccount:acme'].id as string, {}, onAccount);
    expect(features.card_issuing?.requested, 'card_issuing requested on the financial account').to.equal(true);
    for (const capability of ['transfers', 'treasury', 'card_issuing', 'card_payments']) {
      expect((await stripe.accounts.retrieveCapability(ACCOUNT, capability)).status, capability).to.equal('active');
    }
    const settings = (await stripe.accounts.retrieve(ACCOUNT)).settings;
    expect(settings?.card_issuing?.tos_acceptance?.date).to.equal(TOS.date);
    expect(settings?.treasury?.tos_acceptance?.date).to.equal(TOS.date);
    await stack.expectNoChangesPreview();
    await stack.refresh({ expectNoChanges: true });
  }

  /** After a destroy: empty state; every object the stack made is canceled, inactive, closed, deleted or unrequested. */
  async function expectDestroyed(stack: TestStack): Promise<void> {
    expect(stateResources(await stack.exportState()), 'nothing left in state').to.deep.equal({});
    const owned = await ownedBy(stack.name);
    expect(
      owned.cards.filter((c) => c.status !== 'canceled').map((c) => c.id),
      'cards not canceled',
    ).to.deep.equal([]);
    expect(
      owned.cardholders.filter((c) => c.status !== 'inactive').map((c) => c.id),
      'cardholders not inactive',
    ).to.deep.equal([]);
    expect(
      owned.financialAccounts.filter((fa) => fa.status !== 'closed').map((fa) => fa.id),
      'open financial accounts',
    ).to.deep.equal([]);
    expect(
      owned.endpoints.map((e) => e.id),
      'webhook endpoints left',
    ).to.deep.equal([]);
    expect((await stripe.accounts.retrieveCapability(ACCOUNT, 'card_payments')).requested, 'card_payments unrequested').to.equal(false);
  }

  before(async function () {
    this.timeout(180_000);
    console.log(`      seed ${SEED}, ${ITERATIONS} iteration(s) (SKIP_CHECKPOINTS_SEED=${SEED} to replay)`);
    emulator = await startEmulator({ seedAccounts: [ACCOUNT] });
    stripe = new Stripe('sk_test_skip_checkpoints', { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
    workspace = createWorkspace({
      env: { STRIPE_API_BASE: emulator.url, STRIPE_API_KEY: 'sk_test_skip_checkpoints', PULUMI_SKIP_CHECKPOINTS: 'true' },
    });
    // An un-killed up and destroy of the same stack: where the kill points are drawn from.
    const reference = await newStack('reference');
    windows.up = await timed(reference, ['up', '--yes', '--skip-preview']);
    await expectDeployedOnce(reference);
    windows.destroy = await timed(reference, ['destroy', '--yes', '--skip-preview']);
    await expectDestroyed(reference);
    console.log(
      `      un-killed run: up ${windows.up.end} ms (first Stripe write at ${windows.up.first} ms), ` +
        `destroy ${windows.destroy.end} ms (first write at ${windows.destroy.first} ms)`,
    );
  });

  after(async () => {
    workspace?.cleanup();
    await emulator?.close();
  });

  /** A kill point after the first Stripe write, within what the un-killed run took from that write to its end. */
  const killPoint = (window: { first: number; end: number }) => Math.round(random() * (window.end - window.first));

  for (let i = 1; i <= ITERATIONS; i++) {
    it(`round ${i}: up killed, up again → one object each, no changes; destroy killed, destroy again → nothing left`, async function () {
      this.timeout(240_000);
      const stack = await newStack(`round${i}`);

      const upDelay = killPoint(windows.up);
      const up = await killedAt(stack, ['up', '--yes', '--skip-preview'], upDelay);
      const upWrites = writes() - up.writesBefore;
      const leftInState = Object.keys(stateResources(await stack.exportState())).length;
      console.log(
        `      up ${up.killed ? 'killed' : 'finished before the kill'} ${upDelay} ms after its first Stripe write, ${upWrites} Stripe write(s) in all; ` +
          `${leftInState} resource(s) in state`,
      );
      if (up.killed) expect(leftInState, 'a killed up with skipped checkpoints saves nothing of its run').to.equal(0);
      await stack.up();
      await expectDeployedOnce(stack);

      const destroyDelay = killPoint(windows.destroy);
      const destroy = await killedAt(stack, ['destroy', '--yes', '--skip-preview'], destroyDelay);
      const destroyWrites = writes() - destroy.writesBefore;
      const stillInState = Object.keys(stateResources(await stack.exportState())).length;
      console.log(
        `      destroy ${destroy.killed ? 'killed' : 'finished before the kill'} ${destroyDelay} ms after its first Stripe write, ` +
          `${destroyWrites} Stripe write(s); ${stillInState} resource(s) in state`,
      );
      if (destroy.killed) expect(stillInState, 'a killed destroy with skipped checkpoints forgets nothing').to.equal(RESOURCES);
      await stack.destroy();
      await expectDestroyed(stack);
      await stack.remove();
    });
  }
});
