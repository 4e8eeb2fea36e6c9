import { InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type Result } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { InteropUpstream } from './interop.js';
import { startSdkV1Upstream } from './sdk-v1-upstream.js';

/**
 * A task store that keeps no result for a failed task: its `tasks/result` is a JSON-RPC error
 * naming why, as a server that stores only successes answers (the SDK writes the store's error
 * into the answer). The reason is text the server wrote, from what the caller asked.
 */
class FailuresAsErrors extends InMemoryTaskStore {
  readonly #why = new Map<string, string>();

  failed(taskId: string, why: string): void {
    this.#why.set(taskId, why);
  }

  override async getTaskResult(taskId: string, sessionId?: string): Promise<Result> {
    const why = this.#why.get(taskId);
    if (why !== undefined) throw new McpError(ErrorCode.InternalError, why);
    return super.getTaskResult(taskId, sessionId);
  }
}

/** What each request a tool got carried: the tool, and the request's headers. */
export type Heard = (tool: string, headers: Record<string, string | string[] | undefined>) => void;

/**
 * An SDK v1 server whose `compile-report` runs only as a task and fails, naming the report's topic
 * in its error; its `lookup` runs only as a plain call (it declares no task support).
 */
function build(heard: Heard): McpServer {
  const store = new FailuresAsErrors();
  const server = new McpServer(
    { name: 'failing-tasks', version: '1' },
    { capabilities: { tasks: { requests: { tools: { call: {} } }, list: {}, cancel: {} } }, taskStore: store },
  );
  server.experimental.tasks.registerToolTask(
    'compile-report',
    { description: 'Compiles a report on a topic, as a task', inputSchema: { topic: z.string() }, execution: { taskSupport: 'required' } },
    {
      async createTask({ topic }, { taskStore, taskRequestedTtl, requestInfo }) {
        heard('compile-report', requestInfo?.headers ?? {});
        const task = await taskStore.createTask({ ttl: taskRequestedTtl ?? 60_000 });
        store.failed(task.taskId, `The archive refused the query. Could not compile the report: ${topic}`);
        await store.updateTaskStatus(task.taskId, 'failed', 'The report could not be compiled.');
        return { task: { ...task, status: 'failed' as const } };
      },
      getTask: (_args, { taskId, taskStore }) => taskStore.getTask(taskId),
      getTaskResult: (_args, { taskId, taskStore }) => taskStore.getTaskResult(taskId) as never,
    },
  );
  server.registerTool('lookup', { description: 'Looks a record up', inputSchema: { id: z.string() } }, async ({ id }, { requestInfo }) => {
    heard('lookup', requestInfo?.headers ?? {});
    return { content: [{ type: 'text', text: `record ${id}` }] };
  });
  return server;
}

/** The server over Streamable HTTP, stateful as the SDK's example is (its tasks live in the session's store). */
export function startFailingTaskUpstream(heard: Heard = () => {}): Promise<InteropUpstream> {
  return startSdkV1Upstream(() => build(heard));
}
