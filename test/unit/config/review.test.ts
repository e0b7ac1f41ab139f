// The fixtures are real `pulumi preview --json` output (CLI v3.274.1) of the dev stack after `pulumi up`
// against the emulator, then these edits to stacks/Pulumi.dev.yaml: a card added (acme-sam-parking), a
// spending limit changed (acme-jane-travel), a cardholder's display name changed (globex-fleet, which
// replaces it and its card), a card removed (acme-jane-office). Only the serialized provider closures
// and stack traces are elided, for size.
import { expect } from 'chai';
import { summarizePreview, type PreviewDigest } from '../../../scripts/review';
import edits from './fixtures/preview-dev-edits.json';
import editsWithReplacementSteps from './fixtures/preview-dev-edits-replacement-steps.json';
import invalidStackFile from './fixtures/preview-dev-invalid-stack-file.json';
import noChanges from './fixtures/preview-dev-no-changes.json';
import { fakeLiveKey } from '../../support/fake-keys';

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
    expect(markdown).to.contain('> - **delete** Card `acme-jane-office`: cancels the card in Stripe; a canceled card can never be used again');
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
      oldState: { type: 'pulumi-nodejs:dynamic/stripe-issuing:WebhookEndpoint', id: `we_${name}`, inputs: { url: 'https://x.example/', enabledEvents, apiVersion: '2026-10-28.endive' } },
      ...(op === 'delete' ? {} : { newState: { type: 'pulumi-nodejs:dynamic/stripe-issuing:WebhookEndpoint', inputs: { url: 'https://x.example/', enabledEvents, apiVersion: '2027-01-27.fig' } } }),
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
    expect(markdown).to.contain('> - **replace** WebhookEndpoint `authorizer-webhook`: breaks real-time authorizations: the new endpoint signs with a new secret');
  });

  it('shows why a preview failed, e.g. an invalid stack file, with the stack file message', () => {
    const { markdown, irreversible } = summarizePreview(copy(invalidStackFile), { stack: 'dev' });
    expect(irreversible).to.deep.equal([]);
    expect(markdown).to.contain('### Errors and warnings');
    expect(markdown).to.contain('stacks/Pulumi.dev.yaml: issuing.accounts.acme.cardholders.sam.cards.parking.spendingControls.allowedCategories[0]');
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
});
