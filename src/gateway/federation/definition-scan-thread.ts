import type { Worker } from 'node:worker_threads';
import type { DefinitionFindings } from './definition-guard.js';
import { startThreadWorker } from './thread-worker.js';

/** What is read: a tool, a prompt or a resource (or resource template), as a model would be shown it; or an upstream's instructions. */
export type ScanKind = 'tool' | 'prompt' | 'resource' | 'instructions';

/** One message to the thread: the definitions handed over while the loop ran, each with its kind. */
export interface ScanBatch {
  id: number;
  items: Array<{ kind: ScanKind; value: unknown }>;
}

interface Pending {
  kind: ScanKind;
  value: unknown;
  then: (found: DefinitionFindings | null) => void;
}

/**
 * Reads definitions on a thread of their own, batched: those handed over while the event loop
 * runs go in one message once it turns, and each caller gets its own findings back. The thread
 * never keeps the process alive. `inline` reads a definition here when the thread cannot (it
 * failed to start or died): the verdict is the same, only the loop pays for it.
 */
export class DefinitionScanThread {
  #worker: Worker | null = null;
  #failed = false;
  #queue: Pending[] = [];
  #scheduled = false;
  #nextId = 0;
  readonly #sent = new Map<number, Pending[]>();

  constructor(private readonly inline: (kind: ScanKind, value: unknown) => Promise<DefinitionFindings | null>) {}

  /** The findings for one definition, read on the thread (or here, when it cannot be). */
  scan(kind: ScanKind, value: unknown): Promise<DefinitionFindings | null> {
    if (this.#failed) return this.inline(kind, value);
    return new Promise((then) => {
      this.#queue.push({ kind, value, then });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return;
    try {
      const worker = this.#worker ?? this.#start();
      const id = this.#nextId++;
      worker.postMessage({ id, items: batch.map(({ kind, value }) => ({ kind, value })) } satisfies ScanBatch);
      this.#sent.set(id, batch);
    } catch {
      // Not startable, or a value that cannot be cloned to it: read here.
      this.#failed = true;
      this.#readHere(batch);
    }
  }

  #start(): Worker {
    const worker = startThreadWorker('definition-scan-worker');
    worker.unref();
    worker.on('message', (reply: { id: number; findings: Array<DefinitionFindings | null> }) => {
      const batch = this.#sent.get(reply.id);
      if (!batch) return;
      this.#sent.delete(reply.id);
      for (const [i, p] of batch.entries()) p.then(reply.findings[i] ?? null);
    });
    // A thread that fails (it could not load the scan, it ran out of memory) is not restarted:
    // what it held and everything after is read here, so no definition goes unread.
    const failed = () => {
      if (this.#failed && this.#worker === null) return;
      this.#failed = true;
      this.#worker = null;
      for (const batch of this.#sent.values()) this.#readHere(batch);
      this.#sent.clear();
    };
    worker.once('error', failed);
    worker.once('exit', failed);
    this.#worker = worker;
    return worker;
  }

  #readHere(batch: Pending[]): void {
    for (const p of batch) void this.inline(p.kind, p.value).then(p.then);
  }
}
