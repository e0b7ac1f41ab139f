/**
 * The lists validation takes from Stripe (capabilities, event types, API versions, merchant categories,
 * financial-account features, locales) are copies: each must equal the installed stripe package's type
 * declarations, and the stack-file schema must carry the same list.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { FEATURE_CAPABILITIES } from '../../../config/prerequisites';
import stackSchema from '../../../config/stack.schema.json';
import { MERCHANT_CATEGORIES } from '../../../provider/merchantCategories';
import { FEATURES } from '../../../provider/resources/financialAccountFeatures';
import { ACCOUNT_CAPABILITIES, API_VERSIONS, WEBHOOK_EVENT_TYPES } from '../../../provider/stripeNames';
import { LEGAL_NAME_PATTERN } from '../../../provider/validation';

const RESOURCES = path.resolve(__dirname, '..', '..', '..', 'node_modules', 'stripe', 'cjs', 'resources');
const declarations = (file: string) => fs.readFileSync(path.join(RESOURCES, file), 'utf8');

/** The string literals of `type <name> = 'a' | 'b' | OtherString;`, first one after `anchor`. */
function unionAfter(text: string, anchor: string, name: string): string[] {
  const from = text.indexOf(anchor);
  expect(from, anchor).to.be.greaterThan(-1);
  const start = text.indexOf(`type ${name} = `, from);
  expect(start, `type ${name} after ${anchor}`).to.be.greaterThan(-1);
  const union = text.slice(start, text.indexOf(';', start));
  return [...union.matchAll(/'([^']*)'/g)].map((match) => match[1]);
}

/** Keys (`key?: …`) of `interface <name> {` at `indent` spaces, first one after `anchor`. */
function interfaceKeysAfter(text: string, anchor: string, name: string, indent: number): string[] {
  const start = text.indexOf(`interface ${name} {`, text.indexOf(anchor));
  const end = text.indexOf(`\n${' '.repeat(indent)}}`, start);
  const body = text.slice(start, end);
  return [...body.matchAll(new RegExp(`^ {${indent + 4}}([a-z0-9_]+)\\?:`, 'gm'))].map((match) => match[1]);
}

const defs = stackSchema.definitions as Record<string, any>;
const sorted = (list: readonly string[]) => [...list].sort();

describe('lists copied from the pinned stripe package', () => {
  it('account capabilities: AccountCreateParams.Capabilities, in the schema too', () => {
    const pinned = interfaceKeysAfter(declarations('Accounts.d.ts'), 'export declare namespace AccountCreateParams', 'Capabilities', 4);
    expect(pinned).to.include.members(['card_issuing', 'transfers', 'treasury', 'us_bank_account_ach_payments']);
    expect(sorted(ACCOUNT_CAPABILITIES)).to.deep.equal(sorted(pinned));
    expect(defs.account.properties.capabilities.items.enum).to.deep.equal(ACCOUNT_CAPABILITIES);
  });

  it('webhook event types and API versions: WebhookEndpointCreateParams, in the schema too', () => {
    const text = declarations('WebhookEndpoints.d.ts');
    expect(WEBHOOK_EVENT_TYPES).to.deep.equal(unionAfter(text, 'export declare namespace WebhookEndpointCreateParams', 'EnabledEvent'));
    expect(API_VERSIONS).to.deep.equal(unionAfter(text, 'export declare namespace WebhookEndpointCreateParams', 'ApiVersion'));
    const pinnedVersion = /ApiVersion = "([^"]+)"/.exec(fs.readFileSync(path.join(RESOURCES, '..', 'apiVersion.d.ts'), 'utf8'))![1];
    expect(API_VERSIONS).to.include(pinnedVersion);
    expect(defs.webhookEndpoint.properties.enabledEvents.items.enum).to.deep.equal(WEBHOOK_EVENT_TYPES);
    expect(defs.apiVersion.enum).to.deep.equal(API_VERSIONS);
  });

  it('merchant categories: Issuing CardCreateParams.SpendingControls.AllowedCategory, in the schema too', () => {
    const pinned = unionAfter(declarations('Issuing/Cards.d.ts'), 'namespace CardCreateParams', 'AllowedCategory');
    expect(MERCHANT_CATEGORIES).to.deep.equal(pinned);
    expect(defs.categories.items.enum).to.deep.equal(MERCHANT_CATEGORIES);
  });

  it('financial-account features: FinancialAccountCreateParams.Features, each with its required capabilities', () => {
    const text = declarations('Treasury/FinancialAccounts.d.ts');
    const anchor = 'namespace FinancialAccountCreateParams';
    const topLevel = interfaceKeysAfter(text, anchor, 'Features', 8);
    // Nested features (`financial_addresses.aba`) are the keys of the interface named after their parent.
    const pascal = (key: string) => key.replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
    const pinned = topLevel.flatMap((key) => {
      const nested = interfaceKeysAfter(text, `${anchor} {`, pascal(key), 12);
      const children = nested.filter((child) => child !== 'requested');
      return children.length === 0 ? [key] : children.map((child) => `${key}.${child}`);
    });
    expect(sorted(FEATURES)).to.deep.equal(sorted(pinned));
    expect(defs.financialAccount.properties.features.items.enum).to.deep.equal([...FEATURES]);
    expect(sorted(Object.keys(FEATURE_CAPABILITIES))).to.deep.equal(sorted(FEATURES));
  });

  it('cardholder locales: CardholderCreateParams.PreferredLocale, as the schema lists them', () => {
    const pinned = unionAfter(declarations('Issuing/Cardholders.d.ts'), 'namespace CardholderCreateParams', 'PreferredLocale');
    expect(defs.cardholder.properties.preferredLocales.items.enum).to.deep.equal(pinned);
  });

  it('first and last names: the schema and the provider use one pattern', () => {
    const individual = defs.cardholder.properties.individual.properties;
    expect(individual.firstName.pattern).to.equal(LEGAL_NAME_PATTERN);
    expect(individual.lastName.pattern).to.equal(LEGAL_NAME_PATTERN);
  });
});
