import { isPlain } from '../kit/protocol.js';

/** In-flight calls one node tracks at most; past it, the oldest can no longer be cancelled. */
const MAX_IN_FLIGHT = 10_000;

/**
 * The tool calls running on this node, by caller and request id, so that a caller's
 * `notifications/cancelled` (a request of its own, on any connection: the downstream is stateless)
 * reaches the call it names. Keyed by the caller's subject and session as well as the JSON-RPC id:
 * ids are the client's choosing, and one caller must never cancel another's call.
 */
export class InFlightCalls {
  readonly #calls = new Map<string, AbortController>();

  /** Registers a call; its signal aborts when the caller cancels it (or `abort` is called). `done` forgets it. */
  start(subject: string, session: string | undefined, id: unknown): { signal: AbortSignal; abort(): void; done(): void } {
    const key = keyOf(subject, session, id);
    const controller = new AbortController();
    if (this.#calls.size >= MAX_IN_FLIGHT) {
      const oldest = this.#calls.keys().next().value;
      if (oldest !== undefined) this.#calls.delete(oldest);
    }
    this.#calls.set(key, controller);
    return {
      signal: controller.signal,
      abort: () => controller.abort('cancelled by the caller'),
      done: () => {
        if (this.#calls.get(key) === controller) this.#calls.delete(key);
      },
    };
  }

  /** Cancels the call a `notifications/cancelled` names, when it runs on this node; false otherwise. */
  cancel(subject: string, session: string | undefined, message: unknown): boolean {
    if (!isPlain(message) || !isPlain(message.params)) return false;
    const key = keyOf(subject, session, message.params.requestId);
    const controller = this.#calls.get(key);
    if (!controller) return false;
    this.#calls.delete(key);
    const reason = message.params.reason;
    controller.abort(typeof reason === 'string' ? reason.slice(0, 200) : 'cancelled by the caller');
    return true;
  }
}

function keyOf(subject: string, session: string | undefined, id: unknown): string {
  return `${subject}\n${session ?? ''}\n${typeof id}:${String(id)}`;
}
