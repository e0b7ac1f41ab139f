/**
 * The stack-file JSON Schema (config/stack.schema.json, also what editors validate against) applied
 * with ajv, every error turned into `path: what is allowed`.
 */
import Ajv, { type ErrorObject } from 'ajv';
import { type PathSegment, pointerSegments, renderPath } from './paths';
import stackSchema from './stack.schema.json';

export interface Problem {
  /** Rendered key path (see paths.ts). */
  path: string;
  message: string;
}

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowMatchingProperties: true });
// Shown by VS Code / yaml-language-server in place of the generic message; used the same way here.
ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
const validateStack = ajv.compile(stackSchema);

// `if` only says "the then/else branch failed", and `propertyNames` repeats its inner error.
const ECHO_KEYWORDS = new Set(['if', 'propertyNames']);

export function schemaProblems(document: unknown): Problem[] {
  if (validateStack(document)) return [];
  const problems = (validateStack.errors ?? [])
    .filter((error) => !ECHO_KEYWORDS.has(error.keyword))
    .map((error) => ({ path: renderPath(errorPath(error, document)), message: errorMessage(error) }));
  // The branches of an `anyOf` that share one errorMessage say the same thing once each.
  return problems.filter((p, i) => problems.findIndex((q) => q.path === p.path && q.message === p.message) === i);
}

function errorPath(error: ErrorObject, document: unknown): PathSegment[] {
  const segments = pointerSegments(error.instancePath, document);
  const params = error.params as Record<string, unknown>;
  if (error.propertyName !== undefined) return [...segments, error.propertyName];
  if (error.keyword === 'additionalProperties') return [...segments, String(params.additionalProperty)];
  if (error.keyword === 'required') return [...segments, String(params.missingProperty)];
  return segments;
}

function errorMessage(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const schema = error.parentSchema ?? {};
  // Structural errors keep their own wording; value errors use the schema's errorMessage when it has one.
  if (error.keyword === 'additionalProperties') {
    const allowed = Object.keys((schema.properties as object | undefined) ?? {}).map(shortKey);
    return allowed.length > 0 ? `unknown key; allowed keys here: ${allowed.join(', ')}` : 'unknown key';
  }
  if (error.keyword === 'required') return 'is required';
  if (typeof schema.errorMessage === 'string') return schema.errorMessage;
  switch (error.keyword) {
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'const':
      return `must be ${String(params.allowedValue)}`;
    case 'type':
      return `must be ${TYPE_NAMES[String(params.type)] ?? String(params.type)}, got ${describe(error.data)}`;
    case 'minimum':
    case 'maximum':
      return `must be ${params.comparison} ${params.limit}`;
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : `must be at least ${params.limit} characters`;
    case 'maxLength':
      return `must be at most ${params.limit} characters`;
    case 'minItems':
      return `must list at least ${params.limit} item${params.limit === 1 ? '' : 's'}`;
    case 'uniqueItems':
      return `lists ${JSON.stringify((error.data as unknown[])[params.i as number])} twice`;
    case 'minProperties':
      return `must declare at least ${params.limit} entr${params.limit === 1 ? 'y' : 'ies'}`;
    case 'maxProperties':
      return `may hold at most ${params.limit} keys`;
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping of keys to values',
  array: 'a list',
};

const shortKey = (key: string) => renderPath([key]);

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}
