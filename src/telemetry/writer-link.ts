import { Worker } from 'node:worker_threads';
import type { WriterMessage, WriterReply, WriterRequest, WriterWorkerData } from './writer-protocol.js';

// Each batch it receives is garbage once written, so a small young generation suffices; V8's
// default lets it grow to 3 × 16 MB, which measured ~28 MB more RSS at 12,000 records/s.
const resourceLimits = { maxYoungGenerationSizeMb: 4 };

/** Starts the writer worker: the compiled .js next to this module, or, from TypeScript source (vitest), through worker/entry.mjs. */
function startWorker(data: WriterWorkerData): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./writer-worker.js', here), { workerData: data, resourceLimits });
  const tsEntry = new URL('./writer-worker.ts', here).href;
  return new Worker(new URL('./worker/entry.mjs', here), { workerData: { ...data, tsEntry }, resourceLimits });
}

/** Where a request-log writer sends its batches: the writer thread (WriterLink), or the primary that hosts it (`serve --workers`). */
export interface WriterChannel {
  request(req: WriterRequest, transfer?: ArrayBuffer[]): Promise<WriterReply>;
  close(): Promise<void>;
}

/**
 * The main thread's end of the writer worker: numbered requests, replies matched by id. The worker
 * starts on first use and again after a crash (whose pending requests fail, never hang). It holds
 * the process open only while requests are pending, so an idle writer never delays exit but a
 * flush at shutdown is always awaited to the end.
 */
export class WriterLink implements WriterChannel {
  readonly #data: WriterWorkerData;
  #worker: Worker | null = null;
  readonly #pending = new Map<number, (reply: WriterReply) => void>();
  #nextId = 1;
  #closed = false;

  constructor(data: WriterWorkerData) {
    this.#data = data;
  }

  /** Posts a request (moving `transfer` to the worker); resolves with the worker's reply, or an error reply if the worker dies first. */
  request(req: WriterRequest, transfer: ArrayBuffer[] = []): Promise<WriterReply> {
    const id = this.#nextId++;
    if (this.#closed) return Promise.resolve({ id, error: { name: 'Error', message: 'request-log writer is closed' } });
    const worker = this.#ensure();
    const message: WriterMessage = { id, req };
    const reply = new Promise<WriterReply>((resolve) => this.#pending.set(id, resolve));
    try {
      worker.postMessage(message, transfer);
    } catch (err) {
      this.#pending.delete(id);
      return Promise.resolve({ id, error: { name: 'Error', message: `could not post to the request-log worker: ${String(err)}` } });
    }
    if (this.#pending.size === 1) worker.ref();
    return reply;
  }

  /** Asks the worker to close its database, then ends it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    const worker = this.#worker;
    if (worker) await this.request({ kind: 'close' });
    this.#closed = true;
    await worker?.terminate();
  }

  #ensure(): Worker {
    if (this.#worker) return this.#worker;
    const worker = startWorker(this.#data);
    worker.unref();
    worker.on('message', (reply: WriterReply) => {
      const resolve = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      resolve?.(reply);
      if (this.#pending.size === 0) worker.unref();
    });
    const lost = (message: string) => {
      if (this.#worker !== worker) return;
      this.#worker = null;
      for (const [id, resolve] of this.#pending) resolve({ id, error: { name: 'Error', message } });
      this.#pending.clear();
    };
    worker.on('error', (err) => lost(`request-log worker failed: ${err.message}`));
    worker.on('exit', (code) => lost(`request-log worker exited (code ${code})`));
    this.#worker = worker;
    return worker;
  }
}
