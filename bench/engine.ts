/**
 * Engine + provider at scale, through the real CLI (testbed/workspace.ts) against an in-process emulator that
 * holds Stripe's test-mode rate limit for every `up` and `refresh`:
 *   - state bytes each resource adds to `pulumi stack export`, at the small and the large stack, and
 *     the largest serialized provider (`__provider`);
 *   - the large stack's `up` against the least time its requests need at the limit, and against a plain
 *     stripe-node script making the same objects under the same limit (bench/plain-script.ts);
 *   - growth: `up` time per resource (beyond an empty program's `up`) at the large vs the mid stack;
 *   - a no-op `preview` of the large stack against one of the same program declaring nothing, and the
 *     Stripe requests previews make (none);
 *   - `refresh` of the large stack: requests (one per resource) and time at the limit;
 *   - peak resident memory of the CLI and of the dynamic-provider processes during the large `up`;
 *   - Pulumi's floor: `up` and no-op `preview` of as many dynamic resources whose provider does nothing
 *     (test/fixtures/no-op-resources), same CLI and backend, against the mid and the large stack (issue 23),
 *     and the serial bound: the floor's `up` of one resource (the engine's start) plus the least time at the limit.
 */

import { ISSUING_CONFIG_KEY } from '../config/paths';
import type { IssuingConfig } from '../config/types';
import { type RecordedRequest, startEmulator } from '../emulator';
import { createWorkspace, type StateExport, TestStack } from '../testbed/workspace';
import { BENCH_ACCOUNT, benchIssuing, resourceCount } from './bench-stack';
import { cleanupOnSignal } from './interrupt';
import { type Measurement, median, quantity, timeMs } from './measure';
import { makeObjectsPlainly } from './plain-script';
import { type ProcessUsage, sampleProcessUsage } from './process-usage';
import { TEST_MODE_RATE_LIMIT } from './provider-pacer';

const PLAIN_ACCOUNT = 'acct_1BenchPlainScript';
export const STATE_BOUND_BYTES = 4096;
const PROVIDER_BOUND_BYTES = 2048;

export interface EngineOptions {
  /** Cards of the stacks whose state size (small), `up` growth (mid) and everything (large) are measured. */
  smallCards: number;
  midCards: number;
  largeCards: number;
  /** Previews of the large and the empty stack; the median is reported. */
  previews: number;
}

interface BenchStack {
  stack: TestStack;
  issuing: IssuingConfig;
  resources: number;
  cards: number | null;
  upMs: number;
  upRequests: RecordedRequest[];
  stateBytes: number;
  largestProviderBytes: number;
  /** Mean number of properties (inputs and outputs) of its resources, the serialized provider not counted. */
  propertiesPerResource: number;
  usage?: ProcessUsage;
}

const PROCESS_GROUPS = {
  cli: 'CLI (engine, state file)',
  program: 'program (language host, index.ts)',
  provider: 'dynamic-provider process',
} as const;
const label = (bench: BenchStack) => `${bench.cards} cards (${bench.resources} resources)`;

export async function measureEngine(options: EngineOptions, progress: (message: string) => void): Promise<Measurement[]> {
  const emulator = await startEmulator({ seedAccounts: [BENCH_ACCOUNT, PLAIN_ACCOUNT], seedTosAccepted: true });
  const apiKey = 'sk_test_bench';
  const workspace = createWorkspace({ env: { STRIPE_API_BASE: emulator.url, STRIPE_API_KEY: apiKey } });
  const floorWorkspace = createWorkspace({ fixture: 'no-op-resources' });
  const forgetCleanup = cleanupOnSignal(() => {
    workspace.cleanup();
    floorWorkspace.cleanup();
  });
  /** Runs `step` and returns the requests the emulator received meanwhile. */
  const requestsDuring = async (step: () => Promise<unknown>): Promise<RecordedRequest[]> => {
    const first = emulator.requests().length;
    await step();
    return emulator.requests().slice(first);
  };
  const accepted = (requests: RecordedRequest[]) => requests.filter((r) => r.status !== 429).length;
  const atLimit = (requests: number) => ({
    what: `least time for ${requests} requests at ${TEST_MODE_RATE_LIMIT} req/s`,
    ...quantity(requests / TEST_MODE_RATE_LIMIT, 's'),
  });

  /** Creates the stack and brings it up under the limit, sampling memory and measuring its state. */
  async function deploy(name: string, cards: number | null): Promise<BenchStack> {
    const issuing = benchIssuing(cards);
    const stack = await TestStack.create(workspace, name);
    stack.setConfigValue(ISSUING_CONFIG_KEY, issuing);
    const resources = cards === null ? 0 : resourceCount(stack.stackFile);
    progress(`up of ${cards ?? 0} cards (${resources} resources) at ${TEST_MODE_RATE_LIMIT} req/s…`);
    let sampler: ReturnType<typeof sampleProcessUsage> | undefined;
    let upMs = 0;
    const upRequests = await requestsDuring(async () => {
      upMs = await timeMs(() =>
        stack.up((child) => {
          if (child.pid !== undefined) sampler = sampleProcessUsage(child.pid);
        }),
      );
    });
    const state = await stack.exportState();
    const providers = (state.deployment.resources ?? [])
      .flatMap((r) => [r.inputs?.__provider, r.outputs?.__provider])
      .filter((p): p is string => typeof p === 'string');
    return {
      stack,
      issuing,
      resources,
      cards,
      upMs,
      upRequests,
      stateBytes: Buffer.byteLength(JSON.stringify(state)),
      largestProviderBytes: Math.max(0, ...providers.map((p) => Buffer.byteLength(p))),
      propertiesPerResource: meanPropertyCount(state),
      usage: sampler?.stop(),
    };
  }

  /** Pulumi's floor for `resources` resources: a stack of no-op dynamic resources (of `properties` properties each), brought up. */
  async function deployFloor(resources: number, properties = 1): Promise<{ stack: TestStack; upMs: number }> {
    const stack = await TestStack.create(floorWorkspace, `floor-${resources}-${properties}`);
    await stack.setConfig('count', String(resources));
    await stack.setConfig('properties', String(properties));
    progress(`Pulumi's floor: up of ${resources} no-op dynamic resources of ${properties} propert${properties === 1 ? 'y' : 'ies'}…`);
    return { stack, upMs: await timeMs(() => stack.up()) };
  }

  try {
    emulator.setFaults({ rateLimitPerSecond: TEST_MODE_RATE_LIMIT });
    const empty = await deploy('bench-empty', null);
    const small = await deploy('bench-small', options.smallCards);
    const mid = await deploy('bench-mid', options.midCards);
    const large = await deploy('bench-large', options.largeCards);

    // One no-op resource: the engine's and the program's start, the provider's start and one create.
    const floorOne = await deployFloor(1);
    const floorMid = await deployFloor(mid.resources);
    const floorLarge = await deployFloor(large.resources);
    const wideProperties = Math.round(large.propertiesPerResource);
    const floorWide = await deployFloor(large.resources, wideProperties);

    progress(`the same objects by a plain stripe-node script at ${TEST_MODE_RATE_LIMIT} req/s…`);
    const plainMs = await timeMs(() =>
      makeObjectsPlainly(benchIssuing(options.largeCards, PLAIN_ACCOUNT), emulator.url, 'sk_test_bench_plain', TEST_MODE_RATE_LIMIT),
    );

    progress(`refresh of ${label(large)} at ${TEST_MODE_RATE_LIMIT} req/s…`);
    let refreshMs = 0;
    const refreshRequests = await requestsDuring(
      async () => (refreshMs = await timeMs(() => large.stack.refresh({ expectNoChanges: true }))),
    );
    emulator.setFaults({});

    // Rounds over both stacks, so that load from elsewhere on the machine falls on each alike.
    progress(`${options.previews} no-op preview(s) of ${label(large)}, of the empty program and of both floors…`);
    const previewMs = { large: [] as number[], empty: [] as number[], floor: [] as number[], floorWide: [] as number[] };
    let previewRequests = 0;
    for (let round = 0; round < options.previews; round++) {
      for (const [key, stack] of [
        ['large', large.stack],
        ['empty', empty.stack],
        ['floor', floorLarge.stack],
        ['floorWide', floorWide.stack],
      ] as const) {
        const requests = await requestsDuring(async () => previewMs[key].push(await timeMs(() => stack.expectNoChangesPreview())));
        previewRequests += requests.length;
      }
    }

    const stateRow = (bench: BenchStack): Measurement => ({
      what: `state: bytes each resource adds to the export, ${label(bench)}`,
      value: quantity((bench.stateBytes - empty.stateBytes) / bench.resources, 'bytes'),
      bound: { what: 'issue 9 bound: 4 KiB per resource', ...quantity(STATE_BOUND_BYTES, 'bytes') },
    });
    const perResourceUp = (bench: BenchStack) => (bench.upMs - empty.upMs) / bench.resources / 1000;
    const largeUpRequests = accepted(large.upRequests);
    const upRow = (bench: BenchStack, bound: string, boundSeconds: number): Measurement => ({
      what: `up of ${label(bench)}, ${TEST_MODE_RATE_LIMIT} req/s limit`,
      value: quantity(bench.upMs / 1000, 's'),
      bound: { what: bound, ...quantity(boundSeconds, 's') },
    });
    const leastAtLimit = (bench: BenchStack) => accepted(bench.upRequests) / TEST_MODE_RATE_LIMIT;
    // Issue 23's bound: the floor, or the least time Stripe's limit allows, whichever is longer.
    const floorRow = (bench: BenchStack, floor: { upMs: number }): Measurement => {
      const floorSeconds = floor.upMs / 1000;
      return upRow(
        bench,
        `max(Pulumi's floor: up of ${bench.resources} no-op dynamic resources ${floorSeconds.toFixed(1)} s, least time at the limit ${leastAtLimit(bench).toFixed(1)} s)`,
        Math.max(floorSeconds, leastAtLimit(bench)),
      );
    };
    // No Stripe request can leave before the engine has started the program and the provider, and the
    // engine's start is the floor's too: the floor's up of one resource, then the least time at the limit.
    const serialRow = (bench: BenchStack): Measurement =>
      upRow(
        bench,
        `Pulumi's floor for one resource ${(floorOne.upMs / 1000).toFixed(1)} s + least time at the limit ${leastAtLimit(bench).toFixed(1)} s`,
        floorOne.upMs / 1000 + leastAtLimit(bench),
      );
    return [
      stateRow(small),
      stateRow(large),
      {
        what: `state: largest serialized provider (__provider), ${label(large)}`,
        value: quantity(Math.max(small.largestProviderBytes, large.largestProviderBytes), 'bytes'),
        bound: { what: 'issue 9 bound: 2 KiB', ...quantity(PROVIDER_BOUND_BYTES, 'bytes') },
      },
      {
        what: `up of ${label(large)}, ${TEST_MODE_RATE_LIMIT} req/s limit`,
        value: quantity(large.upMs / 1000, 's'),
        bound: atLimit(largeUpRequests),
      },
      {
        what: `up of ${label(large)}, ${TEST_MODE_RATE_LIMIT} req/s limit`,
        value: quantity(large.upMs / 1000, 's'),
        bound: { what: 'plain stripe-node script, same objects, same limit', ...quantity(plainMs / 1000, 's') },
      },
      floorRow(mid, floorMid),
      floorRow(large, floorLarge),
      serialRow(mid),
      serialRow(large),
      upRow(
        large,
        `Pulumi's floor with as many properties: up of ${large.resources} no-op dynamic resources of ${wideProperties}`,
        floorWide.upMs / 1000,
      ),
      {
        what: `up: 429 answers received, ${label(large)}`,
        value: quantity(large.upRequests.length - largeUpRequests, 'requests'),
        bound: { what: 'requests the up needed (accepted)', ...quantity(largeUpRequests, 'requests') },
      },
      {
        what: `up time per resource beyond an empty up, ${label(large)}`,
        value: quantity(perResourceUp(large), 's'),
        bound: { what: `the same at ${label(mid)}`, ...quantity(perResourceUp(mid), 's') },
      },
      {
        what: `no-op preview of ${label(large)}, median of ${options.previews}`,
        value: quantity(median(previewMs.large) / 1000, 's'),
        bound: { what: 'preview of the same program declaring no resources (median)', ...quantity(median(previewMs.empty) / 1000, 's') },
      },
      {
        what: `no-op preview of ${label(large)}, median of ${options.previews}`,
        value: quantity(median(previewMs.large) / 1000, 's'),
        bound: {
          what: `Pulumi's floor: no-op preview of ${large.resources} no-op dynamic resources (median)`,
          ...quantity(median(previewMs.floor) / 1000, 's'),
        },
      },
      {
        what: `no-op preview of ${label(large)}, median of ${options.previews}`,
        value: quantity(median(previewMs.large) / 1000, 's'),
        bound: {
          what: `Pulumi's floor with as many properties: the same of ${wideProperties} properties each (median)`,
          ...quantity(median(previewMs.floorWide) / 1000, 's'),
        },
      },
      {
        what: `Stripe requests during the previews`,
        value: quantity(previewRequests, 'requests'),
        bound: { what: 'none: check and diff never call Stripe', ...quantity(0, 'requests') },
      },
      {
        what: `refresh of ${label(large)}: Stripe requests`,
        value: quantity(refreshRequests.length, 'requests'),
        bound: { what: 'one retrieve per resource', ...quantity(large.resources, 'requests') },
      },
      {
        what: `refresh of ${label(large)}, ${TEST_MODE_RATE_LIMIT} req/s limit`,
        value: quantity(refreshMs / 1000, 's'),
        bound: atLimit(accepted(refreshRequests)),
      },
      {
        what: `peak RSS of the CLI during the up of ${label(large)}`,
        value: quantity(large.usage?.peakMB.cli ?? 0, 'MB'),
        bound: { what: 'the same during the up of the empty program', ...quantity(empty.usage?.peakMB.cli ?? 0, 'MB') },
      },
      {
        what: `peak RSS of the dynamic-provider processes during the up of ${label(large)}`,
        value: quantity(large.usage?.peakMB.provider ?? 0, 'MB'),
        bound: { what: `the same during the up of ${label(small)}`, ...quantity(small.usage?.peakMB.provider ?? 0, 'MB') },
      },
      // Where the up's time goes: CPU seconds of each process group against the up's wall time.
      ...(['cli', 'program', 'provider'] as const).map((group) => ({
        what: `CPU of the ${PROCESS_GROUPS[group]} during the up of ${label(large)}`,
        value: quantity(large.usage?.cpuSeconds[group] ?? 0, 's'),
        bound: { what: 'wall time of that up', ...quantity(large.upMs / 1000, 's') },
      })),
    ];
  } finally {
    forgetCleanup();
    workspace.cleanup();
    floorWorkspace.cleanup();
    await emulator.close();
  }
}

/**
 * Mean number of properties (`__provider` aside) the stack's own resources have in an export: the keys of
 * their inputs and outputs together, as the no-op floor's properties are both.
 */
function meanPropertyCount(state: StateExport): number {
  const ours = (state.deployment.resources ?? []).filter((r) => !r.type.startsWith('pulumi:'));
  const counts = ours.map(
    (r) => new Set([...Object.keys(r.inputs ?? {}), ...Object.keys(r.outputs ?? {})].filter((key) => key !== '__provider')).size,
  );
  return counts.length === 0 ? 0 : counts.reduce((a, b) => a + b, 0) / counts.length;
}
