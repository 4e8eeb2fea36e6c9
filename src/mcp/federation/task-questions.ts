import { randomBytes } from 'node:crypto';
import { GatehouseError } from '../../core/index.js';
import type { NotificationFanout, RelayedRequest, RelaySink } from '../../gateway/federation/index.js';
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

  constructor(
    readonly serial: string,
    /** Tells the other nodes what this drain asks now (see TaskQuestions: they list it and forward its answers here). */
    private readonly told: (asked: Record<string, InputRequest> | null) => void = () => undefined,
  ) {
    this.sink = {
      request: (method, params) =>
        new Promise((resolve, reject) => {
          // Keys are unique over the task's life in the cluster: the serial names this node and this drain.
          this.#asked.set(`${this.serial}.${++this.#n}`, { method, ...(params ? { params: unrelated(params) } : {}), resolve, reject });
          this.#wake();
          this.told(this.#outstanding());
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
    this.told(null);
  }

  #outstanding(): Record<string, InputRequest> {
    return Object.fromEntries([...this.#asked].map(([key, { method, params }]) => [key, { method, ...(params ? { params } : {}) }]));
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
    return this.#outstanding();
  }

  /** Hands the caller's answers to the questions they name; keys not outstanding are ignored, as the extension says. */
  answer(responses: Record<string, unknown>): void {
    let settled = false;
    for (const [key, response] of Object.entries(responses)) {
      const asked = this.#asked.get(key);
      if (!asked) continue;
      this.#asked.delete(key);
      settled = true;
      if (isPlain(response)) asked.resolve(response);
      else asked.reject(new GatehouseError('GATEHOUSE_MCP_UPSTREAM_ERROR', 'The client gave no answer to the request.'));
    }
    if (settled && !this.#ended) this.told(this.#outstanding());
  }
}

/** What one node tells the others of its tasks' questions (on the pool's fanout, beside upstream notifications). */
interface TaskNews {
  taskQuestions: { subject: string; taskId: string } & ({ asked: Record<string, InputRequest> | null } | { answers: Record<string, unknown> });
}

/** A task's questions as another node told them, or null when the message is not one. */
function newsFrom(message: unknown): TaskNews['taskQuestions'] | null {
  const news = isPlain(message) && isPlain(message.taskQuestions) ? message.taskQuestions : null;
  if (!news || typeof news.subject !== 'string' || typeof news.taskId !== 'string') return null;
  if ('answers' in news) return isPlain(news.answers) ? { subject: news.subject, taskId: news.taskId, answers: news.answers } : null;
  if (news.asked === null || isPlain(news.asked))
    return { subject: news.subject, taskId: news.taskId, asked: news.asked as Record<string, InputRequest> | null };
  return null;
}

/** The largest `inputResponses` a node forwards to the node holding the task, in bytes of JSON (a broadcast holds fewer than 7,900). */
const MAX_FORWARDED_ANSWERS_BYTES = 7_000;

/**
 * What the tasks of 2026-07-28 callers ask them (the tasks extension's `input_required`), by caller
 * and task. The held `tasks/result` runs on the node that first polled; a stateless 2026-07-28
 * caller's next `tasks/get` or `tasks/update` may land on any node. So the holder tells the other
 * nodes its outstanding questions (over the change feed's broadcasts, `channel`), they list them to
 * the caller without holding a second `tasks/result`, and forward the answers they are given to the
 * holder, which hands them to the questions it issued (keys name the node and drain). The caller's
 * right to the task is checked where it asks (`tasks/update` reads the task in the caller's own
 * upstream session first); the holder matches the caller too (keyed by subject). Bounded in number;
 * what another node told expires with `ttlMs`, and a task's drain is forgotten when its `tasks/result` ends.
 */
export class TaskQuestions {
  readonly #drains = new Map<string, Drain>();
  /** Questions other nodes hold, by caller and task: what a poll here lists, until they say they ended. */
  readonly #elsewhere = new Map<string, { at: number; asked: Record<string, InputRequest> }>();
  readonly #node = randomBytes(4).toString('hex');
  #serial = 0;

  constructor(
    private readonly channel?: NotificationFanout,
    private readonly max = 256,
    /** How long a `tasks/get` waits for the upstream to send the questions of a task it says needs input. */
    private readonly waitMs = 2_000,
    /** How long questions another node told are listed without news of them (a lost broadcast must not pin them). */
    private readonly ttlMs = 300_000,
  ) {
    // Heard for the node's life, like the pool's own notifications on the same channel.
    channel?.subscribe((message) => this.#heard(message));
  }

  #heard(message: unknown): void {
    const news = newsFrom(message);
    if (!news) return;
    const key = `${news.subject}\n${news.taskId}`;
    if ('answers' in news) {
      this.#drains.get(key)?.answer(news.answers);
      return;
    }
    if (news.asked === null) this.#elsewhere.delete(key);
    else if (this.#elsewhere.has(key) || this.#elsewhere.size < this.max) this.#elsewhere.set(key, { at: Date.now(), asked: news.asked });
  }

  #tell(news: TaskNews['taskQuestions']): void {
    this.channel?.publish({ taskQuestions: news } satisfies TaskNews);
  }

  /**
   * The questions a task in `input_required` asks now. When another node holds the task's
   * `tasks/result`, what it told; otherwise the first poll starts holding the upstream's
   * `tasks/result` open (`fetch`, with the sink its questions go to), and later polls read what it heard.
   */
  async questions(subject: string, taskId: string, fetch: (sink: RelaySink) => Promise<unknown>): Promise<Record<string, InputRequest>> {
    const key = `${subject}\n${taskId}`;
    let drain = this.#drains.get(key);
    if (!drain || drain.ended) {
      const told = this.#elsewhere.get(key);
      if (told && Date.now() - told.at < this.ttlMs) return told.asked;
      this.#elsewhere.delete(key);
      if (this.#drains.size >= this.max)
        throw new GatehouseError('GATEHOUSE_RATE_LIMITED', 'Too many tasks are waiting for their callers on this node; try again shortly.');
      const fresh = new Drain(`${this.#node}.${++this.#serial}`, (asked) => this.#tell({ subject, taskId, asked }));
      this.#drains.set(key, fresh);
      // Told at once, before any question: another node's poll then waits on this drain instead of
      // holding a second tasks/result (an upstream hands each question to one of them only).
      this.#tell({ subject, taskId, asked: {} });
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

  /**
   * Delivers a caller's `tasks/update` answers to its task's outstanding questions: those this node
   * issued here, the others forwarded to the nodes that did (refused when too large to forward).
   */
  answer(subject: string, taskId: string, responses: Record<string, unknown>): void {
    const key = `${subject}\n${taskId}`;
    const drain = this.#drains.get(key);
    if (drain && !drain.ended) drain.answer(responses);
    // Keys another node issued go to it (two nodes may both hold the task's tasks/result when their first polls raced).
    const mine = `${this.#node}.`;
    const theirs = Object.fromEntries(Object.entries(responses).filter(([k]) => !k.startsWith(mine)));
    if (!this.channel || Object.keys(theirs).length === 0) return;
    if (Buffer.byteLength(JSON.stringify(theirs)) > MAX_FORWARDED_ANSWERS_BYTES)
      throw new GatehouseError(
        'GATEHOUSE_BODY_TOO_LARGE',
        `The answers exceed ${MAX_FORWARDED_ANSWERS_BYTES} bytes, more than another node of the cluster can be handed.`,
      );
    const told = this.#elsewhere.get(key);
    // What this node listed is answered: it is not listed again (the holder says what is still open).
    if (told) this.#elsewhere.set(key, { at: told.at, asked: Object.fromEntries(Object.entries(told.asked).filter(([k]) => !(k in theirs))) });
    this.#tell({ subject, taskId, answers: theirs });
  }

  get size(): number {
    return this.#drains.size;
  }
}
