/**
 * The stack reader: every check of a stack file that needs no Stripe call, all problems at once, each as
 * `stacks/Pulumi.<stack>.yaml: <key path>: <what is allowed>`, and, when there is none, the file as a
 * typed document (`CheckedStack`) that the program and every command read. Used by `npm run validate`,
 * by the program before it declares anything, and by editors (the schema part).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { redact } from '../provider/errors';
import { CONFIG_KEYS } from '../provider/settings';
import { formatProblem, ISSUING_CONFIG_KEY, stackFilePath, stackOfFile } from './paths';
import { type Problem, schemaProblems } from './schema';
import { plainPersonalDataProblems, withSecureStandIns } from './secure';
import { domainProblems } from './stack-rules';
import type { IssuingConfig, Mode } from './types';
import { parseYaml } from './yaml';

/** A stack file as read from `stacks/Pulumi.<stack>.yaml`, not yet checked. */
export interface StackDocument {
  /** The stack's name, `<stack>` in the file name. */
  stack: string;
  file: string;
  text: string;
  /** The parsed `config` mapping, unchecked. */
  config: Record<string, unknown>;
  /**
   * `stripe-issuing:mode`, read here and nowhere else: `live` only when the file says so (absent means
   * test, Pulumi.yaml's default; an invalid value is reported by the check). Guards may use it before the check.
   */
  mode: Mode;
}

/** A stack file without problems, typed: what the program, `npm start`, simulate, the authorizer and bench read. */
export interface CheckedStack {
  stack: string;
  file: string;
  mode: Mode;
  /** `stripe-issuing:issuing` as written: personal data the file keeps encrypted is still `{secure: …}` here. */
  issuing: IssuingConfig;
  /** The file's own Stripe settings (each falls back to an environment variable where it is used). */
  stripe: StackStripeSettings;
}

export interface StackStripeSettings {
  /** The file stores its own (encrypted) key, which the provider uses instead of STRIPE_API_KEY. */
  ownKey: boolean;
  apiBase?: string;
  apiVersion?: string;
  /** This stack's share of its key's rate limit, as the provider reads it (a string). */
  maxRequestsPerSecond?: string;
}

/** The problems of a stack file, and the typed document when there is none. */
export type StackCheck = { problems: []; checked: CheckedStack } | { problems: string[]; checked?: undefined };

/** Parses a stack file's text (the stack named by the file name), without checking it. */
export function parseStackDocument(file: string, text: string): StackDocument {
  const parsed = parseYaml(text).value as { config?: unknown } | null;
  const config = isMapping(parsed?.config) ? parsed.config : {};
  return { stack: stackOfFile(file), file, text, config, mode: config[CONFIG_KEYS.mode] === 'live' ? 'live' : 'test' };
}

/** Reads and parses a stack's file under `projectRoot`, without checking it (see checkStack). */
export function readStackDocument(stack: string, projectRoot: string): StackDocument {
  const file = stackFilePath(stack);
  let text: string;
  try {
    text = fs.readFileSync(path.join(projectRoot, file), 'utf8');
  } catch (error) {
    throw new Error(
      `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): is "${stack}" a stack of this project?`,
    );
  }
  return parseStackDocument(file, text);
}

/** Every check of the document: its problems, or the typed document. */
export function checkStack(document: StackDocument): StackCheck {
  const problems = textProblems(document);
  if (problems.length > 0) return { problems };
  const { config } = document;
  const setting = (key: string) => (config[key] === undefined ? undefined : String(config[key]));
  const [apiBase, apiVersion, maxRequestsPerSecond] = [CONFIG_KEYS.apiBase, CONFIG_KEYS.apiVersion, CONFIG_KEYS.maxRequestsPerSecond].map(
    setting,
  );
  return {
    problems: [],
    checked: {
      stack: document.stack,
      file: document.file,
      mode: document.mode,
      issuing: config[ISSUING_CONFIG_KEY] as IssuingConfig,
      stripe: {
        ownKey: config[CONFIG_KEYS.apiKey] !== undefined,
        ...(apiBase !== undefined ? { apiBase } : {}),
        ...(apiVersion !== undefined ? { apiVersion } : {}),
        ...(maxRequestsPerSecond !== undefined ? { maxRequestsPerSecond } : {}),
      },
    },
  };
}

/** The typed document; throws listing every problem, for commands that use a stack file outside `pulumi`. */
export function checkedStack(document: StackDocument): CheckedStack {
  const { problems, checked } = checkStack(document);
  if (checked === undefined) throw new Error(`${document.file} is not valid:\n  ${problems.join('\n  ')}`);
  return checked;
}

/** Problems of a stack file's text, formatted; empty when the file is valid. */
export function checkStackText(file: string, text: string): string[] {
  return textProblems(parseStackDocument(file, text));
}

function textProblems({ stack, file, text, mode }: StackDocument): string[] {
  const { value: parsed, problems: yamlProblems } = parseYaml(text);
  if (yamlProblems.some((problem) => problem.path === '')) return format(file, yamlProblems);
  // Encrypted personal data cannot be read here: checked with stand-ins (the provider checks the real values).
  const { document: value, problems: secureProblems } = withSecureStandIns(parsed);
  const structural = [...yamlProblems, ...secureProblems, ...plainPersonalDataProblems(parsed, stack), ...schemaProblems(value)];
  // Domain checks repeat what the schema already said about a broken part: keep the schema's words.
  const covered = (path: string) =>
    structural.some((p) => path === p.path || path.startsWith(`${p.path}.`) || path.startsWith(`${p.path}[`));
  const domain = domainProblems(value, mode).filter((problem) => !covered(problem.path));
  return format(file, [...structural, ...domain]);
}

/** Reads the stack file at `file` (relative to the working directory), or says why it cannot be read. */
export function readStackDocumentAt(file: string): { document: StackDocument; problem?: undefined } | { problem: string } {
  try {
    return { document: parseStackDocument(file, fs.readFileSync(file, 'utf8')) };
  } catch (error) {
    return {
      problem: formatProblem(
        file,
        '',
        `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): every stack needs its stack file`,
      ),
    };
  }
}

export function checkStackFile(file: string): string[] {
  const read = readStackDocumentAt(file);
  return read.problem !== undefined ? [read.problem] : checkStack(read.document).problems;
}

const format = (file: string, problems: Problem[]) =>
  unique(problems.map((problem) => redact(formatProblem(file, problem.path, problem.message))));

const unique = (lines: string[]) => [...new Set(lines)];

const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
