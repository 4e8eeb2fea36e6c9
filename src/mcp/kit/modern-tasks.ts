import type { ServerResponse } from 'node:http';
import { ProtocolError, type Tool } from '@modelcontextprotocol/server';
import type { FastCall } from './fast-call.js';
import { isPlain, type ServerInfo } from './protocol.js';

/** The 2026-07-28 tasks extension (SEP-2663). */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
const RELATED_TASK = 'io.modelcontextprotocol/related-task';

/** The 2025-11-25 task methods a tool set answers (see `ToolSet.tasks`). */
export type LegacyTasks = (method: 'tasks/get' | 'tasks/result' | 'tasks/cancel', params: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** Whether a 2026-07-28 request declares the tasks extension in its per-request capabilities. */
export function declaresTasks(message: unknown): boolean {
  const meta = isPlain(message) && isPlain(message.params) ? message.params._meta : undefined;
  const capabilities = isPlain(meta) ? meta['io.modelcontextprotocol/clientCapabilities'] : undefined;
  const extensions = isPlain(capabilities) ? capabilities.extensions : undefined;
  return isPlain(extensions) && isPlain(extensions[TASKS_EXTENSION]);
}

const taskSupport = (tool: Tool | undefined) => (tool as (Tool & { execution?: { taskSupport?: string } }) | undefined)?.execution?.taskSupport;

/** Whether a tool runs only as a task (its `execution.taskSupport`). */
export function requiresTask(tool: Tool | undefined): boolean {
  return taskSupport(tool) === 'required';
}

/** Whether a tool may run as a task: its `execution.taskSupport` says so (absent means forbidden). */
export function mayRunAsTask(tool: Tool): boolean {
  const support = taskSupport(tool);
  return support === 'required' || support === 'optional';
}

/** A 2025-11-25 task as the 2026-07-28 extension shapes it: `ttlMs` and `pollIntervalMs` instead of `ttl` and `pollInterval`. */
function modernTask(task: Record<string, unknown>): Record<string, unknown> {
  const { ttl, pollInterval, _meta: _dropped, ...rest } = task;
  return {
    ...rest,
    ttlMs: typeof ttl === 'number' ? ttl : null,
    ...(typeof pollInterval === 'number' ? { pollIntervalMs: pollInterval } : {}),
  };
}

/** A task's final result without the 2025-era related-task metadata (the 2026 task carries its id itself). */
function withoutRelated(result: Record<string, unknown>): Record<string, unknown> {
  if (!isPlain(result._meta) || !(RELATED_TASK in result._meta)) return result;
  const { [RELATED_TASK]: _related, ...meta } = result._meta;
  const { _meta: _old, ...rest } = result;
  return Object.keys(meta).length > 0 ? { ...rest, _meta: meta } : rest;
}

/** What a task in `input_required` asks its caller now, keyed as the caller answers (see ToolSet.taskQuestions). */
export type TaskQuestionsOf = (taskId: string) => Promise<Record<string, unknown>>;

/**
 * `tasks/get` of the 2026-07-28 extension over a 2025-11-25 task: the task in its current status,
 * with the final result (or JSON-RPC error) inlined once it is terminal. A 2025 `failed` task whose
 * result is a tool result (`isError`) is `completed` in 2026, where `failed` means a JSON-RPC error.
 * A task that needs input lists its questions (`inputRequests`); while they are not yet known, or
 * when nothing relays them, it reads `working` (the caller polls on).
 */
export async function getTask(tasks: LegacyTasks, taskId: string, questions?: TaskQuestionsOf): Promise<Record<string, unknown>> {
  const task = modernTask(await tasks('tasks/get', { taskId }));
  if (task.status === 'input_required') {
    const asked = questions ? await questions(taskId) : {};
    return Object.keys(asked).length > 0 ? { ...task, inputRequests: asked } : { ...task, status: 'working' };
  }
  if (task.status !== 'completed' && task.status !== 'failed') return task;
  try {
    return { ...task, status: 'completed', result: withoutRelated(await tasks('tasks/result', { taskId })) };
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    return { ...task, status: 'failed', error: { code: err.code, message: err.message, ...(err.data !== undefined ? { data: err.data } : {}) } };
  }
}

/**
 * `tasks/update`: the caller's answers go to the questions getTask listed (`answer`); answers for
 * keys not outstanding are ignored, as the extension says. An unknown task is an error.
 */
export async function updateTask(
  tasks: LegacyTasks,
  taskId: string,
  responses: Record<string, unknown>,
  answer?: (taskId: string, responses: Record<string, unknown>) => void,
): Promise<Record<string, unknown>> {
  await tasks('tasks/get', { taskId });
  answer?.(taskId, responses);
  return {};
}

/** `tasks/cancel`: an empty acknowledgement once the upstream took the cancellation. */
export async function cancelTask(tasks: LegacyTasks, taskId: string): Promise<Record<string, unknown>> {
  await tasks('tasks/cancel', { taskId });
  return {};
}

/**
 * Writes a 2026-07-28 `tools/call` answered by a 2025-11-25 `CreateTaskResult` as the extension's
 * `CreateTaskResult` (`resultType: "task"`, the task's fields inline); any other result (the call
 * failed before a task existed) as an ordinary complete result.
 */
export function writeTaskCreated(res: ServerResponse, call: FastCall, created: Record<string, unknown>, serverInfo: ServerInfo): void {
  const meta = { 'io.modelcontextprotocol/serverInfo': serverInfo };
  const result = isPlain(created.task) ? { ...modernTask(created.task), resultType: 'task', _meta: meta } : { ...created, resultType: 'complete', _meta: meta };
  const body = JSON.stringify({ jsonrpc: '2.0', id: call.id, result });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The -32021 a 2026-07-28 caller gets for a tool that runs only as a task when its request did not declare the tasks extension. */
export function tasksRequired(name: string): ProtocolError {
  return new ProtocolError(-32021, `The tool ${name.slice(0, 100)} runs only as a task: declare the ${TASKS_EXTENSION} extension to call it.`, {
    requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } },
  });
}

/**
 * The answer to a task-augmented call of a tool that does not run as a task (2025-11-25: servers
 * SHOULD answer -32601). Forwarded, an upstream without tasks runs it as a plain call, whose result
 * the caller rejects as no CreateTaskResult — and a caller that retries runs it twice.
 */
export function taskForbidden(name: string): ProtocolError {
  return new ProtocolError(-32601, `The tool ${name.slice(0, 100)} does not run as a task: call it without \`task\`.`);
}
