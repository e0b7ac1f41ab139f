/**
 * Runs the `run:` steps of the repository's GitHub Actions workflows (and local composite actions) the
 * way a runner does: bash with -eo pipefail, the workflow, job and step `env:` with each `${{ … }}`
 * expression given by the test, and $GITHUB_OUTPUT collected into step outputs.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { PROJECT_ROOT } from '../../toolchain/paths';

export interface RunStep {
  /** Path of the workflow or action file, from the repository root. */
  file: string;
  job: string;
  /** The step's name, id, or its command when it has neither. */
  label: string;
  run: string;
  /** Workflow, job and step env, in that order of precedence (later wins). */
  env: Record<string, string>;
}

interface StepDoc {
  name?: string;
  id?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}
export interface JobDoc {
  env?: Record<string, string>;
  environment?: string | { name: string };
  steps?: StepDoc[];
}

const WORKFLOWS_DIR = path.join(PROJECT_ROOT, '.github', 'workflows');
const ACTIONS_DIR = path.join(PROJECT_ROOT, '.github', 'actions');

export function workflowFiles(): string[] {
  const workflows = fs
    .readdirSync(WORKFLOWS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(WORKFLOWS_DIR, f));
  const actions = fs.existsSync(ACTIONS_DIR) ? fs.readdirSync(ACTIONS_DIR).map((d) => path.join(ACTIONS_DIR, d, 'action.yml')) : [];
  return [...workflows, ...actions.filter((f) => fs.existsSync(f))].sort();
}

interface WorkflowDoc {
  env?: Record<string, string>;
  jobs?: Record<string, JobDoc>;
  runs?: { steps?: StepDoc[] };
}

/** Every job of every workflow (a local action's steps as one job named `action`), by file. */
export function workflowJobs(): { file: string; job: string; doc: JobDoc; workflow: WorkflowDoc }[] {
  return workflowFiles().flatMap((file) => {
    const workflow = yaml.load(fs.readFileSync(file, 'utf8')) as WorkflowDoc;
    const jobs: Record<string, JobDoc> = workflow.jobs ?? { action: { steps: workflow.runs?.steps ?? [] } };
    return Object.entries(jobs).map(([job, doc]) => ({ file: path.relative(PROJECT_ROOT, file), job, doc, workflow }));
  });
}

/** Every `run:` step of every workflow and local action. */
export function runSteps(): RunStep[] {
  const steps: RunStep[] = [];
  for (const { file, job, doc: jobDoc, workflow: doc } of workflowJobs()) {
    for (const step of jobDoc.steps ?? []) {
      if (step.run === undefined) continue;
      steps.push({
        file,
        job,
        label: step.name ?? step.id ?? step.run.trim(),
        run: step.run,
        env: { ...doc.env, ...jobDoc.env, ...step.env },
      });
    }
  }
  return steps;
}

export function findStep(file: string, job: string, label: string): RunStep {
  const step = runSteps().find((s) => s.file === file && s.job === job && s.label === label);
  if (!step) throw new Error(`no run step "${label}" in job ${job} of ${file}`);
  return step;
}

/** The step's env with each `${{ expression }}` replaced by the test's value for it. */
export function resolveEnv(step: RunStep, expressions: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(step.env).map(([name, value]) => {
      const match = /^\$\{\{\s*(.+?)\s*\}\}$/.exec(String(value));
      if (!match) return [name, String(value)];
      if (!(match[1] in expressions))
        throw new Error(`${step.file} ${step.job} "${step.label}": the test gives no value for \${{ ${match[1]} }} (${name})`);
      return [name, expressions[match[1]]];
    }),
  );
}

export interface StepResult {
  code: number;
  output: string;
  outputs: Record<string, string>;
}

export async function runStep(
  step: RunStep,
  opts: { cwd: string; env: NodeJS.ProcessEnv; expressions: Record<string, string> },
): Promise<StepResult> {
  if (/\$\{\{/.test(step.run)) throw new Error(`${step.file} "${step.label}": expressions belong in env:, not in the script`);
  const outputFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gh-output-')), 'output');
  fs.writeFileSync(outputFile, '');
  const env = { ...opts.env, ...resolveEnv(step, opts.expressions), GITHUB_OUTPUT: outputFile, CI: 'true', GITHUB_ACTIONS: 'true' };
  let output = '';
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
      cwd: opts.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve(status ?? 1));
  });
  const result: StepResult = { code, output, outputs: {} };
  for (const line of fs.readFileSync(outputFile, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) result.outputs[line.slice(0, eq)] = line.slice(eq + 1);
  }
  fs.rmSync(path.dirname(outputFile), { recursive: true, force: true });
  return result;
}
