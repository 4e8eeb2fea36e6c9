// Starts a TypeScript worker module when Gatehouse runs from source (vitest): plain Node cannot load
// .ts files or resolve their `./x.js` imports to `./x.ts`, so a transpiling loader goes in first.
// The compiled build (dist/) never uses this file: it starts the .js worker directly.
import { register } from 'node:module';
import { workerData } from 'node:worker_threads';

register('./ts-hooks.mjs', import.meta.url);
await import(workerData.tsEntry);
