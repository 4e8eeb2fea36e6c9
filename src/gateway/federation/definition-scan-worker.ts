/**
 * The definition-scan thread: reads the definitions it is sent with the same scan as the main
 * thread (definition-guard.ts), so a large definition (up to 64 KiB of text, some 200 ms of
 * reading) never holds the event loop that serves calls. A batch in, its findings out, in order.
 */
import { parentPort } from 'node:worker_threads';
import { definitionFindings, instructionsFindings, promptFindings, resourceFindings } from './definition-guard.js';
import type { ScanBatch } from './definition-scan-thread.js';

const scans = { tool: definitionFindings, prompt: promptFindings, resource: resourceFindings, instructions: instructionsFindings } as const;

parentPort?.on('message', (batch: ScanBatch) => {
  parentPort?.postMessage({ id: batch.id, findings: batch.items.map(({ kind, value }) => scans[kind](value as never)) });
});
