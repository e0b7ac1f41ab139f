/**
 * The review's summary of `pulumi preview --json` (npm run review, and the drift report): irreversible
 * steps first, counts by operation, each resource's changed fields, as Markdown for a pull request.
 */
import { AUTHORIZATION_REQUEST_EVENT } from '../authorizer/types';
import { UNKNOWN } from '../provider/canonical';
import { redact, withoutPersonalData } from '../provider/errors';
import { acceptsFreeze, refusal, type StatusProps, undoneByChange } from '../provider/freeze';
import { CANCELS_CARD } from '../provider/resources/card';
import { REGISTRY, type ResourceType } from '../provider/resources/registry';
import type { CapabilityDue } from './requirements-table';

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

export interface ResourceState {
  type?: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
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
  /** Why the step cannot be undone, or why `up` refuses it until the stack accepts a freeze; set only on flagged steps. */
  irreversible?: string;
  /** What else a reader must know of the step (a freeze accepted, found by a refresh). */
  note?: string;
}

export interface Summary {
  markdown: string;
  irreversible: Step[];
}

// Replacement steps (shown with --show-replacement-steps) are parts of one replace.
const REPLACE_PARTS = new Set(['replace', 'create-replacement', 'delete-replaced']);
// `preview --refresh` lists a refresh step per resource: a read of Stripe, whose findings show in the
// plan's steps that follow (and in `npm run drift`), not a change of its own.
const READ_ONLY_OPS = new Set(['refresh']);
// Arguments the resource classes and the program add themselves: never a reviewer's concern.
const HIDDEN_INPUTS = new Set(['__provider', 'pulumiStack', 'pulumiName', 'declaredAt']);
const ROOT_STACK_TYPE = 'pulumi:pulumi:Stack';

/** What deleting or replacing a type does that cannot be undone, as each type registers it (provider/registry.ts). */
const irreversible = (type: string, op: 'delete' | 'replace'): string | undefined =>
  type in REGISTRY ? (REGISTRY[type as ResourceType] as { irreversible?: Partial<Record<string, string>> }).irreversible?.[op] : undefined;

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
      ? {
          flagged: `unrequests the ${name} capability on ${String(old.account)}; ${UNREQUEST_RISK} (Stripe refuses for a permanent capability: then a warning)`,
        }
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

/**
 * `failed`: the preview exited non-zero, so its steps are only those planned before it stopped.
 * `requirements`: each capability's requirements due as the stack's last `up` or refresh recorded them
 * (the `resources` output), with what provides each.
 */
export function summarizePreview(
  preview: PreviewDigest,
  { stack, failed = false, requirements = [] }: { stack: string; failed?: boolean; requirements?: CapabilityDue[] },
): Summary {
  const steps = resourceSteps(preview.steps ?? [], reviewRules);
  const irreversible = steps.filter((step) => step.irreversible !== undefined);
  const changed = steps.filter((step) => step.op !== 'same');
  const lines = [`## Pulumi preview of stack \`${stack}\``, ''];
  if (failed) {
    lines.push('> [!WARNING]', '> **The preview failed**: the steps below are only those planned before it stopped; see the errors.', '');
  }
  if (irreversible.length > 0) {
    lines.push('> [!CAUTION]', `> **${irreversible.length} irreversible step${irreversible.length === 1 ? '' : 's'}**`);
    for (const step of irreversible) lines.push(`> - **${step.op}** ${step.type} \`${step.name}\`: ${step.irreversible}`);
    lines.push('');
  }
  lines.push(...countTable(preview, steps), '');
  if (changed.length === 0 && !failed) lines.push('No changes.');
  for (const step of changed) lines.push(...stepSection(step, PLAN_COLUMNS));
  const due = requirements.flatMap(({ capability, due: actions }) => actions.map((action) => ({ capability, ...action })));
  if (due.length > 0) {
    lines.push('### Requirements due (as of the last up or refresh)', '', '| Capability | Due now | Satisfied by |', '| --- | --- | --- |');
    for (const d of due) lines.push(`| \`${d.capability}\` | \`${d.requirement}\` | ${oneLine(d.satisfiedBy).replace(/\|/g, '\\|')} |`);
    lines.push('');
  }
  lines.push(...diagnosticsSection(preview));
  return { markdown: redact(`${lines.join('\n').trimEnd()}\n`), irreversible };
}

/** The errors and warnings of a digest, as a section (none: no lines). */
export function diagnosticsSection(digest: PreviewDigest): string[] {
  const errors = (digest.diagnostics ?? []).filter((d) => d.severity === 'error' || d.severity === 'warning');
  if (errors.length === 0) return [];
  const lines = ['### Errors and warnings', ''];
  for (const d of errors) lines.push(`- **${d.severity}**${d.urn ? ` ${labelOf(d.urn)}` : ''}: ${oneLine(d.message ?? '')}`);
  lines.push('');
  return lines;
}

/** What a report says of a step beyond its fields: why it is flagged, what it leaves requested, a note. */
export type StepRules = (type: string, op: string, step: PreviewStep) => { irreversible?: string; leftRequested?: string; note?: string };

/**
 * A preview's steps: the table above, authorizations broken, capabilities or features unrequested, and
 * freezes or cancels made outside the stack that the step would undo (provider/freeze.ts: `up` refuses
 * those until the stack file accepts them).
 */
const reviewRules: StepRules = (type, op, step) => {
  const removal = removalOf(type, op, step);
  const status = statusStep(type, op, step);
  return {
    irreversible:
      status.flagged ??
      (status.alreadyCanceled ? undefined : irreversible(type, op as 'delete' | 'replace')) ??
      authorizationBreak(type, op, step) ??
      removal.flagged,
    leftRequested: removal.leftRequested,
    note: status.note,
  };
};

/** A card or cardholder step as its status goes (provider/freeze.ts), from the state's outputs to the stack's inputs. */
function statusStep(type: string, op: string, step: PreviewStep): { flagged?: string; note?: string; alreadyCanceled?: boolean } {
  if (type !== 'Card' && type !== 'Cardholder') return {};
  const olds = (step.oldState?.outputs ?? step.oldState?.inputs ?? {}) as StatusProps;
  const news = (step.newState?.inputs ?? {}) as StatusProps;
  if (op === 'delete') return { alreadyCanceled: type === 'Card' && olds.status === 'canceled' };
  if (op !== 'update') return {};
  const undone = undoneByChange(olds, news);
  if (undone) return { flagged: `up refuses: ${refusal(undone, type, String(step.oldState?.id ?? ''), olds, news)}` };
  if (type === 'Card' && news.status === 'canceled' && olds.status !== 'canceled') return { flagged: CANCELS_CARD };
  if (acceptsFreeze(olds, news)) {
    return { note: `Accepts the freeze found in Stripe (${olds.outOfBandStatus}): the state forgets it; nothing is sent to Stripe` };
  }
  return {};
}

/**
 * One step per resource (the root stack left out), with its changed fields; `rules` say which steps
 * cannot be undone and what they leave requested (a refresh passes none: it writes nothing to Stripe).
 */
export function resourceSteps(raw: PreviewStep[], rules: StepRules = () => ({})): Step[] {
  const seen = new Set<string>();
  const steps: Step[] = [];
  for (const step of raw) {
    const op = REPLACE_PARTS.has(step.op) ? 'replace' : step.op;
    const state = step.newState ?? step.oldState;
    if (state?.type === ROOT_STACK_TYPE || READ_ONLY_OPS.has(op) || seen.has(`${step.urn} ${op}`)) continue;
    seen.add(`${step.urn} ${op}`);
    const { type, name } = parseUrn(step.urn);
    const changes = op === 'create' || op === 'update' || op === 'replace' ? fieldChanges(step) : [];
    const id = step.oldState?.id;
    // retainOnDelete keeps the Stripe object: removing it from the stack changes nothing in Stripe.
    const retained = step.oldState?.retainOnDelete === true;
    const ruled = rules(type, op, step);
    const why = retained ? undefined : ruled.irreversible;
    steps.push({
      op,
      type,
      name,
      urn: step.urn,
      ...(id ? { id } : {}),
      changes,
      ...(why ? { irreversible: why } : {}),
      ...(retained ? { retained } : {}),
      ...(ruled.leftRequested ? { leftRequested: ruled.leftRequested } : {}),
      ...(ruled.note ? { note: ruled.note } : {}),
    });
  }
  return steps;
}

/**
 * A webhook endpoint that receives `issuing_authorization.request`, replaced or deleted: the new endpoint
 * signs with a new secret (or none is left), so running authorizers refuse Stripe's requests and Stripe
 * applies its timeout default until each has the new secret.
 */
function authorizationBreak(type: string, op: string, step: PreviewStep): string | undefined {
  if (type !== 'WebhookEndpoint' || (op !== 'replace' && op !== 'delete')) return undefined;
  const events = [step.oldState, step.newState].flatMap((state) => {
    const enabled = state?.inputs?.enabledEvents;
    return Array.isArray(enabled) ? enabled : [];
  });
  if (!events.some((event) => event === AUTHORIZATION_REQUEST_EVENT || event === '*')) return undefined;
  return op === 'replace'
    ? 'breaks real-time authorizations: the new endpoint signs with a new secret, and until every authorizer has it, ' +
        "Stripe's requests fail their signature check and get Stripe's timeout default"
    : 'breaks real-time authorizations: Stripe stops asking the authorizer and applies its timeout default';
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

export function countTable(preview: PreviewDigest, steps: Step[]): string[] {
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

/** The table headings for a field's two values: a plan goes from before to after. */
export interface ValueColumns {
  before: string;
  after: string;
}
const PLAN_COLUMNS: ValueColumns = { before: 'Before', after: 'After' };

export function stepSection(step: Step, columns: ValueColumns): string[] {
  const heading = ['####', SYMBOLS[step.op], step.op, step.type, `\`${step.name}\``].filter(Boolean).join(' ');
  const lines = [heading, ''];
  if (step.id) lines.push(`Stripe object \`${step.id}\`${step.retained ? ' (retainOnDelete: kept in Stripe)' : ''}`, '');
  if (step.leftRequested) lines.push(`Left requested: ${step.leftRequested}.`, '');
  if (step.note) lines.push(`${step.note}.`, '');
  if (columns === PLAN_COLUMNS && step.op === 'update' && step.changes.length === 0 && !step.note) {
    // diff reports a change of the serialized provider alone (provider/engine/compiled-package.ts): `up` rewrites state only.
    lines.push('No field changes: only the provider code reference stored in state is rewritten (no Stripe call).', '');
  }
  if (step.changes.length > 0) {
    lines.push(`| Field | ${columns.before} | ${columns.after} |`, '| --- | --- | --- |');
    for (const change of step.changes) {
      const field = `\`${change.path}\`${change.forcesReplacement ? ' (forces replacement)' : ''}`;
      lines.push(
        `| ${field} | ${cell(withoutPersonalData(change.path, change.before))} | ${cell(withoutPersonalData(change.path, change.after))} |`,
      );
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
