// Regenerates request-params.json from the OpenAPI spec bundled with stripe-mock, so the emulator accepts
// exactly the parameters stripe-mock (and therefore Stripe's published spec) accepts.
// Usage: node -r ts-node/register/transpile-only emulator/spec/extract-request-params.ts <spec3.json>
// (spec3.json is in $(go env GOMODCACHE)/github.com/stripe/stripe-mock@<version>/embedded/openapi/).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SERVED_OPERATIONS } from './served-operations';

// biome-ignore lint/suspicious/noExplicitAny: walks Stripe's OpenAPI document, whose shape is only known at run time
type Json = any;

const KEPT_KEYWORDS = ['type', 'properties', 'required', 'enum', 'maxLength', 'items', 'anyOf', 'additionalProperties'];

function simplify(schema: Json, spec: Json): Json {
  if (schema.$ref) return simplify(resolveRef(schema.$ref, spec), spec);
  const out: Json = {};
  for (const key of KEPT_KEYWORDS) {
    if (!(key in schema)) continue;
    const value = schema[key];
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, simplify(v, spec)]));
    } else if (key === 'items') {
      out.items = simplify(value, spec);
    } else if (key === 'anyOf') {
      out.anyOf = value.map((v: Json) => simplify(v, spec));
    } else if (key === 'additionalProperties' && typeof value === 'object') {
      out.additionalProperties = simplify(value, spec);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function resolveRef(ref: string, spec: Json): Json {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((node: Json, part) => node[part], spec);
}

// POST parameters are the form body; GET and DELETE parameters are the query string.
function operationParams(method: string, operation: Json, spec: Json): Json {
  if (method === 'POST') {
    return simplify(operation.requestBody.content['application/x-www-form-urlencoded'].schema, spec);
  }
  const query = (operation.parameters ?? []).filter((p: Json) => p.in === 'query');
  return {
    type: 'object',
    properties: Object.fromEntries(query.map((p: Json) => [p.name, simplify(p.schema, spec)])),
    required: query.filter((p: Json) => p.required).map((p: Json) => p.name),
    additionalProperties: false,
  };
}

function main(specPath: string): void {
  const spec = JSON.parse(fs.readFileSync(specPath, 'utf8'));
  const result: Record<string, Json> = {};
  for (const operation of SERVED_OPERATIONS) {
    const [method, route] = operation.split(' ');
    const found = spec.paths[route]?.[method.toLowerCase()];
    if (!found) throw new Error(`${operation} is not in ${specPath}`);
    result[operation] = operationParams(method, found, spec);
  }
  const target = path.join(__dirname, 'request-params.json');
  fs.writeFileSync(target, `${JSON.stringify({ apiVersion: spec.info.version, operations: result })}\n`);
  console.log(`wrote ${Object.keys(result).length} operations (spec ${spec.info.version}) to ${target}`);
}

const specArg = process.argv[2];
if (!specArg) {
  console.error('usage: extract-request-params.ts <path to stripe-mock embedded/openapi/spec3.json>');
  process.exit(2);
}
main(specArg);
