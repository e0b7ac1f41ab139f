/**
 * `npm run github -- …`: what the pipelines in .github/workflows tell GitHub, through its REST API
 * (GITHUB_API_URL, GITHUB_REPOSITORY and GITHUB_TOKEN as GitHub Actions sets them; GITHUB_COMMENT_AUTHOR
 * when the workflow posts with another token than the job's own).
 *
 *   review-comment --pr N --dir DIR --stacks JSON --head SHA --event ACTION [--label NAME]
 *       Posts the reviews DIR/<stack>.md of the stacks JSON (the validate job's list) as ONE pull-request
 *       comment, edited in place on later runs. DIR/<stack>.exit holds each `npm run review` exit code.
 *       Fails (exit 1) when a stack's review failed or left no summary or exit code, or when one reports
 *       irreversible steps that no approval covers (below). ACTION and NAME are the event's
 *       (`github.event.action`, `github.event.label.name`); `synchronize` also removes the approval label.
 *   deploy-gate --commit SHA --stack NAME --dir DIR
 *       The same gate on a push to main: the review of the merge commit SHA passes when nothing in it is
 *       irreversible, or when the approval recorded on the merged pull request covers its head commit
 *       and every irreversible step of this review.
 *   drift-issue --stack NAME --report FILE --exit CODE
 *       The exit code of `npm run drift`: 2 opens one issue for the stack (labelled `drift`) or updates
 *       the open one; 0 closes it with a comment; 1 changes nothing and fails.
 *
 * The approval of irreversible steps: a maintainer (admin or maintain role) adds the label
 * `approve-irreversible`. The run of that `labeled` event records, in the pipeline's own comment, the
 * label event, the head commit the event names and the irreversible steps of the plan the comment showed
 * for that commit. It covers those steps on that commit only: a new push, a reopen after a push, a removed
 * and re-added label, or a label run cancelled by another event leave nothing approved until a maintainer
 * adds the label again on the current plan.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { redact } from '../provider/errors';

export const APPROVAL_LABEL = 'approve-irreversible';
export const DRIFT_LABEL = 'drift';
/** Who a workflow's GITHUB_TOKEN posts as; another token (a GitHub App's) sets GITHUB_COMMENT_AUTHOR. */
export const WORKFLOW_IDENTITY = 'github-actions[bot]';
/** Roles that may approve irreversible steps (GitHub's "Get repository permissions for a user": role_name). */
const APPROVER_ROLES = new Set(['admin', 'maintain']);
const REVIEW_MARKER = '<!-- stripe-issuing-as-code:review -->';
const driftMarker = (stack: string) => `<!-- stripe-issuing-as-code:drift:${stack} -->`;
/** Records in the pipeline's own comment: the plan it shows, and the approval given on a plan. */
const PLAN_RECORD = 'stripe-issuing-as-code:plan';
const APPROVAL_RECORD = 'stripe-issuing-as-code:approval';
const COMMENT_TITLE = '# Stripe Issuing: plan of this pull request';
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;
const PAGE_SIZE = 100;

export class GitHubError extends Error {}

interface Comment {
  id: number;
  body?: string;
  user?: { login: string };
}
interface Issue extends Comment {
  number: number;
  pull_request?: unknown;
}
interface IssueEvent {
  id: number;
  event: string;
  label?: { name: string };
  actor?: { login: string };
}
interface PullRequest {
  number: number;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  head: { sha: string };
}
/** The REST API of one repository, as GitHub Actions describes it in the environment. */
export class GitHubRepo {
  private readonly api: string;
  private readonly repo: string;
  private readonly token: string;
  /** The login the token posts as: only its comments and issues are the pipeline's. */
  readonly author: string;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const missing = ['GITHUB_REPOSITORY', 'GITHUB_TOKEN'].filter((name) => !env[name]);
    if (missing.length > 0)
      throw new GitHubError(
        `${missing.join(' and ')} must be set (GitHub Actions sets GITHUB_REPOSITORY; pass the job's token as GITHUB_TOKEN)`,
      );
    this.api = (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, '');
    this.repo = env.GITHUB_REPOSITORY!;
    this.token = env.GITHUB_TOKEN!;
    this.author = env.GITHUB_COMMENT_AUTHOR || WORKFLOW_IDENTITY;
  }

  /** Written by the pipeline itself and carrying `marker`; a comment by anyone else is never its own. */
  ownedWith(item: Comment, marker: string): boolean {
    return item.user?.login === this.author && item.body?.includes(marker) === true;
  }

  async request<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.api}/repos/${this.repo}${route}`, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${this.token}`,
        'x-github-api-version': '2022-11-28',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new GitHubError(`GitHub ${method} ${route} answered ${response.status}: ${redact(text).slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Every page of a list endpoint. */
  async list<T>(route: string): Promise<T[]> {
    const all: T[] = [];
    for (let page = 1; ; page++) {
      const items = await this.request<T[]>('GET', `${route}${route.includes('?') ? '&' : '?'}per_page=${PAGE_SIZE}&page=${page}`);
      all.push(...items);
      if (items.length < PAGE_SIZE) return all;
    }
  }
}

/** The pipeline's own comment carrying `marker` on issue or pull request `number`, if any. */
async function ownComment(gh: GitHubRepo, number: number, marker: string): Promise<Comment | undefined> {
  return (await gh.list<Comment>(`/issues/${number}/comments`)).find((c) => gh.ownedWith(c, marker));
}

/** Creates the pipeline's comment carrying `marker`, or edits it in place (`existing`: found by ownComment). */
async function upsertComment(gh: GitHubRepo, number: number, existing: Comment | undefined, marker: string, body: string) {
  const full = `${marker}\n${body}`;
  if (existing) {
    await gh.request('PATCH', `/issues/comments/${existing.id}`, { body: full });
    return 'updated';
  }
  await gh.request('POST', `/issues/${number}/comments`, { body: full });
  return 'created';
}

/** The plan a comment showed: its head commit and its irreversible steps. */
interface PlanRecord {
  sha: string;
  steps: string[];
}
/** An approval: the label event that gave it, by whom, on which commit, for which steps. */
interface ApprovalRecord extends PlanRecord {
  event: number;
  by: string;
  role: string;
}

const recordLine = (name: string, value: PlanRecord) => `<!-- ${name} ${JSON.stringify(value)} -->`;

/** A record from the head of the pipeline's comment (never from the reviews below it, which quote stack files). */
function recordIn<T extends PlanRecord>(body: string | undefined, name: string): T | undefined {
  const head = (body ?? '').split(`\n${COMMENT_TITLE}`, 1)[0];
  const match = new RegExp(`^<!-- ${name} (\\{.*\\}) -->$`, 'm').exec(head);
  if (!match) return undefined;
  try {
    const value = JSON.parse(match[1]) as T;
    return typeof value.sha === 'string' && Array.isArray(value.steps) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the approval label is on the pull request, and its last `labeled` event if it is. */
async function approvalLabel(gh: GitHubRepo, pr: number): Promise<IssueEvent | undefined> {
  const labels = await gh.list<{ name: string }>(`/issues/${pr}/labels`);
  if (!labels.some((l) => l.name === APPROVAL_LABEL)) return undefined;
  const events = (await gh.list<IssueEvent>(`/issues/${pr}/events`)).filter(
    (e) => (e.event === 'labeled' || e.event === 'unlabeled') && e.label?.name === APPROVAL_LABEL,
  );
  const last = events.at(-1);
  return last?.event === 'labeled' ? last : undefined;
}

async function roleOf(gh: GitHubRepo, login: string): Promise<string | undefined> {
  return (await gh.request<{ role_name?: string }>('GET', `/collaborators/${encodeURIComponent(login)}/permission`)).role_name;
}

interface StackReview {
  stack: string;
  markdown: string;
  exit: number;
  /** Why the review cannot be trusted (no summary, no exit code, a failed run); the gate then fails. */
  problem?: string;
  /** The irreversible steps it lists, as `stack: op Type name`. */
  steps: string[];
}

// One line of a review's CAUTION block: `> - **delete** Card \`acme-jane-travel\`: …` (scripts/review.ts).
const IRREVERSIBLE_LINE = /^> - \*\*(\S+)\*\* (\S+) `([^`]+)`/gm;

/**
 * The review of each stack the pipeline was to preview. A stack without its summary or exit code (a
 * preview job that failed or was cancelled, an artifact that is missing) is a failed review, never an
 * untouched stack; so is an exit code other than 0 or 2, or exit 2 without the steps it flagged.
 */
function readReviews(dir: string, stacks: string[]): StackReview[] {
  return [...stacks].sort().map((stack) => {
    const md = path.join(dir, `${stack}.md`);
    const exitFile = path.join(dir, `${stack}.exit`);
    const markdown = fs.existsSync(md) ? fs.readFileSync(md, 'utf8') : '';
    const exitText = fs.existsSync(exitFile) ? fs.readFileSync(exitFile, 'utf8').trim() : '';
    const exit = /^\d+$/.test(exitText) ? Number(exitText) : Number.NaN;
    const steps = [...markdown.matchAll(IRREVERSIBLE_LINE)].map((m) => `${stack}: ${m[1]} ${m[2]} ${m[3]}`);
    const problem = !fs.existsSync(md)
      ? 'no summary (the preview job failed or its artifact is missing)'
      : Number.isNaN(exit)
        ? 'no exit code of npm run review'
        : exit !== 0 && exit !== 2
          ? `npm run review exited with ${exit}`
          : exit === 2 && steps.length === 0
            ? 'exit 2 without a readable list of its irreversible steps'
            : undefined;
    return {
      stack,
      markdown: markdown || `## Pulumi preview of stack \`${stack}\`\n\n${problem}\n`,
      exit,
      steps,
      ...(problem ? { problem } : {}),
    };
  });
}

function stackName(name: unknown): string {
  if (typeof name !== 'string' || !STACK_NAME.test(name))
    throw new GitHubError(`a stack name has letters, digits, '.', '_' and '-' only, got ${JSON.stringify(name)}`);
  return name;
}

function stackList(json: string): string[] {
  let stacks: unknown;
  try {
    stacks = JSON.parse(json);
  } catch {
    throw new GitHubError(`--stacks must be a JSON array of stack names, got ${json}`);
  }
  if (!Array.isArray(stacks)) throw new GitHubError(`--stacks must be a JSON array of stack names, got ${json}`);
  return stacks.map(stackName);
}

/** Whether `approval` covers `steps` on commit `head`, given the label's last event; why not if not. */
function judge(approval: ApprovalRecord | undefined, label: IssueEvent | undefined, head: string, steps: string[]): string | undefined {
  if (steps.length === 0) return undefined;
  if (!label) return `no approval: a maintainer adds the label \`${APPROVAL_LABEL}\``;
  if (!approval || approval.event !== label.id)
    return `the label \`${APPROVAL_LABEL}\` was not given on this commit's plan (added before the plan was shown, by someone without the maintain or admin role, or its run was cancelled): a maintainer removes it and adds it again`;
  if (approval.sha !== head)
    return `the approval covers commit ${approval.sha.slice(0, 12)}, not ${head.slice(0, 12)}: a maintainer removes the label \`${APPROVAL_LABEL}\` and adds it again on this plan`;
  const uncovered = steps.filter((step) => !approval.steps.includes(step));
  if (uncovered.length > 0)
    return `irreversible steps the approval did not cover: ${uncovered.join('; ')}; a maintainer removes the label and adds it again`;
  return undefined;
}

const stackNames = (reviews: StackReview[]) => reviews.map((r) => `\`${r.stack}\``).join(', ');

export async function reviewComment(
  gh: GitHubRepo,
  opts: { pr: number; dir: string; stacks: string[]; head: string; event: string; label?: string },
): Promise<number> {
  const comment = await ownComment(gh, opts.pr, REVIEW_MARKER);
  const shown = recordIn<PlanRecord>(comment?.body, PLAN_RECORD);
  let approval = recordIn<ApprovalRecord>(comment?.body, APPROVAL_RECORD);
  if (opts.event === 'synchronize') {
    const labels = await gh.list<{ name: string }>(`/issues/${opts.pr}/labels`);
    if (labels.some((l) => l.name === APPROVAL_LABEL)) await gh.request('DELETE', `/issues/${opts.pr}/labels/${APPROVAL_LABEL}`);
  }
  const label = await approvalLabel(gh, opts.pr);
  // This run was started by the label being added: it approves the plan the comment showed for the
  // commit the event names, if a maintainer added it.
  if (opts.event === 'labeled' && opts.label === APPROVAL_LABEL && label && label.id !== approval?.event) {
    const by = label.actor?.login;
    const role = by ? await roleOf(gh, by) : undefined;
    approval =
      by && role && APPROVER_ROLES.has(role) && shown?.sha === opts.head
        ? { sha: opts.head, steps: shown.steps, event: label.id, by, role }
        : undefined;
  }
  if (approval && approval.event !== label?.id) approval = undefined;

  const reviews = readReviews(opts.dir, opts.stacks);
  const failed = reviews.filter((r) => r.problem !== undefined);
  const irreversible = reviews.filter((r) => r.problem === undefined && r.exit === 2);
  const steps = irreversible.flatMap((r) => r.steps);
  const refused = judge(approval, label, opts.head, steps);
  const status: string[] = [];
  if (reviews.length === 0) status.push('No stack is touched by this change.');
  for (const r of failed) status.push(`:x: The review of \`${r.stack}\` failed: ${r.problem}.`);
  if (irreversible.length > 0) {
    status.push(
      refused
        ? `:stop_sign: Irreversible steps in ${stackNames(irreversible)}: ${refused}.`
        : `:white_check_mark: Irreversible steps in ${stackNames(irreversible)} approved by @${approval!.by} (${approval!.role}) on commit ${opts.head.slice(0, 12)}.`,
    );
  }
  const records = [recordLine(PLAN_RECORD, { sha: opts.head, steps }), ...(approval ? [recordLine(APPROVAL_RECORD, approval)] : [])];
  const body = [...records, COMMENT_TITLE, '', ...status, '', ...reviews.map((r) => `${r.markdown.trimEnd()}\n`)].join('\n');
  const how = await upsertComment(gh, opts.pr, comment, REVIEW_MARKER, redact(body));
  console.log(`Review comment ${how} on #${opts.pr} (${reviews.length} stack(s)).`);
  if (failed.length > 0) {
    console.error(`The review failed for: ${failed.map((r) => `${r.stack} (${r.problem})`).join(', ')}.`);
    return 1;
  }
  if (refused) {
    console.error(`Irreversible steps in ${irreversible.map((r) => r.stack).join(', ')}: ${refused}.`);
    return 1;
  }
  return 0;
}

/**
 * The gate on a push to main: the review of the merge commit, judged against the approval recorded on
 * the pull request that was merged as that commit (its head commit, its steps).
 */
export async function deployGate(gh: GitHubRepo, opts: { commit: string; stack: string; dir: string }): Promise<number> {
  const [review] = readReviews(opts.dir, [opts.stack]);
  if (review.problem) {
    console.error(`The review of ${opts.stack} on ${opts.commit} failed: ${review.problem}. Nothing is deployed.`);
    return 1;
  }
  if (review.exit === 0) {
    console.log(`Nothing irreversible in ${opts.stack} on ${opts.commit}.`);
    return 0;
  }
  const pr = (await gh.list<PullRequest>(`/commits/${opts.commit}/pulls`)).find((p) => p.merged_at && p.merge_commit_sha === opts.commit);
  if (!pr) {
    console.error(
      `Irreversible steps in ${opts.stack} (${review.steps.join('; ')}), and ${opts.commit} is not the merge of a pull request: ` +
        'nothing approved them. Nothing is deployed.',
    );
    return 1;
  }
  const approval = recordIn<ApprovalRecord>((await ownComment(gh, pr.number, REVIEW_MARKER))?.body, APPROVAL_RECORD);
  const refused = judge(approval, await approvalLabel(gh, pr.number), pr.head.sha, review.steps);
  if (refused) {
    console.error(`Irreversible steps in ${opts.stack} on ${opts.commit} (merge of #${pr.number}): ${refused}. Nothing is deployed.`);
    return 1;
  }
  console.log(`Irreversible steps in ${opts.stack} approved on #${pr.number} by @${approval!.by} (${approval!.role}) for ${pr.head.sha}.`);
  return 0;
}

export async function driftIssue(gh: GitHubRepo, opts: { stack: string; report: string; exit: number }): Promise<number> {
  if (opts.exit !== 0 && opts.exit !== 2) {
    console.error(`npm run drift failed (exit ${opts.exit}) for stack ${opts.stack}; no issue changed.`);
    return 1;
  }
  const marker = driftMarker(opts.stack);
  const open = (await gh.list<Issue>(`/issues?state=open&labels=${DRIFT_LABEL}`)).find((i) => !i.pull_request && gh.ownedWith(i, marker));
  if (opts.exit === 0) {
    if (open) {
      await gh.request('POST', `/issues/${open.number}/comments`, { body: `No drift in stack \`${opts.stack}\` any more: closing.` });
      await gh.request('PATCH', `/issues/${open.number}`, { state: 'closed', state_reason: 'completed' });
      console.log(`Closed #${open.number}: no drift in ${opts.stack}.`);
    }
    return 0;
  }
  const body = redact(`${marker}\n${fs.readFileSync(opts.report, 'utf8')}`);
  if (open) {
    await gh.request('PATCH', `/issues/${open.number}`, { body });
    console.log(`Updated #${open.number}: drift in ${opts.stack}.`);
  } else {
    const created = await gh.request<Issue>('POST', '/issues', { title: `Drift in stack ${opts.stack}`, body, labels: [DRIFT_LABEL] });
    console.log(`Opened #${created.number}: drift in ${opts.stack}.`);
  }
  return 0;
}

function option(argv: string[], name: string): string {
  const value = optional(argv, name);
  if (value === undefined) throw new GitHubError(`--${name} is required`);
  return value;
}

function optional(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(`--${name}`);
  const value = index >= 0 ? argv[index + 1] : undefined;
  return value === undefined || value === '' || value.startsWith('--') ? undefined : value;
}

function integer(argv: string[], name: string): number {
  const value = option(argv, name);
  if (!/^\d+$/.test(value)) throw new GitHubError(`--${name} must be a number, got ${value}`);
  return Number(value);
}

function commit(argv: string[], name: string): string {
  const value = option(argv, name);
  if (!/^[0-9a-f]{40}$/.test(value)) throw new GitHubError(`--${name} must be a full commit SHA (40 hex digits), got ${value}`);
  return value;
}

const USAGE =
  'usage: npm run github -- review-comment --pr N --dir DIR --stacks JSON --head SHA --event ACTION [--label NAME]' +
  ' | deploy-gate --commit SHA --stack NAME --dir DIR | drift-issue --stack NAME --report FILE --exit CODE';

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'review-comment') {
    const label = optional(rest, 'label');
    return reviewComment(new GitHubRepo(env), {
      pr: integer(rest, 'pr'),
      dir: option(rest, 'dir'),
      stacks: stackList(option(rest, 'stacks')),
      head: commit(rest, 'head'),
      event: option(rest, 'event'),
      ...(label ? { label } : {}),
    });
  }
  if (command === 'deploy-gate') {
    return deployGate(new GitHubRepo(env), {
      commit: commit(rest, 'commit'),
      stack: stackName(option(rest, 'stack')),
      dir: option(rest, 'dir'),
    });
  }
  if (command === 'drift-issue') {
    return driftIssue(new GitHubRepo(env), { stack: option(rest, 'stack'), report: option(rest, 'report'), exit: integer(rest, 'exit') });
  }
  throw new GitHubError(USAGE);
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
