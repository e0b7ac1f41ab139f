import { startEmulator } from './emulator';
import { createWorkspace, TestStack } from './test/harness';
import { benchIssuing, BENCH_ACCOUNT } from './bench/bench-stack';
import { timeMs } from './bench/measure';
import { sampleProcessUsage } from './bench/process-usage';
(async () => {
    const emulator = await startEmulator({ seedAccounts: [BENCH_ACCOUNT], seedTosAccepted: true });
    const ws = createWorkspace({ env: { STRIPE_API_BASE: emulator.url, STRIPE_API_KEY: 'sk_test_x' } });
    const stack = await TestStack.create(ws, 'exp');
    stack.setConfigValue('stripe-issuing:issuing', benchIssuing(500));
    await stack.up();
    let p: any; const ms = await timeMs(() => stack.run(['preview', '--expect-no-changes', '--profiling', '/tmp/pprof2/preview'], [0], (c) => (p = sampleProcessUsage(c.pid!))));
    console.log('preview 500', (ms/1000).toFixed(1), JSON.stringify(p.stop()));
    ws.cleanup(); await emulator.close();
})();
