/**
 * What the program checks before it declares anything: the stack file (config/validate.ts) and the
 * live-mode guard, every problem formatted with the stack file named.
 */
import { formatProblem, stackFilePath } from './paths';
import { apiBaseProblems, keyModeProblems } from './safety';
import type { Mode } from './types';
import { checkStackFile } from './validate';

/** The stack's settings as the program sees them (`pulumi.Config` of the project, or a stand-in). */
export interface StackSettings {
  get(key: string): string | undefined;
}

export function stackMode(settings: StackSettings): Mode {
  return settings.get('mode') === 'live' ? 'live' : 'test';
}

export function preflightProblems(stack: string, settings: StackSettings, env: NodeJS.ProcessEnv = process.env): string[] {
  const file = stackFilePath(stack);
  const configured = settings.get('stripeApiKey');
  const source = configured
    ? { key: configured, origin: 'stripe-issuing:stripeApiKey' }
    : { key: env.STRIPE_API_KEY, origin: 'STRIPE_API_KEY' };
  // The stack file's own stripeApiBase is checked with the file; the environment's only here.
  const envBase = settings.get('stripeApiBase') ? undefined : env.STRIPE_API_BASE;
  return [
    ...checkStackFile(file),
    ...[
      ...keyModeProblems(stackMode(settings), source),
      ...apiBaseProblems(stackMode(settings), { value: envBase, origin: 'STRIPE_API_BASE (environment variable)' }),
    ].map((problem) => formatProblem(file, problem.path, problem.message)),
  ];
}
