/**
 * The command line every stack report shares (npm run review, npm run drift): checks the stack file, runs
 * one Pulumi command on the stack against the Stripe it targets (lib/stripe-target.ts), and writes
 * Markdown. Exit 0 = no finding, 2 = findings, 1 = invalid stack file or failed command.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stackFilePath } from '../config/paths';
import { checkStackFile, readStackDocument } from '../config/validate';
import { redact } from '../provider/errors';

/** A Markdown report over the JSON output of one Pulumi command on a stack (review, drift). */
export interface StackReport<Output> {
  /** The npm script, for the usage line. */
  script: string;
  /** What the report is of, e.g. `Pulumi preview`: its heading is `## <title> of stack \`NAME\``. */
  title: string;
  /** The Pulumi command printing JSON, without --stack, and the environment it needs. */
  command: string[];
  env?: NodeJS.ProcessEnv;
  /** Reads the command's stdout; throws when it is not the expected JSON. */
  parse(stdout: string): Output;
  /**
   * The Markdown, and how many findings (each makes the exit code 2) described by `findings`.
   * `failed`: the command exited non-zero, so its output covers only what happened before it stopped.
   */
  summarize(
    output: Output,
    stack: string,
    context: { failed: boolean },
  ): Promise<{ markdown: string; findings: number }> | { markdown: string; findings: number };
  /** What a finding is, for the log line: `irreversible step(s)`. */
  findings: string;
}

function parseArgs(argv: string[], script: string): { stack: string; out?: string; port?: number } {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const stack = value('--stack');
  if (!stack) throw new Error(`usage: npm run ${script} -- --stack NAME [--out FILE] [--port N]`);
  const out = value('--out');
  const port = value('--port');
  return { stack, ...(out ? { out } : {}), ...(port ? { port: Number(port) } : {}) };
}

/**
 * Runs a Pulumi command on a stack, the way every report reaches the stack: against Stripe with a key,
 * else offline on the emulator's saved state like `npm start` (lib/stripe-target.ts; `port` is the
 * emulator's). Runs from the project root, where the stack files are.
 */
export async function runOnStack(
  stack: string,
  command: string[],
  env: NodeJS.ProcessEnv = {},
  port?: number,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { runPulumi } = await import('../toolchain/cli');
  const { withStripeTarget } = await import('./stripe-target');
  const projectRoot = process.cwd();
  return withStripeTarget(readStackDocument(stack, projectRoot), { stack, projectRoot, ...(port ? { port } : {}) }, ({ env: target }) =>
    runPulumi([...command, '--non-interactive', '--stack', stack], { env: { ...target, ...env } }),
  );
}

/**
 * The command line of a report: validates the stack file, runs the command, writes the Markdown to
 * --out or stdout. Exit 0 = no finding, 2 = findings, 1 = invalid stack file or failed command (the
 * report then says so first).
 */
export async function runStackReport<Output>(argv: string[], report: StackReport<Output>): Promise<number> {
  const { stack, out, port } = parseArgs(argv, report.script);
  const outFile = out && path.resolve(out);
  // Stack files are named relative to the project root, where the CLI runs too.
  process.chdir(path.resolve(__dirname, '..'));
  const emit = (markdown: string) => (outFile ? fs.writeFileSync(outFile, markdown) : process.stdout.write(markdown));
  const problems = checkStackFile(stackFilePath(stack));
  if (problems.length > 0) {
    emit(`## ${report.title} of stack \`${stack}\`\n\nThe stack file is invalid:\n\n${problems.map((p) => `- ${p}`).join('\n')}\n`);
    console.error(problems.join('\n'));
    return 1;
  }
  const run = await runOnStack(stack, report.command, report.env, port);
  const commandLine = `pulumi ${report.command.join(' ')}`;
  let output: Output;
  try {
    output = report.parse(run.stdout);
  } catch {
    const message = `${commandLine} exited with ${run.code} without its JSON output:\n${run.stderr || run.stdout}`;
    emit(
      redact(
        `## ${report.title} of stack \`${stack}\`\n\n> [!WARNING]\n> **${commandLine} failed** without its JSON output:\n\n${message
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n')}\n`,
      ),
    );
    console.error(redact(message));
    return 1;
  }
  const summary = await report.summarize(output, stack, { failed: run.code !== 0 });
  emit(summary.markdown);
  if (run.code !== 0) {
    console.error(redact(`${commandLine} failed (exit ${run.code}); the report lists its errors.\n${run.stderr}`));
    return 1;
  }
  if (out) console.error(`Wrote ${out}: ${summary.findings} ${report.findings}.`);
  return summary.findings > 0 ? 2 : 0;
}

/** Runs a report's command line as the process's main, with its exit code. */
export function runStackReportMain<Output>(report: StackReport<Output>): void {
  runStackReport(process.argv.slice(2), report).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(redact(error instanceof Error ? error.message : String(error)));
      process.exit(1);
    },
  );
}
