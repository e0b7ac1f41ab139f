import { expect } from 'chai';
import { UNKNOWN } from '../../../provider/canonical';
import { checkInputs } from '../../../provider/engine/check-diff';
import { accountCapabilitySpec } from '../../../provider/resources/accountCapability';
import { cardSpec } from '../../../provider/resources/card';
import { cardholderSpec } from '../../../provider/resources/cardholder';
import { financialAccountSpec } from '../../../provider/resources/financialAccount';
import { financialAccountFeaturesSpec } from '../../../provider/resources/financialAccountFeatures';
import { webhookEndpointSpec } from '../../../provider/resources/webhookEndpoint';

const hidden = { account: 'acct_1Test', pulumiStack: 'dev', pulumiName: 'thing' };
const address = { line1: '1 Main St', city: 'San Francisco', postalCode: '94111', state: 'CA', country: 'US' };
const cardArgs = { ...hidden, cardholder: 'ich_1', currency: 'usd', type: 'virtual' };
const cardholderArgs = { ...hidden, name: 'Jenny Rosen', billing: { address } };

// Property → reason for each failure, so each test states exactly which paths fail.
function failuresOf(result: { failures?: readonly { property: string; reason: string }[] }) {
  return Object.fromEntries((result.failures ?? []).map((f) => [f.property, f.reason]));
}

describe('check: validation with exact property paths, before any Stripe call', () => {
  it('accepts a minimal virtual card and fills Stripe defaults (status inactive, empty metadata)', () => {
    const result = checkInputs(cardSpec, cardArgs);
    expect(result.failures).to.equal(undefined);
    expect(result.inputs).to.deep.equal({ ...cardArgs, status: 'inactive' });
  });

  it('names every bad card field', () => {
    const failures = failuresOf(
      checkInputs(cardSpec, {
        ...hidden,
        account: 'acct-bad',
        cardholder: 'cus_1',
        currency: 'dollars',
        type: 'plastic',
        status: 'frozen',
        colour: 'red',
      }),
    );
    expect(Object.keys(failures).sort()).to.deep.equal(['account', 'cardholder', 'colour', 'currency', 'status', 'type']);
    expect(failures.currency).to.match(/ISO 4217/);
    expect(failures.status).to.match(/active, inactive/);
    expect(failures.colour).to.match(/not a known argument/);
  });

  it('allows shipping only on physical cards and requires it there', () => {
    expect(failuresOf(checkInputs(cardSpec, { ...cardArgs, shipping: { name: 'Jenny', address } }))).to.have.keys('shipping');
    expect(failuresOf(checkInputs(cardSpec, { ...cardArgs, type: 'physical' }))).to.have.keys('shipping');
    const bad = failuresOf(
      checkInputs(cardSpec, {
        ...cardArgs,
        type: 'physical',
        shipping: { name: 'J', address: { ...address, country: 'USA' }, service: 'drone' },
      }),
    );
    expect(bad).to.have.keys('shipping.address.country', 'shipping.service');
    const ok = checkInputs(cardSpec, { ...cardArgs, type: 'physical', shipping: { name: 'Jenny', address } });
    expect(ok.failures).to.equal(undefined);
    expect((ok.inputs as Record<string, unknown>).shipping).to.deep.equal({
      name: 'Jenny',
      address,
      service: 'standard',
      type: 'individual',
      requireSignature: false,
    });
    const express = checkInputs(cardSpec, { ...cardArgs, type: 'physical', shipping: { name: 'Jenny', address, service: 'express' } });
    expect((express.inputs as Record<string, { requireSignature: boolean }>).shipping.requireSignature).to.equal(true);
  });

  it('checks spending controls: exclusive pairs, intervals, amounts, countries', () => {
    const failures = failuresOf(
      checkInputs(cardSpec, {
        ...cardArgs,
        spendingControls: {
          allowedCategories: ['bakeries'],
          blockedCategories: ['airlines_air_carriers'],
          allowedMerchantCountries: ['US'],
          blockedMerchantCountries: ['XX'],
          spendingLimits: [
            { amount: 0, interval: 'hourly' },
            { amount: 500, interval: 'daily', categories: ['gambling'] },
          ],
        },
      }),
    );
    expect(Object.keys(failures).sort()).to.deep.equal([
      'spendingControls.blockedCategories',
      'spendingControls.blockedMerchantCountries',
      'spendingControls.blockedMerchantCountries[0]',
      'spendingControls.spendingLimits[0].amount',
      'spendingControls.spendingLimits[0].interval',
      'spendingControls.spendingLimits[1].categories[0]',
    ]);
    expect(failures['spendingControls.blockedCategories']).to.match(/allowed or blocked, not both/);
    expect(failures['spendingControls.spendingLimits[0].interval']).to.include(
      'per_authorization, daily, weekly, monthly, yearly, all_time',
    );
  });

  it('checks metadata limits and reserves the provider keys', () => {
    const keys = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 'v']));
    // Stripe allows 50 keys; the provider adds pulumi_stack and pulumi_name, so 48 are the user's.
    expect(checkInputs(cardSpec, { ...cardArgs, metadata: keys(48) }).failures).to.equal(undefined);
    expect(failuresOf(checkInputs(cardSpec, { ...cardArgs, metadata: keys(49) }))).to.deep.equal({
      metadata: 'may hold at most 48 keys, got 49: Stripe allows 50 and the provider writes pulumi_stack and pulumi_name itself',
    });
    const failures = failuresOf(
      checkInputs(cardSpec, {
        ...cardArgs,
        metadata: { ['k'.repeat(41)]: 'v', 'a[b]': 'v', long: 'v'.repeat(501), pulumi_name: 'x', n: 5 },
      }),
    );
    expect(failures).to.have.keys(`metadata.${'k'.repeat(41)}`, 'metadata.a[b]', 'metadata.long', 'metadata.pulumi_name', 'metadata.n');
  });

  it('checks cardholder names as printed on cards: ≤24 characters, no digits or special characters', () => {
    expect(checkInputs(cardholderSpec, cardholderArgs).failures).to.equal(undefined);
    expect(checkInputs(cardholderSpec, { ...cardholderArgs, name: "Zoë O'Brien-Smith" }).failures).to.equal(undefined);
    const long = failuresOf(checkInputs(cardholderSpec, { ...cardholderArgs, name: 'Bartholomew Maximilian Smith' }));
    expect(long.name).to.match(/at most 24 characters, got 28/);
    expect(failuresOf(checkInputs(cardholderSpec, { ...cardholderArgs, name: 'R2D2' })).name).to.match(/no digits/);
    expect(failuresOf(checkInputs(cardholderSpec, { ...cardholderArgs, name: 'Jenny & Co' })).name).to.match(/special/);
  });

  it('checks cardholder email, phone, billing, type-specific details, locales and dob', () => {
    const failures = failuresOf(
      checkInputs(cardholderSpec, {
        ...hidden,
        name: 'Jenny Rosen',
        type: 'company',
        email: 'jenny@',
        phoneNumber: '555-1234',
        billing: { address: { line1: '1 Main', city: 'SF', country: 'us' } },
        individual: { firstName: 'Jenny', dob: { day: 32, month: 1, year: 1990 } },
        preferredLocales: ['en', 'pt'],
      }),
    );
    expect(Object.keys(failures).sort()).to.deep.equal([
      'billing.address.country',
      'billing.address.postalCode',
      'email',
      'individual',
      'individual.dob.day',
      'phoneNumber',
      'preferredLocales[1]',
    ]);
    expect(failuresOf(checkInputs(cardholderSpec, { ...hidden, name: 'Jenny Rosen' }))).to.have.keys('billing');
  });

  it('fills cardholder defaults (individual, active) and sorts locales', () => {
    const result = checkInputs(cardholderSpec, { ...cardholderArgs, preferredLocales: ['fr', 'en'] });
    expect(result.inputs).to.include({ type: 'individual', status: 'active' });
    expect((result.inputs as Record<string, unknown>).preferredLocales).to.deep.equal(['en', 'fr']);
  });

  it('checks financial accounts: currencies, restrictions', () => {
    expect(failuresOf(checkInputs(financialAccountSpec, { ...hidden }))).to.have.keys('supportedCurrencies');
    const failures = failuresOf(
      checkInputs(financialAccountSpec, {
        ...hidden,
        supportedCurrencies: ['USD'],
        platformRestrictions: { outboundFlows: 'blocked' },
      }),
    );
    expect(failures).to.have.keys('supportedCurrencies[0]', 'platformRestrictions.outboundFlows');
    const ok = checkInputs(financialAccountSpec, {
      ...hidden,
      supportedCurrencies: ['usd'],
      platformRestrictions: { outboundFlows: 'restricted' },
    });
    expect((ok.inputs as Record<string, unknown>).platformRestrictions).to.deep.equal({
      inboundFlows: 'unrestricted',
      outboundFlows: 'restricted',
    });
  });

  it('checks features, capabilities and webhook endpoints', () => {
    expect(
      failuresOf(
        checkInputs(financialAccountFeaturesSpec, { ...hidden, financialAccount: 'fa_1', features: ['card_issuing', 'teleport'] }),
      ),
    ).to.have.keys('features[1]');
    expect(failuresOf(checkInputs(accountCapabilitySpec, { ...hidden, capability: 'Card Issuing', waitTimeoutSeconds: 0 }))).to.have.keys(
      'capability',
      'waitTimeoutSeconds',
    );
    const { account: _platform, ...platformLevel } = hidden;
    const webhook = failuresOf(
      checkInputs(webhookEndpointSpec, { ...platformLevel, url: 'ftp://x', enabledEvents: ['issuing card'], apiVersion: 'latest' }),
    );
    expect(webhook).to.have.keys('url', 'enabledEvents[0]', 'apiVersion');
    const ok = checkInputs(webhookEndpointSpec, {
      ...platformLevel,
      url: 'https://example.com/hook',
      enabledEvents: ['issuing_card.updated', 'issuing_authorization.request'],
    });
    expect(ok.failures).to.equal(undefined);
    expect(ok.inputs).to.deep.include({ connect: false, enabledEvents: ['issuing_authorization.request', 'issuing_card.updated'] });
  });

  it('refuses dropping a field Stripe cannot unset, given the last inputs (olds), unless the object is replaced', () => {
    const olds = checkInputs(cardholderSpec, { ...cardholderArgs, email: 'j@example.com', preferredLocales: ['en'] }).inputs;
    expect(failuresOf(checkInputs(cardholderSpec, cardholderArgs, olds))).to.have.keys('email', 'preferredLocales');
    expect(failuresOf(checkInputs(cardholderSpec, { ...cardholderArgs, preferredLocales: [] }, olds))).to.have.keys(
      'email',
      'preferredLocales',
    );
    expect(checkInputs(cardholderSpec, { ...cardholderArgs, email: 'k@example.com', preferredLocales: ['fr'] }, olds).failures).to.equal(
      undefined,
    );
    expect(checkInputs(cardholderSpec, { ...cardholderArgs, name: 'Jenny Smith' }, olds).failures).to.equal(undefined);
    expect(checkInputs(cardholderSpec, cardholderArgs, {}).failures).to.equal(undefined);
    const card = checkInputs(cardSpec, { ...cardArgs, spendingControls: { blockedCategories: ['bakeries'] } }).inputs;
    expect(failuresOf(checkInputs(cardSpec, { ...cardArgs, spendingControls: {} }, card))['spendingControls.blockedCategories']).to.match(
      /Stripe cannot unset it .*: keep a value, or replace the Card/,
    );
    // Merchant countries and card presences unset with an empty value: dropping them is an update.
    const countries = checkInputs(cardSpec, {
      ...cardArgs,
      spendingControls: { allowedMerchantCountries: ['US'], blockedCardPresences: ['not_present'] },
    }).inputs;
    expect(checkInputs(cardSpec, cardArgs, countries).failures).to.equal(undefined);
    // Unknown until apply: nothing is known to be dropped yet.
    expect(checkInputs(cardSpec, { ...cardArgs, spendingControls: UNKNOWN }, card).failures).to.equal(undefined);
    // Removing a field Stripe can clear is an ordinary update.
    const nicknamed = checkInputs(financialAccountSpec, { ...hidden, supportedCurrencies: ['usd'], nickname: 'ops' }).inputs;
    expect(checkInputs(financialAccountSpec, { ...hidden, supportedCurrencies: ['usd'] }, nicknamed).failures).to.equal(undefined);
  });

  it('takes adoptId only on types that adopt, with their ID prefix', () => {
    expect(failuresOf(checkInputs(cardSpec, { ...cardArgs, adoptId: 'ich_1' })).adoptId).to.match(/starting with "ic_"/);
    expect(checkInputs(cardSpec, { ...cardArgs, adoptId: 'ic_1' }).failures).to.equal(undefined);
    expect(
      failuresOf(checkInputs(accountCapabilitySpec, { ...hidden, capability: 'card_issuing', adoptId: 'acct_1Test/card_issuing' })),
    ).to.deep.equal({
      adoptId:
        'AccountCapability does not take adoptId: declaring it takes over what already exists in Stripe (requesting what is already requested changes nothing); remove adoptId',
    });
    expect(
      failuresOf(
        checkInputs(financialAccountFeaturesSpec, { ...hidden, financialAccount: 'fa_1', features: ['card_issuing'], adoptId: 'fa_1' }),
      ),
    ).to.have.keys('adoptId');
    expect(checkInputs(accountCapabilitySpec, { ...hidden, capability: 'card_issuing' }).failures).to.equal(undefined);
  });

  it('does not fail on values unknown until apply (preview of dependent resources)', () => {
    const result = checkInputs(cardSpec, { ...cardArgs, cardholder: UNKNOWN, financialAccount: UNKNOWN });
    expect(result.failures).to.equal(undefined);
    expect(result.inputs).to.include({ cardholder: UNKNOWN, financialAccount: UNKNOWN });
  });
});
