// The real-Docker test support registers its cleanup with jest's afterAll (test/support/temp-dir.ts). A benchmark
// runs outside jest: import this first, and that cleanup runs when the process exits.
const hooks: (() => unknown)[] = [];
const g = globalThis as { afterAll?: (fn: () => unknown) => void };
g.afterAll ??= fn => { hooks.push(fn); };
process.on('exit', () => { for (const hook of hooks.splice(0)) hook(); });
export {};
