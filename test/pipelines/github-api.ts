/**
 * GitHub's REST API for one repository, on loopback, for the calls scripts/github.ts makes: issue and
 * pull-request comments (with their author), labels and their events, issues, pull requests' head and
 * merge commits (`GET /commits/{sha}/pulls`), collaborator permissions. Pipelines cannot reach GitHub from
 * the tests; this serves the same routes, pagination (per_page/page) and bearer-token check, so the
 * script's real HTTP requests are exercised and recorded. What the token posts is authored by
 * `github-actions[bot]`, as GitHub authors what a workflow's GITHUB_TOKEN posts.
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WORKFLOW_IDENTITY } from '../../scripts/github';

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  user: { login: string };
  pull_request?: Record<string, never>;
  /** Pull requests: the head commit, and once merged the merge commit. */
  head?: { sha: string };
  merge_commit_sha?: string | null;
  merged_at?: string | null;
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user?: { login: string };
}

export interface FakeEvent {
  id: number;
  issue: number;
  event: string;
  label: { name: string };
  actor: { login: string };
}

export class GitHubApi {
  readonly repo = 'acme/platform';
  readonly token = 'ghs_test_token_0123456789';
  issues: FakeIssue[] = [];
  comments: FakeComment[] = [];
  events: FakeEvent[] = [];
  roles: Record<string, string> = {};
  requests: string[] = [];
  private nextId = 1000;
  private server?: http.Server;
  url = '';

  pullRequest(number: number, head = commitSha(`${number}-0`)): FakeIssue {
    const pr: FakeIssue = {
      number,
      title: `PR ${number}`,
      body: '',
      state: 'open',
      labels: [],
      user: { login: 'dev' },
      pull_request: {},
      head: { sha: head },
      merge_commit_sha: null,
      merged_at: null,
    };
    this.issues.push(pr);
    return pr;
  }

  /** A push to the pull request's branch: its new head commit. */
  push(number: number, sha: string): void {
    this.issue(number).head = { sha };
  }

  merge(number: number, mergeSha: string): void {
    Object.assign(this.issue(number), { state: 'closed', merge_commit_sha: mergeSha, merged_at: '2026-12-06T12:00:00Z' });
  }

  label(number: number, name: string, by: string): FakeEvent {
    this.issue(number).labels.push(name);
    const event = { id: this.nextId++, issue: number, event: 'labeled', label: { name }, actor: { login: by } };
    this.events.push(event);
    return event;
  }

  unlabel(number: number, name: string, by: string): void {
    const issue = this.issue(number);
    issue.labels = issue.labels.filter((l) => l !== name);
    this.events.push({ id: this.nextId++, issue: number, event: 'unlabeled', label: { name }, actor: { login: by } });
  }

  /** A comment by someone else than the workflow. */
  comment(issue: number, login: string, body: string): FakeComment {
    const comment = { id: this.nextId++, issue, body, user: { login } };
    this.comments.push(comment);
    return comment;
  }

  issue(number: number): FakeIssue {
    const found = this.issues.find((i) => i.number === number);
    if (!found) throw new Error(`no issue ${number}`);
    return found;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        this.requests.push(`${req.method} ${url.pathname}`);
        const send = (status: number, body?: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(body === undefined ? '' : JSON.stringify(body));
        };
        if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, { message: 'Bad credentials' });
        const prefix = `/repos/${this.repo}`;
        if (!url.pathname.startsWith(prefix)) return send(404, { message: 'Not Found' });
        const route = url.pathname.slice(prefix.length);
        const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        const page = <T>(items: T[]) => {
          const size = Number(url.searchParams.get('per_page') ?? 30);
          const n = Number(url.searchParams.get('page') ?? 1);
          return items.slice((n - 1) * size, n * size);
        };
        let m: RegExpExecArray | null;
        if ((m = /^\/issues\/(\d+)\/comments$/.exec(route))) {
          const issue = Number(m[1]);
          if (req.method === 'GET') return send(200, page(this.comments.filter((c) => c.issue === issue)));
          const comment = { id: this.nextId++, issue, body: String(body.body), user: { login: WORKFLOW_IDENTITY } };
          this.comments.push(comment);
          return send(201, comment);
        }
        if ((m = /^\/issues\/comments\/(\d+)$/.exec(route)) && req.method === 'PATCH') {
          const comment = this.comments.find((c) => c.id === Number(m![1]));
          if (!comment) return send(404, { message: 'Not Found' });
          comment.body = String(body.body);
          return send(200, comment);
        }
        if ((m = /^\/issues\/(\d+)\/labels$/.exec(route)) && req.method === 'GET') {
          return send(200, page(this.issue(Number(m[1])).labels.map((name) => ({ name }))));
        }
        if ((m = /^\/issues\/(\d+)\/labels\/([^/]+)$/.exec(route)) && req.method === 'DELETE') {
          this.unlabel(Number(m[1]), decodeURIComponent(m[2]), WORKFLOW_IDENTITY);
          const issue = this.issue(Number(m[1]));
          return send(
            200,
            issue.labels.map((name) => ({ name })),
          );
        }
        if ((m = /^\/issues\/(\d+)\/events$/.exec(route))) {
          return send(200, page(this.events.filter((e) => e.issue === Number(m![1]))));
        }
        if ((m = /^\/commits\/([0-9a-f]{40})\/pulls$/.exec(route)) && req.method === 'GET') {
          const sha = m[1];
          return send(200, page(this.issues.filter((i) => i.pull_request && (i.merge_commit_sha === sha || i.head?.sha === sha))));
        }
        if ((m = /^\/collaborators\/([^/]+)\/permission$/.exec(route))) {
          const role = this.roles[decodeURIComponent(m[1])] ?? 'read';
          const permission = role === 'maintain' || role === 'triage' ? (role === 'maintain' ? 'write' : 'read') : role;
          return send(200, { permission, role_name: role, user: { login: m[1] } });
        }
        if (route === '/issues' && req.method === 'GET') {
          const state = url.searchParams.get('state') ?? 'open';
          const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
          return send(200, page(this.issues.filter((i) => i.state === state && labels.every((l) => i.labels.includes(l)))));
        }
        if (route === '/issues' && req.method === 'POST') {
          const issue: FakeIssue = {
            number: this.nextId++,
            title: String(body.title),
            body: String(body.body),
            state: 'open',
            labels: (body.labels as string[]) ?? [],
            user: { login: WORKFLOW_IDENTITY },
          };
          this.issues.push(issue);
          return send(201, issue);
        }
        if ((m = /^\/issues\/(\d+)$/.exec(route)) && req.method === 'PATCH') {
          const issue = this.issue(Number(m[1]));
          Object.assign(issue, body.body === undefined ? {} : { body: body.body }, body.state === undefined ? {} : { state: body.state });
          return send(200, issue);
        }
        return send(404, { message: 'Not Found' });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The environment GitHub Actions gives a job, pointed at this API. */
  get env(): NodeJS.ProcessEnv {
    return { GITHUB_API_URL: this.url, GITHUB_REPOSITORY: this.repo, GITHUB_TOKEN: this.token };
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A 40-hex commit SHA named by a test (`pr-7 push 2`), stable across runs. */
export function commitSha(name: string): string {
  return crypto.createHash('sha1').update(name).digest('hex');
}
