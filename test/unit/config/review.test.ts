// The fixtures are real `pulumi preview --json` output (CLI v3.274.1) of the dev stack after `pulumi up`
// against the emulator, then these edits to stacks/Pulumi.dev.yaml: a card added (acme-sam-parking), a
// spending limit changed (acme-jane-travel), a cardholder's display name changed (globex-fleet, which
// replaces it and its card), a card removed (acme-jane-office). Only the serialized provider closures
// and stack traces are elided, for size.
import { expect } from 'chai';
import { type PreviewDigest, type PreviewStep, summarizePreview } from '../../../lib/preview-summary';
import { fakeLiveKey } from '../../support/fake-keys';
import edits from './fixtures/preview-dev-edits.json';
import editsWithReplacementSteps from './fixtures/preview-dev-edits-replacement-steps.json';
import invalidStackFile from './fixtures/preview-dev-invalid-stack-file.json';
import noChanges from './fixtures/preview-dev-no-changes.json';

const copy = (digest: unknown) => JSON.parse(JSON.stringify(digest)) as PreviewDigest;

describe('review: preview summary for pull requests', () => {
  it('flags the irreversible steps at the top: card removed, cardholder and card replaced', () => {
    const { markdown, irreversible } = summarizePreview(copy(edits), { stack: 'dev' });
    expect(irreversible.map((step) => `${step.op} ${step.type} ${step.name}`)).to.have.members([
      'replace Cardholder globex-fleet',
      'replace Card globex-fleet-van-1',
      'delete Card acme-jane-office',
    ]);
    const caution = markdown.indexOf('> [!CAUTION]');
    expect(caution).to.be.greaterThan(-1);
    expect(caution).to.be.lessThan(markdown.indexOf('| Operation |'));
    expect(markdown).to.contain('> **3 irreversible steps**');
    expect(markdown).to.contain(
      '> - **delete** Card `acme-jane-office`: cancels the card in Stripe; a canceled card can never be used again',
    );
  });

  it('counts resources by operation', () => {
    const { markdown } = summarizePreview(copy(edits), { stack: 'dev' });
    expect(markdown).to.contain(['| create | 1 |', '| update | 1 |', '| replace | 2 |', '| delete | 1 |', '| same | 15 |'].join('\n'));
  });

  it("lists each resource's changed fields with before and after, and what forces replacement", () => {
    const { markdown } = summarizePreview(copy(edits), { stack: 'dev' });
    expect(markdown).to.contain('#### ~ update Card `acme-jane-travel`');
    expect(markdown).to.contain('| `spendingControls.spendingLimits[0].amount` | `500000` | `600000` |');
    expect(markdown).to.contain('| `name` (forces replacement) | `Globex Fleet` | `Globex Logistics` |');
    expect(markdown).to.match(/\| `cardholder` \(forces replacement\) \| `ich_\w+` \| _\(known after apply\)_ \|/);
    expect(markdown).to.contain('#### + create Card `acme-sam-parking`');
    expect(markdown).to.contain('| `spendingControls` | — | `{"allowedCategories":["parking_lots_garages"]}` |');
    // Hidden inputs and the serialized provider are not the reviewer's concern.
    expect(markdown).to.not.match(/__provider|pulumiStack|pulumiName/);
  });

  it('reads the same plan from --show-replacement-steps output', () => {
    const plain = summarizePreview(copy(edits), { stack: 'dev' });
    const detailed = summarizePreview(copy(editsWithReplacementSteps), { stack: 'dev' });
    expect(detailed.irreversible.map((s) => s.urn)).to.have.members(plain.irreversible.map((s) => s.urn));
    expect(detailed.markdown).to.contain('| replace | 2 |');
  });

  it('reads past the refresh steps of `preview --refresh` (reads of Stripe, not changes)', () => {
    const digest = copy(noChanges);
    const refreshes = (copy(edits).steps ?? []).map((step) => ({ ...step, op: 'refresh' }));
    digest.steps = [...refreshes, ...(digest.steps ?? [])];
    const { markdown } = summarizePreview(digest, { stack: 'dev' });
    expect(markdown).to.contain('No changes.');
    expect(markdown).not.to.contain('refresh');
  });

  it('says there are no changes, with no irreversible step', () => {
    const { markdown, irreversible } = summarizePreview(copy(noChanges), { stack: 'dev' });
    expect(irreversible).to.deep.equal([]);
    expect(markdown).to.contain('No changes.');
    expect(markdown).to.not.contain('CAUTION');
  });

  it('does not flag a removal the stack retains (retainOnDelete keeps the card in Stripe)', () => {
    const digest = copy(edits);
    const removal = digest.steps!.find((step) => step.op === 'delete')!;
    removal.oldState!.retainOnDelete = true;
    const { markdown, irreversible } = summarizePreview(digest, { stack: 'dev' });
    expect(irreversible.map((s) => s.name)).to.not.include('acme-jane-office');
    expect(markdown).to.match(/Stripe object `ic_\w+` \(retainOnDelete: kept in Stripe\)/);
  });

  it('flags closing a financial account', () => {
    const digest = copy(edits);
    const removal = digest.steps!.find((step) => step.op === 'delete')!;
    removal.urn = 'urn:pulumi:dev::stripe-issuing::pulumi-nodejs:dynamic/stripe-issuing:FinancialAccount::acme';
    const { irreversible } = summarizePreview(digest, { stack: 'dev' });
    expect(irreversible.find((s) => s.name === 'acme')?.irreversible).to.equal('closes the financial account; closing is permanent');
  });

  it('flags replacing or deleting a webhook endpoint that receives authorization requests as breaking authorizations', () => {
    const endpoint = (name: string, op: string, enabledEvents: string[]) => ({
      op,
      urn: `urn:pulumi:dev::stripe-issuing::pulumi-nodejs:dynamic/stripe-issuing:WebhookEndpoint::${name}`,
      oldState: {
        type: 'pulumi-nodejs:dynamic/stripe-issuing:WebhookEndpoint',
        id: `we_${name}`,
        inputs: { url: 'https://x.example/', enabledEvents, apiVersion: '2026-10-28.endive' },
      },
      ...(op === 'delete'
        ? {}
        : {
            newState: {
              type: 'pulumi-nodejs:dynamic/stripe-issuing:WebhookEndpoint',
              inputs: { url: 'https://x.example/', enabledEvents, apiVersion: '2027-01-27.fig' },
            },
          }),
      replaceReasons: op === 'replace' ? ['apiVersion'] : [],
    });
    const digest: PreviewDigest = {
      steps: [
        endpoint('authorizer-webhook', 'replace', ['issuing_authorization.request']),
        endpoint('everything', 'delete', ['*']),
        endpoint('card-events', 'replace', ['issuing_card.updated']),
      ],
    };
    const { irreversible, markdown } = summarizePreview(digest, { stack: 'dev' });
    expect(irreversible.map((s) => `${s.op} ${s.name}`)).to.deep.equal(['replace authorizer-webhook', 'delete everything']);
    expect(markdown).to.contain(
      '> - **replace** WebhookEndpoint `authorizer-webhook`: breaks real-time authorizations: the new endpoint signs with a new secret',
    );
  });

  // Issue 11 item 6: capabilities and features may serve other stacks; an unrequest is never silent.
  describe('capabilities and features leaving the stack', () => {
    const CAPABILITY_URN = 'urn:pulumi:dev::stripe-issuing::pulumi-nodejs:dynamic/stripe-issuing:AccountCapability::acme-card_issuing';
    const FEATURES_URN = 'urn:pulumi:dev::stripe-issuing::pulumi-nodejs:dynamic/stripe-issuing:FinancialAccountFeatures::acme';
    const withStep = (step: PreviewStep) => ({ steps: [step], changeSummary: { [step.op]: 1 } }) as PreviewDigest;
    const capabilityDelete = (unrequestOnRemove?: boolean): PreviewStep => ({
      op: 'delete',
      urn: CAPABILITY_URN,
      oldState: {
        id: 'acct_1DevAcmeIssuing/card_issuing',
        inputs: { account: 'acct_1DevAcmeIssuing', capability: 'card_issuing', ...(unrequestOnRemove ? { unrequestOnRemove } : {}) },
      },
    });

    it('by default says a removed capability stays requested, and flags nothing', () => {
      const { markdown, irreversible } = summarizePreview(withStep(capabilityDelete()), { stack: 'dev' });
      expect(irreversible).to.deep.equal([]);
      expect(markdown).to.contain('Left requested: card_issuing stays requested in Stripe (unrequestOnRemove is off).');
    });

    it('flags a capability unrequest (exit 2) when unrequestOnRemove is set', () => {
      const { markdown, irreversible } = summarizePreview(withStep(capabilityDelete(true)), { stack: 'dev' });
      expect(irreversible.map((s) => s.irreversible)).to.deep.equal([
        'unrequests the card_issuing capability on acct_1DevAcmeIssuing; other stacks or products on the account may rely on it ' +
          '(Stripe refuses for a permanent capability: then a warning)',
      ]);
      expect(markdown).to.contain('> **1 irreversible step**');
    });

    it('flags features dropped from the list or destroyed only when they are unrequested', () => {
      const features = (op: string, after: string[] | undefined, unrequestOnRemove: boolean): PreviewStep => {
        const inputs = (list: string[]) => ({
          account: 'acct_1',
          financialAccount: 'fa_1',
          features: list,
          ...(unrequestOnRemove ? { unrequestOnRemove } : {}),
        });
        return {
          op,
          urn: FEATURES_URN,
          oldState: { id: 'fa_1', inputs: inputs(['card_issuing', 'deposit_insurance']) },
          ...(after ? { newState: { inputs: inputs(after) } } : {}),
        };
      };
      const dropped = summarizePreview(withStep(features('update', ['card_issuing'], true)), { stack: 'dev' });
      expect(dropped.irreversible.map((s) => s.irreversible)).to.deep.equal([
        'unrequests deposit_insurance on financial account fa_1; other stacks or products on the account may rely on it',
      ]);
      const destroyed = summarizePreview(withStep(features('delete', undefined, true)), { stack: 'dev' });
      expect(destroyed.irreversible[0].irreversible).to.match(/^unrequests card_issuing, deposit_insurance on financial account fa_1/);
      const kept = summarizePreview(withStep(features('update', ['card_issuing'], false)), { stack: 'dev' });
      expect(kept.irreversible).to.deep.equal([]);
      expect(kept.markdown).to.contain('Left requested: deposit_insurance stays requested in Stripe (unrequestOnRemove is off).');
    });
  });

  it('shows why a preview failed, e.g. an invalid stack file, with the stack file message', () => {
    const { markdown, irreversible } = summarizePreview(copy(invalidStackFile), { stack: 'dev' });
    expect(irreversible).to.deep.equal([]);
    expect(markdown).to.contain('### Errors and warnings');
    expect(markdown).to.contain(
      'stacks/Pulumi.dev.yaml: issuing.accounts.acme.cardholders.sam.cards.parking.spendingControls.allowedCategories[0]',
    );
  });

  it('says a failed preview failed, never "No changes.", even when it planned no change before stopping', () => {
    const { markdown } = summarizePreview(copy(invalidStackFile), { stack: 'dev', failed: true });
    expect(markdown).to.not.contain('No changes.');
    expect(markdown.indexOf('**The preview failed**')).to.be.greaterThan(-1).and.lessThan(markdown.indexOf('| Operation |'));
    expect(markdown).to.contain('### Errors and warnings');
  });

  it('never prints a secret', () => {
    const digest = copy(edits);
    const update = digest.steps!.find((step) => step.op === 'update')!;
    update.newState!.inputs!.metadata = { note: fakeLiveKey('sk', '51ThisMustNotAppear0000') };
    const { markdown } = summarizePreview(digest, { stack: 'dev' });
    expect(markdown).to.not.contain('sk_live_51');
    expect(markdown).to.contain('[redacted]');
  });

  describe('freezes and cancels made outside the stack (provider/freeze.ts)', () => {
    const at = 'issuing.accounts.acme.cardholders.jane.cards.travel';
    const cardStep = (op: string, olds: Record<string, unknown>, news: Record<string, unknown>): PreviewStep => ({
      op,
      urn: 'urn:pulumi:dev::stripe-issuing::pulumi-nodejs:dynamic/stripe-issuing:Card::acme-jane-travel',
      oldState: { type: 'pulumi-nodejs:dynamic/stripe-issuing:Card', id: 'ic_1', inputs: olds, outputs: olds },
      newState: { type: 'pulumi-nodejs:dynamic/stripe-issuing:Card', inputs: news },
    });
    const card = { pulumiStack: 'dev', pulumiName: 'acme-jane-travel', declaredAt: at, currency: 'usd', type: 'virtual' };
    const summary = (step: PreviewStep) => summarizePreview({ steps: [step] }, { stack: 'dev' });

    it('flags reactivating a card frozen outside the stack (exit 2), naming the stack-file edit that accepts the freeze', () => {
      const { markdown, irreversible } = summary(
        cardStep('update', { ...card, status: 'inactive', outOfBandStatus: 'inactive' }, { ...card, status: 'active' }),
      );
      expect(irreversible).to.have.length(1);
      expect(markdown).to.contain(
        '> - **update** Card `acme-jane-travel`: up refuses: Card acme-jane-travel (ic_1) is frozen outside the stack',
      );
      expect(markdown).to.contain(`set stacks/Pulumi.dev.yaml: ${at}.status to inactive`);
      expect(markdown).not.to.contain('declaredAt');
    });

    it('flags re-issuing a card canceled outside the stack, and a stack that cancels a card', () => {
      const reissue = summary(cardStep('update', { ...card, status: 'canceled' }, { ...card, status: 'active' }));
      expect(reissue.irreversible).to.have.length(1);
      expect(reissue.markdown).to.contain('was canceled outside the stack');
      expect(reissue.markdown).to.contain(`set stacks/Pulumi.dev.yaml: ${at}.status to canceled`);
      const cancel = summary(cardStep('update', { ...card, status: 'active' }, { ...card, status: 'canceled' }));
      expect(cancel.markdown).to.contain('> - **update** Card `acme-jane-travel`: cancels the card in Stripe');
    });

    it('does not flag accepting a freeze, an ordinary activation, or removing a card already canceled', () => {
      const accept = summary(
        cardStep('update', { ...card, status: 'inactive', outOfBandStatus: 'inactive' }, { ...card, status: 'inactive' }),
      );
      expect(accept.irreversible).to.deep.equal([]);
      expect(accept.markdown).to.contain('Accepts the freeze found in Stripe (inactive): the state forgets it; nothing is sent to Stripe.');
      expect(accept.markdown).not.to.contain('provider code reference');
      expect(summary(cardStep('update', { ...card, status: 'inactive' }, { ...card, status: 'active' })).irreversible).to.deep.equal([]);
      const gone = cardStep('delete', { ...card, status: 'canceled' }, {});
      delete gone.newState;
      expect(summary(gone).irreversible).to.deep.equal([]);
    });
  });
});
