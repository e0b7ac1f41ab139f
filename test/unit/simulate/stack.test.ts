import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { SimulationRefused } from '../../../simulate/guard';
import { loadSimulationStack } from '../../../simulate/stack';

const VALID = `
config:
  stripe-issuing:mode: test
  stripe-issuing:stripeApiBase: http://127.0.0.1:12111
  stripe-issuing:issuing:
    accounts:
      acme:
        id: acct_1TestAcme
        capabilities: [transfers, treasury, card_issuing]
        financialAccount:
          supportedCurrencies: [usd]
          features: [card_issuing]
        cardholders:
          jane:
            name: Jane Rivera
            billing:
              address: { line1: 510 Townsend St, city: San Francisco, postalCode: "94103", country: US }
            individual: { firstName: Jane, lastName: Rivera }
            authorization: { maxAmount: 5000 }
            cards:
              travel: { status: active }
`;

describe('simulate: the stack file', () => {
  let root: string;
  const write = (stack: string, text: string) => fs.writeFileSync(path.join(root, 'stacks', `Pulumi.${stack}.yaml`), text);
  const env = { STRIPE_API_KEY: 'sk_test_unit', STRIPE_API_BASE: 'http://127.0.0.1:9' };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'simulate-stack-'));
    fs.mkdirSync(path.join(root, 'stacks'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('gives the plan, the rules and the connection, the stack file before the environment', () => {
    write('dev', VALID);
    const stack = loadSimulationStack('dev', root, env);
    expect(stack.plan.filter((p) => p.kind === 'Card').map((p) => p.name)).to.deep.equal(['acme-jane-travel']);
    expect(stack.rules.cardholders).to.deep.equal({ 'acme-jane': { maxAmount: 5000 } });
    expect(stack.settings).to.deep.equal({ apiKey: 'sk_test_unit', mode: 'test', apiBase: 'http://127.0.0.1:12111' });
    write('env', VALID.replace(/ {2}stripe-issuing:stripeApiBase.*\n/, ''));
    expect(loadSimulationStack('env', root, env).settings.apiBase).to.equal('http://127.0.0.1:9');
  });

  it('refuses a live stack before checking anything else in the file', () => {
    write('prod', 'config:\n  stripe-issuing:mode: live\n  stripe-issuing:issuing: { accounts: 7 }\n');
    expect(() => loadSimulationStack('prod', root, env)).to.throw(SimulationRefused, 'stack prod is in live mode');
  });

  it('lists the problems of an invalid file and names a missing one', () => {
    write('broken', 'config:\n  stripe-issuing:mode: test\n  stripe-issuing:issuing: { accounts: 7 }\n');
    expect(() => loadSimulationStack('broken', root, env)).to.throw(
      /^stacks\/Pulumi\.broken\.yaml is not valid:\n {2}stacks\/Pulumi\.broken\.yaml: issuing\.accounts/,
    );
    expect(() => loadSimulationStack('nope', root, env)).to.throw(
      'stacks/Pulumi.nope.yaml cannot be read (ENOENT): is "nope" a stack of this project?',
    );
  });
});
