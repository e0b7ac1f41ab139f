// The program: the stack file (stacks/Pulumi.<stack>.yaml) is checked as a whole, then turned into
// resources. A problem stops the run before any resource exists, so `pulumi preview` makes no Stripe call.
// First: every module loaded after it gets the cheaper stack traces (program/stack-traces.ts).
import './program/stack-traces';
import * as pulumi from '@pulumi/pulumi';
import { preflight } from './config/preflight';
import { withDecryptedPersonalData } from './config/secure';
import type { IssuingConfig } from './config/types';
import { declareIssuing, resourceRows } from './program/declare';

const config = new pulumi.Config();
const { problems, checked } = preflight(pulumi.getStack(), config);
if (checked === undefined) {
  throw new pulumi.RunError(`The stack file has ${problems.length} problem(s):\n${problems.join('\n')}`);
}

// The checked stack file gives the mode; `issuing` comes from Pulumi, where the secure values in it (personal
// data) arrive decrypted. The engine keeps the whole value encrypted in state.
const declared = declareIssuing(withDecryptedPersonalData(config.requireObject<IssuingConfig>('issuing')), { mode: checked.mode });

/** What exists: type, name, Stripe ID and status of every declared object. */
export const resources = resourceRows(declared);
/** Rules the authorizer applies, keyed by Pulumi resource name (the objects' `pulumi_name` metadata). */
export const authorizationRules = declared.rules;
export const authorizer = declared.authorizer && {
  target: declared.authorizer.target,
  url: declared.authorizer.url,
  webhookEndpointId: declared.authorizer.webhookEndpointId,
  signingSecret: declared.authorizer.signingSecret,
};
