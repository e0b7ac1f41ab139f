// One mechanism validates every request: the operation's parameter schema (extracted from the OpenAPI
// spec stripe-mock serves, plus the pinned API's reviewed differences) decides unknown, missing, empty, enum, integer, boolean and length errors,
// worded like Stripe. Values come out coerced (integers, booleans, arrays); '' survives where Stripe
// allows clearing.

import { invalidRequest, parameterMissing, parameterUnknown, StripeApiError } from './errors';
import { type FormObject, type FormValue, isFormObject, ownValue, setOwn } from './form';
import { withPinnedOverlay } from './spec/pinned-overlay';
import requestParams from './spec/request-params.json';
import type { OperationParams, ServedOperation } from './spec/served-operations';

export interface ParamSchema {
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  properties?: Record<string, ParamSchema>;
  required?: string[];
  enum?: string[];
  maxLength?: number;
  items?: ParamSchema;
  anyOf?: ParamSchema[];
  additionalProperties?: boolean | ParamSchema;
}

// stripe-mock's spec with the reviewed differences of the pinned API applied (spec/pinned-overlay.ts).
const SCHEMAS = withPinnedOverlay(requestParams.operations as unknown as Record<ServedOperation, ParamSchema>);

/**
 * The request's parameters, checked against the operation's schema. The schema is the runtime form of
 * the pinned type OperationParams names for the operation (both describe the same API call), so what
 * passes it is given that type here, once, instead of in every handler.
 */
export function validateParams<O extends ServedOperation>(operation: O, raw: FormObject): OperationParams[O] {
  try {
    const params = validateObject(SCHEMAS[operation], raw, '');
    checkMetadata(params.metadata);
    return params as unknown as OperationParams[O];
  } catch (error) {
    throw withCreateOnlyHint(operation, raw, error);
  }
}

function validate(schema: ParamSchema, value: FormValue, path: string, inMap: boolean): unknown {
  if (schema.anyOf) return validateAnyOf(schema.anyOf, value, path);
  if (value === '' && !inMap && !schema.enum?.includes('')) {
    throw invalidRequest(
      `You passed an empty string for '${path}'. We assume empty values are an attempt to unset a parameter; ` +
        `however '${path}' cannot be unset. You should remove '${path}' from your request or supply a non-empty value.`,
      { code: 'parameter_invalid_empty', param: path },
    );
  }
  switch (schema.type) {
    case 'object':
      return validateObject(schema, value, path);
    case 'array':
      return validateArray(schema, value, path);
    case 'integer':
    case 'number':
      return validateNumber(schema.type, value, path);
    case 'boolean':
      return validateBoolean(value, path);
    default:
      return validateString(schema, value, path);
  }
}

function validateAnyOf(alternatives: ParamSchema[], value: FormValue, path: string): unknown {
  if (value === '' && alternatives.some((alt) => alt.enum?.includes(''))) return '';
  const shaped = typeof value === 'string' ? 'scalar' : 'structured';
  const ordered = [...alternatives].sort((a, b) => rankFor(shaped, a) - rankFor(shaped, b));
  let firstError: unknown;
  for (const alternative of ordered) {
    try {
      return validate(alternative, value, path, false);
    } catch (error) {
      firstError ??= error;
    }
  }
  throw firstError;
}

function rankFor(shape: 'scalar' | 'structured', schema: ParamSchema): number {
  const structured = schema.type === 'object' || schema.type === 'array';
  return (shape === 'structured') === structured ? 0 : 1;
}

function validateObject(schema: ParamSchema, value: FormValue, path: string): Record<string, unknown> {
  if (!isFormObject(value)) {
    throw invalidRequest(`Invalid hash: '${path}' must be an object (e.g. ${path}[key]=value).`, { param: path });
  }
  const out: Record<string, unknown> = {};
  const properties = schema.properties ?? {};
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}[${key}]` : key;
    const childSchema = ownValue(properties, key);
    if (childSchema) {
      setOwn(out, key, validate(childSchema, child, childPath, false));
    } else if (typeof schema.additionalProperties === 'object') {
      setOwn(out, key, validate(schema.additionalProperties, child, childPath, true));
    } else {
      throw parameterUnknown(childPath);
    }
  }
  for (const key of schema.required ?? []) {
    if (!(key in value)) throw parameterMissing(path ? `${path}[${key}]` : key);
  }
  return out;
}

function validateArray(schema: ParamSchema, value: FormValue, path: string): unknown[] {
  const elements = Array.isArray(value) ? value : indexedElements(value, path);
  return elements.map((element, index) => validate(schema.items ?? {}, element, `${path}[${index}]`, false));
}

function indexedElements(value: FormValue, path: string): FormValue[] {
  if (!isFormObject(value) || !Object.keys(value).every((key) => /^\d+$/.test(key))) {
    throw invalidRequest(`Invalid array: '${path}' must be a list (e.g. ${path}[0]=value).`, { param: path });
  }
  return Object.keys(value)
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => value[key]);
}

function validateNumber(type: 'integer' | 'number', value: FormValue, path: string): number {
  const pattern = type === 'integer' ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw invalidRequest(`Invalid ${type}: ${describe(value)} (parameter '${path}')`, {
      code: `parameter_invalid_${type}`,
      param: path,
    });
  }
  return Number(value);
}

function validateBoolean(value: FormValue, path: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidRequest(`Invalid boolean: ${describe(value)} (parameter '${path}' must be true or false)`, {
    param: path,
  });
}

function validateString(schema: ParamSchema, value: FormValue, path: string): string {
  if (typeof value !== 'string') {
    throw invalidRequest(`Invalid ${path}: must be a string, not a nested object or list.`, { param: path });
  }
  if (schema.enum && !schema.enum.includes(value)) {
    throw invalidRequest(`Invalid ${path}: '${value}' is not allowed; must be one of ${allowedValues(schema.enum)}`, { param: path });
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    throw invalidRequest(`Invalid ${path}: must be at most ${schema.maxLength} characters`, { param: path });
  }
  return value;
}

function describe(value: FormValue): string {
  return typeof value === 'string' ? value : 'a nested object or list';
}

// Long enums (merchant categories) are cut short so the message stays readable.
const MAX_LISTED_VALUES = 25;

function allowedValues(values: string[]): string {
  if (values.length <= MAX_LISTED_VALUES) return oxfordList(values);
  return `${values.slice(0, MAX_LISTED_VALUES).join(', ')}, … (${values.length} values in all; see Stripe's API reference)`;
}

function oxfordList(values: string[]): string {
  if (values.length <= 2) return values.join(' or ');
  return `${values.slice(0, -1).join(', ')}, or ${values[values.length - 1]}`;
}

// Stripe's metadata limits: 50 keys, keys up to 40 characters, values up to 500 characters.
function checkMetadata(metadata: unknown): void {
  if (!metadata || typeof metadata !== 'object') return;
  const entries = Object.entries(metadata as Record<string, string>);
  if (entries.length > 50) {
    throw invalidRequest(`You can have at most 50 keys in metadata; ${entries.length} were given.`, {
      param: 'metadata',
    });
  }
  for (const [key, value] of entries) {
    if (key.length > 40) {
      throw invalidRequest(
        `Metadata keys can have up to 40 characters, but you passed in a key that is ${key.length} characters: '${key}'`,
        { param: `metadata[${key}]` },
      );
    }
    if (value.length > 500) {
      throw invalidRequest(
        `Metadata values can have up to 500 characters, but you passed in a value that is ${value.length} characters (key '${key}').`,
        { param: `metadata[${key}]` },
      );
    }
  }
}

// A parameter the create call accepts but the update call does not is create-only: say so.
function withCreateOnlyHint(operation: ServedOperation, raw: FormObject, error: unknown): unknown {
  if (!(error instanceof StripeApiError) || error.fields.code !== 'parameter_unknown') return error;
  const createOperation = operation.replace(/\/\{[^}]+\}$/, '') as ServedOperation;
  const param = error.fields.param ?? '';
  if (createOperation === operation || !(createOperation in SCHEMAS) || !(param in raw)) return error;
  if (!SCHEMAS[createOperation].properties?.[param]) return error;
  return parameterUnknown(param, ` ('${param}' can only be set when the object is created)`);
}
