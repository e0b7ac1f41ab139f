/**
 * Engine + provider cost, through the real CLI (test/harness) against an in-process emulator:
 *   - `pulumi preview` of stacks with few and many cards, after their `up`, against a preview of the
 *     same program declaring no resources (engine, language host and program fixed cost);
 *   - Stripe requests the emulator receives during a preview (bound: none, check and diff never call
 *     Stripe) and during a refresh (bound: one retrieve per resource);
 *   - the first `up` of the large stack runs with the emulator's test-mode rate limit: the pace at which
 *     the engine and provider send the card creates, against that limit, and the 429s they met.
 */
import { performance } from 'node:perf_hooks';
import { startEmulator, type RecordedRequest } from '../emulator';
import type { IssuingConfig } from '../config/types';
import { createWorkspace, TestStack, type Workspace } from '../test/harness';
import { BENCH_ACCOUNT, benchIssuing, resourceCount } from './bench-stack';
import { cleanupOnSignal } from './interrupt';
import { median, quantity, timeMs, type Measurement } from './measure';
import { TEST_MODE_RATE_LIMIT } from './provider-backoff';

const ISSUING_KEY = 'stripe-issuing:issuing';

export interface EngineOptions {
    /** Cards of the small stack; null: no small stack. */
    smallCards: number | null;
    /** Cards of the large stack, whose up runs under the rate limit. */
    largeCards: number;
    /** Previews of each stack; the median is reported. */
    previews: number;
}

interface BenchStack {
    stack: TestStack;
    issuing: IssuingConfig;
    resources: number;
    previewMs: number[];
    previewRequests: number;
}

/** A response the emulator logged, with when it left. */
interface Answered {
    at: number;
    line: string;
}

const CARD_CREATE = /^POST \/v1\/issuing\/cards \d{3}\b/;

async function createStack(workspace: Workspace, name: string, cards: number | null): Promise<BenchStack> {
    const stack = await TestStack.create(workspace, name);
    const issuing = benchIssuing(cards);
    stack.setConfigValue(ISSUING_KEY, issuing);
    return { stack, issuing, resources: resourceCount(issuing), previewMs: [], previewRequests: 0 };
}

function cardsLabel(stack: BenchStack): string {
    const cards = Object.keys(stack.issuing.accounts.acme.cardholders?.jane.cards ?? {}).length;
    return `${cards} card${cards === 1 ? '' : 's'} (${stack.resources} resources)`;
}

/**
 * What each further resource adds to a preview. From the small stack when there is one: its first
 * resources also pay for starting the dynamic provider and deserializing its code, once per preview.
 */
function perResourceRow(from: BenchStack, to: BenchStack, fixed: Measurement['bound']): Measurement {
    const added = to.resources - from.resources;
    return {
        what: `engine: preview cost per added resource (${from.resources} -> ${to.resources} resources)`,
        value: quantity((median(to.previewMs) - median(from.previewMs)) / added / 1000, 's'),
        bound: fixed,
    };
}

export async function measureEngine(options: EngineOptions): Promise<Measurement[]> {
    const answered: Answered[] = [];
    const emulator = await startEmulator({ seedAccounts: [BENCH_ACCOUNT], seedTosAccepted: true, log: (line) => answered.push({ at: performance.now(), line }) });
    const workspace = createWorkspace({ env: { STRIPE_API_BASE: emulator.url, STRIPE_API_KEY: 'sk_test_bench' } });
    const forgetCleanup = cleanupOnSignal(workspace.cleanup);
    /** Runs `step` and returns the requests the emulator received meanwhile. */
    const requestsDuring = async (step: () => Promise<unknown>): Promise<RecordedRequest[]> => {
        const first = emulator.requests().length;
        await step();
        return emulator.requests().slice(first);
    };
    try {
        const empty = await createStack(workspace, 'bench-empty', null);
        const small = options.smallCards === null ? undefined : await createStack(workspace, 'bench-small', options.smallCards);
        const large = await createStack(workspace, 'bench-large', options.largeCards);
        const stacks = [empty, ...(small ? [small] : []), large];

        for (const unlimited of [empty, small]) if (unlimited) await unlimited.stack.up();
        emulator.setFaults({ rateLimitPerSecond: TEST_MODE_RATE_LIMIT });
        const firstAnswer = answered.length;
        const upRequests = await requestsDuring(() => large.stack.up());
        emulator.setFaults({});
        const burst = answered.slice(firstAnswer).filter((a) => CARD_CREATE.test(a.line)).map((a) => a.at);

        // Rounds over all stacks, so that load from elsewhere on the machine falls on each alike.
        for (let round = 0; round < options.previews; round++) {
            for (const bench of stacks) {
                const requests = await requestsDuring(async () => bench.previewMs.push(await timeMs(() => bench.stack.expectNoChangesPreview())));
                bench.previewRequests += requests.length;
            }
        }
        const refreshRequests = await requestsDuring(() => large.stack.refresh({ expectNoChanges: true }));

        const fixed = { what: 'preview of the same program declaring no resources (median)', ...quantity(median(empty.previewMs) / 1000, 's') };
        const previewRow = (bench: BenchStack): Measurement => ({
            what: `engine: preview of ${cardsLabel(bench)}, median of ${options.previews}`,
            value: quantity(median(bench.previewMs) / 1000, 's'),
            bound: fixed,
        });
        const accepted = upRequests.filter((r) => r.status !== 429).length;
        const acceptedCardCreates = upRequests.filter((r) => r.method === 'POST' && r.path === '/v1/issuing/cards' && r.status === 200).length;
        return [
            ...(small ? [previewRow(small)] : []),
            previewRow(large),
            perResourceRow(small ?? empty, large, fixed),
            {
                what: `Stripe requests during ${options.previews} preview(s) of ${cardsLabel(large)}`,
                value: quantity(large.previewRequests, 'requests'),
                bound: { what: 'none: check and diff never call Stripe', ...quantity(0, 'requests') },
            },
            {
                what: `Stripe requests during a refresh of ${cardsLabel(large)}`,
                value: quantity(refreshRequests.length, 'requests'),
                bound: { what: 'one retrieve per resource', ...quantity(large.resources, 'requests') },
            },
            {
                what: `rate-limited up of ${options.largeCards} cards: pace of the card creates`,
                value: quantity((acceptedCardCreates - 1) / ((Math.max(...burst) - Math.min(...burst)) / 1000), 'req/s'),
                bound: { what: "Stripe's test-mode rate limit", ...quantity(TEST_MODE_RATE_LIMIT, 'req/s') },
            },
            {
                what: 'rate-limited up: 429 answers received',
                value: quantity(upRequests.length - accepted, 'requests'),
                bound: { what: 'requests the up needed (accepted)', ...quantity(accepted, 'requests') },
            },
        ];
    } finally {
        forgetCleanup();
        workspace.cleanup();
        await emulator.close();
    }
}
