import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import * as yaml from 'js-yaml';
import { checkStackFile, checkStackText } from '../../../config/validate';
import { fakeLiveKey } from '../../support/fake-keys';
import { minimalIssuing } from '../../support/issuing-config';

const FILE = 'stacks/Pulumi.prod.yaml';
const ROOT = path.resolve(__dirname, '..', '..', '..');

/** A valid stack file; each test breaks one thing in it. */
function validStack(): Record<string, any> {
  return {
    config: {
      'stripe-issuing:mode': 'test',
      'stripe-issuing:issuing': minimalIssuing(),
    },
  };
}

const issuingOf = (stack: Record<string, any>) => stack.config['stripe-issuing:issuing'];
const jane = (stack: Record<string, any>) => issuingOf(stack).accounts.acme.cardholders.jane;
const travel = (stack: Record<string, any>) => jane(stack).cards.travel;

function problemsAfter(edit: (stack: Record<string, any>) => void): string[] {
  const stack = validStack();
  edit(stack);
  return checkStackText(FILE, yaml.dump(stack));
}

describe('stack file validation', () => {
  it('accepts a valid file', () => {
    expect(problemsAfter(() => undefined)).to.deep.equal([]);
  });

  it('accepts every stack file of the repository', () => {
    const files = fs.readdirSync(path.join(ROOT, 'stacks')).filter((name) => /^Pulumi\..+\.yaml$/.test(name));
    expect(files).to.include.members(['Pulumi.dev.yaml', 'Pulumi.staging.yaml', 'Pulumi.prod.yaml']);
    for (const name of files) expect(checkStackFile(path.join(ROOT, 'stacks', name)), name).to.deep.equal([]);
  });

  it('accepts the example of docs/stack-config.md', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'stack-config.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(doc);
    expect(example, 'a yaml block in docs/stack-config.md').to.not.equal(null);
    expect(checkStackText('docs/stack-config.md', example![1])).to.deep.equal([]);
  });

  it('names the file, the key path and the allowed values for a bad enum (the issue example)', () => {
    const problems = problemsAfter((stack) => {
      travel(stack).spendingControls.spendingLimits[0].interval = 'fortnightly';
    });
    expect(problems).to.deep.equal([
      'stacks/Pulumi.prod.yaml: issuing.accounts.acme.cardholders.jane.cards.travel.spendingControls.spendingLimits[0].interval: must be one of per_authorization, daily, weekly, monthly, yearly, all_time',
    ]);
  });

  it('reports wrong types with what was found', () => {
    const problems = problemsAfter((stack) => {
      travel(stack).spendingControls.spendingLimits[0].amount = 'lots';
      issuingOf(stack).accounts.acme.capabilities = 'card_issuing';
    });
    expect(problems).to.have.members([
      `${FILE}: issuing.accounts.acme.cardholders.jane.cards.travel.spendingControls.spendingLimits[0].amount: must be a whole number, got "lots"`,
      `${FILE}: issuing.accounts.acme.capabilities: must be a list, got "card_issuing"`,
    ]);
  });

  it('reports unknown keys with the keys allowed there', () => {
    const problems = problemsAfter((stack) => {
      jane(stack).emial = 'jane@example.com';
      stack.config['stripe-issuing:modee'] = 'test';
    });
    expect(problems).to.have.length(2);
    expect(problems[0]).to.equal(
      `${FILE}: modee: unknown key; allowed keys here: mode, demo, stripeApiKey, stripeApiBase, stripeApiVersion, maxRequestsPerSecond, issuing`,
    );
    expect(problems[1]).to.match(
      /^stacks\/Pulumi\.prod\.yaml: issuing\.accounts\.acme\.cardholders\.jane\.emial: unknown key; allowed keys here: type, name, email, /,
    );
  });

  it("takes the stack's request rate as a positive number or numeric string, and says what is allowed otherwise", () => {
    for (const ok of [10, '10', 2.5, '0.5'])
      expect(
        problemsAfter((stack) => (stack.config['stripe-issuing:maxRequestsPerSecond'] = ok)),
        String(ok),
      ).to.deep.equal([]);
    for (const bad of [0, -1, '0', 'fast']) {
      expect(
        problemsAfter((stack) => (stack.config['stripe-issuing:maxRequestsPerSecond'] = bad)),
        String(bad),
      ).to.deep.equal([`${FILE}: maxRequestsPerSecond: must be a positive number of requests per second, e.g. 10`]);
    }
  });

  it('reports missing required fields at the path where they belong', () => {
    const problems = problemsAfter((stack) => {
      delete jane(stack).name;
      delete jane(stack).billing.address.country;
      delete issuingOf(stack).accounts.acme.id;
    });
    expect(problems).to.have.members([
      `${FILE}: issuing.accounts.acme.id: is required`,
      `${FILE}: issuing.accounts.acme.cardholders.jane.name: is required`,
      `${FILE}: issuing.accounts.acme.cardholders.jane.billing.address.country: is required`,
    ]);
  });

  it('reports every problem at once, not just the first', () => {
    const problems = problemsAfter((stack) => {
      travel(stack).type = 'plastic';
      travel(stack).currency = 'USD';
      jane(stack).phoneNumber = '555-0100';
      issuingOf(stack).accounts.acme.financialAccount.features.push('teleport');
    });
    expect(problems).to.have.length(4);
  });

  it('reports duplicated YAML keys by path, with their lines', () => {
    const text = [
      'config:',
      '  stripe-issuing:issuing:',
      '    accounts:',
      '      acme:',
      '        id: acct_1Acme',
      '      acme:',
      '        id: acct_2Acme',
      '        capabilities: [card_issuing]',
      '        capabilities: [treasury]',
    ].join('\n');
    expect(checkStackText(FILE, text)).to.deep.equal([
      `${FILE}: issuing.accounts.acme: duplicate key (line 6, first at line 4): each name may appear once; the later entry would silently replace the earlier one`,
      `${FILE}: issuing.accounts.acme.capabilities: duplicate key (line 9, first at line 8): each name may appear once; the later entry would silently replace the earlier one`,
    ]);
  });

  it('reports logical names that join to the same resource name', () => {
    const problems = problemsAfter((stack) => {
      const accounts = issuingOf(stack).accounts;
      accounts['acme-jane'] = { id: 'acct_1Other', capabilities: ['transfers', 'card_issuing'], cardholders: { travel: jane(stack) } };
      accounts['acme-jane'].cardholders.travel = { ...jane(stack), cards: {} };
      accounts.acme.cardholders['jane-travel'] = { ...jane(stack), cards: {} };
    });
    expect(problems).to.deep.equal([
      `${FILE}: issuing.accounts.acme-jane.cardholders.travel: makes the Cardholder resource name "acme-jane-travel", which issuing.accounts.acme.cardholders.jane-travel already makes; rename one of them`,
    ]);
  });

  it('refuses the same connected account declared twice', () => {
    const problems = problemsAfter((stack) => {
      issuingOf(stack).accounts.copy = { id: 'acct_1Acme' };
    });
    expect(problems).to.deep.equal([
      `${FILE}: issuing.accounts.copy.id: acct_1Acme is already declared as accounts.acme: declare each connected account once`,
    ]);
  });

  it('refuses the loopback authorizer on a live stack, and accepts it on a test stack', () => {
    const live = problemsAfter((stack) => {
      stack.config['stripe-issuing:mode'] = 'live';
      issuingOf(stack).authorizer = { enabled: true, target: 'local' };
    });
    expect(live).to.deep.equal([
      `${FILE}: issuing.authorizer.target: is "local" (a loopback URL only the offline emulator can call) on a live stack: use aws-lambda, or disable the authorizer`,
    ]);
    expect(problemsAfter((stack) => void (issuingOf(stack).authorizer = { enabled: true, target: 'local' }))).to.deep.equal([]);
  });

  it('applies the provider validators: real country codes, names printed on cards, metadata limits', () => {
    const problems = problemsAfter((stack) => {
      jane(stack).billing.address.country = 'XX';
      jane(stack).name = 'R2 D2';
      travel(stack).metadata = { pulumi_name: 'mine' };
      travel(stack).authorization = { allowedCountries: ['QQ'] };
    });
    expect(problems).to.have.members([
      `${FILE}: issuing.accounts.acme.cardholders.jane.billing.address.country: must be a two-letter ISO 3166-1 country code in upper case (e.g. "US"), got "XX"`,
      `${FILE}: issuing.accounts.acme.cardholders.jane.name: is printed on cards: letters, spaces, "." "'" and "-" only (no digits or other special characters), got "R2 D2"`,
      `${FILE}: issuing.accounts.acme.cardholders.jane.cards.travel.metadata.pulumi_name: metadata keys are 1–40 characters without [ or ], and pulumi_stack / pulumi_name are written by the provider`,
      `${FILE}: issuing.accounts.acme.cardholders.jane.cards.travel.authorization.allowedCountries[0]: must be a two-letter ISO 3166-1 country code in upper case (e.g. "US"), got "QQ"`,
    ]);
  });

  it("leaves 2 of Stripe's 50 metadata keys to the provider", () => {
    const keys = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 'v']));
    expect(
      problemsAfter((stack) => {
        travel(stack).metadata = keys(48);
      }),
    ).to.deep.equal([]);
    expect(
      problemsAfter((stack) => {
        travel(stack).metadata = keys(49);
      }),
    ).to.deep.equal([
      `${FILE}: issuing.accounts.acme.cardholders.jane.cards.travel.metadata: may hold at most 48 keys: Stripe allows 50 and the provider writes pulumi_stack and pulumi_name itself`,
    ]);
  });

  it('refuses allowed and blocked lists together', () => {
    const problems = problemsAfter((stack) => {
      travel(stack).spendingControls.allowedCategories = ['taxicabs_limousines'];
      travel(stack).spendingControls.blockedCategories = ['betting_casino_gambling'];
    });
    expect(problems).to.deep.equal([
      `${FILE}: issuing.accounts.acme.cardholders.jane.cards.travel.spendingControls.blockedCategories: cannot be combined with allowedCategories: give allowed or blocked, not both`,
    ]);
  });

  it('takes card-presence controls, and spendingLimitsCurrency on cardholders only', () => {
    expect(
      problemsAfter((stack) => {
        travel(stack).spendingControls.blockedCardPresences = ['not_present'];
        jane(stack).spendingControls = {
          allowedCardPresences: ['present'],
          spendingLimits: [{ amount: 100, interval: 'daily' }],
          spendingLimitsCurrency: 'usd',
        };
      }),
    ).to.deep.equal([]);
    expect(
      problemsAfter((stack) => {
        travel(stack).spendingControls.allowedCardPresences = ['present'];
        travel(stack).spendingControls.blockedCardPresences = ['in_orbit'];
        travel(stack).spendingControls.spendingLimitsCurrency = 'usd';
      }),
    ).to.have.members([
      `${FILE}: issuing.accounts.acme.cardholders.jane.cards.travel.spendingControls.blockedCardPresences: cannot be combined with allowedCardPresences: give allowed or blocked, not both`,
      `${FILE}: issuing.accounts.acme.cardholders.jane.cards.travel.spendingControls.blockedCardPresences[0]: must be one of present, not_present`,
      `${FILE}: issuing.accounts.acme.cardholders.jane.cards.travel.spendingControls.spendingLimitsCurrency: is only for cardholders: a card's spending limits are in the card's currency`,
    ]);
  });

  it('requires card_issuing on the financial account cards draw on, and a currency it supports', () => {
    const problems = problemsAfter((stack) => {
      issuingOf(stack).accounts.acme.financialAccount.features = ['deposit_insurance'];
      travel(stack).currency = 'eur';
    });
    expect(problems).to.have.members([
      `${FILE}: issuing.accounts.acme.financialAccount.features: must include card_issuing: this account has cards that draw on the financial account`,
      `${FILE}: issuing.accounts.acme.cardholders.jane.cards.travel.currency: must be one of the financial account's supportedCurrencies (usd); cards default to usd`,
    ]);
  });

  it('requires a financial account when an account has cards', () => {
    const problems = problemsAfter((stack) => {
      delete issuingOf(stack).accounts.acme.financialAccount;
    });
    expect(problems).to.deep.equal([
      `${FILE}: issuing.accounts.acme.financialAccount: is required when the account has cards: they draw on it (a managed one with supportedCurrencies, or an existing one by id)`,
    ]);
  });

  it('keeps an existing financial account to its ID and features', () => {
    const problems = problemsAfter((stack) => {
      issuingOf(stack).accounts.acme.financialAccount = { id: 'fa_1Existing', features: ['card_issuing'], nickname: 'Ops' };
    });
    expect(problems).to.deep.equal([
      `${FILE}: issuing.accounts.acme.financialAccount.nickname: is not allowed with financialAccount.id: an existing financial account is only referenced (its features are managed); remove id to manage the account here`,
    ]);
  });

  it('accepts adoptId on cardholders, cards, managed financial accounts and webhook endpoints', () => {
    expect(
      problemsAfter((stack) => {
        jane(stack).adoptId = 'ich_1Existing';
        travel(stack).adoptId = 'ic_1Existing';
        issuingOf(stack).accounts.acme.financialAccount.adoptId = 'fa_1Existing';
        issuingOf(stack).webhookEndpoints = {
          events: { adoptId: 'we_1Existing', url: 'https://hooks.example.com/s', enabledEvents: ['issuing_card.created'] },
        };
      }),
    ).to.deep.equal([]);
  });

  it('refuses an adoptId of another kind of object, by path', () => {
    expect(
      problemsAfter((stack) => {
        jane(stack).adoptId = 'ic_1Card';
        travel(stack).adoptId = 'ich_1Holder';
        issuingOf(stack).accounts.acme.financialAccount.adoptId = 'acct_1Acme';
        issuingOf(stack).webhookEndpoints = {
          events: { adoptId: 'we_', url: 'https://hooks.example.com/s', enabledEvents: ['issuing_card.created'] },
        };
      }),
    ).to.have.members([
      `${FILE}: issuing.accounts.acme.cardholders.jane.adoptId: must be the ID of an existing cardholder, like ich_1AbC`,
      `${FILE}: issuing.accounts.acme.cardholders.jane.cards.travel.adoptId: must be the ID of an existing card, like ic_1AbC`,
      `${FILE}: issuing.accounts.acme.financialAccount.adoptId: must be the ID of an existing financial account, like fa_1AbC`,
      `${FILE}: issuing.webhookEndpoints.events.adoptId: must be the ID of an existing webhook endpoint, like we_1AbC`,
    ]);
  });

  it('refuses adoptId next to financialAccount.id, and the same object adopted twice', () => {
    expect(
      problemsAfter((stack) => {
        issuingOf(stack).accounts.acme.financialAccount = { id: 'fa_1Existing', adoptId: 'fa_1Existing', features: ['card_issuing'] };
      }),
    ).to.deep.equal([
      `${FILE}: issuing.accounts.acme.financialAccount.adoptId: is not allowed with financialAccount.id: an existing financial account is only referenced (its features are managed); remove id to manage the account here`,
    ]);
    expect(
      problemsAfter((stack) => {
        jane(stack).adoptId = 'ich_1Existing';
        issuingOf(stack).accounts.acme.cardholders.sam = { ...jane(stack), name: 'Sam Poe', cards: {} };
      }),
    ).to.deep.equal([
      `${FILE}: issuing.accounts.acme.cardholders.sam.adoptId: ich_1Existing is already adopted by issuing.accounts.acme.cardholders.jane.adoptId: adopt each object once`,
    ]);
  });

  it('refuses a plain API key in the file, and never prints it', () => {
    const problems = problemsAfter((stack) => {
      stack.config['stripe-issuing:stripeApiKey'] = fakeLiveKey('sk', '51AbCdEfGhIjKlMnOp');
    });
    expect(problems).to.deep.equal([
      `${FILE}: stripeApiKey: must be stored encrypted: run \`pulumi config set --secret stripe-issuing:stripeApiKey <key>\` (never commit a plain key)`,
    ]);
    // A key pasted in the wrong place is echoed as the value found there: redacted.
    expect(
      problemsAfter((stack) => {
        jane(stack).billing = 'sk_test_51AbCdEfGhIjKlMnOp';
      }),
    ).to.deep.equal([`${FILE}: issuing.accounts.acme.cardholders.jane.billing: must be a mapping of keys to values, got "[redacted]"`]);
  });

  it('refuses shipping on virtual cards and requires it on physical ones', () => {
    expect(
      problemsAfter((stack) => {
        travel(stack).shipping = { name: 'Jane', address: jane(stack).billing.address };
      }),
    ).to.deep.equal([
      `${FILE}: issuing.accounts.acme.cardholders.jane.cards.travel.shipping: is only for physical cards (set type: physical)`,
    ]);
    expect(
      problemsAfter((stack) => {
        travel(stack).type = 'physical';
      }),
    ).to.deep.equal([`${FILE}: issuing.accounts.acme.cardholders.jane.cards.travel.shipping: is required`]);
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(checkStackText(FILE, 'config:\n  a: [1, 2\n')).to.have.length(1);
    expect(checkStackText(FILE, 'config:\n  a: [1, 2\n')[0]).to.match(/^stacks\/Pulumi\.prod\.yaml: line \d+, column \d+: invalid YAML: /);
  });

  it('names a missing stack file', () => {
    expect(checkStackFile('stacks/Pulumi.nope.yaml')[0]).to.match(/^stacks\/Pulumi\.nope\.yaml: cannot be read \(ENOENT\)/);
  });
});
