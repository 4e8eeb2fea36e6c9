import { Worker } from 'node:worker_threads';

/**
 * Starts one of this folder's worker modules (`name`, without extension): the compiled .js beside it, or, from
 * TypeScript source (vitest), the .ts through the telemetry worker entry, which loads a transpiling hook first.
 */
export function startThreadWorker(name: string): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, here));
  const tsEntry = new URL(`./${name}.ts`, here).href;
  return new Worker(new URL('../../telemetry/worker/entry.mjs', here), { workerData: { tsEntry } });
}
