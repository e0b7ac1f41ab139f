/**
 * The stack file is the user interface: the `dev` stack goes up through the real CLI, each reviewer-
 * visible edit of its YAML gives exactly the expected preview ops (and `npm run review` flags what cannot
 * be undone), and broken stack files stop `npm run validate` and `pulumi preview` with the file, the key
 * path and what is allowed, before any Stripe call.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import * as yaml from 'js-yaml';
import Stripe from 'stripe';
import { ISSUING_CONFIG_KEY } from '../../config/paths';
import { type Emulator, startEmulator } from '../../emulator';
import { createWorkspace, PulumiCommandError, runNpmScript, stateResources, TestStack, type Workspace } from '../../testbed/workspace';
import { expectNoPlainPersonalData } from '../support/personal-data';

/** Jane's (fictional) date of birth, which stacks/Pulumi.dev.yaml holds encrypted (`pulumi config set --secret --path`). */
const DOB = { day: 12, month: 4, year: 1988 };

type Issuing = {
  accounts: Record<
    string,
    {
      id: string;
      capabilities: string[];
      cardholders: Record<string, { name: string; email?: string; cards: Record<string, Record<string, unknown>> }>;
    }
  >;
};

describe('stacks/Pulumi.dev.yaml through the real CLI (edits, review, validation)', () => {
  let emulator: Emulator;
  let workspace: Workspace;
  let stack: TestStack;
  let base: Issuing;

  /**
   * Runs a project script inside the workspace copy, as a pipeline would in its checkout. Asynchronous: the
   * review's `preview --refresh` reads Stripe, here the emulator in this process, which must keep answering.
   */
  const script = (name: 'review' | 'validate', args: string[]) => runNpmScript(workspace, name, args);

  /** The dev stack with one edit applied, from the state that is up. */
  function edited(edit: (issuing: Issuing) => void): void {
    const issuing = structuredClone(base);
    edit(issuing);
    stack.setConfigValue(ISSUING_CONFIG_KEY, issuing);
  }

  before(async () => {
    const dev = yaml.load(fs.readFileSync(path.join(__dirname, '..', '..', 'stacks', 'Pulumi.dev.yaml'), 'utf8')) as {
      config: Record<string, unknown>;
    };
    base = dev.config[ISSUING_CONFIG_KEY] as Issuing;
    emulator = await startEmulator({ seedAccounts: Object.values(base.accounts).map((a) => a.id) });
    workspace = createWorkspace({ env: { STRIPE_API_BASE: emulator.url, STRIPE_API_KEY: 'sk_test_stack_file' } });
    stack = await TestStack.create(workspace, 'dev');
    // The project's file as committed: Jane's date of birth is in it encrypted, the way every stack keeps personal data.
    stack.copyProjectStackFile('dev');
    base = (yaml.load(stack.readStackFile()) as { config: Record<string, unknown> }).config[ISSUING_CONFIG_KEY] as Issuing;
    await stack.up();
    await stack.expectNoChangesPreview();
  });

  after(async () => {
    workspace?.cleanup();
    await emulator?.close();
  });

  // The up in `before` ran with plugin downloads disabled and no network: it needed no AWS plugin.
  it('runs offline without the AWS plugin although @pulumi/aws is installed (no AWS authorizer on dev)', async () => {
    const plugins = JSON.parse((await stack.run(['plugin', 'ls', '--json'])).stdout) as Array<{ name: string }> | null;
    expect((plugins ?? []).map((p) => p.name)).not.to.include('aws');
  });

  it('stores each resource small: a __provider reference under 2 KiB, the same for every resource of a type', async () => {
    const state = await stack.exportState();
    const dynamic = (state.deployment.resources ?? []).filter((r) => r.type.startsWith('pulumi-nodejs:dynamic/'));
    expect(dynamic.length).to.be.greaterThan(10);
    const byType = new Map<string, Set<string>>();
    for (const r of dynamic) {
      for (const provider of [r.inputs?.__provider, r.outputs?.__provider]) {
        expect(Buffer.byteLength(String(provider)), `${r.urn} __provider bytes`).to.be.below(2048);
        byType.set(r.type, (byType.get(r.type) ?? new Set()).add(String(provider)));
      }
      // Every byte the resource adds to the state, the serialized provider twice included.
      expect(Buffer.byteLength(JSON.stringify(r)), `${r.urn} state bytes`).to.be.below(4096);
    }
    for (const [type, providers] of byType) expect(providers.size, `distinct __provider values of ${type}`).to.equal(1);
  });

  it('keeps a cardholder date of birth declared as a secret encrypted in the whole state, providers included, also after a refresh', async () => {
    expect(stack.readStackFile(), 'the stack file holds it encrypted').to.match(/year:\s*\{?\s*secure:\s*'?v1:/);
    await stack.refresh({ expectNoChanges: true });
    const state = await stack.exportState();
    expectNoPlainPersonalData(state, DOB);
    const jane = stateResources(state)['Cardholder:acme-jane'];
    for (const props of [jane.inputs, jane.outputs]) {
      const individual = props?.individual as Record<string, unknown>;
      expect(individual.firstName).to.equal('Jane');
      expect(individual.dob, 'dob is a secret').to.have.property('ciphertext');
    }
    // Stripe got the real date.
    const cardholder = await new Stripe('sk_test_stack_file', {
      host: '127.0.0.1',
      port: emulator.port,
      protocol: 'http',
    }).issuing.cardholders.retrieve(jane.id as string, {}, { stripeAccount: base.accounts.acme.id });
    expect(cardholder.individual?.dob).to.deep.equal(DOB);
  });

  it('adding a card creates only that card', async () => {
    edited((issuing) => {
      issuing.accounts.acme.cardholders.sam.cards.parking = { status: 'active' };
    });
    expect(await stack.previewOps()).to.deep.equal({ 'Card:acme-sam-parking': 'create' });
  });

  it('changing a spending limit updates only that card', async () => {
    edited((issuing) => {
      const limits = (issuing.accounts.acme.cardholders.jane.cards.travel.spendingControls as { spendingLimits: { amount: number }[] })
        .spendingLimits;
      limits[0].amount = 600000;
    });
    expect(await stack.previewOps()).to.deep.equal({ 'Card:acme-jane-travel': 'update' });
  });

  it("renaming a cardholder's display name replaces the cardholder and her cards (Stripe fixes the name)", async () => {
    edited((issuing) => {
      issuing.accounts.acme.cardholders.jane.name = 'Jane Rivera Okafor';
    });
    expect(await stack.previewOps()).to.deep.equal({
      'Cardholder:acme-jane': 'replace',
      'Card:acme-jane-travel': 'replace',
      'Card:acme-jane-office': 'replace',
    });
  });

  it('removing a card deletes (cancels) it, and the review flags it as irreversible', async () => {
    edited((issuing) => {
      delete issuing.accounts.acme.cardholders.sam.cards.fuel;
    });
    expect(await stack.previewOps()).to.deep.equal({ 'Card:acme-sam-fuel': 'delete' });

    const out = path.join(workspace.dir, 'review.md');
    const review = await script('review', ['--stack', 'dev', '--out', out]);
    expect(review.status, review.stderr).to.equal(2);
    const markdown = fs.readFileSync(out, 'utf8');
    const irreversible = markdown.slice(0, markdown.indexOf('acme-sam-fuel') + 200);
    expect(markdown.indexOf('acme-sam-fuel'), 'the removed card is named').to.be.greaterThan(-1);
    expect(irreversible.toLowerCase()).to.match(/irreversible|cannot be undone/);
  });

  it('an edit with nothing irreversible passes review with exit 0', async () => {
    edited((issuing) => {
      issuing.accounts.acme.cardholders.sam.cards.parking = { status: 'active' };
    });
    const review = await script('review', ['--stack', 'dev', '--out', path.join(workspace.dir, 'review-ok.md')]);
    expect(review.status, review.stderr + review.stdout).to.equal(0);
  });

  // A valid stack file whose preview fails in the provider's check: Stripe cannot unset an email.
  it('a failed preview reads as failed in the review, not as "No changes."', async () => {
    edited((issuing) => {
      delete issuing.accounts.acme.cardholders.jane.email;
    });
    expect((await script('validate', [`stacks/Pulumi.${stack.name}.yaml`])).status, 'the file itself is valid').to.equal(0);
    const out = path.join(workspace.dir, 'review-failed.md');
    const review = await script('review', ['--stack', 'dev', '--out', out]);
    expect(review.status, review.stderr).to.equal(1);
    const markdown = fs.readFileSync(out, 'utf8');
    expect(markdown).to.contain('**The preview failed**');
    expect(markdown).to.not.contain('No changes.');
    expect(markdown).to.match(/### Errors and warnings[\s\S]*email[\s\S]*Stripe cannot unset it/);
  });

  describe('invalid stack files fail validate and preview with the path, before any Stripe call', () => {
    const cases: Array<{
      kind: string;
      edit?: (issuing: Issuing) => void;
      raw?: (text: string) => string;
      message: RegExp;
      previewMessage?: RegExp;
    }> = [
      {
        kind: 'wrong type',
        edit: (i) => void (i.accounts.acme.cardholders.jane.cards.travel.status = 42),
        message: /issuing\.accounts\.acme\.cardholders\.jane\.cards\.travel\.status: .*(active|inactive)/,
      },
      {
        kind: 'unknown key',
        edit: (i) => void ((i.accounts.acme.cardholders.jane as Record<string, unknown>).nickname = 'JJ'),
        message: /issuing\.accounts\.acme\.cardholders\.jane\.nickname: .*allowed/,
      },
      {
        kind: 'bad enum',
        edit: (i) =>
          void ((
            i.accounts.acme.cardholders.jane.cards.travel.spendingControls as { spendingLimits: { interval: string }[] }
          ).spendingLimits[0].interval = 'fortnightly'),
        message:
          /issuing\.accounts\.acme\.cardholders\.jane\.cards\.travel\.spendingControls\.spendingLimits\[0\]\.interval: must be one of per_authorization, daily/,
      },
      {
        kind: 'missing required field',
        edit: (i) => void delete (i.accounts.acme.cardholders.sam as Record<string, unknown>).billing,
        message: /issuing\.accounts\.acme\.cardholders\.sam\.billing: is required/,
      },
      {
        // The examples: Stripe would refuse both halfway through `up`.
        kind: 'a Stripe prerequisite and a date that does not exist',
        edit: (i) => {
          (i.accounts.acme as Record<string, unknown>).capabilities = ['transfers', 'card_issuing', 'us_bank_account_ach_payments'];
          (i.accounts.acme.cardholders.jane as Record<string, unknown>).individual = {
            firstName: 'Jane',
            lastName: 'Rivera',
            dob: { day: 31, month: 2, year: 1988 },
          };
        },
        // Both problems, in one run.
        message:
          /^(?=[\s\S]*issuing\.accounts\.acme\.financialAccount: a financial account needs the treasury capability)(?=[\s\S]*issuing\.accounts\.acme\.cardholders\.jane\.individual\.dob\.day: must be a real date)/,
      },
      {
        kind: 'duplicate names',
        // A second `jane:` under the same cardholders map.
        raw: (text) =>
          text.replace(/^(\s+)jane:\n/m, (_line, indent: string) => `${indent}jane:\n${indent}  name: Jane Twin\n${indent}jane:\n`),
        message: /issuing\.accounts\.acme\.cardholders\.jane: .*duplicate/i,
        // Pulumi parses the stack file before the program runs and refuses duplicate keys itself,
        // naming the line: the path-specific message comes from `npm run validate`.
        previewMessage: /already defined at line \d+/,
      },
    ];

    for (const testCase of cases) {
      it(testCase.kind, async () => {
        if (testCase.edit) edited(testCase.edit);
        else stack.writeStackFile(testCase.raw!(stack.readStackFile()));
        const file = `stacks/Pulumi.${stack.name}.yaml`;

        const validate = await script('validate', [file]);
        expect(validate.status).to.equal(1);
        expect(validate.stderr).to.contain(`${file}: `);
        expect(validate.stderr).to.match(testCase.message);

        const requestsBefore = emulator.requests().length;
        const error = await stack.run(['preview']).then(
          () => expect.fail('the preview should fail'),
          (err: unknown) => err as PulumiCommandError,
        );
        expect(error).to.be.instanceOf(PulumiCommandError);
        const output = error.result.stdout + error.result.stderr;
        if (testCase.previewMessage) expect(output).to.match(testCase.previewMessage);
        else expect(output).to.contain(`${file}: `).and.to.match(testCase.message);
        expect(emulator.requests().length, 'no Stripe call').to.equal(requestsBefore);
      });
    }
  });

  it('the original stack file, two connected accounts, goes down cleanly', async () => {
    stack.copyProjectStackFile('dev');
    await stack.expectNoChangesPreview();
    await stack.destroy();
    const stripe = new Stripe('sk_test_stack_file', { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
    for (const { id: account, capabilities: declared } of Object.values(base.accounts)) {
      const on = { stripeAccount: account };
      const cards = (await stripe.issuing.cards.list({ limit: 100 }, on)).data;
      expect(cards.length, account).to.be.greaterThan(0);
      expect(
        cards.map((c) => c.status),
        `${account} cards`,
      ).to.satisfy((all: string[]) => all.every((status) => status === 'canceled'));
      const cardholders = (await stripe.issuing.cardholders.list({ limit: 100 }, on)).data;
      expect(
        cardholders.map((c) => c.status),
        `${account} cardholders`,
      ).to.satisfy((all: string[]) => all.every((status) => status === 'inactive'));
      const financialAccounts = (await stripe.treasury.financialAccounts.list({ limit: 100 }, on)).data;
      expect(
        financialAccounts.map((f) => f.status),
        `${account} financial accounts`,
      ).to.deep.equal(['closed']);
      // Capabilities may serve other stacks: destroy leaves them requested (no unrequestOnRemove here).
      const capabilities = (await stripe.accounts.listCapabilities(account)).data.filter((c) => c.requested);
      expect(capabilities.map((c) => c.id).sort(), `${account} capabilities left requested`).to.deep.equal([...declared].sort());
    }
  });
});
