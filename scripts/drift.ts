/**
 * `npm run drift -- --stack NAME [--out FILE]`: runs `pulumi refresh --preview-only --json` on a stack
 * (it reads every object from Stripe and writes nothing, neither to Stripe nor to the state) and writes a
 * Markdown report of each object that changed or disappeared outside the stack, field by field, in the
 * style of `npm run review`.
 *
 * The preview's JSON digest lists a changed object only when its provider returns a detailed diff,
 * which dynamic providers cannot. So the refresh streams its engine events instead
 * (PULUMI_ENABLE_STREAMING_JSON_PREVIEW, one apitype.EngineEvent a line): each object's result op
 * (same, update: changed, delete: gone) with its state before and after.
 *
 * Exit codes, for scheduled pipelines: 0 = no drift, 2 = drift, 1 = the stack file is invalid or the
 * refresh failed (the report then lists the errors).
 */

import {
  countTable,
  diagnosticsSection,
  type PreviewDigest,
  type PreviewStep,
  type ResourceState,
  resourceSteps,
  type Step,
  type StepRules,
  stepSection,
} from '../lib/preview-summary';
import { runStackReportMain } from '../lib/stack-report';
import { redact } from '../provider/errors';
import { refusal, type StatusProps, undoneByChange } from '../provider/freeze';

/** The parts of a streamed engine event (apitype.EngineEvent) the report reads. */
export interface EngineEvent {
  resOutputsEvent?: { metadata: { op: string; urn: string; old?: ResourceState; new?: ResourceState } };
  diagnosticEvent?: { urn?: string; message?: string; severity?: string };
}

// A refresh ends each object with `same` (it still matches), `update` (it changed) or `delete` (gone).
const DRIFT_OPS = new Set(['update', 'delete']);
const DRIFT_COLUMNS = { before: 'In state', after: 'In Stripe now' };

export interface DriftReport {
  markdown: string;
  drifted: Step[];
}

/** The streamed events; none at all means the command failed before the refresh began. */
export function parseEvents(stdout: string): EngineEvent[] {
  const events = stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EngineEvent);
  if (events.length === 0) throw new Error('no engine events');
  return events;
}

/** The refresh's result for each drifted object, as preview steps. */
function driftSteps(events: EngineEvent[]): PreviewStep[] {
  return events.flatMap(({ resOutputsEvent }) => {
    const m = resOutputsEvent?.metadata;
    if (!m || !DRIFT_OPS.has(m.op)) return [];
    return [{ op: m.op, urn: m.urn, ...(m.old ? { oldState: m.old } : {}), ...(m.new ? { newState: m.new } : {}) }];
  });
}

/**
 * A card or cardholder frozen or canceled outside the stack (provider/freeze.ts): what `up` will not undo
 * and the stack-file edit that accepts it. Compares what Stripe has now with what the state had.
 */
const driftRules: StepRules = (type, op, step) => {
  if ((type !== 'Card' && type !== 'Cardholder') || op !== 'update') return {};
  const now = (step.newState?.outputs ?? {}) as StatusProps;
  const before = (step.oldState?.inputs ?? {}) as StatusProps;
  const undone = undoneByChange(now, before);
  return undone ? { note: refusal(undone, type, String(step.oldState?.id ?? ''), now, before).replace(/\.$/, '') } : {};
};

export function summarizeDrift(events: EngineEvent[], { stack }: { stack: string }): DriftReport {
  const drifted = resourceSteps(driftSteps(events), driftRules);
  const lines = [`## Drift of stack \`${stack}\``, ''];
  if (drifted.length === 0) {
    lines.push('No drift: every object in the state matches Stripe.', '');
  } else {
    lines.push(
      `**${drifted.length} object${drifted.length === 1 ? '' : 's'} changed outside the stack.** ` +
        '`pulumi up --refresh` puts the declared values back (and recreates what was deleted), except a freeze or cancel ' +
        'of a card or cardholder, which it never undoes; to keep a change, declare it in the stack file.',
      '',
      ...countTable({}, drifted),
      '',
    );
  }
  for (const step of drifted) {
    if (step.op === 'delete') {
      lines.push(
        `#### - gone ${step.type} \`${step.name}\``,
        '',
        `Stripe object \`${step.id}\` no longer exists (or was canceled/closed) in Stripe.`,
        '',
      );
    } else {
      lines.push(...stepSection(step, DRIFT_COLUMNS));
    }
  }
  const diagnostics: PreviewDigest['diagnostics'] = events.flatMap((e) => (e.diagnosticEvent ? [e.diagnosticEvent] : []));
  lines.push(...diagnosticsSection({ diagnostics }));
  return { markdown: redact(`${lines.join('\n').trimEnd()}\n`), drifted };
}

if (require.main === module) {
  runStackReportMain({
    script: 'drift',
    title: 'Drift',
    command: ['refresh', '--preview-only', '--json'],
    env: { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: 'true' },
    parse: parseEvents,
    summarize: (events, stack) => {
      const report = summarizeDrift(events, { stack });
      return { markdown: report.markdown, findings: report.drifted.length };
    },
    findings: 'drifted object(s)',
  });
}
