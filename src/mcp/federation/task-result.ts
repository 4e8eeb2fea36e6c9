import { ProtocolError } from '@modelcontextprotocol/server';
import { GatehouseError, type UpstreamTarget, type VirtualTarget, type WorkflowRef } from '../../core/index.js';
import type { McpCaller, RelayGuard } from '../../gateway/index.js';
import type { RestGateway } from './rest-tools.js';
import type { LocatedTask } from './tasks.js';
import { errorResult } from './tool-error.js';
import { workflowFor } from './workflow-for.js';

/** What a task's result is judged with: the virtual server, its tools by served name, and whether a tool's error result must fit an output schema. */
export interface TaskResultContext {
  calls: Pick<RestGateway, 'mcpResult'>;
  target: VirtualTarget;
  routes: ReadonlyMap<string, { upstream: UpstreamTarget; name: string }>;
  schemaBound: (tool: string) => boolean;
}

const refKey = (ref: WorkflowRef | null) => (ref === null ? '' : `${ref.id}@${ref.version ?? ''}`);

/**
 * The tool whose workflow a task's result passes: the one its id is bound to; for an id that does
 * not say (a task `tasks/list` listed), any tool of its upstream when they all run the same
 * workflow. Otherwise refused: fetched by the id its `tools/call` answered, it is not.
 */
function toolOf(ctx: TaskResultContext, task: LocatedTask): { tool: string | null; workflow: WorkflowRef | null } {
  if (task.tool !== null) return { tool: task.tool, workflow: workflowFor(ctx.target, task.tool) };
  const tools = [...ctx.routes].filter(([, route]) => route.upstream.id === task.upstream.id).map(([served]) => served);
  const workflows = new Map(tools.map((tool) => [refKey(workflowFor(ctx.target, tool)), tool]));
  if (workflows.size === 0) return { tool: null, workflow: workflowFor(ctx.target, null) };
  if (workflows.size === 1) {
    const tool = [...workflows.values()][0] ?? null;
    return { tool, workflow: workflowFor(ctx.target, tool) };
  }
  throw new ProtocolError(
    -32602,
    'This task id does not say which tool the task runs, and the tools of its upstream run different workflows: fetch the result by the task id its tools/call answered.',
  );
}

/**
 * A task's result (`tasks/result`, or inlined in a 2026-07-28 `tasks/get`) through the response
 * workflow of the tool it runs, as the tool's direct answer would pass it: redacted, flagged, or
 * refused as the same tool error. `fetch` gets the relay guard for what the upstream asks the
 * caller while the result is awaited. An unknown task goes to `fetch` unjudged, which refuses it.
 */
export async function taskResult(
  ctx: TaskResultContext,
  task: LocatedTask | null,
  caller: McpCaller,
  fetch: (relayed: RelayGuard | undefined) => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  if (task === null) return fetch(undefined);
  const { tool, workflow } = toolOf(ctx, task);
  if (workflow === null) return fetch(undefined);
  const route = tool === null ? undefined : ctx.routes.get(tool);
  try {
    return await ctx.calls.mcpResult(
      {
        method: 'tools/call',
        server: ctx.target.slug,
        name: tool ?? '',
        upstream: task.upstream,
        upstreamName: route?.name ?? tool ?? '',
        arguments: {},
        caller,
        rateLimit: null,
        workflow,
      },
      fetch,
    );
  } catch (err) {
    if (!(err instanceof GatehouseError)) throw err;
    return errorResult(err, tool !== null && ctx.schemaBound(tool)) as Record<string, unknown>;
  }
}
