/**
 * Every check of a stack file that needs no Stripe call, all problems at once, each as
 * `stacks/Pulumi.<stack>.yaml: <key path>: <what is allowed>`. Used by `npm run validate`, by the
 * program before it declares anything, and by editors (the schema part).
 */
import * as fs from 'node:fs';
import { redact } from '../provider/errors';
import { formatProblem, readStackFile } from './paths';
import { domainProblems } from './domain';
import { schemaProblems, type Problem } from './schema';
import { withSecureStandIns } from './secure';
import { parseYaml } from './yaml';

/** Problems of a stack file's text, formatted; empty when the file is valid. */
export function checkStackText(file: string, text: string): string[] {
  const { value: parsed, problems: yamlProblems } = parseYaml(text);
  if (yamlProblems.some((problem) => problem.path === '')) return format(file, yamlProblems);
  // Encrypted personal data cannot be read here: checked with stand-ins (the provider checks the real values).
  const { document: value, problems: secureProblems } = withSecureStandIns(parsed);
  const structural = [...yamlProblems, ...secureProblems, ...schemaProblems(value)];
  // Domain checks repeat what the schema already said about a broken part: keep the schema's words.
  const covered = (path: string) => structural.some((p) => path === p.path || path.startsWith(`${p.path}.`) || path.startsWith(`${p.path}[`));
  const domain = domainProblems(value).filter((problem) => !covered(problem.path));
  return format(file, [...structural, ...domain]);
}

/** A stack file as read from `stacks/Pulumi.<stack>.yaml`: its path, its text and its parsed `config`. */
export interface StackDocument {
  file: string;
  text: string;
  config: Record<string, unknown>;
}

/** Reads and parses a stack's file under `projectRoot`, without checking it (see assertValidStack). */
export function readStackDocument(stack: string, projectRoot: string): StackDocument {
  const { file, text } = readStackFile(stack, projectRoot);
  const config = (parseYaml(text).value as { config?: Record<string, unknown> } | null)?.config ?? {};
  return { file, text, config };
}

/** Throws listing every problem of a stack file, for scripts that use it outside `pulumi`. */
export function assertValidStack({ file, text }: StackDocument): void {
  const problems = checkStackText(file, text);
  if (problems.length > 0) throw new Error(`${file} is not valid:\n  ${problems.join('\n  ')}`);
}

export function checkStackFile(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return [formatProblem(file, '', `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): every stack needs its stack file`)];
  }
  return checkStackText(file, text);
}

const format = (file: string, problems: Problem[]) =>
  unique(problems.map((problem) => redact(formatProblem(file, problem.path, problem.message))));

const unique = (lines: string[]) => [...new Set(lines)];
