import { ProtocolError } from '@modelcontextprotocol/server';
import type { UpstreamTarget, VirtualTarget } from '../../core/index.js';
import { capabilitiesKey, type RelayCapabilities, type RelaySink, type UpstreamPool } from '../../gateway/federation/index.js';
import { isPlain } from '../kit/protocol.js';
import { personal } from './personal.js';
import type { TaskIds } from './task-ids.js';
import { asProtocolError } from './tool-error.js';

export type TaskMethod = 'tasks/get' | 'tasks/result' | 'tasks/cancel' | 'tasks/list';
const RELATED_TASK = 'io.modelcontextprotocol/related-task';

/**
 * The caller's task ids name the upstream and the session that holds the task:
 * `<upstream id>.<its task id>`, or `<upstream id>~<capabilities>.<its task id>` for a task created
 * in a session that declares what its caller can answer (see TaskRelay.#session). A 2026-07-28
 * caller has no session and declares its capabilities per request, so the task's id, not the
 * request polling it, says where the task lives. A task lives in the caller's own upstream session
 * (shared by every node through the store), so any node continues it; a task id of someone else's
 * session is unknown there, and a forged capability set names another session of the same caller.
 * A task created by a call here also names its tool, bound by a MAC (`…!<tool>!<mac>`, see TaskIds):
 * its result passes that tool's response workflow.
 */
function prefixOf(upstream: UpstreamTarget, caps: RelayCapabilities): string {
  const key = capabilitiesKey(caps);
  return key === '' ? upstream.id : `${upstream.id}~${key}`;
}

/** The capability set a task id's prefix names (see prefixOf); unknown names are ignored. */
function capsOf(key: string): RelayCapabilities {
  const names = new Set(key.split(','));
  return {
    ...(names.has('elicitation') || names.has('elicitation+url') ? { elicitation: true } : {}),
    ...(names.has('elicitation+url') ? { urlElicitation: true } : {}),
    ...(names.has('roots') ? { roots: true } : {}),
    ...(names.has('sampling') ? { sampling: true } : {}),
  };
}

function downstreamId(prefix: string, taskId: unknown): unknown {
  return typeof taskId === 'string' ? `${prefix}.${taskId}` : taskId;
}

/** A result with its task ids (the task, the task's own fields, related-task metadata) named for the caller. */
function renamed(prefix: string, result: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...result };
  if ('taskId' in out) out.taskId = downstreamId(prefix, out.taskId);
  if (isPlain(out.task)) out.task = { ...out.task, taskId: downstreamId(prefix, out.task.taskId) };
  if (isPlain(out._meta) && isPlain(out._meta[RELATED_TASK])) {
    const related = out._meta[RELATED_TASK];
    out._meta = { ...out._meta, [RELATED_TASK]: { ...related, taskId: downstreamId(prefix, related.taskId) } };
  }
  return out;
}

/** A sink that shows the caller the task a question belongs to by the caller's own name for it (its related-task metadata). */
function namedFor(prefix: string, sink: RelaySink): RelaySink {
  return {
    request: (method, params) => sink.request(method, params === undefined ? undefined : renamed(prefix, params)),
    notify: (method, params) => sink.notify(method, params),
  };
}

/** The task a caller's id names (see TaskRelay.locate). */
export interface LocatedTask {
  upstream: UpstreamTarget;
  /** The id's prefix, as the caller's ids of this task are written. */
  prefix: string;
  /** What the session the task lives in declares the caller can answer. */
  caps: RelayCapabilities;
  /** The tool (as the virtual server serves it) the task was created for; null when the id does not say (a task `tasks/list` listed). */
  tool: string | null;
  /** The upstream's own id of the task. */
  taskId: string;
}

/** Task-augmented tool calls (2025-11-25 tasks) through a virtual server: created, polled, fetched and cancelled in the caller's upstream session. */
export class TaskRelay {
  constructor(
    private readonly pool: UpstreamPool,
    private readonly target: VirtualTarget,
    private readonly ids: TaskIds,
  ) {}

  /**
   * The task a caller's id names, or null when it names none of this server's upstreams or carries
   * a binding to a tool that does not verify (see TaskIds). Only the caller's own sessions hold its tasks.
   */
  locate(id: unknown, subject: string): LocatedTask | null {
    if (typeof id !== 'string') return null;
    const dot = id.indexOf('.');
    if (dot <= 0) return null;
    const prefix = id.slice(0, dot);
    const taskId = id.slice(dot + 1);
    const read = this.ids.read(this.target.slug, subject, prefix, taskId);
    if (!read) return null;
    const tilde = read.place.indexOf('~');
    const upstreamId = tilde < 0 ? read.place : read.place.slice(0, tilde);
    const upstream = this.target.upstreams.find((u) => u.id === upstreamId);
    if (!upstream) return null;
    return { upstream, prefix, caps: tilde < 0 ? {} : capsOf(read.place.slice(tilde + 1)), tool: read.tool, taskId };
  }

  /**
   * The caller's session at an upstream, where its tasks live. A caller that can answer the
   * upstream's questions (sampling, elicitation, roots: `caps`) has a session declaring just that, so
   * the upstream may ask it from inside a task (see UpstreamTarget.declares).
   */
  #session(upstream: UpstreamTarget, subject: string, userId: string | null, caps: RelayCapabilities): UpstreamTarget {
    const key = capabilitiesKey(caps);
    if (key === '') return { ...personal(upstream, userId), sessionScope: subject };
    return { ...personal(upstream, userId), sessionScope: `${subject}~${key}`, declares: caps };
  }

  async #allTasks(upstream: UpstreamTarget, subject: string, userId: string | null, caps: RelayCapabilities): Promise<unknown[]> {
    const session = this.#session(upstream, subject, userId, caps);
    const place = prefixOf(upstream, caps);
    const out: unknown[] = [];
    let cursor: unknown;
    for (let page = 0; page < 64; page++) {
      const answer = await this.pool.taskRequest(session, 'tasks/list', typeof cursor === 'string' ? { cursor } : {});
      if (Array.isArray(answer.tasks))
        out.push(
          ...answer.tasks.map((t) =>
            isPlain(t) && typeof t.taskId === 'string' ? { ...t, taskId: `${this.ids.listed(this.target.slug, subject, place, t.taskId)}.${t.taskId}` } : t,
          ),
        );
      cursor = answer.nextCursor;
      if (typeof cursor !== 'string') break;
    }
    return out;
  }

  /**
   * Starts a tool call as a task: the upstream's `CreateTaskResult`, its task id named for the caller
   * (for the session it lives in, and bound to `tool`, the tool as served, whose response workflow its result passes).
   */
  async create(
    upstream: UpstreamTarget,
    subject: string,
    userId: string | null,
    name: string,
    args: Record<string, unknown>,
    task: Record<string, unknown>,
    caps: RelayCapabilities,
    tool: string,
  ): Promise<Record<string, unknown>> {
    const answer = await this.pool.callToolAsTask(this.#session(upstream, subject, userId, caps), name, args, task);
    const place = prefixOf(upstream, caps);
    const taskId = isPlain(answer.task) ? answer.task.taskId : undefined;
    return renamed(typeof taskId === 'string' ? this.ids.bound(this.target.slug, subject, place, tool, taskId) : place, answer);
  }

  /**
   * `tasks/get`, `tasks/result`, `tasks/cancel` of one task (in the session its id names), or
   * `tasks/list` of the caller's tasks at every upstream (in its session declaring `caps`). `sink`:
   * where the upstream's questions inside the task go while `tasks/result` waits.
   */
  async request(
    method: TaskMethod,
    params: Record<string, unknown>,
    subject: string,
    userId: string | null,
    caps: RelayCapabilities = {},
    sink?: RelaySink,
  ): Promise<Record<string, unknown>> {
    if (method === 'tasks/list') {
      // Every upstream's whole list (following its cursors, at most 64 pages); one that fails lists none.
      const lists = await Promise.all(this.target.upstreams.map((u) => this.#allTasks(u, subject, userId, caps).catch(() => [])));
      return { tasks: lists.flat() };
    }
    return this.#exchange(method, params, subject, userId, sink).catch(asProtocolError);
  }

  /**
   * A task's `tasks/result`, as `request` fetches it, but an upstream's failure left the GatehouseError it is:
   * its message is the upstream's text, which the task's tool judges before the caller reads it (see taskResult).
   */
  result(params: Record<string, unknown>, subject: string, userId: string | null, sink?: RelaySink): Promise<Record<string, unknown>> {
    return this.#exchange('tasks/result', params, subject, userId, sink);
  }

  async #exchange(
    method: TaskMethod,
    params: Record<string, unknown>,
    subject: string,
    userId: string | null,
    sink?: RelaySink,
  ): Promise<Record<string, unknown>> {
    const task = this.locate(params.taskId, subject);
    if (!task) throw new ProtocolError(-32602, `Unknown task: ${String(params.taskId).slice(0, 100)}`);
    const session = this.#session(task.upstream, subject, userId, task.caps);
    const answer = await this.pool.taskRequest(session, method, { ...params, taskId: task.taskId }, sink ? namedFor(task.prefix, sink) : undefined);
    return renamed(task.prefix, answer);
  }
}
