/**
 * Personal data in plain text is refused outside a demo stack (validation names the
 * `pulumi config set --secret --path` command with the exact key path), and pull-request comments,
 * drift issues and logs show a cardholder's personal fields as changed, never their values.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import * as yaml from 'js-yaml';
import { checkStackText } from '../../../config/validate';
import { type ResourceState, summarizePreview } from '../../../lib/preview-summary';
import { redact } from '../../../provider/errors';
import { summarizeDrift } from '../../../scripts/drift';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const text = (stack: string) => fs.readFileSync(path.join(ROOT, 'stacks', `Pulumi.${stack}.yaml`), 'utf8');
type StackFile = { config: Record<string, any> };

const URN = 'urn:pulumi:prod::stripe-issuing::pulumi-nodejs:dynamic/stripe-issuing:Cardholder::acme-jane';
const BEFORE = {
  name: 'Jane Rivera',
  email: 'jane.rivera@acme.example',
  phoneNumber: '+14155550101',
  billing: { address: { line1: '510 Townsend St', city: 'San Francisco', postalCode: '94103', country: 'US' } },
  individual: { firstName: 'Jane', lastName: 'Rivera', dob: { day: 12, month: 4, year: 1988 } },
};
const AFTER = {
  name: 'Jane Rivera',
  email: 'jane@rivera.example',
  phoneNumber: '+14155550199',
  billing: { address: { line1: '1 Harbor Way', city: 'Oakland', postalCode: '94607', country: 'US' } },
  individual: { firstName: 'Jane', lastName: 'Rivera', dob: { day: 13, month: 5, year: 1987 } },
};
const PERSONAL_VALUES = [
  'jane.rivera@acme.example',
  'jane@rivera.example',
  '+14155550101',
  '+14155550199',
  '510 Townsend',
  'Harbor Way',
  'Oakland',
  '94607',
  '1988',
  '1987',
];
const state = (inputs: Record<string, unknown>): ResourceState => ({
  type: 'pulumi-nodejs:dynamic/stripe-issuing:Cardholder',
  id: 'ich_1Jane',
  inputs,
});

function expectChangedNotShown(markdown: string): void {
  for (const field of [
    'email',
    'phoneNumber',
    'billing.address.line1',
    'billing.address.city',
    'individual.dob.day',
    'individual.dob.year',
  ]) {
    expect(markdown).to.contain(`| \`${field}\` | \`[personal data]\` | \`[personal data]\` |`);
  }
  for (const value of PERSONAL_VALUES) expect(markdown).not.to.contain(value);
}

describe('personal data: encrypted outside the demo, never shown in reports', () => {
  it('refuses a plain date of birth or tax ID on a stack that is not a demo, naming the command that encrypts it', () => {
    const prod = yaml.load(text('prod')) as StackFile;
    const acme = prod.config['stripe-issuing:issuing'].accounts.acme;
    acme.cardholders.jane.individual.dob = { day: 12, month: 4, year: { secure: 'v1:abc:def' } };
    acme.cardholders.fleet = {
      type: 'company',
      name: 'Acme Fleet',
      billing: acme.cardholders.jane.billing,
      company: { taxId: '123456789' },
    };
    const problems = checkStackText('stacks/Pulumi.prod.yaml', yaml.dump(prod));
    const encrypt = (key: string) =>
      `is personal data in plain text, allowed only on a demo stack of fictional people (stripe-issuing:demo: true): ` +
      `encrypt it with \`npm run pulumi -- config set --stack prod --secret --path 'stripe-issuing:issuing.accounts.acme.cardholders.${key}' <${key.split('.').pop()}>\``;
    expect(problems).to.deep.equal([
      `stacks/Pulumi.prod.yaml: issuing.accounts.acme.cardholders.jane.individual.dob.day: ${encrypt('jane.individual.dob.day')}`,
      `stacks/Pulumi.prod.yaml: issuing.accounts.acme.cardholders.jane.individual.dob.month: ${encrypt('jane.individual.dob.month')}`,
      `stacks/Pulumi.prod.yaml: issuing.accounts.acme.cardholders.fleet.company.taxId: ${encrypt('fleet.company.taxId')}`,
    ]);
    expect(problems.join('\n')).not.to.contain('123456789');
  });

  it('accepts them encrypted on any stack, and plain only on a test stack that declares itself a demo', () => {
    const staging = yaml.load(text('staging')) as StackFile;
    staging.config['stripe-issuing:issuing'].accounts.acme.cardholders['qa-team'].company = { taxId: { secure: 'v1:abc:def' } };
    expect(checkStackText('stacks/Pulumi.staging.yaml', yaml.dump(staging))).to.deep.equal([]);
    staging.config['stripe-issuing:issuing'].accounts.acme.cardholders['qa-team'].company = { taxId: '000000000' };
    expect(checkStackText('stacks/Pulumi.staging.yaml', yaml.dump(staging))).to.have.length(1);
    staging.config['stripe-issuing:demo'] = true;
    expect(checkStackText('stacks/Pulumi.staging.yaml', yaml.dump(staging))).to.deep.equal([]);
    staging.config['stripe-issuing:mode'] = 'live';
    expect(checkStackText('stacks/Pulumi.staging.yaml', yaml.dump(staging))).to.include(
      "stacks/Pulumi.staging.yaml: demo: is true on a live stack: a live stack's cardholders are real people, whose personal data is never plain text; remove it",
    );
  });

  it('the dev stack is the demo, and even so keeps its fictional date of birth encrypted', () => {
    const dev = yaml.load(text('dev')) as StackFile;
    expect(dev.config['stripe-issuing:demo']).to.equal(true);
    const dob = dev.config['stripe-issuing:issuing'].accounts.acme.cardholders.jane.individual.dob;
    for (const part of ['day', 'month', 'year']) expect(dob[part], part).to.have.all.keys('secure');
  });

  it('a pull-request comment shows changed personal fields without their values, other fields as they are', () => {
    const { markdown } = summarizePreview(
      { steps: [{ op: 'update', urn: URN, oldState: state(BEFORE), newState: state({ ...AFTER, name: 'Jane Rivera' }) }] },
      { stack: 'prod' },
    );
    expectChangedNotShown(markdown);
    const created = summarizePreview({ steps: [{ op: 'create', urn: URN, newState: state(AFTER) }] }, { stack: 'prod' }).markdown;
    expect(created).to.contain('| `name` | — | `Jane Rivera` |');
    expect(created).to.contain('| `individual` | — | `{"firstName":"Jane","lastName":"Rivera","dob":"[personal data]"}` |');
    for (const value of PERSONAL_VALUES) expect(created).not.to.contain(value);
  });

  it('a drift issue shows personal fields changed in Stripe without their values', () => {
    const { markdown } = summarizeDrift(
      [{ resOutputsEvent: { metadata: { op: 'update', urn: URN, old: state(BEFORE), new: state(AFTER) } } }],
      {
        stack: 'prod',
      },
    );
    expectChangedNotShown(markdown);
  });

  it('logs and errors lose emails and phone numbers with the keys and card numbers', () => {
    expect(redact('Stripe: invalid email jane.rivera@acme.example or phone +14155550101 (card 4242 4242 4242 4242)')).to.equal(
      'Stripe: invalid email [personal data] or phone [personal data] (card [redacted])',
    );
    expect(redact('installed stripe@23.1.0')).to.equal('installed stripe@23.1.0');
  });
});
