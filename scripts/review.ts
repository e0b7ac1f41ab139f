/**
 * `npm run review -- --stack NAME [--out FILE] [--port N]`: runs `pulumi preview --refresh --json` on a
 * stack and writes a Markdown summary fit for a pull-request comment: irreversible steps first, counts by
 * operation, and each resource's changed fields. Without STRIPE_API_KEY (and no key in the stack file),
 * a test stack is previewed offline like `npm start` runs it, on the emulator's saved state (port N,
 * default 12111; see lib/stripe-target.ts).
 *
 * Exit codes, for pipelines: 0 = no flagged step, 2 = flagged steps present (irreversible: a card
 * canceled or replaced, a cardholder replaced, a financial account closed or replaced, an authorization
 * webhook endpoint replaced or deleted; an unrequest of a capability or financial-account feature
 * other stacks or products may rely on; or the reactivation of a card or cardholder frozen outside the
 * stack, or the re-issue of a card canceled there, which `up` refuses until the stack file accepts it),
 * 1 = the stack file is invalid or the preview failed (the summary then says so first and lists the errors).
 */

import { type PreviewDigest, summarizePreview } from '../lib/preview-summary';
import type { CapabilityDue } from '../lib/requirements-table';
import { runStackReportMain } from '../lib/stack-report';
import type { ResourceRow } from '../program/declare';

/** Capabilities' due requirements from the `resources` output; none for a stack never brought up. */
async function recordedRequirements(stack: string): Promise<CapabilityDue[]> {
  const { runPulumi } = await import('../toolchain/cli');
  const run = await runPulumi(['stack', 'output', 'resources', '--json', '--non-interactive', '--stack', stack]);
  if (run.code !== 0) return [];
  const rows = JSON.parse(run.stdout) as ResourceRow[] | null;
  return (rows ?? []).map((row) => ({ capability: row.name, due: row.requirementsDue ?? [] }));
}

if (require.main === module) {
  runStackReportMain({
    script: 'review',
    title: 'Pulumi preview',
    // Refreshed first, as the deploy's `up --refresh` is: a freeze made in Stripe since the last deploy shows here.
    command: ['preview', '--refresh', '--json'],
    parse: (stdout) => JSON.parse(stdout) as PreviewDigest,
    summarize: async (digest, stack, { failed }) => {
      const summary = summarizePreview(digest, { stack, failed, requirements: await recordedRequirements(stack) });
      return { markdown: summary.markdown, findings: summary.irreversible.length };
    },
    findings: 'irreversible step(s)',
  });
}
