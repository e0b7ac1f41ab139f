// The AWS deployment of the authorizer under Pulumi's runtime mocks: no AWS account is reachable
// here, so this shows which resources are declared and with which settings.

import * as pulumi from '@pulumi/pulumi';
import { expect } from 'chai';
import type { RuleSet } from '../../authorizer/types';

const SIGNING_SECRET = 'whsec_mocked_signing_secret_value';
const RULES: RuleSet = {
  stack: 'dev',
  unknownCards: 'decline',
  accounts: { cards: { 'travel-card': 'acct_1Acme' }, cardholders: { jenny: 'acct_1Acme' } },
  cardholders: { jenny: { maxAmount: 20000 } },
  cards: { 'travel-card': { blockedCountries: ['RU'] } },
};
const API_VERSION = '2026-10-28.endive';

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

function computedState(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const arn = (service: string, kind: string) => `arn:aws:${service}:eu-west-1:123456789012:${kind}:${args.name}`;
  switch (args.type) {
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { name: `/mock/${args.name}`, arn: arn('logs', 'log-group') };
    case 'aws:secretsmanager/secret:Secret':
      return { arn: arn('secretsmanager', 'secret') };
    case 'aws:iam/role:Role':
      return { arn: `arn:aws:iam::123456789012:role/${args.name}` };
    case 'aws:lambda/function:Function':
      return { name: args.name, arn: arn('lambda', 'function') };
    case 'aws:lambda/functionUrl:FunctionUrl':
      return { functionUrl: `https://${args.name}.lambda-url.eu-west-1.on.aws/` };
    case 'pulumi-nodejs:dynamic/stripe-issuing:WebhookEndpoint':
      return { secret: SIGNING_SECRET, status: 'enabled' };
    default:
      return {};
  }
}

describe('authorizer AWS deployment (Pulumi runtime mocks)', function () {
  this.timeout(120_000);
  const registered: Registered[] = [];
  let deploy: typeof import('../../authorizer/deploy');
  let outputs: Record<string, string>;

  const one = (type: string): Registered => {
    const matches = registered.filter((resource) => resource.type === type);
    expect(matches, type).to.have.length(1);
    return matches[0];
  };
  const resolve = <T>(output: pulumi.Output<T>) => new Promise<T>((done) => output.apply((value) => done(value)));

  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          registered.push({ type: args.type, name: args.name, inputs: args.inputs });
          return { id: `${args.name}-id`, state: { ...args.inputs, ...computedState(args) } };
        },
        call: (args) => args.inputs,
      },
      'stripe-issuing',
      'dev',
      false,
    );
    deploy = await import('../../authorizer/deploy');
    const authorizer = new deploy.AwsLambdaAuthorizer('authorizer', { rules: RULES, stripeVersion: API_VERSION });
    outputs = {
      url: await resolve(authorizer.url),
      functionName: await resolve(authorizer.functionName),
      signingSecretArn: await resolve(authorizer.signingSecretArn),
      webhookEndpointId: await resolve(authorizer.webhookEndpointId),
    };
    // Child resources register asynchronously; wait until the last one (the secret's value) is in.
    for (let i = 0; i < 100 && !registered.some((r) => r.type === 'aws:secretsmanager/secretVersion:SecretVersion'); i += 1) {
      await new Promise((done) => setTimeout(done, 20));
    }
  });

  it('declares exactly the authorizer resources under one component', () => {
    expect(registered.map((resource) => resource.type).sort()).to.deep.equal([
      'aws:cloudwatch/logGroup:LogGroup',
      'aws:iam/role:Role',
      'aws:iam/rolePolicy:RolePolicy',
      'aws:lambda/function:Function',
      'aws:lambda/functionUrl:FunctionUrl',
      'aws:lambda/permission:Permission',
      'aws:lambda/permission:Permission',
      'aws:secretsmanager/secret:Secret',
      'aws:secretsmanager/secretVersion:SecretVersion',
      'pulumi-nodejs:dynamic/stripe-issuing:WebhookEndpoint',
      'stripe-issuing:authorizer:AwsLambdaAuthorizer',
    ]);
    expect(outputs.url).to.equal('https://authorizer-url.lambda-url.eu-west-1.on.aws/');
  });

  it('runs the packaged handler on Node 22 with its log group and no secret in the environment', () => {
    const fn = one('aws:lambda/function:Function').inputs;
    expect(fn.runtime).to.equal('nodejs22.x');
    expect(fn.handler).to.equal('authorizer/lambda.handler');
    expect(fn.role).to.equal('arn:aws:iam::123456789012:role/authorizer-role');
    expect(fn.timeout).to.be.at.most(3);
    expect(fn.loggingConfig).to.deep.equal({ logFormat: 'Text', logGroup: '/mock/authorizer-logs' });
    expect(fn.environment.variables).to.deep.equal({
      AUTHORIZER_SECRET_ARN: outputs.signingSecretArn,
      AUTHORIZER_STRIPE_VERSION: API_VERSION,
    });
    expect(JSON.stringify(fn)).not.to.contain(SIGNING_SECRET);
  });

  it("reserves concurrency for the function (10 by default), so a flood cannot starve Stripe's calls or the account", () => {
    expect(one('aws:lambda/function:Function').inputs.reservedConcurrentExecutions).to.equal(deploy.DEFAULT_RESERVED_CONCURRENCY);
    expect(deploy.DEFAULT_RESERVED_CONCURRENCY).to.equal(10);
  });

  it('ships the transpiled handler, the rules and the stripe package in the code archive', async () => {
    const archive = one('aws:lambda/function:Function').inputs.code as pulumi.asset.AssetArchive;
    const assets = (await archive.assets) as Record<string, any>;
    expect(Object.keys(assets)).to.include.members([
      'authorizer/lambda.js',
      'authorizer/handler.js',
      'authorizer/decide.js',
      'authorizer/rules.json',
      'node_modules/stripe',
    ]);
    expect(JSON.parse(await assets['authorizer/rules.json'].text)).to.deep.equal(RULES);
    expect(Object.keys(await assets['node_modules/stripe'].assets)).to.have.members(['package.json', 'cjs']);
  });

  it('exposes a function URL without AWS auth: the Stripe signature is the authentication', () => {
    expect(one('aws:lambda/functionUrl:FunctionUrl').inputs).to.deep.include({
      functionName: outputs.functionName,
      authorizationType: 'NONE',
    });
  });

  it('grants the public invoke permissions a function URL made through the API needs', () => {
    const permissions = registered.filter((r) => r.type === 'aws:lambda/permission:Permission').map((r) => r.inputs);
    expect(permissions).to.deep.include.members([
      { function: outputs.functionName, action: 'lambda:InvokeFunctionUrl', principal: '*', functionUrlAuthType: 'NONE' },
      { function: outputs.functionName, action: 'lambda:InvokeFunction', principal: '*', invokedViaFunctionUrl: true },
    ]);
  });

  it('gives the role only log writes to its own group and the read of its one secret', () => {
    const assume = JSON.parse(one('aws:iam/role:Role').inputs.assumeRolePolicy);
    expect(assume.Statement).to.deep.equal([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    const policy = JSON.parse(one('aws:iam/rolePolicy:RolePolicy').inputs.policy);
    expect(policy.Statement).to.deep.equal([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: 'arn:aws:logs:eu-west-1:123456789012:log-group:authorizer-logs:*',
      },
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: outputs.signingSecretArn },
    ]);
    expect(registered.filter((r) => r.type === 'aws:iam/rolePolicyAttachment:RolePolicyAttachment')).to.have.length(0);
  });

  it('bounds log retention (30 days by default) and refuses periods CloudWatch does not offer', () => {
    expect(one('aws:cloudwatch/logGroup:LogGroup').inputs.retentionInDays).to.equal(30);
    expect(
      () => new deploy.AwsLambdaAuthorizer('bad-retention', { rules: RULES, stripeVersion: API_VERSION, logRetentionDays: 10 as 7 }),
    ).to.throw('logRetentionDays 10 is not a CloudWatch retention period; use one of 1, 3, 5, 7, 14, 30');
  });

  it('stores the endpoint signing secret in Secrets Manager, as a Pulumi secret', () => {
    const version = one('aws:secretsmanager/secretVersion:SecretVersion').inputs;
    expect(version.secretId).to.equal('authorizer-signing-secret-id');
    // The mock monitor receives secrets in their wire envelope: this one stays encrypted in state.
    expect(version.secretString).to.deep.equal({
      [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
      value: SIGNING_SECRET,
    });
  });

  it('points a Connect webhook endpoint for issuing_authorization.request at the function URL', () => {
    expect(one('pulumi-nodejs:dynamic/stripe-issuing:WebhookEndpoint').inputs).to.deep.include({
      url: outputs.url,
      enabledEvents: ['issuing_authorization.request'],
      connect: true,
      apiVersion: API_VERSION,
    });
    expect(outputs.webhookEndpointId).to.equal('authorizer-webhook-id');
  });

  it('refuses invalid rules before declaring anything', () => {
    expect(
      () =>
        new deploy.AwsLambdaAuthorizer('bad-rules', { rules: { ...RULES, cards: { c: { maxAmount: -1 } } }, stripeVersion: API_VERSION }),
    ).to.throw('rules.cards.c.maxAmount: expected a positive whole number');
  });
});
