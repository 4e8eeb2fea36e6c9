import type { Worker } from 'node:worker_threads';
import { startThreadWorker } from './thread-worker.js';

/** A text waiting for its count, and who gets it. */
interface Pending {
  text: string;
  then: (tokens: number | null) => void;
}

/** Texts of at most this many characters are counted where they are (a message costs more than ~3 µs of counting). */
export const INLINE_CHARS = 256;
/** Characters waiting for the thread at most: past it a text is counted where it is, so memory stays bounded and no count is lost. */
const MAX_PENDING_CHARS = 16 * 1_048_576;

/**
 * Counts texts on a thread of their own, batched: the texts handed over while the event loop runs
 * go in one message once it turns (setImmediate), and each caller gets its exact count back. The
 * thread never keeps the process alive. `inline` counts a text here when the thread cannot: it has
 * failed, or too much is waiting (backpressure, not loss).
 */
export class TokenCountThread {
  #worker: Worker | null = null;
  #failed = false;
  #queue: Pending[] = [];
  #queuedChars = 0;
  #scheduled = false;
  #nextId = 0;
  readonly #sent = new Map<number, Pending[]>();
  #sentChars = 0;

  constructor(private readonly inline: (text: string, then: (tokens: number | null) => void) => void) {}

  /** Hands `then` the tokens of `text`, counted on the thread (or here, when it cannot). */
  count(text: string, then: (tokens: number | null) => void): void {
    if (this.#failed || this.#queuedChars + this.#sentChars + text.length > MAX_PENDING_CHARS) {
      this.inline(text, then);
      return;
    }
    this.#queue.push({ text, then });
    this.#queuedChars += text.length;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    }
  }

  /** Resolves once every text handed over has been counted and given back, or after `maxMs` (a shutdown does not hang on it). */
  async settled(maxMs = 2_000): Promise<void> {
    const until = Date.now() + maxMs;
    while ((this.#queue.length > 0 || this.#sent.size > 0) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#queue;
    this.#queue = [];
    this.#sentChars += this.#queuedChars;
    this.#queuedChars = 0;
    let worker: Worker;
    try {
      worker = this.#worker ?? this.#start();
    } catch {
      this.#fail(batch);
      return;
    }
    const id = this.#nextId++;
    this.#sent.set(id, batch);
    worker.postMessage({ id, texts: batch.map((p) => p.text) });
  }

  #start(): Worker {
    const worker = startThreadWorker('token-count-worker');
    worker.unref();
    worker.on('message', (reply: { id: number; counts: number[] }) => {
      const batch = this.#sent.get(reply.id);
      if (!batch) return;
      this.#sent.delete(reply.id);
      for (let i = 0; i < batch.length; i++) {
        const p = batch[i]!;
        this.#sentChars -= p.text.length;
        p.then(reply.counts[i] ?? null);
      }
    });
    // A thread that fails (it could not load the tokenizer, it ran out of memory) is not restarted:
    // what it held and everything after is counted here.
    const failed = () => {
      if (this.#failed) return;
      this.#failed = true;
      this.#worker = null;
      for (const batch of this.#sent.values()) this.#fail(batch);
      this.#sent.clear();
    };
    worker.once('error', failed);
    worker.once('exit', failed);
    this.#worker = worker;
    return worker;
  }

  #fail(batch: Pending[]): void {
    this.#failed = true;
    for (const p of batch) {
      this.#sentChars -= p.text.length;
      this.inline(p.text, p.then);
    }
  }
}
