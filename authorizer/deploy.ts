// Deploys the authorizer to AWS: a Lambda function (Node 22) behind a function URL that Stripe calls,
// its signing secret in Secrets Manager (read by the function at cold start, never in its environment),
// a log group with bounded retention, a role allowed only those two things, and a Connect webhook
// endpoint subscribed to `issuing_authorization.request` pointing at the URL.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
// The package the program declares every resource from (program/provider.ts builds it first).
import { WebhookEndpoint } from '@stripe-issuing/provider';
import { SECRET_ARN_VARIABLE, STRIPE_VERSION_VARIABLE } from './lambda';
import { LAMBDA_HANDLER, lambdaArchive } from './package';
import { assertValidRuleSet } from './rule-set';
import { AUTHORIZATION_REQUEST_EVENT, LOG_RETENTION_DAYS, type LogRetentionDays, type RuleSet } from './types';

/** Concurrent executions reserved by default: Stripe's calls always find capacity, and a flood cannot take the account's. */
export const DEFAULT_RESERVED_CONCURRENCY = 10;

export interface AwsLambdaAuthorizerArgs {
  rules: RuleSet;
  /**
   * Answer header and webhook endpoint API version, pinned in the stack file: a default taken from the
   * `stripe` package would replace the endpoint (and its signing secret) whenever the package is upgraded.
   */
  stripeVersion: string;
  /** Executions reserved for the function (and its ceiling). Default DEFAULT_RESERVED_CONCURRENCY. */
  reservedConcurrency?: number;
  /** Default 30 days. */
  logRetentionDays?: LogRetentionDays;
  /** More memory is more CPU: cold starts must finish well inside Stripe's 2 s. Default 512 MB. */
  memorySize?: number;
}

export class AwsLambdaAuthorizer extends pulumi.ComponentResource {
  /** The function URL Stripe sends `issuing_authorization.request` to. */
  readonly url: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  readonly signingSecretArn: pulumi.Output<string>;
  readonly webhookEndpointId: pulumi.Output<string>;

  constructor(name: string, args: AwsLambdaAuthorizerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stripe-issuing:authorizer:AwsLambdaAuthorizer', name, {}, opts);
    assertValidRuleSet(args.rules);
    const retentionInDays = args.logRetentionDays ?? 30;
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retentionInDays)) {
      throw new Error(
        `logRetentionDays ${retentionInDays} is not a CloudWatch retention period; use one of ${LOG_RETENTION_DAYS.join(', ')}`,
      );
    }
    const stripeVersion = args.stripeVersion;
    const parent = { parent: this };

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays }, parent);
    const signingSecret = new aws.secretsmanager.Secret(
      `${name}-signing-secret`,
      {
        description: `Stripe webhook signing secret of the ${name} real-time authorizer`,
        recoveryWindowInDays: 7,
      },
      parent,
    );
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      },
      parent,
    );
    // Inline and exact: write to its own log group (which exists, so no CreateLogGroup) and read one secret.
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: pulumi.jsonStringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: pulumi.interpolate`${logGroup.arn}:*` },
            { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: signingSecret.arn },
          ],
        }),
      },
      parent,
    );
    const fn = new aws.lambda.Function(
      `${name}-function`,
      {
        description: `Stripe Issuing real-time authorizer (${name})`,
        runtime: aws.lambda.Runtime.NodeJS22dX,
        handler: LAMBDA_HANDLER,
        code: lambdaArchive(args.rules),
        role: role.arn,
        memorySize: args.memorySize ?? 512,
        reservedConcurrentExecutions: args.reservedConcurrency ?? DEFAULT_RESERVED_CONCURRENCY,
        // Stripe stops waiting after 2 s; a little more lets a slow cold start still log its decision.
        timeout: 3,
        environment: { variables: { [SECRET_ARN_VARIABLE]: signingSecret.arn, [STRIPE_VERSION_VARIABLE]: stripeVersion } },
        loggingConfig: { logFormat: 'Text', logGroup: logGroup.name },
      },
      { parent: this, dependsOn: [policy] },
    );
    // Stripe cannot sign AWS requests: the URL is public and the Stripe signature is the authentication.
    const functionUrl = new aws.lambda.FunctionUrl(`${name}-url`, { functionName: fn.name, authorizationType: 'NONE' }, parent);
    // A URL created through the API (unlike the console) is public only once the function's resource
    // policy says so: InvokeFunctionUrl for auth type NONE, and InvokeFunction via the URL for URLs
    // created since October 2025. Without both, every request from Stripe gets 403.
    const invokePermissions = [
      new aws.lambda.Permission(
        `${name}-url-invoke`,
        {
          function: fn.name,
          action: 'lambda:InvokeFunctionUrl',
          principal: '*',
          functionUrlAuthType: 'NONE',
        },
        parent,
      ),
      new aws.lambda.Permission(
        `${name}-url-invoke-function`,
        {
          function: fn.name,
          action: 'lambda:InvokeFunction',
          principal: '*',
          invokedViaFunctionUrl: true,
        },
        parent,
      ),
    ];

    const endpoint = new WebhookEndpoint(
      `${name}-webhook`,
      {
        url: functionUrl.functionUrl,
        enabledEvents: [AUTHORIZATION_REQUEST_EVENT],
        connect: true,
        apiVersion: stripeVersion,
        description: `Real-time authorizer ${name} (AWS Lambda)`,
      },
      { parent: this, dependsOn: invokePermissions },
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-signing-secret-value`,
      {
        secretId: signingSecret.id,
        secretString: endpoint.secret,
      },
      parent,
    );

    this.url = functionUrl.functionUrl;
    this.functionName = fn.name;
    this.logGroupName = logGroup.name;
    this.signingSecretArn = signingSecret.arn;
    this.webhookEndpointId = endpoint.id;
    this.registerOutputs({
      url: this.url,
      functionName: this.functionName,
      logGroupName: this.logGroupName,
      signingSecretArn: this.signingSecretArn,
      webhookEndpointId: this.webhookEndpointId,
    });
  }
}
