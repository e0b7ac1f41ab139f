/**
 * What the program checks before it declares anything: the stack file (config/validate.ts) and the
 * live-mode guard, every problem formatted with the stack file named.
 */
import { formatProblem, stackFilePath } from './paths';
import { apiBaseProblems, keyModeProblems } from './safety';
import type { Mode } from './types';
import { checkStack, readStackDocumentAt, type StackCheck } from './validate';

/** The stack's settings as the program sees them (`pulumi.Config` of the project, or a stand-in): the key and base URL. */
export interface PulumiConfig {
  get(key: string): string | undefined;
}

/**
 * The stack file's check and the live-mode guard: the checked stack, or every problem with the stack
 * file named. The key may be a secret, so it comes from the settings; the mode from the stack file.
 */
export function preflight(stack: string, settings: PulumiConfig, env: NodeJS.ProcessEnv = process.env): StackCheck {
  const file = stackFilePath(stack);
  const configured = settings.get('stripeApiKey');
  const [key, origin] = configured ? [configured, 'stripe-issuing:stripeApiKey'] : [env.STRIPE_API_KEY, 'STRIPE_API_KEY'];
  // The stack file's own stripeApiBase is checked with the file; the environment's only here.
  const envBase = settings.get('stripeApiBase') ? undefined : env.STRIPE_API_BASE;
  const guardProblems = (mode: Mode) =>
    [
      ...keyModeProblems(mode, key, origin),
      ...apiBaseProblems(mode, { value: envBase, origin: 'STRIPE_API_BASE (environment variable)' }),
    ].map((problem) => formatProblem(file, problem.path, problem.message));
  const read = readStackDocumentAt(file);
  // Without a file the stack has no settings: Pulumi.yaml's default mode, test.
  if (read.problem !== undefined) return { problems: [read.problem, ...guardProblems('test')] };
  const fileCheck = checkStack(read.document);
  const guard = guardProblems(read.document.mode);
  return guard.length === 0 ? fileCheck : { problems: [...fileCheck.problems, ...guard] };
}
