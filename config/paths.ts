/**
 * Key paths as reviewers read them: `issuing.accounts.acme.cards.travel.spendingLimits[0].interval`.
 * Settings of this project are named without `config.` and without the project namespace, the way
 * `pulumi config get issuing` names them; other packages' keys keep theirs (`aws:region`).
 */
import * as path from 'node:path';

export type PathSegment = string | number;

export const PROJECT_NAMESPACE = 'stripe-issuing';
const PROJECT_PREFIX = `${PROJECT_NAMESPACE}:`;
/** The setting holding everything a stack declares. */
export const ISSUING_CONFIG_KEY = `${PROJECT_PREFIX}issuing`;

/** The stack file of a stack, relative to the project root (Pulumi.yaml sets `stackConfigDir: stacks`). */
export const stackFilePath = (stack: string): string => `stacks/Pulumi.${stack}.yaml`;

/** The stack a stack file belongs to: `stacks/Pulumi.dev.yaml` → `dev`. */
export const stackOfFile = (file: string): string => path.basename(file).replace(/^Pulumi\.(.+)\.yaml$/, '$1');

export function renderPath(segments: readonly PathSegment[]): string {
  const shown = segments[0] === 'config' && segments.length > 1 ? segments.slice(1) : segments;
  return shown.reduce<string>((text, segment, index) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    const name = index === 0 ? configKeyName(segment) : segment;
    return text === '' ? name : `${text}.${name}`;
  }, '');
}

/** `stripe-issuing:mode` → `mode`; other namespaces unchanged. */
export const configKeyName = (key: string): string => (key.startsWith(PROJECT_PREFIX) ? key.slice(PROJECT_PREFIX.length) : key);

/** `/config/stripe-issuing:issuing/accounts/acme` (a JSON pointer, as ajv reports) → segments. */
export function pointerSegments(pointer: string, value: unknown): PathSegment[] {
  if (pointer === '') return [];
  const segments: PathSegment[] = [];
  let current = value;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(current) ? Number(key) : key;
    segments.push(segment);
    current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  }
  return segments;
}

/** A stack-file problem in the one format every tool prints. */
export const formatProblem = (file: string, path: string, message: string): string =>
  path === '' ? `${file}: ${message}` : `${file}: ${path}: ${message}`;
