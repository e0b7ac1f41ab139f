// Runs the Lambda exactly as packaged: the transpiled sources from lambdaSources() in a temporary
// directory laid out like the archive, with the real `stripe` package beside them.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import Stripe from 'stripe';
import type { AuthorizerLogEntry } from '../../../authorizer/handler';
import type * as LambdaModule from '../../../authorizer/lambda';
import { LAMBDA_HANDLER, lambdaSources, stripePackageRoot } from '../../../authorizer/package';
import type { RuleSet } from '../../../authorizer/types';
import { authorizationEvent, fixtureRules, SECRET, signedRequest } from '../../../testbed/authorization-events';

const RULES: RuleSet = fixtureRules({ killSwitch: false, cards: { 'travel-card': { maxAmount: 5000 } } });
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:authorizer-signing-AbCdEf';

// The nodejs22.x runtime provides AWS SDK v3; this stand-in records what the lambda asks it for.
const SECRETS_MANAGER_STAND_IN = `
exports.calls = [];
exports.value = ${JSON.stringify(SECRET)};
exports.SecretsManagerClient = class { async send(command) { exports.calls.push(command.input); return { SecretString: exports.value }; } };
exports.GetSecretValueCommand = class { constructor(input) { this.input = input; } };
`;

function functionUrlEvent(request: { body: string; headers: Record<string, string> }, base64 = false) {
  return {
    version: '2.0',
    rawPath: '/',
    headers: request.headers,
    body: base64 ? Buffer.from(request.body).toString('base64') : request.body,
    isBase64Encoded: base64,
    requestContext: { http: { method: 'POST' } },
  };
}

describe('authorizer Lambda adapter, as packaged', () => {
  let root: string;
  let lambda: typeof LambdaModule;
  let secretsManager: { calls: Array<{ SecretId: string }>; value: string };

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'authorizer-lambda-'));
    for (const [file, text] of Object.entries(lambdaSources(RULES))) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    const stripeRoot = stripePackageRoot();
    fs.mkdirSync(path.join(root, 'node_modules/stripe'), { recursive: true });
    fs.copyFileSync(path.join(stripeRoot, 'package.json'), path.join(root, 'node_modules/stripe/package.json'));
    fs.symlinkSync(path.join(stripeRoot, 'cjs'), path.join(root, 'node_modules/stripe/cjs'));
    fs.mkdirSync(path.join(root, 'node_modules/@aws-sdk/client-secrets-manager'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules/@aws-sdk/client-secrets-manager/index.js'), SECRETS_MANAGER_STAND_IN);
    const [file, exported] = LAMBDA_HANDLER.split('.');
    expect(exported).to.equal('handler');
    lambda = require(path.join(root, `${file}.js`));
    secretsManager = require(path.join(root, 'node_modules/@aws-sdk/client-secrets-manager'));
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('ships plain JavaScript and the rules, nothing from TypeScript', () => {
    expect(fs.readFileSync(path.join(root, 'authorizer/handler.js'), 'utf8')).to.contain('require("stripe")');
    expect(JSON.parse(fs.readFileSync(path.join(root, 'authorizer/rules.json'), 'utf8'))).to.deep.equal(RULES);
  });

  it('the entry point reads the secret once per cold start from the ARN in its environment and decides', async () => {
    process.env.AUTHORIZER_SECRET_ARN = SECRET_ARN;
    process.env.AUTHORIZER_STRIPE_VERSION = Stripe.API_VERSION;
    try {
      const first = await lambda.handler(
        functionUrlEvent(signedRequest(JSON.stringify(authorizationEvent({ cardName: 'travel-card', amount: 4000 })))),
      );
      expect(first).to.deep.equal({
        statusCode: 200,
        headers: { 'Stripe-Version': Stripe.API_VERSION, 'Content-Type': 'application/json' },
        body: JSON.stringify({ approved: true }),
      });
      const second = await lambda.handler(
        functionUrlEvent(signedRequest(JSON.stringify(authorizationEvent({ cardName: 'travel-card', amount: 6000 }))), true),
      );
      expect(JSON.parse(second.body)).to.deep.equal({ approved: false });
      expect(secretsManager.calls).to.deep.equal([{ SecretId: SECRET_ARN }]);
    } finally {
      delete process.env.AUTHORIZER_SECRET_ARN;
      delete process.env.AUTHORIZER_STRIPE_VERSION;
    }
  });

  it('names the missing environment variable', () => {
    expect(() => lambda.settingsFromEnvironment({}, path.join(root, 'authorizer'))).to.throw(
      'environment variable AUTHORIZER_SECRET_ARN is not set; the authorizer deployment sets it',
    );
  });

  it('refuses a secret that is not a webhook signing secret, without echoing it', async () => {
    secretsManager.value = 'sk_test_not_a_signing_secret';
    try {
      const settings = lambda.settingsFromEnvironment(
        { AUTHORIZER_SECRET_ARN: SECRET_ARN, AUTHORIZER_STRIPE_VERSION: Stripe.API_VERSION },
        path.join(root, 'authorizer'),
      );
      const result = await lambda.createLambdaHandler({ ...settings, log: () => undefined })(
        functionUrlEvent(signedRequest(JSON.stringify(authorizationEvent()))),
      );
      expect(result.statusCode).to.equal(500);
      expect(result.body).not.to.contain('sk_test_not_a_signing_secret');
    } finally {
      secretsManager.value = SECRET;
    }
  });

  it('retries loading the secret after a failure instead of caching it', async () => {
    let attempts = 0;
    const logged: AuthorizerLogEntry[] = [];
    const handle = lambda.createLambdaHandler({
      loadSecret: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('AccessDeniedException');
        return SECRET;
      },
      rules: RULES,
      stripeVersion: Stripe.API_VERSION,
      log: (entry) => logged.push(entry),
    });
    const request = () => functionUrlEvent(signedRequest(JSON.stringify(authorizationEvent())));
    expect((await handle(request())).statusCode).to.equal(500);
    expect((await handle(request())).statusCode).to.equal(200);
    expect((await handle(request())).statusCode).to.equal(200);
    expect(attempts).to.equal(2);
    expect(logged.map((entry) => entry.event)).to.deep.equal(['request_rejected', 'authorization_decided', 'authorization_decided']);
  });

  it('answers a caller a generic error when the secret cannot be read: the ARN and account ID go to the log only', async () => {
    const logged: AuthorizerLogEntry[] = [];
    const handle = lambda.createLambdaHandler({
      loadSecret: async () => {
        throw new Error(`User: arn:aws:sts::123456789012:assumed-role/x is not authorized to perform GetSecretValue on ${SECRET_ARN}`);
      },
      rules: RULES,
      stripeVersion: Stripe.API_VERSION,
      log: (entry) => logged.push(entry),
    });
    const result = await handle(functionUrlEvent(signedRequest(JSON.stringify(authorizationEvent()), { secret: 'whsec_any' })));
    expect([result.statusCode, JSON.parse(result.body)]).to.deep.equal([500, { error: lambda.UNAVAILABLE_ERROR }]);
    expect(result.body).not.to.match(/arn:|123456789012/);
    expect(JSON.stringify(logged)).to.contain(SECRET_ARN);
  });

  it('re-reads the secret when a signature fails (endpoint replaced, secret rolled) and decides with the new one, at most once per interval', async () => {
    let stored = SECRET;
    let reads = 0;
    let clock = 0;
    const handle = lambda.createLambdaHandler({
      loadSecret: async () => {
        reads += 1;
        return stored;
      },
      rules: RULES,
      stripeVersion: Stripe.API_VERSION,
      log: () => undefined,
      now: () => clock,
    });
    const signedWith = (secret: string) =>
      functionUrlEvent(signedRequest(JSON.stringify(authorizationEvent({ cardName: 'travel-card' })), { secret }));
    expect((await handle(signedWith(SECRET))).statusCode).to.equal(200);
    // The endpoint was recreated: Stripe now signs with a new secret, which Secrets Manager already holds.
    stored = 'whsec_after_replacement';
    clock += lambda.SECRET_RELOAD_INTERVAL_MS;
    const afterReplace = await handle(signedWith(stored));
    expect([afterReplace.statusCode, JSON.parse(afterReplace.body)]).to.deep.equal([200, { approved: true }]);
    expect(reads).to.equal(2);
    // Forged requests right after cannot make it read again before the interval has passed.
    for (let i = 0; i < 5; i++) expect((await handle(signedWith('whsec_forged'))).statusCode).to.equal(400);
    expect(reads).to.equal(2);
    clock += lambda.SECRET_RELOAD_INTERVAL_MS;
    expect((await handle(signedWith('whsec_forged'))).statusCode).to.equal(400);
    expect(reads).to.equal(3);
  });

  it('refuses a request no secret could make valid before any work: no secret read, whatever the load', async () => {
    let reads = 0;
    const logged: AuthorizerLogEntry[] = [];
    const handle = lambda.createLambdaHandler({
      loadSecret: async () => {
        reads += 1;
        return SECRET;
      },
      rules: RULES,
      stripeVersion: Stripe.API_VERSION,
      log: (entry) => logged.push(entry),
    });
    const payload = JSON.stringify(authorizationEvent({ cardName: 'travel-card' }));
    const { headers } = signedRequest(payload);
    const now = Math.floor(Date.now() / 1000);
    const unsigned: Array<[Record<string, string>, string, string]> = [
      [{}, payload, 'missing Stripe-Signature header'],
      [headers, '', 'Stripe-Signature rejected: No webhook payload was provided.'],
      [{ 'stripe-signature': 'garbage' }, payload, 'Stripe-Signature rejected: Unable to extract timestamp and signatures from header'],
      [{ 'stripe-signature': `t=${now},v0=abc` }, payload, 'Stripe-Signature rejected: No signatures found with expected scheme'],
      [{ 'stripe-signature': `t=${now - 301},v1=abc` }, payload, 'Stripe-Signature rejected: Timestamp outside the tolerance zone'],
      [{ 'stripe-signature': `t=${now + 3600},v1=abc` }, payload, 'Stripe-Signature rejected: timestamp is more than 300 s in the future'],
    ];
    for (let round = 0; round < 50; round++) {
      for (const [requestHeaders, body, error] of unsigned) {
        const result = await handle(functionUrlEvent({ body, headers: requestHeaders }));
        expect([result.statusCode, JSON.parse(result.body)]).to.deep.equal([400, { error }]);
      }
    }
    expect(reads).to.equal(0);
    expect(logged).to.have.length(300);
    expect(logged.every((entry) => entry.event === 'request_rejected' && entry.status === 400)).to.equal(true);
    // A request that may be Stripe's is the first to read the secret.
    expect((await handle(functionUrlEvent(signedRequest(payload)))).statusCode).to.equal(200);
    expect(reads).to.equal(1);
  });

  it('keeps the secret it has when a re-read fails (Secrets Manager throttled): only a failed first read is forgotten', async () => {
    let reads = 0;
    let clock = 0;
    const handle = lambda.createLambdaHandler({
      loadSecret: async () => {
        reads += 1;
        if (reads > 1) throw new Error('ThrottlingException: Rate exceeded');
        return SECRET;
      },
      rules: RULES,
      stripeVersion: Stripe.API_VERSION,
      log: () => undefined,
      now: () => clock,
    });
    const signedWith = (secret: string) =>
      functionUrlEvent(signedRequest(JSON.stringify(authorizationEvent({ cardName: 'travel-card' })), { secret }));
    expect((await handle(signedWith(SECRET))).statusCode).to.equal(200);
    clock += lambda.SECRET_RELOAD_INTERVAL_MS;
    // A forged request makes it re-read, the read fails: the forged request keeps its 400, not a 500.
    const forged = await handle(signedWith('whsec_forged'));
    expect(forged.statusCode).to.equal(400);
    expect(JSON.parse(forged.body).error).to.match(/^Stripe-Signature rejected: No signatures found matching/);
    expect(reads).to.equal(2);
    // Stripe's next requests are decided with the secret read before, without another read.
    for (let i = 0; i < 3; i++) expect((await handle(signedWith(SECRET))).statusCode).to.equal(200);
    expect(reads).to.equal(2);
  });

  it('refuses methods other than POST and forged requests', async () => {
    const handle = lambda.createLambdaHandler({
      loadSecret: async () => SECRET,
      rules: RULES,
      stripeVersion: Stripe.API_VERSION,
      log: () => undefined,
    });
    expect((await handle({ requestContext: { http: { method: 'GET' } } })).statusCode).to.equal(405);
    const forged = await handle(functionUrlEvent(signedRequest(JSON.stringify(authorizationEvent()), { secret: 'whsec_forged' })));
    expect(forged.statusCode).to.equal(400);
  });

  it('refuses to package code importing a module the archive would not carry', () => {
    const entry = path.join(root, 'entry.ts');
    fs.writeFileSync(entry, "import leftPad from 'left-pad';\nexport const padded = leftPad('1', 2);\n");
    expect(() => lambdaSources(RULES, entry)).to.throw(
      /imports left-pad, which the Lambda archive does not ship; use node: built-ins, relative modules or one of: stripe/,
    );
  });
});
