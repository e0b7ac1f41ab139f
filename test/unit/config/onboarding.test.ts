// Onboarding in the stack file: each account's ToS acceptance per product (checked by path before any
// Stripe call, recorded before its capability is requested), the hosted-onboarding URLs, and what
// review shows of the requirements Stripe lists as due.
import { expect } from 'chai';
import * as yaml from 'js-yaml';
import { keyOf, planIssuing } from '../../../config/plan';
import { checkStackText } from '../../../config/validate';
import { summarizePreview } from '../../../lib/preview-summary';
import { requirementActions } from '../../../provider/requirements';
import { minimalIssuing } from '../../support/issuing-config';
import noChanges from './fixtures/preview-dev-no-changes.json';

const FILE = 'stacks/Pulumi.test.yaml';
const ACCEPTED = { date: 1767225600, ip: '203.0.113.10', userAgent: 'Mozilla/5.0' };

function issuingWith(edit: (issuing: Record<string, any>) => void) {
  const issuing = minimalIssuing() as unknown as Record<string, any>;
  issuing.accounts.acme.tosAcceptance = { card_issuing: { ...ACCEPTED }, treasury: { date: ACCEPTED.date, ip: '2001:db8::7' } };
  edit(issuing);
  return issuing;
}

const problemsOf = (issuing: unknown) =>
  checkStackText(FILE, yaml.dump({ config: { 'stripe-issuing:mode': 'test', 'stripe-issuing:issuing': issuing } }));

describe('onboarding in the stack file', () => {
  it('accepts an acceptance per product and onboarding URLs', () => {
    expect(
      problemsOf(
        issuingWith((issuing) => (issuing.onboarding = { returnUrl: 'https://app.example/done', refreshUrl: 'https://app.example/again' })),
      ),
    ).to.deep.equal([]);
  });

  it('names the key path and the allowed format of every bad acceptance field', () => {
    const problems = problemsOf(
      issuingWith((issuing) => {
        issuing.accounts.acme.tosAcceptance = {
          card_issuing: { date: 4102444800, ip: '203.0.113.300', userAgent: 'x'.repeat(5001) },
          treasury: { date: 'yesterday' },
          transfers: { date: 1, ip: '10.0.0.1' },
        };
        issuing.onboarding = { returnUrl: 'app.example/done' };
      }),
    );
    const at = 'issuing.accounts.acme.tosAcceptance';
    expect(problems).to.have.members([
      `${FILE}: ${at}.card_issuing.date: is in the future (2100-01-01T00:00:00.000Z): record when the account holder accepted`,
      `${FILE}: ${at}.card_issuing.ip: must be the IPv4 or IPv6 address the account holder accepted from (e.g. 203.0.113.7), got "203.0.113.300"`,
      `${FILE}: ${at}.card_issuing.userAgent: must be at most 5000 characters`,
      `${FILE}: ${at}.treasury.date: must be the acceptance time in Unix seconds, e.g. 1767225600`,
      `${FILE}: ${at}.treasury.ip: is required`,
      `${FILE}: ${at}.transfers: unknown key; allowed keys here: card_issuing, treasury`,
      `${FILE}: issuing.onboarding.returnUrl: must be an http(s) URL`,
      `${FILE}: issuing.onboarding.refreshUrl: is required`,
    ]);
  });

  it('records each acceptance before its capability is requested', () => {
    const plan = planIssuing(issuingWith(() => undefined) as never, { mode: 'test' });
    const keys = plan.map(keyOf);
    const acceptance = plan.find((p) => keyOf(p) === 'TosAcceptance:acme-card_issuing')!;
    expect(acceptance.args).to.deep.equal({ account: 'acct_1Acme', product: 'card_issuing', ...ACCEPTED });
    const capability = plan.find((p) => keyOf(p) === 'AccountCapability:acme-card_issuing')!;
    expect(capability.dependsOn).to.deep.equal(['TosAcceptance:acme-card_issuing']);
    expect(plan.find((p) => keyOf(p) === 'AccountCapability:acme-treasury')!.dependsOn).to.deep.equal([
      'AccountCapability:acme-transfers',
      'TosAcceptance:acme-treasury',
    ]);
    expect(keys.indexOf('TosAcceptance:acme-card_issuing')).to.be.lessThan(keys.indexOf('AccountCapability:acme-card_issuing'));
  });
});

describe('requirements people can act on', () => {
  it('maps the ToS requirements to stack keys and everything else to hosted onboarding', () => {
    const due = {
      currentlyDue: ['settings.card_issuing.tos_acceptance.ip', 'individual.dob.day'],
      pastDue: ['settings.card_issuing.tos_acceptance.date'],
    };
    expect(requirementActions(due, { stack: 'dev', account: 'acme' })).to.deep.equal([
      { requirement: 'individual.dob.day', satisfiedBy: 'hosted onboarding: npm run onboarding-link -- --stack dev --account acme' },
      {
        requirement: 'settings.card_issuing.tos_acceptance.date',
        satisfiedBy: 'stack file: accounts.acme.tosAcceptance.card_issuing.date',
      },
      { requirement: 'settings.card_issuing.tos_acceptance.ip', satisfiedBy: 'stack file: accounts.acme.tosAcceptance.card_issuing.ip' },
    ]);
    expect(
      requirementActions({ currentlyDue: ['settings.treasury.tos_acceptance.user_agent'] }, { stack: 'dev', account: 'acct_1X' }),
    ).to.deep.equal([
      {
        requirement: 'settings.treasury.tos_acceptance.user_agent',
        satisfiedBy: 'stack file: tosAcceptance.treasury.userAgent of the account acct_1X',
      },
    ]);
  });

  it("review lists each capability's due requirements with what satisfies them", () => {
    const due = requirementActions(
      { currentlyDue: ['settings.card_issuing.tos_acceptance.date', 'company.tax_id'] },
      { stack: 'dev', account: 'acme' },
    );
    const { markdown } = summarizePreview(JSON.parse(JSON.stringify(noChanges)), {
      stack: 'dev',
      requirements: [
        { capability: 'acme-card_issuing', due },
        { capability: 'acme-transfers', due: [] },
      ],
    });
    expect(markdown).to.contain(
      [
        '### Requirements due (as of the last up or refresh)',
        '',
        '| Capability | Due now | Satisfied by |',
        '| --- | --- | --- |',
        '| `acme-card_issuing` | `company.tax_id` | hosted onboarding: npm run onboarding-link -- --stack dev --account acme |',
        '| `acme-card_issuing` | `settings.card_issuing.tos_acceptance.date` | stack file: accounts.acme.tosAcceptance.card_issuing.date |',
      ].join('\n'),
    );
    expect(summarizePreview(JSON.parse(JSON.stringify(noChanges)), { stack: 'dev' }).markdown).not.to.contain('Requirements due');
  });
});
