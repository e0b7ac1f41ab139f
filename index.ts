// The program: the stack file (stacks/Pulumi.<stack>.yaml) is checked as a whole, then turned into
// resources. A problem stops the run before any resource exists, so `pulumi preview` makes no Stripe call.
import * as pulumi from '@pulumi/pulumi';
import { preflight } from './config/preflight';
import { withDecryptedPersonalData } from './config/secure';
import type { IssuingConfig } from './config/types';
import { declareIssuing, resourceRows } from './program/declare';

function declareStack() {
  const config = new pulumi.Config();
  const { problems, checked } = preflight(pulumi.getStack(), config);
  if (checked === undefined) {
    throw new pulumi.RunError(`The stack file has ${problems.length} problem(s):\n${problems.join('\n')}`);
  }

  // The checked stack file gives the mode; `issuing` comes from Pulumi, where the secure values in it (personal
  // data) arrive decrypted. The engine keeps the whole value encrypted in state.
  const declared = declareIssuing(withDecryptedPersonalData(config.requireObject<IssuingConfig>('issuing')), { mode: checked.mode });

  return {
    /** What exists: type, name, Stripe ID and status of every declared object. */
    resources: resourceRows(declared),
    /** Rules the authorizer applies, keyed by Pulumi resource name (the objects' `pulumi_name` metadata). */
    authorizationRules: declared.rules,
    authorizer: declared.authorizer && {
      target: declared.authorizer.target,
      url: declared.authorizer.url,
      webhookEndpointId: declared.authorizer.webhookEndpointId,
      signingSecret: declared.authorizer.signingSecret,
    },
  };
}

// The program is a function Pulumi calls once the module has loaded (its result: the stack outputs), and
// it declares from a fresh event-loop turn: @pulumi/pulumi records each resource's whole call stack in
// state and reads a stack for every promise it makes, and from there that stack is a few frames, not the
// module loaders' and Pulumi's awaiting callers' (docs/benchmarks.md, issue 23). index.js loads it.
export = () =>
  new Promise<ReturnType<typeof declareStack>>((resolve, reject) =>
    setImmediate(() => {
      try {
        resolve(declareStack());
      } catch (error) {
        reject(error);
      }
    }),
  );
