import { defineConfig } from 'vitest/config';

/**
 * Test files that change what every module in their process sees (a `vi.mock` of a source module, the
 * global HTTP dispatcher, `process.env`, a spy on a shared object) or assert that a module was never
 * loaded: each runs in a fresh process. So does the file that measures how long the event loop is held:
 * in a reused worker, the heap left by a hundred earlier files adds their collection pauses to its figure.
 */
const OWN_PROCESS = [
  'src/mcp/federation/context-budget.test.ts',
  'test/integration/identity-lazy-provider-load.test.ts',
  'test/integration/large-apply-no-stall.test.ts',
  'test/integration/gateway-tls-mtls.test.ts',
  'test/integration/otel-row-encoding.test.ts',
  'test/integration/server-listeners.test.ts',
  'test/interop/stdio-servers.test.ts',
];

export default defineConfig({
  test: {
    // Tests that run the compiled gateway get a build no older than the sources.
    globalSetup: ['test/support/fresh-build.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    // Importing the gateway's module graph afresh for every file cost 193 s of the workers' time in a
    // whole run on 2 cores. Files share no state but through what OWN_PROCESS lists (each starts its
    // own gateway, store, schema and ports), so the rest reuse a worker and its modules.
    projects: [
      { extends: true, test: { name: 'shared', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: OWN_PROCESS, isolate: false } },
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS } },
    ],
  },
});
