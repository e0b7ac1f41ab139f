import { expect } from 'chai';
import { UNKNOWN } from '../../../provider/canonical';
import { allowedOf, checkInputs, createOnlyOf, unsettableOf, updatableOf } from '../../../provider/engine/check-diff';
import { createParams, updateParams } from '../../../provider/engine/fields';
import type { BaseInputs, ResourceSpec } from '../../../provider/engine/spec';
import { accountCapabilitySpec } from '../../../provider/resources/accountCapability';
import { cardSpec } from '../../../provider/resources/card';
import { cardholderSpec } from '../../../provider/resources/cardholder';
import { financialAccountSpec } from '../../../provider/resources/financialAccount';
import { financialAccountFeaturesSpec } from '../../../provider/resources/financialAccountFeatures';
import { tosAcceptanceSpec } from '../../../provider/resources/tosAcceptance';
import { webhookEndpointSpec } from '../../../provider/resources/webhookEndpoint';

const hidden = { account: 'acct_1Test', pulumiStack: 'dev', pulumiName: 'thing' };
const address = { line1: '1 Main St', city: 'San Francisco', postalCode: '94111', country: 'US' };
const managed = { pulumi_stack: 'dev', pulumi_name: 'thing' };
const canonical = (result: { inputs?: unknown; failures?: unknown[] }) => {
  expect(result.failures ?? [], 'check failures').to.deep.equal([]);
  return result.inputs;
};

/** What the mechanism derives from a spec's field table. */
const derived = <I extends BaseInputs, O extends I, S>(spec: ResourceSpec<I, O, S>) => ({
  typeName: spec.typeName,
  createOnly: createOnlyOf(spec),
  updatable: updatableOf(spec),
  unsettable: unsettableOf(spec),
  allowed: allowedOf(spec),
  declared: Object.keys(spec.fields),
});

// Each type's inputs as Stripe's API lets them change (what the specs listed by hand before the field
// tables, plus fields added since): create-only fields are absent from the type's UpdateParams.
const MUTABILITY = [
  [
    derived(cardSpec),
    ['cardholder', 'currency', 'type', 'secondLine'],
    ['financialAccount', 'status', 'spendingControls', 'shipping', 'personalizationDesign', 'cancellationReason', 'metadata'],
    [
      'financialAccount',
      'spendingControls.allowedCategories',
      'spendingControls.blockedCategories',
      'spendingControls.spendingLimits',
      'personalizationDesign',
    ],
  ],
  [
    derived(cardholderSpec),
    ['name', 'type'],
    ['email', 'phoneNumber', 'billing', 'individual', 'company', 'spendingControls', 'status', 'preferredLocales', 'metadata'],
    [
      'email',
      'phoneNumber',
      'individual',
      'company',
      'spendingControls.allowedCategories',
      'spendingControls.blockedCategories',
      'spendingControls.spendingLimits',
      'preferredLocales',
    ],
  ],
  [derived(financialAccountSpec), ['supportedCurrencies'], ['nickname', 'platformRestrictions', 'metadata'], []],
  [derived(financialAccountFeaturesSpec), ['financialAccount'], ['features', 'unrequestOnRemove'], []],
  [derived(accountCapabilitySpec), ['capability'], ['waitForActive', 'waitTimeoutSeconds', 'unrequestOnRemove'], []],
  [derived(webhookEndpointSpec), ['connect', 'apiVersion'], ['url', 'enabledEvents', 'description', 'metadata'], []],
  [derived(tosAcceptanceSpec), ['product'], ['date', 'ip', 'userAgent'], []],
] as const;

describe('fields: each input declared once, the lists derived from the table', () => {
  for (const [spec, createOnly, updatable, unsettable] of MUTABILITY) {
    it(`${spec.typeName}: create-only, updatable, unsettable and allowed keys`, () => {
      expect(spec.createOnly).to.deep.equal(createOnly);
      expect(spec.updatable).to.deep.equal(updatable);
      expect(spec.unsettable).to.have.members(unsettable);
      expect(spec.allowed).to.deep.equal(['account', 'pulumiStack', 'pulumiName', 'adoptId', 'declaredAt', ...spec.declared]);
      expect(spec.declared).to.have.members([...createOnly, ...updatable]);
    });
  }

  it('refuses a key outside the table, listing the allowed ones', () => {
    const failures = checkInputs(financialAccountSpec, { ...hidden, supportedCurrencies: ['usd'], nick: 'x' }).failures ?? [];
    expect(failures).to.deep.equal([
      {
        property: 'nick',
        reason:
          'is not a known argument; allowed: account, pulumiStack, pulumiName, adoptId, declaredAt, supportedCurrencies, nickname, platformRestrictions, metadata',
      },
    ]);
  });

  it("fills each field's default and canonical form; drops empties and false opt-ins", () => {
    expect(
      canonical(checkInputs(cardSpec, { ...hidden, cardholder: 'ich_1', currency: 'usd', type: 'virtual', metadata: {} })),
    ).to.deep.equal({
      ...hidden,
      cardholder: 'ich_1',
      currency: 'usd',
      type: 'virtual',
      status: 'inactive',
    });
    expect(
      canonical(
        checkInputs(cardholderSpec, { ...hidden, name: 'Jenny Rosen', billing: { address }, preferredLocales: ['fr', 'en', 'fr'] }),
      ),
    ).to.deep.include({ type: 'individual', status: 'active', preferredLocales: ['en', 'fr'] });
    expect(
      canonical(
        checkInputs(financialAccountSpec, {
          ...hidden,
          supportedCurrencies: ['usd'],
          platformRestrictions: { outboundFlows: 'restricted' },
        }),
      ),
    ).to.deep.include({ platformRestrictions: { inboundFlows: 'unrestricted', outboundFlows: 'restricted' } });
    expect(
      canonical(
        checkInputs(webhookEndpointSpec, {
          ...hidden,
          url: 'https://example.com/h',
          enabledEvents: ['issuing_card.created', 'issuing_authorization.request'],
        }),
      ),
    ).to.deep.include({ connect: false, enabledEvents: ['issuing_authorization.request', 'issuing_card.created'] });
    expect(canonical(checkInputs(accountCapabilitySpec, { ...hidden, capability: 'transfers', unrequestOnRemove: false }))).to.deep.equal({
      ...hidden,
      capability: 'transfers',
    });
  });

  it('keeps a value unknown until apply as it is (nothing to sort or fill yet)', () => {
    expect(canonical(checkInputs(financialAccountFeaturesSpec, { ...hidden, financialAccount: UNKNOWN, features: UNKNOWN }))).to.deep.equal(
      {
        ...hidden,
        financialAccount: UNKNOWN,
        features: UNKNOWN,
      },
    );
    expect(
      canonical(checkInputs(cardSpec, { ...hidden, cardholder: 'ich_1', currency: 'usd', type: 'physical', shipping: UNKNOWN })),
    ).to.deep.include({ shipping: UNKNOWN });
  });

  it('create parameters: every given input under its snake_case name, metadata with the managed keys', () => {
    const inputs = canonical(
      checkInputs(cardSpec, {
        ...hidden,
        cardholder: 'ich_1',
        currency: 'usd',
        type: 'physical',
        secondLine: 'Ops',
        shipping: { name: 'Jenny', address, phoneNumber: '+14155550100' },
        spendingControls: { spendingLimits: [{ amount: 100, interval: 'daily' }] },
      }),
    ) as object;
    expect(createParams(cardSpec.fields, inputs, { team: 'ops', ...managed })).to.deep.equal({
      cardholder: 'ich_1',
      currency: 'usd',
      type: 'physical',
      status: 'inactive',
      second_line: 'Ops',
      shipping: {
        name: 'Jenny',
        address: { line1: '1 Main St', city: 'San Francisco', postal_code: '94111', country: 'US' },
        phone_number: '+14155550100',
        service: 'standard',
        type: 'individual',
        require_signature: false,
      },
      spending_controls: { spending_limits: [{ amount: 100, interval: 'daily' }] },
      metadata: { team: 'ops', ...managed },
    });
    // A type without metadata sends none.
    expect(createParams(accountCapabilitySpec.fields, { ...hidden, capability: 'transfers' }, managed)).to.deep.equal({
      capability: 'transfers',
    });
  });

  it("update parameters: changed updatable inputs only; a removal sends Stripe's empty value where there is one", () => {
    const olds = { ...hidden, url: 'https://example.com/a', enabledEvents: ['*'], description: 'old', connect: false };
    const news = { ...hidden, url: 'https://example.com/b', enabledEvents: ['*'], connect: true };
    expect(updateParams(webhookEndpointSpec.fields, olds, news, managed)).to.deep.equal({
      url: 'https://example.com/b',
      description: '',
      metadata: managed,
    });
    expect(updateParams(financialAccountSpec.fields, { ...hidden, nickname: 'Ops' }, { ...hidden }, managed)).to.deep.equal({
      nickname: '',
      metadata: managed,
    });
    // Cardholder: Stripe cannot unset an email (check refuses it first), so nothing is sent for it.
    expect(
      updateParams(
        cardholderSpec.fields,
        { ...hidden, email: 'a@example.com', status: 'active' },
        { ...hidden, status: 'inactive' },
        managed,
      ),
    ).to.deep.equal({ status: 'inactive', metadata: managed });
    // Spending controls go through their own parameter: a dropped emptyable control is sent empty.
    expect(
      updateParams(cardSpec.fields, { ...hidden, spendingControls: { blockedMerchantCountries: ['RU'] } }, { ...hidden }, managed),
    ).to.deep.equal({ spending_controls: { blocked_merchant_countries: '' }, metadata: managed });
  });
});
