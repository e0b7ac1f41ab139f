// AWS Lambda adapter (function URL, payload format 2.0) over the shared handler. The signing secret
// is read from Secrets Manager at cold start and again, at most once per SECRET_RELOAD_INTERVAL_MS,
// when a signature does not verify (the endpoint was replaced or its secret rolled while this
// environment stayed warm); the rules ship inside the code archive. A request no secret could make
// valid is refused before the secret is even read, and only a failed read forgets the secret.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AuthorizerLogEntry, handleRequest, refuseUnsigned, replayRetentionMs } from './handler';
import { RecentEventIds } from './replay';
import { assertValidRuleSet } from './rule-set';
import type { RuleSet } from './types';

/** Environment variables the deployment sets; none of them holds a secret. */
export const SECRET_ARN_VARIABLE = 'AUTHORIZER_SECRET_ARN';
export const STRIPE_VERSION_VARIABLE = 'AUTHORIZER_STRIPE_VERSION';
/** The rule set, written next to this file in the code archive at deploy time. */
export const RULES_FILE = 'rules.json';

export interface FunctionUrlEvent {
  body?: string;
  isBase64Encoded?: boolean;
  headers?: Record<string, string | undefined>;
  requestContext?: { http?: { method?: string } };
}

export interface FunctionUrlResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Least time between two secret reloads caused by failed signatures: forged requests cannot drive Secrets Manager calls. */
export const SECRET_RELOAD_INTERVAL_MS = 30_000;

/** All a caller without a valid signature learns about a failure on our side (no ARN, no account ID). */
export const UNAVAILABLE_ERROR = 'authorizer unavailable';

export interface LambdaSettings {
  loadSecret: () => Promise<string>;
  rules: RuleSet;
  stripeVersion: string;
  log?: (entry: AuthorizerLogEntry) => void;
  /** Clock for the reload interval (tests). */
  now?: () => number;
}

export function createLambdaHandler(settings: LambdaSettings): (event: FunctionUrlEvent) => Promise<FunctionUrlResult> {
  const log = settings.log ?? ((entry: AuthorizerLogEntry) => console.log(JSON.stringify(entry)));
  const now = settings.now ?? Date.now;
  const recentEvents = new RecentEventIds(replayRetentionMs());
  let secret: Promise<string> | undefined;
  let loadedAt = -Infinity;
  const read = () => {
    loadedAt = now();
    return settings.loadSecret();
  };
  const refuse = (statusCode: number, error: string, body = error): FunctionUrlResult => {
    log({ event: 'request_rejected', status: statusCode, error, elapsedMs: 0 });
    return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ error: body }) };
  };
  return async (event) => {
    const method = event.requestContext?.http?.method;
    if (method !== 'POST') return refuse(405, `method ${method} not allowed: send POST`);
    const body = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64') : (event.body ?? '');
    const request = { body, headers: event.headers ?? {} };
    const unsigned = refuseUnsigned(request);
    if (unsigned) {
      log(unsigned.log);
      return { statusCode: unsigned.status, headers: unsigned.headers, body: unsigned.body };
    }
    const handle = (signingSecret: string) =>
      handleRequest(request, { secret: signingSecret, rules: settings.rules, stripeVersion: settings.stripeVersion, recentEvents });
    // The details (secret ARN, account ID) go to the log only: the caller is not authenticated yet.
    // Stripe meanwhile applies the account's timeout setting to the authorization.
    const unavailable = (error: unknown) =>
      refuse(500, `signing secret unavailable: ${error instanceof Error ? error.message : String(error)}`, UNAVAILABLE_ERROR);
    let current: string;
    try {
      secret ??= read();
      current = await secret;
    } catch (error) {
      // Only a read that failed is forgotten, so that the next request retries it.
      secret = undefined;
      return unavailable(error);
    }
    let result = handle(current);
    if (result.signatureRejected && now() - loadedAt >= SECRET_RELOAD_INTERVAL_MS) {
      // A failed re-read (throttled, say) keeps the secret read before; the request keeps its 400.
      const reloaded = await read().catch(() => current);
      if (reloaded !== current) {
        secret = Promise.resolve(reloaded);
        result = handle(reloaded);
      }
    }
    log(result.log);
    return { statusCode: result.status, headers: result.headers, body: result.body };
  };
}

/** Reads the deployment's settings: rules from the archive, secret ARN and API version from the environment. */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv = process.env, directory = __dirname): LambdaSettings {
  const secretArn = required(env, SECRET_ARN_VARIABLE);
  const rules: unknown = JSON.parse(readFileSync(join(directory, RULES_FILE), 'utf8'));
  assertValidRuleSet(rules);
  return { loadSecret: () => readSigningSecret(secretArn), rules, stripeVersion: required(env, STRIPE_VERSION_VARIABLE) };
}

interface SecretsManagerModule {
  SecretsManagerClient: new (config: object) => { send(command: object): Promise<{ SecretString?: string }> };
  GetSecretValueCommand: new (input: { SecretId: string }) => object;
}

async function readSigningSecret(secretArn: string): Promise<string> {
  // The nodejs22.x Lambda runtime provides AWS SDK v3, so the archive does not carry it.
  const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager') as SecretsManagerModule;
  const { SecretString } = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (!SecretString?.startsWith('whsec_')) {
    throw new Error(`secret ${secretArn} does not hold a Stripe webhook signing secret (whsec_…)`);
  }
  return SecretString;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set; the authorizer deployment sets it`);
  return value;
}

let deployed: ((event: FunctionUrlEvent) => Promise<FunctionUrlResult>) | undefined;

/** The Lambda entry point (`authorizer/lambda.handler`). */
export function handler(event: FunctionUrlEvent): Promise<FunctionUrlResult> {
  deployed ??= createLambdaHandler(settingsFromEnvironment());
  return deployed(event);
}
