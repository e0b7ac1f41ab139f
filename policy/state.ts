/**
 * The stack's last checkpoint, which the replacement and deletion rules compare with the program. A pack
 * gets neither the operation nor the old state from @pulumi/policy (pulumi/pulumi-policy#154), so it asks
 * the CLI, as a user would: `pulumi stack export --show-secrets` for the stack the engine configured the
 * pack for (PULUMI_NODEJS_ORGANIZATION/PROJECT/STACK, which Pulumi's Node host sets for a pack). Export
 * takes no lock, so it runs beside the preview; secrets are decrypted so that a secret create-only input
 * compares by value, and never leave this process.
 */
import { execFile } from 'node:child_process';
import { isRecord, nameOfUrn, type RecordedResource, shortType } from './resources';

const SIG_KEY = '4dabf18193072939515e22adb298388d';

/** Decrypted secrets come back as `{sig, plaintext: "<JSON>"}`: their values, plain. */
function withSecretsOpened(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSecretsOpened);
  if (!isRecord(value)) return value;
  if (SIG_KEY in value && typeof value.plaintext === 'string') return withSecretsOpened(JSON.parse(value.plaintext));
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, withSecretsOpened(child)]));
}

/** The project's resources in an exported deployment, without those only pending deletion. */
export function recordedResources(exported: unknown): RecordedResource[] {
  const deployment = isRecord(exported) && isRecord(exported.deployment) ? exported.deployment : {};
  const resources = Array.isArray(deployment.resources) ? deployment.resources : [];
  return resources.flatMap((resource): RecordedResource[] => {
    if (!isRecord(resource) || typeof resource.urn !== 'string' || typeof resource.type !== 'string') return [];
    const type = shortType(resource.type);
    if (!type || resource.delete === true) return [];
    return [
      {
        urn: resource.urn,
        type,
        name: nameOfUrn(resource.urn),
        inputs: (withSecretsOpened(resource.inputs) as Record<string, unknown>) ?? {},
        outputs: (withSecretsOpened(resource.outputs) as Record<string, unknown>) ?? {},
        retainOnDelete: resource.retainOnDelete === true,
      },
    ];
  });
}

/** `org/project/stack` of the stack under analysis, from the environment the language host gave the pack. */
export function stackUnderAnalysis(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { PULUMI_NODEJS_ORGANIZATION: org, PULUMI_NODEJS_PROJECT: project, PULUMI_NODEJS_STACK: stack } = env;
  if (!project || !stack) return undefined;
  return org ? `${org}/${project}/${stack}` : `${project}/${stack}`;
}

let cached: Promise<RecordedResource[]> | undefined;
/** The checkpoint's resources, read once per pack process (one preview or update). */
export function readCheckpoint(): Promise<RecordedResource[]> {
  cached ??= new Promise((resolve, reject) => {
    const stack = stackUnderAnalysis();
    if (!stack) return reject(new Error('the engine did not say which stack this is (no PULUMI_NODEJS_STACK)'));
    execFile(
      'pulumi',
      ['stack', 'export', '--show-secrets', '--stack', stack, '--non-interactive'],
      { maxBuffer: 256 * 1024 * 1024, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: 'true' } },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`\`pulumi stack export --stack ${stack}\` failed: ${stderr.trim() || error.message}`));
        try {
          resolve(recordedResources(JSON.parse(stdout)));
        } catch (parseError) {
          reject(parseError);
        }
      },
    );
  });
  return cached;
}
