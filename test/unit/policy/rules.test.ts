/**
 * The pack's rules as pure functions (policy/rules/): what each reports, and what it lets pass.
 * Through the real CLI: test/e2e/policy.test.ts.
 */
import { expect } from 'chai';
import { type DeclaredResource, type RecordedResource, TYPE_PREFIX, UNKNOWN } from '../../../policy/resources';
import { DEFAULT_BLOCKED_CATEGORIES, weakerThanBaseline } from '../../../policy/rules/blocked-categories';
import {
  authorizationEndpointReplaced,
  CREATE_ONLY,
  IRREVERSIBLE,
  irreversibleOnLive,
  plannedSteps,
} from '../../../policy/rules/irreversible';
import { unprotectedLiveCards } from '../../../policy/rules/live-protect';
import { DEFAULT_PERSONAL_DATA_FIELDS, plainPersonalData } from '../../../policy/rules/personal-data';
import { cardsWithoutLimit } from '../../../policy/rules/spending-limits';
import { createOnlyKeys } from '../../../provider/engine/fields';
import { REGISTRY } from '../../../provider/resources/registry';

const urn = (type: string, name: string) => `urn:pulumi:s::p::${TYPE_PREFIX}${type}::${name}`;

function declared(type: string, name: string, inputs: Record<string, unknown>, more: Partial<DeclaredResource> = {}): DeclaredResource {
  return { urn: urn(type, name), type, name, inputs, secretPaths: new Set(), protect: false, dependencies: [], ...more };
}
function recorded(type: string, name: string, inputs: Record<string, unknown>, more: Partial<RecordedResource> = {}): RecordedResource {
  return { urn: urn(type, name), type, name, inputs, outputs: { ...inputs }, retainOnDelete: false, ...more };
}

const TEST = { live: false, demo: false };
const LIVE = { live: true, demo: false };
const holder = (controls?: Record<string, unknown>) => declared('Cardholder', 'jane', controls ? { spendingControls: controls } : {});
const card = (controls?: Record<string, unknown>, more: Partial<DeclaredResource> = {}) =>
  declared('Card', 'travel', controls ? { spendingControls: controls } : {}, { dependencies: [urn('Cardholder', 'jane')], ...more });

describe('policy rules', () => {
  describe('card-spending-limit', () => {
    it('reports a card without a limit whose cardholder has none either, saying where to add one', () => {
      const violations = cardsWithoutLimit([holder(), card({ blockedCategories: ['betting_casino_gambling'] })]);
      expect(violations).to.have.length(1);
      expect(violations[0].urn).to.equal(urn('Card', 'travel'));
      expect(violations[0].message).to.include('Card travel has no spending limit, and neither has its cardholder');
    });

    it("passes a card with its own limit, or one under a cardholder's limit, or one whose limits are not known yet", () => {
      expect(cardsWithoutLimit([holder(), card({ spendingLimits: [{ amount: 100, interval: 'daily' }] })])).to.deep.equal([]);
      expect(cardsWithoutLimit([holder({ spendingLimits: [{ amount: 100, interval: 'monthly' }] }), card()])).to.deep.equal([]);
      expect(cardsWithoutLimit([holder(), card({ spendingLimits: UNKNOWN })])).to.deep.equal([]);
    });

    it('does not count an empty list as a limit, nor a limit of an unrelated cardholder', () => {
      expect(cardsWithoutLimit([holder(), card({ spendingLimits: [] })])).to.have.length(1);
      const other = declared('Cardholder', 'sam', { spendingControls: { spendingLimits: [{ amount: 1, interval: 'daily' }] } });
      expect(cardsWithoutLimit([holder(), other, card()])).to.have.length(1);
    });
  });

  describe('live-card-protected', () => {
    it('reports an unprotected card on a live stack only', () => {
      expect(unprotectedLiveCards([card()], LIVE)[0].message).to.include('Card travel is a live card without `protect`');
      expect(unprotectedLiveCards([card()], TEST)).to.deep.equal([]);
      expect(unprotectedLiveCards([card(undefined, { protect: true }), holder()], LIVE)).to.deep.equal([]);
    });
  });

  describe('blocked-categories-baseline', () => {
    const baseline = ['betting_casino_gambling', 'wires_money_orders'];

    it('reports the baseline categories a card leaves open at both levels', () => {
      const violations = weakerThanBaseline([holder(), card({ blockedCategories: ['betting_casino_gambling'] })], baseline);
      expect(violations.map((v) => v.message)).to.deep.equal([
        'Card travel does not block wires_money_orders, which the platform blocks on every card: add it to ' +
          '`spendingControls.blockedCategories` of the card or its cardholder (or allow only categories that leave them out).',
      ]);
      expect(weakerThanBaseline([holder(), card()], DEFAULT_BLOCKED_CATEGORIES)).to.have.length(1);
    });

    it("counts the cardholder's list, and an allow-list that leaves a category out, as blocking it", () => {
      expect(weakerThanBaseline([holder({ blockedCategories: baseline }), card()], baseline)).to.deep.equal([]);
      expect(weakerThanBaseline([holder(), card({ allowedCategories: ['airlines_air_carriers'] })], baseline)).to.deep.equal([]);
      expect(
        weakerThanBaseline(
          [holder({ blockedCategories: ['wires_money_orders'] }), card({ blockedCategories: ['betting_casino_gambling'] })],
          baseline,
        ),
      ).to.deep.equal([]);
    });

    it('does not count an allow-list that includes the category', () => {
      const open = weakerThanBaseline(
        [holder(), card({ allowedCategories: ['betting_casino_gambling', 'airlines_air_carriers'] })],
        baseline,
      );
      expect(open[0].message).to.include('does not block betting_casino_gambling');
    });
  });

  describe('personal-data-secret', () => {
    const jane = (secretPaths: string[]) =>
      declared(
        'Cardholder',
        'jane',
        {
          name: 'Jane Rivera',
          email: 'jane@acme.example',
          billing: { address: { line1: '510 Townsend St', country: 'US' } },
          individual: { firstName: 'Jane', dob: { day: 1, month: 2, year: 1990 } },
        },
        { secretPaths: new Set(secretPaths) },
      );

    it('names each plain-text field, never its value', () => {
      const [violation] = plainPersonalData([jane(['individual.dob'])], TEST, DEFAULT_PERSONAL_DATA_FIELDS);
      expect(violation.message).to.include(
        'Cardholder jane has personal data in plain text: name, email, billing.address, individual.firstName.',
      );
      expect(violation.message).not.to.match(/Jane Rivera|jane@acme|Townsend/);
    });

    it('counts a field secret when it, an object around it, or every part of it is a secret', () => {
      const all = ['name', 'email', 'billing', 'individual.firstName', 'individual.dob.day', 'individual.dob.month', 'individual.dob.year'];
      expect(plainPersonalData([jane(all)], TEST, DEFAULT_PERSONAL_DATA_FIELDS)).to.deep.equal([]);
      const partly = plainPersonalData([jane([...all.slice(0, 4), 'individual.dob.day'])], TEST, DEFAULT_PERSONAL_DATA_FIELDS);
      expect(partly[0].message).to.include('plain text: individual.dob.');
    });

    it('lets a demo stack keep plain text, never a live one; judges only the configured fields', () => {
      expect(plainPersonalData([jane([])], { live: false, demo: true }, DEFAULT_PERSONAL_DATA_FIELDS)).to.deep.equal([]);
      expect(plainPersonalData([jane([])], { live: true, demo: true }, DEFAULT_PERSONAL_DATA_FIELDS)).to.have.length(1);
      expect(plainPersonalData([jane(['individual.dob'])], TEST, ['individual.dob', 'company.taxId'])).to.deep.equal([]);
    });
  });

  describe('replacements and deletions against the checkpoint', () => {
    const endpoint = { url: 'https://a.example/x', enabledEvents: ['issuing_authorization.request'], connect: true, apiVersion: 'v1' };

    it('finds a replacement by a changed or unknown create-only input, an update otherwise', () => {
      const old = [
        recorded('WebhookEndpoint', 'auth', endpoint),
        recorded('Card', 'travel', { cardholder: 'ich_1', currency: 'usd', status: 'active' }),
      ];
      const updated = [
        declared('WebhookEndpoint', 'auth', { ...endpoint, url: 'https://a.example/y' }),
        declared('Card', 'travel', { cardholder: 'ich_1', currency: 'usd', status: 'inactive' }),
      ];
      expect(plannedSteps(updated, old)).to.deep.equal([]);
      const replaced = plannedSteps(
        [
          declared('WebhookEndpoint', 'auth', { ...endpoint, apiVersion: 'v2' }),
          declared('Card', 'travel', { cardholder: UNKNOWN, currency: 'usd' }),
        ],
        old,
      );
      expect(replaced.map((s) => [s.op, s.name, s.because])).to.deep.equal([
        ['replace', 'auth', ['apiVersion']],
        ['replace', 'travel', ['cardholder']],
      ]);
    });

    it('finds a deletion unless the resource was declared with retainOnDelete, and a card canceled by its status', () => {
      const old = [
        recorded('Card', 'a', { status: 'active' }),
        recorded('Card', 'b', { status: 'active' }, { retainOnDelete: true }),
        recorded('Card', 'c', { status: 'active' }),
      ];
      const steps = plannedSteps([declared('Card', 'c', { status: 'canceled' })], old);
      expect(steps.map((s) => [s.op, s.name])).to.deep.equal([
        ['delete', 'a'],
        ['cancel', 'c'],
      ]);
    });

    it('irreversible-step-on-live: reports only irreversible steps, only on a live stack, not a card already canceled', () => {
      const old = [
        recorded('FinancialAccount', 'fa', { supportedCurrencies: ['usd'] }),
        recorded('Card', 'gone', { status: 'canceled' }),
        recorded('Cardholder', 'jane', { name: 'Jane', type: 'individual', email: 'a@b.example' }),
      ];
      const steps = plannedSteps(
        [
          declared('FinancialAccount', 'fa', { supportedCurrencies: ['usd', 'eur'] }),
          declared('Cardholder', 'jane', { name: 'Jane', type: 'individual', email: 'c@d.example' }),
        ],
        old,
      );
      expect(irreversibleOnLive(steps, TEST)).to.deep.equal([]);
      expect(irreversibleOnLive(steps, LIVE).map((v) => v.message)).to.deep.equal([
        'FinancialAccount fa would be replaced (supportedCurrencies changed, which Stripe sets only at create): this closes the current ' +
          "financial account (permanent) and opens a new one. On a live stack that needs the pull request's approve-irreversible label (docs/team.md).",
      ]);
    });

    it('authorization-endpoint-replaced: only an endpoint that receives issuing_authorization.request (or *)', () => {
      const events = (enabledEvents: string[]) => ({ ...endpoint, enabledEvents });
      const old = [
        recorded('WebhookEndpoint', 'auth', events(['*'])),
        recorded('WebhookEndpoint', 'other', events(['issuing_card.updated'])),
      ];
      const steps = plannedSteps([], old);
      const violations = authorizationEndpointReplaced(steps);
      expect(violations.map((v) => v.urn)).to.deep.equal([urn('WebhookEndpoint', 'auth')]);
      expect(violations[0].message).to.include('WebhookEndpoint auth, the endpoint of the real-time authorizer, would be deleted');
    });

    it("decides as the provider does: the pack's create-only inputs and irreversible steps are the registry's", () => {
      const fromRegistry = Object.fromEntries(
        Object.entries(REGISTRY).map(([type, registration]) => [type, createOnlyKeys(registration.spec.fields as never)]),
      );
      expect(CREATE_ONLY).to.deep.equal(fromRegistry);
      const irreversible = Object.fromEntries(
        Object.entries(REGISTRY).flatMap(([type, registration]) => {
          const steps = (registration as { irreversible?: object }).irreversible;
          return steps ? [[type, steps]] : [];
        }),
      );
      expect(IRREVERSIBLE).to.deep.equal(irreversible);
    });
  });
});
