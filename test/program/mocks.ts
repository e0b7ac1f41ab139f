/**
 * Runs program code under Pulumi's runtime mocks and records every registration as the engine would
 * receive it: type, name, inputs, the names of its direct dependencies, protect and retainOnDelete.
 */
import * as pulumi from '@pulumi/pulumi';

export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  dependencies: string[];
  protect: boolean;
  retainOnDelete: boolean;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getDependenciesList(): string[];
  getProtect(): boolean;
  getRetainondelete(): boolean;
}

/** The short type of a dynamic resource: `pulumi-nodejs:dynamic/stripe-issuing:Card` → `Card`. */
export const shortType = (type: string): string => type.slice(type.lastIndexOf(':') + 1);

export async function withMocks<T>(
  program: () => T,
  { stack = 'dev', preview = false }: { stack?: string; preview?: boolean } = {},
): Promise<{ result: T; registered: Registered[] }> {
  const registered = new Map<string, Registered>();
  const nameOfUrn = (urn: string) => urn.slice(urn.lastIndexOf('::') + 2);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const record = registered.get(`${args.type}::${args.name}`);
        if (record) record.inputs = args.inputs;
        // What the provider would return: the inputs plus an ID (unknown in preview).
        return { id: preview ? undefined : `${args.name}-id`, state: { ...args.inputs, status: 'active' } };
      },
      call: () => ({}),
    },
    'stripe-issuing',
    stack,
    preview,
  );
  const monitor = sdkInternals.state.getStore().settings.monitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    registered.set(`${req.getType()}::${req.getName()}`, {
      type: shortType(req.getType()),
      name: req.getName(),
      inputs: {},
      dependencies: req.getDependenciesList().map(nameOfUrn),
      protect: req.getProtect() === true,
      retainOnDelete: req.getRetainondelete() === true,
    });
    return register(req, callback);
  };
  const result = program();
  await settled();
  return { result, registered: [...registered.values()] };
}

// Internal to the SDK (untyped): the mock monitor setMocks installed, and what `disconnect` awaits.
const sdkInternals = {
  state: require('@pulumi/pulumi/runtime/state') as {
    getStore(): { settings: { monitor: { registerResource(req: RegisterRequest, callback: unknown): Promise<void> } } };
  },
  settings: require('@pulumi/pulumi/runtime/settings') as { waitForRPCs(): Promise<void> },
};

/** Registrations are asynchronous: wait until the runtime's queue of outstanding calls is empty. */
const settled = (): Promise<void> => sdkInternals.settings.waitForRPCs();
