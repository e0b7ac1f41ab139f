/**
 * `finally` blocks do not run when the bench is stopped with Ctrl-C or SIGTERM: what must not outlive
 * it (temporary directories holding stack state) is registered here and removed on those signals too.
 * Servers and child processes end with the process itself.
 */
const pending = new Set<() => void>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const cleanup of pending) cleanup();
      process.exit(130);
    });
  }
}

/** Runs `cleanup` on a stopping signal until the returned function is called (then it no longer will). */
export function cleanupOnSignal(cleanup: () => void): () => void {
  install();
  pending.add(cleanup);
  return () => pending.delete(cleanup);
}
