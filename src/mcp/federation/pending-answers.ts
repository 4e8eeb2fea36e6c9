import { randomUUID } from 'node:crypto';
import { GatehouseError } from '../../core/index.js';
import { isPlain } from '../kit/protocol.js';

interface Pending {
  subject: string;
  resolve(result: Record<string, unknown>): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * The server-to-client requests this node relayed to callers and awaits answers to (a caller POSTs
 * its JSON-RPC response to the virtual server's URL). Ids are minted here (`gatehouse-<uuid>`), so
 * concurrent calls never collide; only the caller asked may answer. Bounded in number and in time:
 * this is the session-affine part of a virtual server (the answer must reach the node that holds
 * the call's stream).
 */
export class PendingAnswers {
  readonly #pending = new Map<string, Pending>();

  constructor(private readonly max = 1024) {}

  /** Registers a request for `subject`, answered within `timeoutMs`; returns its id and the answer to come. */
  open(subject: string, timeoutMs: number): { id: string; answer: Promise<Record<string, unknown>>; cancel(): void } {
    if (this.#pending.size >= this.max)
      throw new GatehouseError('GATEHOUSE_MCP_UPSTREAM_ERROR', 'Too many questions from upstream MCP servers are waiting for answers on this node.');
    const id = `gatehouse-${randomUUID()}`;
    let cancel = () => {};
    const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new GatehouseError('GATEHOUSE_UPSTREAM_TIMEOUT', 'The client did not answer the upstream MCP server in time.'));
      }, timeoutMs);
      this.#pending.set(id, { subject, resolve, reject, timer });
      cancel = () => {
        clearTimeout(timer);
        if (this.#pending.delete(id)) reject(new GatehouseError('GATEHOUSE_MCP_UPSTREAM_ERROR', 'The call ended before the client answered.'));
      };
    });
    answer.catch(() => undefined);
    return { id, answer, cancel };
  }

  /**
   * Delivers a JSON-RPC response a caller sent; false when no request of this caller awaits it
   * (unknown, answered, expired, or asked of someone else).
   */
  answer(subject: string, message: Record<string, unknown>): boolean {
    const id = message.id;
    if (typeof id !== 'string') return false;
    const pending = this.#pending.get(id);
    if (!pending || pending.subject !== subject) return false;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    if (isPlain(message.result)) pending.resolve(message.result);
    else {
      const error = isPlain(message.error) ? message.error : {};
      const text = typeof error.message === 'string' ? error.message.slice(0, 300) : 'the client refused the request';
      pending.reject(new GatehouseError('GATEHOUSE_MCP_UPSTREAM_ERROR', `The client answered with an error: ${text}`));
    }
    return true;
  }

  get size(): number {
    return this.#pending.size;
  }
}

/** Whether a message is a JSON-RPC response (a caller answering a server-to-client request), not a request. */
export function isResponse(message: unknown): message is Record<string, unknown> {
  return isPlain(message) && message.method === undefined && message.id !== undefined && (message.result !== undefined || message.error !== undefined);
}
