import type { Client } from '@modelcontextprotocol/client';
import type { UpstreamTarget } from '../../core/index.js';
import { clientSdk } from './client-sdk.js';
import { scrubSecrets } from './scrub-secrets.js';
import type { Entry } from './upstream-entry.js';
import { secretsOf } from './upstream-errors.js';
import type { RelayCapabilities, RelayedRequest, RelaySink } from './upstream-relay.js';

/** Where a request the upstream sends inside a task names that task. */
const RELATED_TASK = 'io.modelcontextprotocol/related-task';

/** The requests about a caller's task (2025-11-25 tasks) the pool passes to the upstream session the task lives in. */
export type TaskMethod = 'tasks/get' | 'tasks/result' | 'tasks/cancel' | 'tasks/list';

/** One task request in a session, its answer checked against the method's result schema. */
export function taskExchange(
  client: Client,
  signal: AbortSignal,
  target: UpstreamTarget,
  method: TaskMethod,
  params: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const { specTypeSchemas } = clientSdk();
  const schema = {
    'tasks/get': specTypeSchemas.GetTaskResult,
    'tasks/result': specTypeSchemas.CallToolResult,
    'tasks/cancel': specTypeSchemas.CancelTaskResult,
    'tasks/list': specTypeSchemas.ListTasksResult,
  }[method];
  return client.request({ method, params } as never, schema as never, { signal, timeout: target.timeoutMs });
}

/**
 * Who waits for a task's result on this node (`<entry key>\n<task id>`), and so where the
 * upstream's questions inside that task go (sampling, elicitation, roots).
 */
export class TaskSinks {
  readonly #sinks = new Map<string, RelaySink>();

  /** Runs `work` (the `tasks/result` exchange) with `sink` as the one that answers the task's questions meanwhile. */
  async waiting<T>(entry: Entry, taskId: string, sink: RelaySink, work: () => Promise<T>): Promise<T> {
    const key = `${entry.key}\n${taskId}`;
    this.#sinks.set(key, sink);
    try {
      return await work();
    } finally {
      if (this.#sinks.get(key) === sink) this.#sinks.delete(key);
    }
  }

  /** A caller's session that declares what it can answer: the upstream's questions inside a task go to whoever waits for that task's result. */
  asksForTasks(entryOf: () => Entry, client: Client, declared: RelayCapabilities): void {
    const ask = (method: RelayedRequest) => async (request: { params?: Record<string, unknown> }) =>
      (await this.#askForTask(entryOf(), method, request.params)) as never;
    if (declared.sampling) client.setRequestHandler('sampling/createMessage', ask('sampling/createMessage'));
    if (declared.elicitation) client.setRequestHandler('elicitation/create', ask('elicitation/create'));
    if (declared.roots) client.setRequestHandler('roots/list', ask('roots/list'));
  }

  /**
   * A question the upstream asks in a caller's session (see UpstreamTarget.declares), for the task
   * its `_meta` names: passed to the caller whose `tasks/result` waits for that task on this node,
   * secrets cut out. With no one waiting it is refused (the upstream goes on without the answer).
   */
  async #askForTask(entry: Entry, method: RelayedRequest, params: Record<string, unknown> | undefined): Promise<Record<string, unknown>> {
    const related = (params?._meta as Record<string, unknown> | undefined)?.[RELATED_TASK];
    const taskId = typeof related === 'object' && related !== null ? (related as { taskId?: unknown }).taskId : undefined;
    const sink = typeof taskId === 'string' ? this.#sinks.get(`${entry.key}\n${taskId}`) : undefined;
    if (!sink) throw new (clientSdk().ProtocolError)(-32603, 'No caller is waiting for this task on this node; ask again when it fetches the result.');
    return sink.request(method, params === undefined ? undefined : scrubSecrets(params, [...secretsOf(entry.target), ...entry.sent]));
  }
}
