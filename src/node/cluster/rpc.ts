/** One end of a cluster IPC channel: `process` in a worker, a `cluster.Worker` in the primary. */
export interface RpcPort {
  send(message: unknown): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

// Each handler declares the body it takes; the channel carries it without looking.
type Handler = (body: never) => unknown;

type Message =
  | { gh: 'call'; id: number; type: string; body: unknown }
  | { gh: 'reply'; id: number; body?: unknown; error?: string }
  | { gh: 'note'; type: string; body: unknown };

function isMessage(m: unknown): m is Message {
  return typeof m === 'object' && m !== null && 'gh' in m;
}

/**
 * Calls and notifications between the primary and one worker over node:cluster IPC (advanced
 * serialization, so request-log batches keep their bytes). Replies are matched by id; when the
 * other end goes away every pending call fails, so nothing waits forever. Messages without a `gh`
 * field (prom-client's metrics requests) are left to their own listeners.
 */
export class Rpc {
  readonly #endpoint: RpcPort;
  readonly #handlers: Record<string, Handler>;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #gone: string | null = null;

  constructor(endpoint: RpcPort, handlers: Record<string, Handler>) {
    this.#endpoint = endpoint;
    this.#handlers = handlers;
    endpoint.on('message', (m) => {
      if (isMessage(m)) this.#receive(m);
    });
  }

  /** Sends a call and resolves with the other end's answer. */
  call<T>(type: string, body: unknown, timeoutMs = 10_000): Promise<T> {
    if (this.#gone) return Promise.reject(new Error(this.#gone));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`cluster call ${type} timed out`));
      }, timeoutMs);
      timer.unref();
      this.#pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      if (!this.#send({ gh: 'call', id, type, body })) this.#settle(id, undefined, 'the cluster channel is closed');
    });
  }

  /** Sends a message that has no answer. */
  notify(type: string, body: unknown): void {
    this.#send({ gh: 'note', type, body });
  }

  /** The other end is gone: pending calls fail, later ones fail at once. */
  close(reason: string): void {
    this.#gone = reason;
    for (const id of [...this.#pending.keys()]) this.#settle(id, undefined, reason);
  }

  #send(message: Message): boolean {
    try {
      this.#endpoint.send(message);
      return true;
    } catch {
      return false;
    }
  }

  #settle(id: number, body: unknown, error?: string): void {
    const waiting = this.#pending.get(id);
    if (!waiting) return;
    this.#pending.delete(id);
    if (error === undefined) waiting.resolve(body);
    else waiting.reject(new Error(error));
  }

  #receive(m: Message): void {
    if (m.gh === 'reply') {
      this.#settle(m.id, m.body, m.error);
      return;
    }
    const handler = this.#handlers[m.type];
    if (m.gh === 'note') {
      handler?.(m.body as never);
      return;
    }
    const { id } = m;
    if (!handler) {
      this.#send({ gh: 'reply', id, error: `no handler for ${m.type}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(m.body as never))
      .then(
        (body) => this.#send({ gh: 'reply', id, body }),
        (err: unknown) => this.#send({ gh: 'reply', id, error: err instanceof Error ? err.message : String(err) }),
      );
  }
}
