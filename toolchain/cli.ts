/**
 * Runs the real Pulumi CLI chosen by `npm run setup` with the project's offline settings.
 * `npm run pulumi -- <args>` is the command-line form (e.g. `npm run pulumi -- about`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { publicPassphraseRefusal, pulumiEnv, stackOf } from './env';
import { PROJECT_ROOT } from './paths';
import { readManifest, SetupError } from './setup';

export interface PulumiRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunPulumiOptions {
  cwd?: string;
  /** Environment to start from (default process.env); the offline settings are added to it. */
  env?: NodeJS.ProcessEnv;
  /** 'inherit' streams to the terminal (progress stays visible); 'pipe' (default) captures. */
  stdio?: 'inherit' | 'pipe';
  /** Called with each chunk of output while capturing, e.g. to show progress. */
  onOutput?: (chunk: string) => void;
  /** Run the CLI in its own process group, so that it can be killed with all its plugins. */
  detached?: boolean;
  /** Receives the CLI's process right after it started. */
  onSpawn?: (child: ChildProcess) => void;
}

export function runPulumi(args: string[], opts: RunPulumiOptions = {}): Promise<PulumiRun> {
  const env = pulumiEnv(opts.env ?? process.env, stackOf(args), args[0]);
  const refusal = publicPassphraseRefusal(args, env);
  if (refusal) return Promise.reject(new SetupError(refusal));
  const { pulumi } = readManifest();
  return new Promise((resolve, reject) => {
    const child = spawn(pulumi, args, {
      cwd: opts.cwd ?? PROJECT_ROOT,
      env,
      stdio: opts.stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      detached: opts.detached ?? false,
    });
    opts.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      opts.onOutput?.(chunk);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      opts.onOutput?.(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

if (require.main === module) {
  runPulumi(process.argv.slice(2), { stdio: 'inherit' })
    .then((result) => process.exit(result.code))
    .catch((err: unknown) => {
      console.error(err instanceof SetupError ? err.message : err);
      process.exit(1);
    });
}
