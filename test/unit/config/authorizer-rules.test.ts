import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { stackRuleSet } from '../../../config/authorizer-rules';
import { checkedStack, readStackDocument } from '../../../config/validate';

const STACK = `
config:
  stripe-issuing:mode: test
  stripe-issuing:issuing:
    authorizer:
      enabled: true
      target: local
      killSwitch: false
      defaultRules: { maxAmount: 10000 }
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
            authorization: { blockedCountries: [RU] }
            cards:
              travel:
                authorization: { allowedCategories: [airlines_air_carriers], maxAmount: 5000 }
              office: {}
`;

describe('authorizer rules from a stack file', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'authorizer-stack-'));
    fs.mkdirSync(path.join(root, 'stacks'));
    fs.writeFileSync(path.join(root, 'stacks/Pulumi.unit.yaml'), STACK);
    fs.writeFileSync(path.join(root, 'stacks/Pulumi.broken.yaml'), STACK.replace('maxAmount: 5000', 'maxAmount: -5'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const loadStackRuleSet = (stack: string) => stackRuleSet(checkedStack(readStackDocument(stack, root)));

  it('keys card and cardholder rules by the resource names the provider writes as pulumi_name', () => {
    expect(loadStackRuleSet('unit')).to.deep.equal({
      stack: 'unit',
      // A test stack approves cards that are not its own unless the file says otherwise.
      unknownCards: 'approve',
      accounts: {
        cards: { 'acme-jane-travel': 'acct_1TestAcme', 'acme-jane-office': 'acct_1TestAcme' },
        cardholders: { 'acme-jane': 'acct_1TestAcme' },
      },
      killSwitch: false,
      default: { maxAmount: 10000 },
      cardholders: { 'acme-jane': { blockedCountries: ['RU'] } },
      cards: { 'acme-jane-travel': { allowedCategories: ['airlines_air_carriers'], maxAmount: 5000 } },
    });
  });

  it("declines cards that are not the stack's by default on live stacks, as the file may say on any stack", () => {
    const live = STACK.replace('mode: test', 'mode: live').replace(
      'target: local',
      'target: aws-lambda\n      apiVersion: 2026-10-28.endive',
    );
    fs.writeFileSync(path.join(root, 'stacks/Pulumi.live.yaml'), live);
    fs.writeFileSync(
      path.join(root, 'stacks/Pulumi.strict.yaml'),
      STACK.replace('killSwitch: false', 'killSwitch: false\n      unknownCards: decline'),
    );
    expect(loadStackRuleSet('live').unknownCards).to.equal('decline');
    expect(loadStackRuleSet('strict').unknownCards).to.equal('decline');
  });

  it('refuses an invalid stack file, naming the key path', () => {
    expect(() => loadStackRuleSet('broken')).to.throw(/stacks\/Pulumi\.broken\.yaml is not valid:[\s\S]*travel[\s\S]*maxAmount/);
  });

  it('names a stack that has no stack file', () => {
    expect(() => loadStackRuleSet('missing')).to.throw(
      'stacks/Pulumi.missing.yaml cannot be read (ENOENT): is "missing" a stack of this project?',
    );
  });
});
