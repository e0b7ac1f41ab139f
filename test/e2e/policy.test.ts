/**
 * The policy pack (policy/, docs/policies.md) through the real CLI: `pulumi preview --policy-pack policy`
 * started through the language host (toolchain/language-host.js RunPlugin, as Pulumi's own host does it).
 * A small program of another project (test/fixtures/policy-stack) declares the project's resource types
 * with a provider that talks to nothing, so that live stacks can be judged too; the project's own `dev`
 * stack, up on the emulator, passes the pack with its checkpoint read back.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import * as yaml from 'js-yaml';
import { ISSUING_CONFIG_KEY } from '../../config/paths';
import { type Emulator, startEmulator } from '../../emulator';
import { createWorkspace, TestStack, type Workspace } from '../../testbed/workspace';
import type { PulumiRun } from '../../toolchain/cli';
import { PROJECT_ROOT } from '../../toolchain/paths';

const PACK = path.join(PROJECT_ROOT, 'policy');
const EMAIL = 'jane.rivera@acme.example';

/** The `Policies:` block the CLI prints after a preview: each violation with its level, policy and message. */
const policiesOf = (run: PulumiRun): string => {
  const text = run.stdout + run.stderr;
  const start = text.indexOf('Policies:');
  return start === -1 ? '' : text.slice(start);
};

const JANE = {
  name: 'Jane Rivera',
  email: EMAIL,
  phoneNumber: '+14155550101',
  billing: { address: { line1: '510 Townsend St', city: 'San Francisco', postalCode: '94103', country: 'US' } },
};
const AUTHORIZATION_ENDPOINT = {
  inputs: {
    url: 'https://hooks.acme.example/authorize',
    enabledEvents: ['issuing_authorization.request'],
    connect: true,
    apiVersion: '2026-10-28.endive',
  },
};

function stackFile(mode: 'test' | 'live', resources: Record<string, unknown>): string {
  const config: Record<string, unknown> = { 'stripe-issuing:mode': mode };
  for (const [key, value] of Object.entries(resources)) config[`policy-stack:${key}`] = value;
  return yaml.dump({ config }, { lineWidth: 200 });
}

describe('policy pack through the real CLI (pulumi preview --policy-pack policy)', () => {
  describe('a program of another project', () => {
    let workspace: Workspace;

    before(() => {
      workspace = createWorkspace({ fixture: 'policy-stack' });
    });
    after(() => workspace?.cleanup());

    it('fails a test stack that breaks the mandatory rules, naming each rule and what to change, never a value', async () => {
      const stack = await TestStack.create(workspace, 'breaks');
      stack.writeStackFile(
        stackFile('test', {
          cardholders: { jane: { inputs: { ...JANE, individual: { firstName: 'Jane', lastName: 'Rivera' } }, secrets: ['phoneNumber'] } },
          cards: { travel: { cardholder: 'jane', inputs: { currency: 'usd', type: 'virtual', status: 'active' } } },
        }),
      );
      const run = await stack.run(['preview', '--policy-pack', PACK], [1]);
      const policies = policiesOf(run);
      expect(policies).to.match(/\[mandatory\]\s+card-spending-limit/);
      expect(policies).to.include('Card travel has no spending limit, and neither has its cardholder');
      expect(policies).to.match(/\[mandatory\]\s+blocked-categories-baseline/);
      expect(policies).to.include('Card travel does not block betting_casino_gambling');
      expect(policies).to.match(/\[mandatory\]\s+personal-data-secret/);
      // The phone number is a secret: it is not named; the rest are.
      expect(policies).to.include(
        'Cardholder jane has personal data in plain text: name, email, billing.address, individual.firstName, individual.lastName.',
      );
      expect(run.stdout + run.stderr).not.to.include(EMAIL);
      expect(policies).not.to.include('live-card-protected');
    });

    it('warns instead when a policy config file lowers those rules to advisory, and takes the baseline from it', async () => {
      const stack = await TestStack.create(workspace, 'lowered');
      stack.writeStackFile(
        stackFile('test', {
          cardholders: { jane: { inputs: JANE, secrets: ['name', 'email', 'phoneNumber', 'billing'] } },
          cards: {
            travel: { cardholder: 'jane', inputs: { spendingControls: { blockedCategories: ['betting_casino_gambling'] } } },
          },
        }),
      );
      const configFile = path.join(workspace.dir, 'policy-config.json');
      fs.writeFileSync(
        configFile,
        JSON.stringify({
          'card-spending-limit': 'advisory',
          'blocked-categories-baseline': {
            enforcementLevel: 'advisory',
            blockedCategories: ['betting_casino_gambling', 'wires_money_orders'],
          },
        }),
      );
      const run = await stack.run(['preview', '--policy-pack', PACK, '--policy-pack-config', configFile]);
      const policies = policiesOf(run);
      expect(policies).to.match(/\[advisory\]\s+card-spending-limit/);
      expect(policies).to.match(/\[advisory\]\s+blocked-categories-baseline/);
      expect(policies).to.include('Card travel does not block wires_money_orders');
      expect(policies).not.to.include('does not block betting_casino_gambling');
      // Every personal-data field arrived as a secret: the rule found nothing.
      expect(policies).not.to.include('personal-data-secret');
    });

    it("keeps a policy's level when its config entry gives only settings (a stricter baseline stays mandatory)", async () => {
      const stack = await TestStack.create(workspace, 'stricter');
      stack.writeStackFile(
        stackFile('test', {
          cardholders: { jane: { inputs: JANE, secrets: ['name', 'email', 'phoneNumber', 'billing'] } },
          cards: {
            travel: {
              cardholder: 'jane',
              inputs: {
                spendingControls: { spendingLimits: [{ amount: 100, interval: 'daily' }], blockedCategories: ['betting_casino_gambling'] },
              },
            },
          },
        }),
      );
      const configFile = path.join(workspace.dir, 'stricter.json');
      fs.writeFileSync(
        configFile,
        JSON.stringify({ 'blocked-categories-baseline': { blockedCategories: ['betting_casino_gambling', 'wires_money_orders'] } }),
      );
      const policies = policiesOf(await stack.run(['preview', '--policy-pack', PACK, '--policy-pack-config', configFile], [1]));
      expect(policies).to.match(/\[mandatory\]\s+blocked-categories-baseline/);
      expect(policies).to.include('Card travel does not block wires_money_orders');
      expect(policies).not.to.match(/card-spending-limit|personal-data-secret/);
    });

    it('on a live stack: stops an unprotected card and a replaced authorization endpoint, warns of an irreversible step', async () => {
      const stack = await TestStack.create(workspace, 'live');
      const resources = {
        cardholders: { jane: { inputs: JANE, secrets: ['name', 'email', 'phoneNumber', 'billing'] } },
        cards: {
          travel: {
            cardholder: 'jane',
            protect: true,
            inputs: {
              spendingControls: { spendingLimits: [{ amount: 50000, interval: 'weekly' }], blockedCategories: ['betting_casino_gambling'] },
            },
          },
        },
        financialAccounts: { operating: { inputs: { supportedCurrencies: ['usd'] } } },
        webhookEndpoints: { authorizer: AUTHORIZATION_ENDPOINT },
      };
      stack.writeStackFile(stackFile('live', resources));
      const clean = await stack.run(['preview', '--policy-pack', PACK]);
      expect(policiesOf(clean)).not.to.match(/\[(mandatory|advisory)\]/);
      await stack.up();

      stack.writeStackFile(
        stackFile('live', {
          ...resources,
          cards: { ...resources.cards, spare: { cardholder: 'jane', inputs: resources.cards.travel.inputs } },
          financialAccounts: { operating: { inputs: { supportedCurrencies: ['usd', 'eur'] } } },
          webhookEndpoints: { authorizer: { inputs: { ...AUTHORIZATION_ENDPOINT.inputs, apiVersion: '2026-11-25.endive' } } },
        }),
      );
      const run = await stack.run(['preview', '--policy-pack', PACK], [1]);
      const policies = policiesOf(run);
      expect(policies).to.match(/\[mandatory\]\s+live-card-protected/);
      expect(policies).to.include('Card spare is a live card without `protect`');
      expect(policies).to.match(/\[mandatory\]\s+authorization-endpoint-replaced/);
      expect(policies).to.include(
        'WebhookEndpoint authorizer, the endpoint of the real-time authorizer, would be replaced (apiVersion changed, which Stripe sets only at create)',
      );
      expect(policies).to.match(/\[advisory\]\s+irreversible-step-on-live/);
      expect(policies).to.include(
        'FinancialAccount operating would be replaced (supportedCurrencies changed, which Stripe sets only at create)',
      );
      // The engine agrees on what is replaced (the fixture's diff replaces on the same inputs).
      const steps = JSON.parse((await stack.run(['preview', '--json'])).stdout).steps as Array<{ op: string; urn: string }>;
      const replaced = steps.filter((s) => s.op === 'replace').map((s) => s.urn.split('::').pop());
      expect(replaced).to.have.members(['operating', 'authorizer']);

      // Deleted, the endpoint is stopped as well.
      stack.writeStackFile(stackFile('live', { ...resources, webhookEndpoints: {} }));
      const deleted = policiesOf(await stack.run(['preview', '--policy-pack', PACK], [1]));
      expect(deleted).to.include('WebhookEndpoint authorizer, the endpoint of the real-time authorizer, would be deleted');
    });
  });

  describe('the project on its dev stack (stacks/Pulumi.dev.yaml)', () => {
    let emulator: Emulator;
    let workspace: Workspace;

    before(async () => {
      const dev = yaml.load(fs.readFileSync(path.join(PROJECT_ROOT, 'stacks', 'Pulumi.dev.yaml'), 'utf8')) as {
        config: Record<string, unknown>;
      };
      const accounts = (dev.config[ISSUING_CONFIG_KEY] as { accounts: Record<string, { id: string }> }).accounts;
      emulator = await startEmulator({ seedAccounts: Object.values(accounts).map((a) => a.id) });
      workspace = createWorkspace({ env: { STRIPE_API_BASE: emulator.url, STRIPE_API_KEY: 'sk_test_policy_pack' } });
    });
    after(async () => {
      workspace?.cleanup();
      await emulator?.close();
    });

    it('passes the pack, once up (its checkpoint read back: nothing replaced, nothing flagged)', async () => {
      const stack = await TestStack.create(workspace, 'dev');
      stack.copyProjectStackFile('dev');
      await stack.up();
      const run = await stack.run(['preview', '--policy-pack', PACK]);
      expect(policiesOf(run)).to.match(/stripe-issuing-policies@v0\.1\.0/);
      expect(policiesOf(run)).not.to.match(/\[(mandatory|advisory)\]/);
    });
  });
});
