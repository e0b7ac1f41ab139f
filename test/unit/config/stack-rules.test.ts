/**
 * Every rule of the table in docs/stack-config.md ("Rules"), tried on the dev stack: variants that each
 * break one rule (at every place of the file where it applies) must be refused with the rule's key path
 * and nothing else, and variants that stay within the rules must pass. Dates of birth are also drawn at
 * random (seeded) and checked against the calendar.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import * as yaml from 'js-yaml';
import { checkStackText } from '../../../config/validate';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FILE = 'stacks/Pulumi.dev.yaml';
const DEV_TEXT = fs.readFileSync(path.join(ROOT, FILE), 'utf8');

type Stack = { config: Record<string, any> };
const dev = (): Stack => yaml.load(DEV_TEXT) as Stack;
const issuing = (stack: Stack) => stack.config['stripe-issuing:issuing'];
const account = (stack: Stack, name: string) => issuing(stack).accounts[name];
const P = 'issuing.accounts';

/** Where the dev stack has each kind of entry: the variants break a rule at each of them. */
const CARDHOLDERS = [
  ['acme', 'jane'],
  ['acme', 'sam'],
  ['globex', 'fleet'],
] as const;
const INDIVIDUALS = CARDHOLDERS.filter(([, holder]) => holder !== 'fleet');
const CARDS = [
  ['acme', 'jane', 'travel'],
  ['acme', 'jane', 'office'],
  ['acme', 'sam', 'fuel'],
  ['globex', 'fleet', 'van-1'],
] as const;
const ACCOUNTS = ['acme', 'globex'] as const;

const holderAt = (stack: Stack, [acct, holder]: readonly string[]) => account(stack, acct).cardholders[holder];
const cardAt = (stack: Stack, [acct, holder, card]: readonly string[]) => account(stack, acct).cardholders[holder].cards[card];
const holderPath = ([acct, holder]: readonly string[]) => `${P}.${acct}.cardholders.${holder}`;
const cardPath = ([acct, holder, card]: readonly string[]) => `${P}.${acct}.cardholders.${holder}.cards.${card}`;
/** Every place with spending controls or metadata: each cardholder and each card. */
const OWNERS = [
  ...CARDHOLDERS.map((at) => ({ get: (s: Stack) => holderAt(s, at), path: holderPath(at) })),
  ...CARDS.map((at) => ({ get: (s: Stack) => cardAt(s, at), path: cardPath(at) })),
];

interface Variant {
  rule: string;
  name: string;
  /** Changes the parsed dev stack (or, for text-level rules, its text). */
  edit?: (stack: Stack) => void;
  text?: (text: string) => string;
  /** The key paths the problems must name, all of them and no other. */
  paths: string[];
}

const variants: Variant[] = [];
function refuse(rule: string, name: string, paths: string[], edit: (stack: Stack) => void): void {
  variants.push({ rule, name, edit, paths });
}

const isoToday = new Date();
const THIS_YEAR = isoToday.getUTCFullYear();
const repeat = (length: number) => 'x'.repeat(length);

// Settings
refuse('mode', 'mode staging', ['mode'], (s) => {
  s.config['stripe-issuing:mode'] = 'staging';
});
refuse('demo-test-only', 'a live demo', ['demo'], (s) => {
  s.config['stripe-issuing:mode'] = 'live';
  issuing(s).authorizer.enabled = false;
});
refuse(
  'personal-data-encrypted',
  'plain date of birth outside a demo',
  ['day', 'month', 'year'].map((part) => `${holderPath(['acme', 'sam'])}.individual.dob.${part}`),
  (s) => {
    delete s.config['stripe-issuing:demo'];
    holderAt(s, ['acme', 'sam']).individual.dob = { day: 2, month: 3, year: 1990 };
  },
);
refuse('personal-data-encrypted', 'plain tax ID outside a demo', [`${holderPath(['globex', 'fleet'])}.company.taxId`], (s) => {
  delete s.config['stripe-issuing:demo'];
  holderAt(s, ['globex', 'fleet']).company = { taxId: '000000000' };
});
refuse('api-key-encrypted', 'plain key', ['stripeApiKey'], (s) => {
  s.config['stripe-issuing:stripeApiKey'] = 'sk_test_plain';
});
refuse('api-base-url', 'no scheme', ['stripeApiBase'], (s) => {
  s.config['stripe-issuing:stripeApiBase'] = '127.0.0.1:12111';
});
for (const version of ['2026-10-28', '2019-01-01', 'latest', '2026-10-28.dahlia']) {
  refuse('api-version', `stripeApiVersion ${version}`, ['stripeApiVersion'], (s) => {
    s.config['stripe-issuing:stripeApiVersion'] = version;
  });
}

// Structure
refuse('known-keys', 'misspelled cardholder key', [`${holderPath(['acme', 'jane'])}.emial`], (s) => {
  holderAt(s, ['acme', 'jane']).emial = 'x@y.example';
});
refuse('known-keys', 'unknown setting', ['issuing.cards'], (s) => {
  issuing(s).cards = {};
});
refuse('required', 'cardholder without billing', [`${holderPath(['acme', 'sam'])}.billing`], (s) => {
  delete holderAt(s, ['acme', 'sam']).billing;
});
refuse('required', 'account without id', [`${P}.globex.id`], (s) => {
  delete account(s, 'globex').id;
});
refuse('types', 'protectCards as text', ['issuing.protectCards'], (s) => {
  issuing(s).protectCards = 'yes';
});
refuse('types', 'limit amount as text', [`${cardPath(CARDS[0])}.spendingControls.spendingLimits[0].amount`], (s) => {
  cardAt(s, CARDS[0]).spendingControls.spendingLimits[0].amount = '5000';
});
variants.push({
  rule: 'duplicate-keys',
  name: 'nickname twice',
  text: (text) => text.replace('          nickname: Acme operating\n', '          nickname: Acme operating\n          nickname: Acme\n'),
  paths: [`${P}.acme.financialAccount.nickname`],
});
for (const bad of ['Acme', 'acme_corp', 'acme--corp', repeat(41)]) {
  refuse('logical-names', `account named ${bad}`, [`${P}.${bad}`], (s) => {
    const accounts = issuing(s).accounts;
    accounts[bad] = accounts.globex;
    delete accounts.globex;
  });
}
refuse('logical-names', 'card named "Travel"', [`${holderPath(['acme', 'jane'])}.cards.Travel`], (s) => {
  const cards = holderAt(s, ['acme', 'jane']).cards;
  cards.Travel = cards.travel;
  delete cards.travel;
});
refuse('resource-names-unique', 'acme + jane-sam and acme-jane + sam', [`${P}.acme-jane.cardholders.sam`], (s) => {
  const sam = { ...holderAt(s, ['acme', 'sam']) };
  delete sam.cards;
  account(s, 'acme').cardholders['jane-sam'] = sam;
  issuing(s).accounts['acme-jane'] = { id: 'acct_1DevAcmeJane', capabilities: ['transfers', 'card_issuing'], cardholders: { sam } };
});

// Accounts and capabilities
for (const acct of ACCOUNTS) {
  refuse('account-id', `${acct} id without acct_`, [`${P}.${acct}.id`], (s) => {
    account(s, acct).id = acct;
  });
  refuse('capability-name', `${acct} requests "issuing"`, [`${P}.${acct}.capabilities[4]`], (s) => {
    account(s, acct).capabilities.push('issuing');
  });
  refuse('capability-name', `${acct} requests "Treasury"`, [`${P}.${acct}.capabilities[4]`], (s) => {
    account(s, acct).capabilities.push('Treasury');
  });
  refuse('capabilities-unique', `${acct} requests treasury twice`, [`${P}.${acct}.capabilities`], (s) => {
    account(s, acct).capabilities.push('treasury');
  });
  refuse(
    'capabilities-need-transfers',
    `${acct} without transfers`,
    [`${P}.${acct}.capabilities[0]`, `${P}.${acct}.capabilities[1]`],
    (s) => {
      account(s, acct).capabilities = ['treasury', 'card_issuing', 'us_bank_account_ach_payments'];
    },
  );
  refuse('financial-account-needs-treasury', `${acct} without treasury`, [`${P}.${acct}.financialAccount`], (s) => {
    account(s, acct).capabilities = ['transfers', 'card_issuing', 'us_bank_account_ach_payments'];
  });
  refuse(
    'cardholders-need-card-issuing',
    `${acct} without card_issuing`,
    [`${P}.${acct}.cardholders`, `${P}.${acct}.financialAccount.features[0]`],
    (s) => {
      account(s, acct).capabilities = ['transfers', 'treasury', 'us_bank_account_ach_payments'];
    },
  );
}
refuse('capabilities-need-transfers', 'card_issuing alone', [`${P}.initech.capabilities[0]`], (s) => {
  issuing(s).accounts.initech = { id: 'acct_1DevInitech', capabilities: ['card_issuing'] };
});
refuse('account-once', "globex declares acme's id", [`${P}.globex.id`], (s) => {
  account(s, 'globex').id = account(s, 'acme').id;
});

// Financial accounts and features
const ACH = ['inbound_transfers.ach', 'outbound_payments.ach', 'outbound_transfers.ach'];
refuse(
  'ach-features-need-capability',
  'acme without us_bank_account_ach_payments',
  [3, 5, 6].map((i) => `${P}.acme.financialAccount.features[${i}]`),
  (s) => {
    account(s, 'acme').capabilities = ['transfers', 'treasury', 'card_issuing'];
  },
);
for (const feature of ACH) {
  refuse(
    'ach-features-need-capability',
    `globex ${feature} without us_bank_account_ach_payments`,
    [`${P}.globex.financialAccount.features[1]`],
    (s) => {
      account(s, 'globex').capabilities = ['transfers', 'treasury', 'card_issuing'];
      account(s, 'globex').financialAccount.features = ['card_issuing', feature];
    },
  );
}
refuse(
  'card-issuing-feature-needs-capability',
  'card_issuing feature without the capability, no cards',
  [`${P}.initech.financialAccount.features[0]`],
  (s) => {
    issuing(s).accounts.initech = {
      id: 'acct_1DevInitech',
      capabilities: ['transfers', 'treasury'],
      financialAccount: { supportedCurrencies: ['usd'], features: ['card_issuing', 'deposit_insurance'] },
    };
  },
);
refuse('feature-names', 'feature card_issuance', [`${P}.acme.financialAccount.features[7]`], (s) => {
  account(s, 'acme').financialAccount.features.push('card_issuance');
});
refuse('feature-names', 'feature listed twice', [`${P}.globex.financialAccount.features`], (s) => {
  account(s, 'globex').financialAccount.features.push('card_issuing');
});
refuse(
  'existing-or-managed',
  'id next to managed fields',
  ['supportedCurrencies', 'nickname', 'metadata'].map((key) => `${P}.acme.financialAccount.${key}`),
  (s) => {
    account(s, 'acme').financialAccount.id = 'fa_1Existing';
  },
);
refuse('existing-or-managed', 'managed without supportedCurrencies', [`${P}.globex.financialAccount.supportedCurrencies`], (s) => {
  delete account(s, 'globex').financialAccount.supportedCurrencies;
});
refuse('existing-or-managed', 'id with a wrong prefix', [`${P}.globex.financialAccount.id`], (s) => {
  account(s, 'globex').financialAccount = { id: 'acct_1Globex', features: ['card_issuing'] };
});
for (const currencies of [
  ['usd', 'eur'],
  ['usd', 'gbp'],
]) {
  refuse('usd-only', `supportedCurrencies ${currencies}`, [`${P}.acme.financialAccount.supportedCurrencies[1]`], (s) => {
    account(s, 'acme').financialAccount.supportedCurrencies = currencies;
  });
}
refuse('usd-only', 'no currency', [`${P}.globex.financialAccount.supportedCurrencies`], (s) => {
  account(s, 'globex').financialAccount.supportedCurrencies = [];
});
refuse('nickname', '101 characters', [`${P}.acme.financialAccount.nickname`], (s) => {
  account(s, 'acme').financialAccount.nickname = repeat(101);
});
refuse('platform-restrictions', 'outboundFlows blocked', [`${P}.acme.financialAccount.platformRestrictions.outboundFlows`], (s) => {
  account(s, 'acme').financialAccount.platformRestrictions = { outboundFlows: 'blocked' };
});
refuse('one-financial-account-each', 'two accounts reference one financial account', [`${P}.globex.financialAccount.id`], (s) => {
  account(s, 'acme').financialAccount = { id: 'fa_1Shared', features: ['card_issuing'] };
  account(s, 'globex').financialAccount = { id: 'fa_1Shared', features: ['card_issuing'] };
});
refuse('one-financial-account-each', 'one adopts what another references', [`${P}.globex.financialAccount.adoptId`], (s) => {
  account(s, 'acme').financialAccount = { id: 'fa_1Shared', features: ['card_issuing'] };
  account(s, 'globex').financialAccount.adoptId = 'fa_1Shared';
});
refuse('cards-need-financial-account', 'acme without a financial account', [`${P}.acme.financialAccount`], (s) => {
  delete account(s, 'acme').financialAccount;
});
for (const acct of ACCOUNTS) {
  refuse('cards-need-card-issuing-feature', `${acct} without the card_issuing feature`, [`${P}.${acct}.financialAccount.features`], (s) => {
    const features = account(s, acct).financialAccount.features as string[];
    account(s, acct).financialAccount.features = features.filter((feature) => feature !== 'card_issuing');
  });
}

// Cardholders
for (const at of CARDHOLDERS) {
  const base = holderPath(at);
  for (const name of ['Jane Rivera 2', 'Jane_Rivera', 'Jane & Co', repeat(25)]) {
    refuse('cardholder-name', `${at[1]} named ${name}`, [`${base}.name`], (s) => {
      holderAt(s, at).name = name;
    });
  }
  refuse('cardholder-type', `${at[1]} of type person`, [`${base}.type`], (s) => {
    holderAt(s, at).type = 'person';
  });
  refuse('email', `${at[1]} email without @`, [`${base}.email`], (s) => {
    holderAt(s, at).email = 'jane at acme.example';
  });
  refuse('phone-number', `${at[1]} phone without +`, [`${base}.phoneNumber`], (s) => {
    holderAt(s, at).phoneNumber = '4155550101';
  });
  refuse('billing-address', `${at[1]} address without line1`, [`${base}.billing.address.line1`], (s) => {
    delete holderAt(s, at).billing.address.line1;
  });
  refuse('billing-address', `${at[1]} postal code as a number`, [`${base}.billing.address.postalCode`], (s) => {
    holderAt(s, at).billing.address.postalCode = 94103;
  });
  for (const country of ['USA', 'us', 'XX', 'EU']) {
    refuse('country-codes', `${at[1]} billing country ${country}`, [`${base}.billing.address.country`], (s) => {
      holderAt(s, at).billing.address.country = country;
    });
  }
  refuse('cardholder-status', `${at[1]} status blocked`, [`${base}.status`], (s) => {
    holderAt(s, at).status = 'blocked';
  });
  refuse('preferred-locales', `${at[1]} locale pt`, [`${base}.preferredLocales[0]`], (s) => {
    holderAt(s, at).preferredLocales = ['pt'];
  });
}
refuse('individual-or-company', 'company cardholder with individual', [`${holderPath(['globex', 'fleet'])}.individual`], (s) => {
  holderAt(s, ['globex', 'fleet']).individual = { firstName: 'Globex' };
});
refuse('individual-or-company', 'individual cardholder with company', [`${holderPath(['acme', 'jane'])}.company`], (s) => {
  holderAt(s, ['acme', 'jane']).company = { taxId: '12-3456789' };
});
for (const at of INDIVIDUALS) {
  const base = `${holderPath(at)}.individual`;
  for (const name of ['J4ne', 'Анна', 'Jane!', '李']) {
    refuse('legal-names', `${at[1]} first name ${name}`, [`${base}.firstName`], (s) => {
      holderAt(s, at).individual.firstName = name;
    });
    refuse('legal-names', `${at[1]} last name ${name}`, [`${base}.lastName`], (s) => {
      holderAt(s, at).individual.lastName = name;
    });
  }
  refuse('names-for-active-cards', `${at[1]} without a last name`, [`${base}.lastName`], (s) => {
    delete holderAt(s, at).individual.lastName;
  });
  refuse('names-for-active-cards', `${at[1]} without individual`, [`${base}.firstName`, `${base}.lastName`], (s) => {
    delete holderAt(s, at).individual;
  });
  const dob = (s: Stack, value: Record<string, unknown>) => {
    holderAt(s, at).individual.dob = value;
  };
  for (const [part, value] of [
    ['day', 0],
    ['day', 32],
    ['month', 0],
    ['month', 13],
    ['year', 1899],
    ['year', THIS_YEAR + 1],
    ['year', 88],
    ['day', 1.5],
  ] as const) {
    refuse('birth-date-ranges', `${at[1]} dob.${part} ${value}`, [`${base}.dob.${part}`], (s) =>
      dob(s, { day: 12, month: 4, year: 1988, [part]: value }),
    );
  }
  refuse('birth-date-ranges', `${at[1]} dob without year`, [`${base}.dob.year`], (s) => dob(s, { day: 12, month: 4 }));
  for (const [day, month, year] of [
    [31, 2, 1988],
    [30, 2, 2000],
    [29, 2, 1990],
    [29, 2, 1900],
    [31, 4, 1988],
    [31, 6, 1975],
    [31, 9, 2001],
    [31, 11, 1960],
  ]) {
    refuse('birth-date-calendar', `${at[1]} born ${year}-${month}-${day}`, [`${base}.dob.day`], (s) => dob(s, { day, month, year }));
  }
  const soon = new Date(Date.now() + 2 * 86_400_000);
  refuse(
    'birth-date-past',
    `${at[1]} born the day after tomorrow`,
    [soon.getUTCFullYear() > THIS_YEAR ? `${base}.dob.year` : `${base}.dob`],
    (s) => dob(s, { day: soon.getUTCDate(), month: soon.getUTCMonth() + 1, year: soon.getUTCFullYear() }),
  );
  const terms = (s: Stack, value: Record<string, unknown>) => {
    holderAt(s, at).individual.cardIssuing = { userTermsAcceptance: { date: 1_700_000_000, ip: '203.0.113.7', ...value } };
  };
  for (const ip of ['999.1.1.1', 'localhost', '1.2.3', '2001:db8::zz']) {
    refuse('terms-acceptance', `${at[1]} terms from ${ip}`, [`${base}.cardIssuing.userTermsAcceptance.ip`], (s) => terms(s, { ip }));
  }
  for (const date of [-5, Math.floor(Date.now() / 1000) + 86_400, 1.5]) {
    refuse('terms-acceptance', `${at[1]} terms accepted at ${date}`, [`${base}.cardIssuing.userTermsAcceptance.date`], (s) =>
      terms(s, { date }),
    );
  }
  refuse('terms-acceptance', `${at[1]} terms without ip`, [`${base}.cardIssuing.userTermsAcceptance.ip`], (s) => {
    holderAt(s, at).individual.cardIssuing = { userTermsAcceptance: { date: 1_700_000_000 } };
  });
}

// Spending controls (cardholders and cards) and metadata
for (const owner of OWNERS) {
  const controls = (s: Stack) => {
    const entry = owner.get(s);
    entry.spendingControls ??= {};
    return entry.spendingControls;
  };
  const at = `${owner.path}.spendingControls`;
  refuse('merchant-categories', `${owner.path} allows "airline"`, [`${at}.allowedCategories[0]`], (s) => {
    const c = controls(s);
    delete c.blockedCategories;
    c.allowedCategories = ['airline', 'airlines_air_carriers'];
  });
  refuse('merchant-categories', `${owner.path} limits "Fuel"`, [`${at}.spendingLimits[0].categories[0]`], (s) => {
    controls(s).spendingLimits = [{ amount: 100, interval: 'daily', categories: ['Fuel'] }];
  });
  refuse('allowed-or-blocked', `${owner.path} allows and blocks categories`, [`${at}.blockedCategories`], (s) => {
    const c = controls(s);
    c.allowedCategories = ['service_stations'];
    c.blockedCategories = ['betting_casino_gambling'];
  });
  refuse('allowed-or-blocked', `${owner.path} allows and blocks countries`, [`${at}.blockedMerchantCountries`], (s) => {
    Object.assign(controls(s), { allowedMerchantCountries: ['US'], blockedMerchantCountries: ['KP'] });
  });
  refuse('country-codes', `${owner.path} blocks country XX`, [`${at}.blockedMerchantCountries[0]`], (s) => {
    controls(s).blockedMerchantCountries = ['XX'];
  });
  for (const [key, value] of [
    ['amount', 0],
    ['amount', -5],
    ['amount', 1.5],
    ['interval', 'fortnightly'],
  ] as const) {
    refuse('spending-limits', `${owner.path} limit ${key} ${value}`, [`${at}.spendingLimits[0].${key}`], (s) => {
      controls(s).spendingLimits = [{ amount: 100, interval: 'daily', [key]: value }];
    });
  }
  refuse('metadata', `${owner.path} 49 keys`, [`${owner.path}.metadata`], (s) => {
    owner.get(s).metadata = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']));
  });
  for (const key of ['pulumi_name', 'a[b]', repeat(41)]) {
    refuse('metadata', `${owner.path} metadata key ${key}`, [`${owner.path}.metadata.${key}`], (s) => {
      owner.get(s).metadata = { [key]: 'v' };
    });
  }
  refuse('metadata', `${owner.path} metadata value of 501 characters`, [`${owner.path}.metadata.note`], (s) => {
    owner.get(s).metadata = { note: repeat(501) };
  });
  refuse('metadata', `${owner.path} metadata value as a number`, [`${owner.path}.metadata.count`], (s) => {
    owner.get(s).metadata = { count: 5 };
  });
}
refuse('metadata', 'financial account metadata key pulumi_stack', [`${P}.acme.financialAccount.metadata.pulumi_stack`], (s) => {
  account(s, 'acme').financialAccount.metadata = { pulumi_stack: 'other' };
});

// Cards
for (const at of CARDS) {
  const base = cardPath(at);
  refuse('card-currency', `${at[2]} in eur`, [`${base}.currency`], (s) => {
    cardAt(s, at).currency = 'eur';
  });
  refuse('card-currency', `${at[2]} in USD`, [`${base}.currency`], (s) => {
    cardAt(s, at).currency = 'USD';
  });
  refuse('card-currency', `${at[2]} in xyz`, [`${base}.currency`], (s) => {
    cardAt(s, at).currency = 'xyz';
  });
  refuse('card-type', `${at[2]} of type plastic`, [`${base}.type`], (s) => {
    cardAt(s, at).type = 'plastic';
  });
  refuse('card-status', `${at[2]} status blocked`, [`${base}.status`], (s) => {
    cardAt(s, at).status = 'blocked';
  });
  refuse('physical-shipping', `${at[2]} physical without shipping`, [`${base}.shipping`], (s) => {
    cardAt(s, at).type = 'physical';
  });
  const shipping = { name: 'Jane Rivera', address: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' } };
  refuse('physical-shipping', `${at[2]} virtual with shipping`, [`${base}.shipping`], (s) => {
    cardAt(s, at).shipping = shipping;
  });
  for (const [key, value] of [
    ['service', 'overnight'],
    ['type', 'pallet'],
    ['phoneNumber', '555-0100'],
    ['requireSignature', 'yes'],
  ] as const) {
    refuse('shipping', `${at[2]} shipping ${key} ${value}`, [`${base}.shipping.${key}`], (s) => {
      Object.assign(cardAt(s, at), { type: 'physical', shipping: { ...shipping, [key]: value } });
    });
  }
  refuse('shipping', `${at[2]} shipping without name`, [`${base}.shipping.name`], (s) => {
    Object.assign(cardAt(s, at), { type: 'physical', shipping: { address: shipping.address } });
  });
  refuse('shipping', `${at[2]} shipping to country XX`, [`${base}.shipping.address.country`], (s) => {
    Object.assign(cardAt(s, at), { type: 'physical', shipping: { ...shipping, address: { ...shipping.address, country: 'XX' } } });
  });
  refuse('second-line', `${at[2]} second line of 25 characters`, [`${base}.secondLine`], (s) => {
    cardAt(s, at).secondLine = repeat(25);
  });
  refuse('personalization-design', `${at[2]} design named by a card ID`, [`${base}.personalizationDesign`], (s) => {
    cardAt(s, at).personalizationDesign = 'ic_1Card';
  });
  refuse('adopt-id', `${at[2]} adopts a cardholder ID`, [`${base}.adoptId`], (s) => {
    cardAt(s, at).adoptId = 'ich_1Holder';
  });
}
refuse('adopt-id', 'cardholder adopts a card ID', [`${holderPath(['acme', 'sam'])}.adoptId`], (s) => {
  holderAt(s, ['acme', 'sam']).adoptId = 'ic_1Card';
});
refuse('adopt-id', 'financial account adopts a webhook ID', [`${P}.acme.financialAccount.adoptId`], (s) => {
  account(s, 'acme').financialAccount.adoptId = 'we_1Hook';
});
refuse('adopt-once', 'two cards adopt one card', [`${cardPath(CARDS[1])}.adoptId`], (s) => {
  cardAt(s, CARDS[0]).adoptId = 'ic_1Same';
  cardAt(s, CARDS[1]).adoptId = 'ic_1Same';
});

// Webhook endpoints
const hook = (extra: Record<string, unknown> = {}) => ({
  url: 'https://hooks.example.com/stripe',
  enabledEvents: ['issuing_card.updated'],
  ...extra,
});
const WEBHOOK = 'issuing.webhookEndpoints.ops';
for (const url of ['hooks.example.com/stripe', 'ftp://hooks.example.com', 'https://']) {
  refuse('webhook-url', `url ${url}`, [`${WEBHOOK}.url`], (s) => {
    issuing(s).webhookEndpoints = { ops: hook({ url }) };
  });
}
refuse('webhook-https-live', 'http endpoint on a live stack', [`${WEBHOOK}.url`], (s) => {
  s.config['stripe-issuing:mode'] = 'live';
  delete s.config['stripe-issuing:demo'];
  issuing(s).authorizer.enabled = false;
  issuing(s).webhookEndpoints = { ops: hook({ url: 'http://hooks.example.com/stripe' }) };
});
for (const event of ['issuing_card.create', 'issuing_card.*', 'card.updated', '']) {
  refuse('webhook-events', `event "${event}"`, [`${WEBHOOK}.enabledEvents[0]`], (s) => {
    issuing(s).webhookEndpoints = { ops: hook({ enabledEvents: [event] }) };
  });
}
refuse('webhook-events', 'no events', [`${WEBHOOK}.enabledEvents`], (s) => {
  issuing(s).webhookEndpoints = { ops: hook({ enabledEvents: [] }) };
});
refuse('webhook-api-version', 'api version 2019-13-01', [`${WEBHOOK}.apiVersion`], (s) => {
  issuing(s).webhookEndpoints = { ops: hook({ apiVersion: '2019-13-01' }) };
});
refuse('webhook-description', 'description of 5001 characters', [`${WEBHOOK}.description`], (s) => {
  issuing(s).webhookEndpoints = { ops: hook({ description: repeat(5001) }) };
});
refuse('adopt-id', 'endpoint adopts a card ID', [`${WEBHOOK}.adoptId`], (s) => {
  issuing(s).webhookEndpoints = { ops: hook({ adoptId: 'ic_1Card' }) };
});

// Authorizer
const rulesAt = [
  { get: (s: Stack) => issuing(s).authorizer.defaultRules, path: 'issuing.authorizer.defaultRules' },
  ...OWNERS.map((owner) => ({ get: (s: Stack) => (owner.get(s).authorization ??= {}), path: `${owner.path}.authorization` })),
];
for (const rules of rulesAt) {
  refuse('authorizer-rules', `${rules.path} maxAmount 0`, [`${rules.path}.maxAmount`], (s) => {
    rules.get(s).maxAmount = 0;
  });
  refuse('authorizer-rules', `${rules.path} blocks XX`, [`${rules.path}.blockedCountries[0]`], (s) => {
    rules.get(s).blockedCountries = ['XX'];
  });
  refuse('authorizer-rules', `${rules.path} blocks "casinos"`, [`${rules.path}.blockedCategories[0]`], (s) => {
    rules.get(s).blockedCategories = ['casinos'];
  });
  refuse('authorizer-rules', `${rules.path} allows and blocks countries`, [`${rules.path}.blockedCountries`], (s) => {
    Object.assign(rules.get(s), { allowedCountries: ['US'], blockedCountries: ['KP'] });
  });
}
refuse('authorizer-live-local', 'local authorizer on a live stack', ['issuing.authorizer.target'], (s) => {
  s.config['stripe-issuing:mode'] = 'live';
  delete s.config['stripe-issuing:demo'];
});
for (const port of [80, 70000, 4242.5]) {
  refuse('authorizer-settings', `port ${port}`, ['issuing.authorizer.port'], (s) => {
    issuing(s).authorizer.port = port;
  });
}
refuse('authorizer-settings', 'target gcp', ['issuing.authorizer.target'], (s) => {
  issuing(s).authorizer.target = 'gcp';
});
refuse('authorizer-settings', 'logRetentionDays 10', ['issuing.authorizer.logRetentionDays'], (s) => {
  issuing(s).authorizer.logRetentionDays = 10;
});
refuse('authorizer-settings', 'memorySize 64', ['issuing.authorizer.memorySize'], (s) => {
  issuing(s).authorizer.memorySize = 64;
});

/** Variants that stay within every rule, edge cases included. */
const accepted: { name: string; edit: (stack: Stack) => void }[] = [
  { name: 'the dev stack as it is', edit: () => undefined },
  {
    name: 'born on 29 February of a leap year',
    edit: (s) => {
      holderAt(s, ['acme', 'jane']).individual.dob = { day: 29, month: 2, year: 2000 };
    },
  },
  {
    name: 'born on the last day of each month',
    edit: (s) => {
      holderAt(s, ['acme', 'sam']).individual.dob = { day: 31, month: 12, year: 1900 };
    },
  },
  {
    name: 'born today',
    edit: (s) => {
      holderAt(s, ['acme', 'sam']).individual.dob = { day: isoToday.getUTCDate(), month: isoToday.getUTCMonth() + 1, year: THIS_YEAR };
    },
  },
  {
    name: 'latin names with accents, commas, apostrophes, hyphens',
    edit: (s) => {
      Object.assign(holderAt(s, ['acme', 'jane']).individual, { firstName: 'José-María', lastName: "O'Brien, Jr." });
    },
  },
  {
    name: 'terms accepted from IPv4 and IPv6 addresses',
    edit: (s) => {
      holderAt(s, ['acme', 'jane']).individual.cardIssuing = {
        userTermsAcceptance: { date: 1_700_000_000, ip: '203.0.113.7', userAgent: 'Mozilla/5.0' },
      };
      holderAt(s, ['acme', 'sam']).individual.cardIssuing = { userTermsAcceptance: { date: 0, ip: '2001:db8::1' } };
    },
  },
  {
    name: 'an individual without names whose cards are inactive',
    edit: (s) => {
      delete holderAt(s, ['acme', 'sam']).individual;
      cardAt(s, CARDS[2]).status = 'inactive';
    },
  },
  {
    name: 'a company cardholder with active cards and no names',
    edit: (s) => {
      cardAt(s, CARDS[3]).status = 'active';
    },
  },
  {
    name: 'capabilities in any order',
    edit: (s) => {
      account(s, 'acme').capabilities = ['us_bank_account_ach_payments', 'card_issuing', 'treasury', 'transfers'];
    },
  },
  {
    name: 'no ACH features and no ACH capability',
    edit: (s) => {
      account(s, 'globex').capabilities = ['transfers', 'treasury', 'card_issuing'];
      account(s, 'globex').financialAccount.features = ['card_issuing', 'financial_addresses.aba', 'outbound_transfers.us_domestic_wire'];
    },
  },
  {
    name: 'an account with a financial account and no cards needs no card_issuing',
    edit: (s) => {
      issuing(s).accounts.initech = {
        id: 'acct_1DevInitech',
        capabilities: ['transfers', 'treasury'],
        financialAccount: { supportedCurrencies: ['usd'], features: ['deposit_insurance'] },
      };
    },
  },
  {
    name: 'an existing financial account by id',
    edit: (s) => {
      account(s, 'globex').financialAccount = { id: 'fa_1Existing', features: ['card_issuing'] };
    },
  },
  {
    name: 'a physical card with full shipping',
    edit: (s) => {
      Object.assign(cardAt(s, CARDS[0]), {
        type: 'physical',
        secondLine: 'Acme Travel',
        personalizationDesign: 'ipcd_1Standard',
        shipping: {
          name: 'Jane Rivera',
          service: 'express',
          type: 'individual',
          requireSignature: true,
          phoneNumber: '+14155550101',
          address: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
        },
      });
    },
  },
  {
    name: 'webhook endpoints with every event, a pinned older API version, and https on live',
    edit: (s) => {
      s.config['stripe-issuing:mode'] = 'live';
      delete s.config['stripe-issuing:demo'];
      delete s.config['stripe-issuing:demo'];
      s.config['stripe-issuing:stripeApiVersion'] = '2026-10-28.endive';
      issuing(s).authorizer.target = 'aws-lambda';
      issuing(s).authorizer.apiVersion = '2026-10-28.endive';
      issuing(s).webhookEndpoints = {
        all: hook({ enabledEvents: ['*'], apiVersion: '2024-06-20' }),
        issuing: hook({ enabledEvents: ['issuing_authorization.request', 'treasury.financial_account.features_status_updated'] }),
      };
    },
  },
  {
    name: 'metadata at the limits',
    edit: (s) => {
      cardAt(s, CARDS[0]).metadata = Object.fromEntries(
        Array.from({ length: 48 }, (_, i) => [`${repeat(38)}${String(i).padStart(2, '0')}`, repeat(500)]),
      );
    },
  },
  {
    name: 'allowed categories on the card, blocked on the cardholder',
    edit: (s) => {
      holderAt(s, ['acme', 'jane']).spendingControls = {
        blockedCategories: ['betting_casino_gambling'],
        allowedMerchantCountries: ['US', 'CA'],
      };
    },
  },
];

const problemsOf = (variant: Pick<Variant, 'edit' | 'text'>): string[] => {
  if (variant.text) return checkStackText(FILE, variant.text(DEV_TEXT));
  const stack = dev();
  variant.edit?.(stack);
  return checkStackText(FILE, yaml.dump(stack, { lineWidth: -1 }));
};
const pathOf = (line: string) => /^stacks\/Pulumi\.dev\.yaml: (.*?): /.exec(line)?.[1] ?? line;

/** Rule ids of the table under "### Rules" in docs/stack-config.md. */
function documentedRules(): string[] {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'stack-config.md'), 'utf8');
  const section = doc.slice(doc.indexOf('### Rules'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| ---')));
  return [...table.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((match) => match[1]);
}

describe('stack rules: generated variants of the dev stack', () => {
  it('documents every rule in docs/stack-config.md, and each documented rule has variants here', () => {
    const documented = documentedRules();
    expect(documented.length, 'rows of the Rules table').to.be.greaterThan(30);
    expect(new Set(documented).size, 'rule ids are unique').to.equal(documented.length);
    expect([...new Set(variants.map((v) => v.rule))].sort()).to.deep.equal([...documented].sort());
  });

  it(`refuses each of ${variants.length} variants that break one rule, naming exactly the broken key paths`, () => {
    const wrong: string[] = [];
    for (const variant of variants) {
      const problems = problemsOf(variant);
      const paths = [...new Set(problems.map(pathOf))].sort();
      if (JSON.stringify(paths) !== JSON.stringify([...variant.paths].sort())) {
        wrong.push(
          `${variant.rule} (${variant.name}): expected ${variant.paths.join(', ')}; got\n      ${problems.join('\n      ') || 'no problem'}`,
        );
      }
      expect(
        problems.every((line) => line.startsWith(`${FILE}: `)),
        `${variant.name}: every problem names the file`,
      ).to.equal(true);
    }
    if (wrong.length > 0) expect.fail(`${wrong.length} variants not refused as expected:\n  ${wrong.join('\n  ')}`);
  });

  it('accepts the variants that stay within the rules', () => {
    for (const variant of accepted) expect(problemsOf(variant), variant.name).to.deep.equal([]);
  });

  it('reports every broken rule in one run', () => {
    // One variant of each rule that touches a part of the file no other chosen variant touches.
    const chosen = [
      'cardholder-name',
      'card-currency',
      'birth-date-calendar',
      'ach-features-need-capability',
      'webhook-events',
      'authorizer-settings',
      'metadata',
      'terms-acceptance',
    ].map((rule) => variants.find((v) => v.rule === rule && v.edit !== undefined)!);
    const problems = problemsOf({
      edit: (stack) => {
        for (const v of chosen) v.edit!(stack);
      },
    });
    expect([...new Set(problems.map(pathOf))].sort()).to.deep.equal(chosen.flatMap((v) => v.paths).sort());
  });

  it('takes a seeded sample of dates of birth exactly when they exist in the calendar', () => {
    let seed = 15;
    const next = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % below;
    };
    const base = `${holderPath(['acme', 'jane'])}.individual.dob`;
    for (let i = 0; i < 150; i++) {
      const [day, month, year] = [1 + next(31), 1 + next(12), 1900 + next(THIS_YEAR - 1900)];
      const exists = new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
      const problems = problemsOf({
        edit: (s) => {
          holderAt(s, ['acme', 'jane']).individual.dob = { day, month, year };
        },
      });
      expect(problems.map(pathOf), `${year}-${month}-${day}`).to.deep.equal(exists ? [] : [`${base}.day`]);
    }
  });
});
