/**
 * `npm run review -- --stack NAME [--out FILE]`: runs `pulumi preview --json` on a stack and writes a
 * Markdown summary fit for a pull-request comment: irreversible steps first, counts by operation,
 * and each resource's changed fields.
 *
 * Exit codes, for pipelines: 0 = no flagged step, 2 = flagged steps present (irreversible: a card
 * canceled or replaced, a cardholder replaced, a financial account closed or replaced; or an unrequest
 * of a capability or financial-account feature other stacks or products may rely on), 1 = the stack
 * file is invalid or the preview failed (the summary then lists the errors).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { redact } from '../provider/errors';
import { UNKNOWN } from '../provider/canonical';
import { checkStackFile } from '../config/validate';
import { stackFilePath } from '../config/paths';

/** The parts of `pulumi preview --json` (display.PreviewDigest) the summary reads. */
export interface PreviewDigest {
  steps?: PreviewStep[];
  diagnostics?: { urn?: string; message?: string; severity?: string }[];
  changeSummary?: Record<string, number>;
}

export interface PreviewStep {
  op: string;
  urn: string;
  oldState?: ResourceState;
  newState?: ResourceState;
  replaceReasons?: string[];
}

interface ResourceState {
  type?: string;
  id?: string;
  inputs?: Record<string, unknown>;
  retainOnDelete?: boolean;
}

export interface FieldChange {
  path: string;
  before?: unknown;
  after?: unknown;
  forcesReplacement: boolean;
}

export interface Step {
  op: string;
  /** Short type: `Card`, `Cardholder`, `FinancialAccount`, … */
  type: string;
  name: string;
  urn: string;
  /** The Stripe ID of the existing object (updates, replaces, deletes). */
  id?: string;
  /** Fields as declared: all of them for a create, the differences otherwise. */
  changes: FieldChange[];
  /** retainOnDelete: the Stripe object stays when the resource leaves the stack. */
  retained?: boolean;
  /** Capabilities or features this step leaves requested in Stripe although they leave the stack. */
  leftRequested?: string;
  /** Why the step cannot be undone; set only on irreversible steps. */
  irreversible?: string;
}

export interface Summary {
  markdown: string;
  irreversible: Step[];
}

// Replacement steps (shown with --show-replacement-steps) are parts of one replace.
const REPLACE_PARTS = new Set(['replace', 'create-replacement', 'delete-replaced']);
// Arguments the resource classes add themselves: never a reviewer's concern.
const HIDDEN_INPUTS = new Set(['__provider', 'pulumiStack', 'pulumiName']);
const ROOT_STACK_TYPE = 'pulumi:pulumi:Stack';

/** What each permanent step does in Stripe, by resource type and operation. */
const IRREVERSIBLE: Record<string, Partial<Record<'delete' | 'replace', string>>> = {
  Card: {
    delete: 'cancels the card in Stripe; a canceled card can never be used again',
    replace: 'cancels the current card (permanent) and issues a new one with a new number',
  },
  Cardholder: {
    replace: 'creates a new cardholder and deactivates the current one; its cards are replaced too',
  },
  FinancialAccount: {
    delete: 'closes the financial account; closing is permanent',
    replace: 'closes the current financial account (permanent) and opens a new one',
  },
};

const UNREQUEST_RISK = 'other stacks or products on the account may rely on it';

/**
 * Capabilities and features leaving the stack: unrequested in Stripe (a flagged step) only with
 * `unrequestOnRemove`, otherwise left requested. Stripe refuses to unrequest permanent capabilities.
 */
function removalOf(type: string, op: string, step: PreviewStep): { flagged?: string; leftRequested?: string } {
  const old = step.oldState?.inputs ?? {};
  const unrequests = (step.newState ?? step.oldState)?.inputs?.unrequestOnRemove === true;
  if (type === 'AccountCapability' && (op === 'delete' || op === 'replace')) {
    const name = String(old.capability);
    return unrequests
      ? { flagged: `unrequests the ${name} capability on ${String(old.account)}; ${UNREQUEST_RISK} (Stripe refuses for a permanent capability: then a warning)` }
      : { leftRequested: `${name} stays requested in Stripe (unrequestOnRemove is off)` };
  }
  if (type !== 'FinancialAccountFeatures') return {};
  const before = (old.features ?? []) as string[];
  const after = op === 'delete' || op === 'replace' ? [] : ((step.newState?.inputs?.features ?? []) as string[]);
  const dropped = before.filter((name) => !after.includes(name));
  if (dropped.length === 0) return {};
  return unrequests
    ? { flagged: `unrequests ${dropped.join(', ')} on financial account ${String(old.financialAccount)}; ${UNREQUEST_RISK}` }
    : { leftRequested: `${dropped.join(', ')} stay${dropped.length === 1 ? 's' : ''} requested in Stripe (unrequestOnRemove is off)` };
}

export function summarizePreview(preview: PreviewDigest, { stack }: { stack: string }): Summary {
  const steps = resourceSteps(preview.steps ?? []);
  const irreversible = steps.filter((step) => step.irreversible !== undefined);
  const errors = (preview.diagnostics ?? []).filter((d) => d.severity === 'error' || d.severity === 'warning');
  const changed = steps.filter((step) => step.op !== 'same');
  const lines = [`## Pulumi preview of stack \`${stack}\``, ''];
  if (irreversible.length > 0) {
    lines.push('> [!CAUTION]', `> **${irreversible.length} irreversible step${irreversible.length === 1 ? '' : 's'}**`);
    for (const step of irreversible) lines.push(`> - **${step.op}** ${step.type} \`${step.name}\`: ${step.irreversible}`);
    lines.push('');
  }
  lines.push(...countTable(preview, steps), '');
  if (changed.length === 0) lines.push('No changes.');
  for (const step of changed) lines.push(...stepSection(step));
  if (errors.length > 0) {
    lines.push('### Errors and warnings', '');
    for (const d of errors) lines.push(`- **${d.severity}**${d.urn ? ` ${labelOf(d.urn)}` : ''}: ${oneLine(d.message ?? '')}`);
    lines.push('');
  }
  return { markdown: redact(lines.join('\n').trimEnd() + '\n'), irreversible };
}

function resourceSteps(raw: PreviewStep[]): Step[] {
  const seen = new Set<string>();
  const steps: Step[] = [];
  for (const step of raw) {
    const op = REPLACE_PARTS.has(step.op) ? 'replace' : step.op;
    const state = step.newState ?? step.oldState;
    if (state?.type === ROOT_STACK_TYPE || seen.has(`${step.urn} ${op}`)) continue;
    seen.add(`${step.urn} ${op}`);
    const { type, name } = parseUrn(step.urn);
    const changes = op === 'create' || op === 'update' || op === 'replace' ? fieldChanges(step) : [];
    const id = step.oldState?.id;
    // retainOnDelete keeps the Stripe object: removing it from the stack changes nothing in Stripe.
    const retained = step.oldState?.retainOnDelete === true;
    const removal = removalOf(type, op, step);
    const why = retained ? undefined : IRREVERSIBLE[type]?.[op as 'delete' | 'replace'] ?? removal.flagged;
    steps.push({
      op, type, name, urn: step.urn, ...(id ? { id } : {}), changes,
      ...(why ? { irreversible: why } : {}),
      ...(retained ? { retained } : {}),
      ...(removal.leftRequested ? { leftRequested: removal.leftRequested } : {}),
    });
  }
  return steps;
}

/** `urn:pulumi:dev::stripe-issuing::pulumi-nodejs:dynamic/stripe-issuing:Card::acme-jane-travel` */
function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split('::');
  const qualifiedType = parts[2] ?? '';
  const type = qualifiedType.slice(qualifiedType.lastIndexOf('$') + 1);
  return { type: type.slice(type.lastIndexOf(':') + 1), name: parts.slice(3).join('::') };
}

const labelOf = (urn: string) => {
  const { type, name } = parseUrn(urn);
  return `${type} \`${name}\``;
};

function fieldChanges(step: PreviewStep): FieldChange[] {
  const replaceReasons = new Set(step.replaceReasons ?? []);
  const changes: FieldChange[] = [];
  const visit = (path: string, before: unknown, after: unknown) => {
    if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
      const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
      for (const key of keys) {
        const child = Array.isArray(before) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
        visit(child, (before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key]);
      }
    } else if (JSON.stringify(before) !== JSON.stringify(after)) {
      const top = path.split(/[.[]/, 1)[0];
      changes.push({ path, before, after, forcesReplacement: replaceReasons.has(top) });
    }
  };
  const inputs = (state?: ResourceState) =>
    Object.fromEntries(Object.entries(state?.inputs ?? {}).filter(([key]) => !HIDDEN_INPUTS.has(key)));
  visit('', inputs(step.oldState), inputs(step.newState));
  return changes;
}

const isContainer = (value: unknown): value is object => value !== null && typeof value === 'object';

function countTable(preview: PreviewDigest, steps: Step[]): string[] {
  const counts: Record<string, number> = {};
  for (const step of steps) counts[step.op] = (counts[step.op] ?? 0) + 1;
  // The engine also counts unchanged resources, which the JSON lists only with --show-sames.
  const same = preview.changeSummary?.same;
  if (same !== undefined && counts.same === undefined) counts.same = same;
  const order = ['create', 'update', 'replace', 'delete', 'same'];
  const ops = Object.keys(counts).sort((a, b) => rank(order, a) - rank(order, b) || a.localeCompare(b));
  return ['| Operation | Resources |', '| --- | ---: |', ...ops.map((op) => `| ${op} | ${counts[op]} |`)];
}

const rank = (order: string[], op: string) => (order.includes(op) ? order.indexOf(op) : order.length);

const SYMBOLS: Record<string, string> = { create: '+', update: '~', replace: '+-', delete: '-' };

function stepSection(step: Step): string[] {
  const heading = ['####', SYMBOLS[step.op], step.op, step.type, `\`${step.name}\``].filter(Boolean).join(' ');
  const lines = [heading, ''];
  if (step.id) lines.push(`Stripe object \`${step.id}\`${step.retained ? ' (retainOnDelete: kept in Stripe)' : ''}`, '');
  if (step.leftRequested) lines.push(`Left requested: ${step.leftRequested}.`, '');
  if (step.changes.length > 0) {
    lines.push('| Field | Before | After |', '| --- | --- | --- |');
    for (const change of step.changes) {
      const field = `\`${change.path}\`${change.forcesReplacement ? ' (forces replacement)' : ''}`;
      lines.push(`| ${field} | ${cell(change.before)} | ${cell(change.after)} |`);
    }
    lines.push('');
  }
  return lines;
}

function cell(value: unknown): string {
  if (value === undefined) return '—';
  if (value === UNKNOWN) return '_(known after apply)_';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `\`${oneLine(text).replace(/\|/g, '\\|').replace(/`/g, "'")}\``;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

function parseArgs(argv: string[]): { stack: string; out?: string } {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const stack = value('--stack');
  if (!stack) throw new Error('usage: npm run review -- --stack NAME [--out FILE]');
  const out = value('--out');
  return { stack, ...(out ? { out } : {}) };
}

async function main(argv: string[]): Promise<number> {
  const { stack, out } = parseArgs(argv);
  const outFile = out && path.resolve(out);
  // Stack files are named relative to the project root, where the CLI runs too.
  process.chdir(path.resolve(__dirname, '..'));
  const emit = (markdown: string) => (outFile ? fs.writeFileSync(outFile, markdown) : process.stdout.write(markdown));
  const problems = checkStackFile(stackFilePath(stack));
  if (problems.length > 0) {
    emit(`## Pulumi preview of stack \`${stack}\`\n\nThe stack file is invalid:\n\n${problems.map((p) => `- ${p}`).join('\n')}\n`);
    console.error(problems.join('\n'));
    return 1;
  }
  const { runPulumi } = await import('../toolchain/cli');
  const run = await runPulumi(['preview', '--json', '--non-interactive', '--stack', stack]);
  let preview: PreviewDigest;
  try {
    preview = JSON.parse(run.stdout) as PreviewDigest;
  } catch {
    console.error(redact(`pulumi preview --json exited with ${run.code} without a JSON digest:\n${run.stderr || run.stdout}`));
    return 1;
  }
  const summary = summarizePreview(preview, { stack });
  emit(summary.markdown);
  if (run.code !== 0) {
    console.error(redact(`pulumi preview failed (exit ${run.code}); the summary lists its errors.\n${run.stderr}`));
    return 1;
  }
  if (out) console.error(`Wrote ${out}: ${summary.irreversible.length} irreversible step(s).`);
  return summary.irreversible.length > 0 ? 2 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(redact(error instanceof Error ? error.message : String(error)));
      process.exit(1);
    },
  );
}
