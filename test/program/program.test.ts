import * as fs from 'node:fs';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { expect } from 'chai';
import type { IssuingConfig, Mode } from '../../config/types';
import { parseYaml } from '../../config/yaml';
import { declareIssuing } from '../../program/declare';
import { ADDRESS, minimalIssuing } from '../support/issuing-config';
import { type Registered, withMocks } from './mocks';

const ROOT = path.resolve(__dirname, '..', '..');

function stackIssuing(stack: string): IssuingConfig {
  const { value } = parseYaml(fs.readFileSync(path.join(ROOT, 'stacks', `Pulumi.${stack}.yaml`), 'utf8'));
  return (value as { config: Record<string, IssuingConfig> }).config['stripe-issuing:issuing'];
}

async function declare(issuing: IssuingConfig, mode: Mode = 'test', preview = false) {
  return withMocks(() => declareIssuing(issuing, { mode }), { preview });
}

function find(registered: Registered[], type: string, name: string): Registered {
  const found = registered.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}; registered: ${registered.map((r) => `${r.type}:${r.name}`).join(', ')}`);
  return found;
}

const names = (registered: Registered[]) => registered.map((r) => `${r.type}:${r.name}`).sort();

describe('program: stack file → resources', () => {
  it('declares the dev stack: ToS acceptances, capabilities, financial accounts, features, cardholders, cards, the local authorizer endpoint', async () => {
    const { registered } = await declare(stackIssuing('dev'));
    expect(names(registered)).to.deep.equal([
      'AccountCapability:acme-card_issuing',
      'AccountCapability:acme-transfers',
      'AccountCapability:acme-treasury',
      'AccountCapability:acme-us_bank_account_ach_payments',
      'AccountCapability:globex-card_issuing',
      'AccountCapability:globex-transfers',
      'AccountCapability:globex-treasury',
      'AccountCapability:globex-us_bank_account_ach_payments',
      'Card:acme-jane-office',
      'Card:acme-jane-travel',
      'Card:acme-sam-fuel',
      'Card:globex-fleet-van-1',
      'Cardholder:acme-jane',
      'Cardholder:acme-sam',
      'Cardholder:globex-fleet',
      'FinancialAccount:acme',
      'FinancialAccount:globex',
      'FinancialAccountFeatures:acme',
      'FinancialAccountFeatures:globex',
      'TosAcceptance:acme-card_issuing',
      'TosAcceptance:acme-treasury',
      'TosAcceptance:globex-card_issuing',
      'TosAcceptance:globex-treasury',
      'WebhookEndpoint:authorizer-webhook',
    ]);
  });

  it('passes each entry as the provider arguments, with the account ID and Stripe defaults for type and currency', async () => {
    const { registered } = await declare(minimalIssuing());
    const card = find(registered, 'Card', 'acme-jane-travel');
    expect(card.inputs).to.include({
      account: 'acct_1Acme',
      cardholder: 'acme-jane-id',
      financialAccount: 'acme-id',
      currency: 'usd',
      type: 'virtual',
      status: 'active',
    });
    expect(card.inputs.spendingControls).to.deep.equal({ spendingLimits: [{ amount: 5000, interval: 'daily' }] });
    expect(card.inputs).to.not.have.any.keys('authorization', 'retainOnDelete');
    const holder = find(registered, 'Cardholder', 'acme-jane');
    expect(holder.inputs).to.include({ account: 'acct_1Acme', name: 'Jane Doe' });
    expect(holder.inputs).to.not.have.any.keys('cards', 'authorization');
    expect(find(registered, 'FinancialAccountFeatures', 'acme').inputs).to.deep.include({
      financialAccount: 'acme-id',
      features: ['card_issuing'],
    });
    expect(find(registered, 'FinancialAccount', 'acme').inputs).to.deep.include({ account: 'acct_1Acme', supportedCurrencies: ['usd'] });
    expect(find(registered, 'FinancialAccount', 'acme').inputs).to.not.have.any.keys('features');
    expect(find(registered, 'AccountCapability', 'acme-treasury').inputs).to.include({
      account: 'acct_1Acme',
      capability: 'treasury',
      waitForActive: true,
    });
  });

  it('makes cards wait for their cardholder and the card_issuing feature, and everything wait for the capabilities', async () => {
    const { registered } = await declare(minimalIssuing());
    const capabilities = ['acme-card_issuing', 'acme-transfers', 'acme-treasury'];
    expect(find(registered, 'Card', 'acme-jane-travel').dependencies).to.include.members(['acme-jane', 'acme']);
    // The features resource and the financial account share the name `acme`: the card waits for both.
    expect(find(registered, 'Card', 'acme-jane-travel').dependencies.filter((d) => d === 'acme')).to.have.length(2);
    expect(find(registered, 'Cardholder', 'acme-jane').dependencies).to.have.members(capabilities);
    expect(find(registered, 'FinancialAccount', 'acme').dependencies).to.have.members(capabilities);
    expect(find(registered, 'FinancialAccountFeatures', 'acme').dependencies).to.have.members([...capabilities, 'acme']);
    // Stripe refuses treasury until transfers is requested.
    expect(find(registered, 'AccountCapability', 'acme-treasury').dependencies).to.deep.equal(['acme-transfers']);
    expect(find(registered, 'AccountCapability', 'acme-transfers').dependencies).to.deep.equal([]);
  });

  it('points cards at an existing financial account by ID and manages only its features', async () => {
    const issuing = minimalIssuing();
    issuing.accounts.acme.financialAccount = { id: 'fa_1Existing', features: ['card_issuing'] };
    const { registered } = await declare(issuing);
    expect(registered.filter((r) => r.type === 'FinancialAccount')).to.deep.equal([]);
    expect(find(registered, 'FinancialAccountFeatures', 'acme').inputs).to.include({ financialAccount: 'fa_1Existing' });
    expect(find(registered, 'Card', 'acme-jane-travel').inputs).to.include({ financialAccount: 'fa_1Existing' });
    expect(find(registered, 'Card', 'acme-jane-travel').dependencies).to.include('acme');
  });

  it('leaves capabilities and features requested on removal unless the account sets unrequestOnRemove', async () => {
    const plain = await declare(minimalIssuing());
    for (const r of plain.registered.filter((r) => r.type === 'AccountCapability' || r.type === 'FinancialAccountFeatures')) {
      expect(r.inputs, `${r.type}:${r.name}`).to.not.have.any.keys('unrequestOnRemove');
    }
    const issuing = minimalIssuing();
    (issuing.accounts.acme as { unrequestOnRemove?: boolean }).unrequestOnRemove = true;
    const { registered } = await declare(issuing);
    const opted = registered.filter((r) => r.type === 'AccountCapability' || r.type === 'FinancialAccountFeatures');
    expect(opted).to.not.deep.equal([]);
    for (const r of opted) expect(r.inputs, `${r.type}:${r.name}`).to.include({ unrequestOnRemove: true });
    expect(find(registered, 'FinancialAccount', 'acme').inputs).to.not.have.any.keys('unrequestOnRemove');
  });

  it('passes adoptId to the provider of each object that takes over an existing one', async () => {
    const issuing = minimalIssuing();
    const jane = issuing.accounts.acme.cardholders!.jane;
    jane.adoptId = 'ich_1Existing';
    jane.cards!.travel.adoptId = 'ic_1Existing';
    issuing.accounts.acme.financialAccount!.adoptId = 'fa_1Existing';
    issuing.webhookEndpoints = {
      events: { adoptId: 'we_1Existing', url: 'https://hooks.example.com/s', enabledEvents: ['issuing_card.created'] },
    };
    const { registered } = await declare(issuing);
    expect(find(registered, 'Cardholder', 'acme-jane').inputs).to.include({ adoptId: 'ich_1Existing', name: 'Jane Doe' });
    expect(find(registered, 'Card', 'acme-jane-travel').inputs).to.include({ adoptId: 'ic_1Existing', cardholder: 'acme-jane-id' });
    expect(find(registered, 'FinancialAccount', 'acme').inputs).to.include({ adoptId: 'fa_1Existing' });
    expect(find(registered, 'WebhookEndpoint', 'events').inputs).to.include({ adoptId: 'we_1Existing' });
    // The adopted financial account is managed here: features and cards refer to it by its resource.
    expect(find(registered, 'FinancialAccountFeatures', 'acme').inputs)
      .to.include({ financialAccount: 'acme-id' })
      .and.not.have.any.keys('adoptId');
    const plain = await declare(minimalIssuing());
    expect(find(plain.registered, 'Cardholder', 'acme-jane').inputs).to.not.have.any.keys('adoptId');
  });

  it('keeps IDs unknown during preview instead of inventing them', async () => {
    const { registered } = await declare(minimalIssuing(), 'test', true);
    expect(pulumi.isUnknown(find(registered, 'Card', 'acme-jane-travel').inputs.cardholder)).to.equal(true);
    expect(find(registered, 'Card', 'acme-jane-travel').dependencies).to.include('acme-jane');
  });

  it('protects cards on live stacks unless the stack opts out, and never on test stacks by default', async () => {
    const live = await declare(minimalIssuing(), 'live');
    expect(find(live.registered, 'Card', 'acme-jane-travel').protect).to.equal(true);
    expect(find(live.registered, 'Cardholder', 'acme-jane').protect).to.equal(false);
    const optedOut = await declare({ ...minimalIssuing(), protectCards: false }, 'live');
    expect(find(optedOut.registered, 'Card', 'acme-jane-travel').protect).to.equal(false);
    const test = await declare(minimalIssuing(), 'test');
    expect(find(test.registered, 'Card', 'acme-jane-travel').protect).to.equal(false);
    const optedIn = await declare({ ...minimalIssuing(), protectCards: true }, 'test');
    expect(find(optedIn.registered, 'Card', 'acme-jane-travel').protect).to.equal(true);
  });

  it('gives retainOnDelete to the entries that ask for it', async () => {
    const issuing = minimalIssuing();
    const jane = issuing.accounts.acme.cardholders!.jane;
    jane.retainOnDelete = true;
    jane.cards!.travel.retainOnDelete = true;
    const { registered } = await declare(issuing);
    expect(find(registered, 'Cardholder', 'acme-jane').retainOnDelete).to.equal(true);
    expect(find(registered, 'Card', 'acme-jane-travel').retainOnDelete).to.equal(true);
    expect(find(registered, 'FinancialAccount', 'acme').retainOnDelete).to.equal(false);
  });

  it('never renames an existing resource when entries are reordered or added', async () => {
    const before = await declare(minimalIssuing());
    const issuing = minimalIssuing();
    const jane = issuing.accounts.acme.cardholders!.jane;
    issuing.accounts = {
      beta: { id: 'acct_1Beta', capabilities: ['card_issuing'] },
      acme: {
        ...issuing.accounts.acme,
        capabilities: ['card_issuing', 'treasury', 'transfers'],
        cardholders: { amy: { name: 'Amy Poe', billing: { address: ADDRESS } }, jane: { ...jane, cards: { atm: {}, ...jane.cards } } },
      },
    };
    const after = await declare(issuing);
    const afterNames = names(after.registered);
    expect(afterNames).to.include.members(names(before.registered));
    expect(afterNames.filter((n) => !names(before.registered).includes(n))).to.have.members([
      'AccountCapability:beta-card_issuing',
      'Cardholder:acme-amy',
      'Card:acme-jane-atm',
    ]);
  });

  it('collects the authorization rules keyed by resource name for the authorizer', async () => {
    const issuing = minimalIssuing();
    issuing.authorizer = { enabled: true, target: 'local', port: 4300, killSwitch: false, defaultRules: { maxAmount: 100 } };
    issuing.accounts.acme.cardholders!.jane.authorization = { maxAmount: 5000 };
    issuing.accounts.acme.cardholders!.jane.cards!.travel.authorization = { blockedCountries: ['KP'] };
    const { result, registered } = await declare(issuing);
    expect(result.rules).to.deep.equal({
      // The stack and account of each card: a card matches only with its pulumi_stack, account and pulumi_name.
      stack: 'dev',
      unknownCards: 'approve',
      accounts: { cards: { 'acme-jane-travel': 'acct_1Acme' }, cardholders: { 'acme-jane': 'acct_1Acme' } },
      killSwitch: false,
      default: { maxAmount: 100 },
      cardholders: { 'acme-jane': { maxAmount: 5000 } },
      cards: { 'acme-jane-travel': { blockedCountries: ['KP'] } },
    });
    expect(find(registered, 'WebhookEndpoint', 'authorizer-webhook').inputs).to.deep.include({
      url: 'http://127.0.0.1:4300/',
      enabledEvents: ['issuing_authorization.request'],
      connect: true,
    });
  });

  it('declares no authorizer endpoint when the authorizer is not enabled', async () => {
    const { result, registered } = await declare(minimalIssuing());
    expect(registered.filter((r) => r.type === 'WebhookEndpoint')).to.deep.equal([]);
    expect(result.authorizer).to.equal(undefined);
  });
});
