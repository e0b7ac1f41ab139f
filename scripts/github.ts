/**
 * `npm run github -- …`: what the pipelines in .github/workflows tell GitHub, through its REST API
 * (GITHUB_API_URL, GITHUB_REPOSITORY and GITHUB_TOKEN as GitHub Actions sets them; nothing else).
 *
 *   review-comment --pr N --dir DIR [--new-commits]
 *       Posts the reviews DIR/<stack>.md as ONE pull-request comment, edited in place on later runs.
 *       DIR/<stack>.exit holds each `npm run review` exit code. Fails (exit 1) when a review failed, or
 *       when one reports irreversible steps and no maintainer (admin or maintain role) has labelled the
 *       pull request `approve-irreversible`. --new-commits (a push to the pull request) first removes
 *       that label: an approval covers the plan it was given for, not the next one.
 *   drift-issue --stack NAME --report FILE --exit CODE
 *       The exit code of `npm run drift`: 2 opens one issue for the stack (labelled `drift`) or updates
 *       the open one; 0 closes it with a comment; 1 changes nothing and fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { redact } from '../provider/errors';

export const APPROVAL_LABEL = 'approve-irreversible';
export const DRIFT_LABEL = 'drift';
/** Roles that may approve irreversible steps (GitHub's "Get repository permissions for a user": role_name). */
const APPROVER_ROLES = new Set(['admin', 'maintain']);
const REVIEW_MARKER = '<!-- stripe-issuing-as-code:review -->';
const driftMarker = (stack: string) => `<!-- stripe-issuing-as-code:drift:${stack} -->`;
const PAGE_SIZE = 100;

export class GitHubError extends Error {}

interface Comment {
  id: number;
  body?: string;
}
interface Issue extends Comment {
  number: number;
  pull_request?: unknown;
}
interface IssueEvent {
  event: string;
  label?: { name: string };
  actor?: { login: string };
}

/** The REST API of one repository, as GitHub Actions describes it in the environment. */
export class GitHubRepo {
  private readonly api: string;
  private readonly repo: string;
  private readonly token: string;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const missing = ['GITHUB_REPOSITORY', 'GITHUB_TOKEN'].filter((name) => !env[name]);
    if (missing.length > 0)
      throw new GitHubError(
        `${missing.join(' and ')} must be set (GitHub Actions sets GITHUB_REPOSITORY; pass the job's token as GITHUB_TOKEN)`,
      );
    this.api = (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, '');
    this.repo = env.GITHUB_REPOSITORY!;
    this.token = env.GITHUB_TOKEN!;
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

/** Creates the comment carrying `marker` on issue or pull request `number`, or edits it in place. */
export async function upsertComment(gh: GitHubRepo, number: number, marker: string, body: string): Promise<'created' | 'updated'> {
  const full = `${marker}\n${body}`;
  const existing = (await gh.list<Comment>(`/issues/${number}/comments`)).find((c) => c.body?.includes(marker));
  if (existing) {
    await gh.request('PATCH', `/issues/comments/${existing.id}`, { body: full });
    return 'updated';
  }
  await gh.request('POST', `/issues/${number}/comments`, { body: full });
  return 'created';
}

/** Whether the approval label is on the pull request, last added by someone with an approver role. */
async function approvedByMaintainer(gh: GitHubRepo, pr: number): Promise<{ approved: boolean; by?: string; role?: string }> {
  const labels = await gh.list<{ name: string }>(`/issues/${pr}/labels`);
  if (!labels.some((l) => l.name === APPROVAL_LABEL)) return { approved: false };
  const labelled = (await gh.list<IssueEvent>(`/issues/${pr}/events`)).filter(
    (e) => e.event === 'labeled' && e.label?.name === APPROVAL_LABEL,
  );
  const by = labelled.at(-1)?.actor?.login;
  if (!by) return { approved: false };
  const { role_name: role } = await gh.request<{ role_name?: string }>('GET', `/collaborators/${encodeURIComponent(by)}/permission`);
  return { approved: role !== undefined && APPROVER_ROLES.has(role), by, ...(role ? { role } : {}) };
}

interface StackReview {
  stack: string;
  markdown: string;
  exit: number;
}

function readReviews(dir: string): StackReview[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => {
      const stack = name.slice(0, -'.md'.length);
      const exitFile = path.join(dir, `${stack}.exit`);
      const exit = fs.existsSync(exitFile) ? Number(fs.readFileSync(exitFile, 'utf8').trim()) : 1;
      return { stack, markdown: fs.readFileSync(path.join(dir, name), 'utf8'), exit };
    });
}

export async function reviewComment(gh: GitHubRepo, opts: { pr: number; dir: string; newCommits: boolean }): Promise<number> {
  if (opts.newCommits) {
    const labels = await gh.list<{ name: string }>(`/issues/${opts.pr}/labels`);
    if (labels.some((l) => l.name === APPROVAL_LABEL)) await gh.request('DELETE', `/issues/${opts.pr}/labels/${APPROVAL_LABEL}`);
  }
  const reviews = readReviews(opts.dir);
  const failed = reviews.filter((r) => r.exit !== 0 && r.exit !== 2).map((r) => r.stack);
  const irreversible = reviews.filter((r) => r.exit === 2).map((r) => r.stack);
  const approval = irreversible.length > 0 ? await approvedByMaintainer(gh, opts.pr) : { approved: true };
  const status: string[] = [];
  if (reviews.length === 0) status.push('No stack is touched by this change.');
  if (failed.length > 0) status.push(`:x: The preview failed for ${failed.map((s) => `\`${s}\``).join(', ')}.`);
  if (irreversible.length > 0) {
    status.push(
      approval.approved
        ? `:white_check_mark: Irreversible steps in ${irreversible.map((s) => `\`${s}\``).join(', ')} approved by @${approval.by} (${approval.role}).`
        : `:stop_sign: Irreversible steps in ${irreversible.map((s) => `\`${s}\``).join(', ')}: the check fails until a maintainer adds the label \`${APPROVAL_LABEL}\`.`,
    );
  }
  const body = ['# Stripe Issuing: plan of this pull request', '', ...status, '', ...reviews.map((r) => `${r.markdown.trimEnd()}\n`)].join(
    '\n',
  );
  const how = await upsertComment(gh, opts.pr, REVIEW_MARKER, redact(body));
  console.log(`Review comment ${how} on #${opts.pr} (${reviews.length} stack(s)).`);
  if (failed.length > 0) {
    console.error(`The preview failed for: ${failed.join(', ')}.`);
    return 1;
  }
  if (!approval.approved) {
    console.error(
      `Irreversible steps in ${irreversible.join(', ')}: a maintainer (admin or maintain role) must add the label ${APPROVAL_LABEL}.`,
    );
    return 1;
  }
  return 0;
}

export async function driftIssue(gh: GitHubRepo, opts: { stack: string; report: string; exit: number }): Promise<number> {
  if (opts.exit !== 0 && opts.exit !== 2) {
    console.error(`npm run drift failed (exit ${opts.exit}) for stack ${opts.stack}; no issue changed.`);
    return 1;
  }
  const marker = driftMarker(opts.stack);
  const open = (await gh.list<Issue>(`/issues?state=open&labels=${DRIFT_LABEL}`)).find((i) => !i.pull_request && i.body?.includes(marker));
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
  const index = argv.indexOf(`--${name}`);
  const value = index >= 0 ? argv[index + 1] : undefined;
  if (value === undefined || value === '') throw new GitHubError(`--${name} is required`);
  return value;
}

function integer(argv: string[], name: string): number {
  const value = option(argv, name);
  if (!/^\d+$/.test(value)) throw new GitHubError(`--${name} must be a number, got ${value}`);
  return Number(value);
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'review-comment') {
    return reviewComment(new GitHubRepo(env), {
      pr: integer(rest, 'pr'),
      dir: option(rest, 'dir'),
      newCommits: rest.includes('--new-commits'),
    });
  }
  if (command === 'drift-issue') {
    return driftIssue(new GitHubRepo(env), { stack: option(rest, 'stack'), report: option(rest, 'report'), exit: integer(rest, 'exit') });
  }
  throw new GitHubError(
    'usage: npm run github -- review-comment --pr N --dir DIR [--new-commits] | drift-issue --stack NAME --report FILE --exit CODE',
  );
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
