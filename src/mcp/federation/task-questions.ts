import { GatehouseError } from '../../core/index.js';
import type { RelayedRequest, RelaySink } from '../../gateway/federation/index.js';
import { isPlain } from '../kit/protocol.js';

const RELATED_TASK = 'io.modelcontextprotocol/related-task';

/** A question a task asks its caller, as the 2026-07-28 tasks extension lists it in `inputRequests`. */
export interface InputRequest {
  method: RelayedRequest;
  params?: Record<string, unknown>;
}

interface Asked extends InputRequest {
  resolve(result: Record<string, unknown>): void;
  reject(err: Error): void;
}

/** A question's params without the 2025-era related-task metadata: a 2026-07-28 question is keyed by its task already. */
function unrelated(params: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!params || !isPlain(params._meta) || !(RELATED_TASK in params._meta)) return params;
  const { [RELATED_TASK]: _related, ...meta } = params._meta;
  const { _meta: _old, ...rest } = params;
  return Object.keys(meta).length > 0 ? { ...rest, _meta: meta } : rest;
}

/**
 * One task's questions, while the upstream's `tasks/result` is held open to hear them: a
 * 2025-11-25 upstream sends what a task asks only on that request's stream, and the 2026-07-28
 * caller polls (`tasks/get`) and answers (`tasks/update`) instead.
 */
class Drain {
  readonly #asked = new Map<string, Asked>();
  #n = 0;
  #ended = false;
  readonly #waiting = new Set<() => void>();
  readonly sink: RelaySink;

  constructor(readonly serial: number) {
    this.sink = {
      request: (method, params) =>
        new Promise((resolve, reject) => {
          // Keys are unique over the task's life on this node: a later drain of the same task has another serial.
          this.#asked.set(`${this.serial}.${++this.#n}`, { method, ...(params ? { params: unrelated(params) } : {}), resolve, reject });
          this.#wake();
        }),
      // Nothing of the task's own stream reaches a 2026-07-28 caller: it has none open.
      notify: () => undefined,
    };
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** The held `tasks/result` ended (the task finished, or the upstream or its time limit ended it): what is unanswered fails. */
  end(): void {
    this.#ended = true;
    for (const asked of this.#asked.values()) asked.reject(new GatehouseError('GATEHOUSE_MCP_UPSTREAM_ERROR', 'The task ended before the client answered.'));
    this.#asked.clear();
    this.#wake();
  }

  #wake(): void {
    for (const wake of this.#waiting) wake();
    this.#waiting.clear();
  }

  /** The questions outstanding, waiting up to `waitMs` for the first when there is none yet. */
  async questions(waitMs: number): Promise<Record<string, InputRequest>> {
    if (this.#asked.size === 0 && !this.#ended) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.#waiting.delete(done);
          resolve();
        }, waitMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        this.#waiting.add(done);
      });
    }
    return Object.fromEntries([...this.#asked].map(([key, { method, params }]) => [key, { method, ...(params ? { params } : {}) }]));
  }

  /** Hands the caller's answers to the questions they name; keys not outstanding are ignored, as the extension says. */
  answer(responses: Record<string, unknown>): void {
    for (const [key, response] of Object.entries(responses)) {
      const asked = this.#asked.get(key);
      if (!asked) continue;
      this.#asked.delete(key);
      if (isPlain(response)) asked.resolve(response);
      else asked.reject(new GatehouseError('GATEHOUSE_MCP_UPSTREAM_ERROR', 'The client gave no answer to the request.'));
    }
  }
}

/**
 * What the tasks of 2026-07-28 callers ask them (the tasks extension's `input_required`), by caller
 * and task. Session-affine like round-trip calls: the held `tasks/result` runs on one node, so the
 * caller's `tasks/update` must reach that node (another node ignores the answers, as keys it never
 * issued). Bounded in number; a task's drain is forgotten when its `tasks/result` ends.
 */
export class TaskQuestions {
  readonly #drains = new Map<string, Drain>();
  #serial = 0;

  constructor(
    private readonly max = 256,
    /** How long a `tasks/get` waits for the upstream to send the questions of a task it says needs input. */
    private readonly waitMs = 2_000,
  ) {}

  /**
   * The questions a task in `input_required` asks now. The first poll starts holding the upstream's
   * `tasks/result` open (`fetch`, with the sink its questions go to); later polls read what it heard.
   */
  async questions(subject: string, taskId: string, fetch: (sink: RelaySink) => Promise<unknown>): Promise<Record<string, InputRequest>> {
    const key = `${subject}\n${taskId}`;
    let drain = this.#drains.get(key);
    if (!drain || drain.ended) {
      if (this.#drains.size >= this.max)
        throw new GatehouseError('GATEHOUSE_RATE_LIMITED', 'Too many tasks are waiting for their callers on this node; try again shortly.');
      const fresh = new Drain(++this.#serial);
      this.#drains.set(key, fresh);
      void fetch(fresh.sink)
        .catch(() => undefined)
        .finally(() => {
          fresh.end();
          if (this.#drains.get(key) === fresh) this.#drains.delete(key);
        });
      drain = fresh;
    }
    return drain.questions(this.waitMs);
  }

  /** Delivers a caller's `tasks/update` answers to its task's outstanding questions on this node. */
  answer(subject: string, taskId: string, responses: Record<string, unknown>): void {
    this.#drains.get(`${subject}\n${taskId}`)?.answer(responses);
  }

  get size(): number {
    return this.#drains.size;
  }
}
