/**
 * Which inputs are Pulumi secrets. The engine sends a pack each secret marked as one (pkg/v3
 * resource/plugin/analyzer_plugin.go `Analyze`: FilterProperties with KeepSecrets), but @pulumi/policy
 * 1.21.0 unwraps them before a validation sees the inputs, and offers no way to ask
 * (pulumi/pulumi-policy#241, open). So this module wraps the library's own deserializer: it deserializes
 * exactly as before and, on the side, remembers the dotted paths that arrived as secrets, keyed by the
 * object the validation receives (behind the library's unknown-checking proxy). It relies on two
 * internals of the pinned version, `deserialize.deserializeProperties` and the proxy's target key;
 * test/unit/policy/secrets.test.ts fails when an upgrade changes either.
 */
import { isRecord } from './resources';

/** Pulumi's wire markers of a secret value (@pulumi/pulumi runtime/rpc `specialSigKey`, `specialSecretSig`). */
const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

interface Deserializer {
  deserializeProperties(struct: { toJavaScript(): unknown }, proxySecrets: boolean): Record<string, unknown>;
}
// biome-ignore lint/suspicious/noExplicitAny: internal modules of @pulumi/policy without type declarations
const deserializer = require('@pulumi/policy/deserialize') as Deserializer & Record<string, any>;
const TARGET_KEY = (require('@pulumi/policy/proxy') as { getSpecialProxyTarget: string }).getSpecialProxyTarget;

const secretPathsOf = new WeakMap<object, ReadonlySet<string>>();

/** The dotted paths of a wire-format property map that are secrets (`individual.dob`, `billing.address.line1`). */
export function secretPathsIn(raw: unknown, prefix = ''): string[] {
  const join = (key: string | number) => (prefix === '' ? String(key) : `${prefix}.${key}`);
  if (Array.isArray(raw)) return raw.flatMap((item, i) => secretPathsIn(item, join(i)));
  if (!isRecord(raw)) return [];
  if (raw[SIG_KEY] === SECRET_SIG) return [prefix, ...secretPathsIn(raw.value, prefix)];
  return Object.entries(raw).flatMap(([key, value]) => secretPathsIn(value, join(key)));
}

let installed = false;
/** Wraps the deserializer once; validations then call `secretPaths(args.props)`. */
export function trackSecrets(): void {
  if (installed) return;
  installed = true;
  const original = deserializer.deserializeProperties;
  deserializer.deserializeProperties = (struct, proxySecrets) => {
    const props = original(struct, proxySecrets);
    secretPathsOf.set(props, new Set(secretPathsIn(struct.toJavaScript())));
    return props;
  };
}

/** The object behind the library's proxy: inputs with unknown values left as Pulumi's UNKNOWN marker. */
export function rawInputs(props: Record<string, unknown>): Record<string, unknown> {
  return ((props as Record<string, unknown>)[TARGET_KEY] as Record<string, unknown> | undefined) ?? props;
}

/** The secret paths of a validation's `props`; undefined when they went past the wrapper (it is not installed). */
export function secretPaths(props: Record<string, unknown>): ReadonlySet<string> | undefined {
  return secretPathsOf.get(rawInputs(props));
}
