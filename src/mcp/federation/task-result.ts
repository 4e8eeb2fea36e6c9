import { ProtocolError } from '@modelcontextprotocol/server';
import { GatehouseError, type UpstreamTarget, type VirtualTarget, type WorkflowRef } from '../../core/index.js';
import type { McpCaller, RelayGuard } from '../../gateway/index.js';
import { isPlain } from '../kit/protocol.js';
import type { RelaySink } from '../../gateway/federation/index.js';
import { withGuardedSink } from './guarded-sink.js';
import type { RestGateway } from './rest-tools.js';
import type { LocatedTask, TaskMethod, TaskRelay } from './tasks.js';
import { asProtocolError, errorResult } from './tool-error.js';
import { workflowFor } from './workflow-for.js';

/** What a task's result is judged with: the virtual server, its tools by served name, and whether a tool's error result must fit an output schema. */
export interface TaskResultContext {
  calls: Pick<RestGateway, 'mcpResult' | 'mcpRelayGuard'>;
  target: VirtualTarget;
  routes: ReadonlyMap<string, { upstream: UpstreamTarget; name: string }>;
  schemaBound: (tool: string) => boolean;
}

interface Judged {
  tool: string | null;
  workflow: WorkflowRef | null;
}

const refKey = (ref: WorkflowRef | null) => (ref === null ? '' : `${ref.id}@${ref.version ?? ''}`);

/**
 * The tool whose workflow judges what a task says: the one its id is bound to; for an id that does
 * not say (a task `tasks/list` listed), any tool of its upstream when they all run the same
 * workflow; null when they do not (fetched by the id its `tools/call` answered, it would say).
 */
function judgedBy(ctx: TaskResultContext, task: LocatedTask): Judged | null {
  if (task.tool !== null) return { tool: task.tool, workflow: workflowFor(ctx.target, task.tool) };
  const tools = [...ctx.routes].filter(([, route]) => route.upstream.id === task.upstream.id).map(([served]) => served);
  const workflows = new Map(tools.map((tool) => [refKey(workflowFor(ctx.target, tool)), tool]));
  if (workflows.size === 0) return { tool: null, workflow: workflowFor(ctx.target, null) };
  if (workflows.size > 1) return null;
  const tool = [...workflows.values()][0] ?? null;
  return { tool, workflow: workflowFor(ctx.target, tool) };
}

/** The pipeline's view of the call a task runs, as its creation's was (its arguments are the creation's, not known here). */
function callOf(ctx: TaskResultContext, task: LocatedTask, caller: McpCaller, { tool, workflow }: Judged) {
  const route = tool === null ? undefined : ctx.routes.get(tool);
  return {
    method: 'tools/call' as const,
    server: ctx.target.slug,
    name: tool ?? '',
    upstream: task.upstream,
    upstreamName: route?.name ?? tool ?? '',
    arguments: {},
    caller,
    rateLimit: null,
    workflow,
  };
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
  if (task === null) return fetch(undefined).catch(asProtocolError);
  const judged = judgedBy(ctx, task);
  if (judged === null)
    throw new ProtocolError(
      -32602,
      'This task id does not say which tool the task runs, and the tools of its upstream run different workflows: fetch the result by the task id its tools/call answered.',
    );
  if (judged.workflow === null) return fetch(undefined).catch(asProtocolError);
  let failed = false;
  const fetched = (relayed: RelayGuard | undefined) =>
    fetch(relayed).catch((err: unknown) => {
      failed = true;
      throw err;
    });
  try {
    return await ctx.calls.mcpResult(callOf(ctx, task, caller, judged), fetched);
  } catch (err) {
    if (!(err instanceof GatehouseError)) throw err;
    // The upstream's failure (its message judged: see runMcpResult) stays the JSON-RPC error `tasks/result` answered, as the
    // spec has it; a refusal of the result is the tool error a direct answer's is.
    if (failed) asProtocolError(err);
    return errorResult(err, judged.tool !== null && ctx.schemaBound(judged.tool)) as Record<string, unknown>;
  }
}

/**
 * A task as the caller reads its status (`tasks/get`, an entry of `tasks/list`): its
 * `statusMessage` is text the upstream wrote (server-everything's names the topic; a failed task's,
 * its error), judged by the relay guard of the tool the task runs: redacted, or left out when a
 * guardrail refuses it or the task's tool cannot be told.
 */
async function taskStatus(
  ctx: TaskResultContext,
  task: LocatedTask | null,
  caller: McpCaller,
  status: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (task === null || typeof status.statusMessage !== 'string') return status;
  const judged = judgedBy(ctx, task);
  const { statusMessage, ...rest } = status;
  // A task whose tool cannot be told: its message is left out, as a refused one is.
  if (judged === null) return rest;
  const guard = judged.workflow === null ? undefined : ctx.calls.mcpRelayGuard(callOf(ctx, task, caller, judged));
  if (guard === undefined) return status;
  try {
    const said = await guard.toCaller('statusMessage', { statusMessage });
    return isPlain(said) && typeof said.statusMessage === 'string' ? { ...rest, statusMessage: said.statusMessage } : rest;
  } catch (err) {
    if (err instanceof GatehouseError) return rest;
    throw err;
  }
}

/**
 * A caller's task request through a virtual server, judged as the tool the task runs would judge
 * its direct answer: the result (and what the task asks on `sink` meanwhile) through its response
 * workflow, a task's status (`tasks/get`, `tasks/cancel`, each entry of `tasks/list`) through its guardrails.
 */
export async function judgedTaskRequest(
  ctx: TaskResultContext,
  relay: TaskRelay,
  caller: McpCaller & { userId: string | null; relay: Parameters<TaskRelay['request']>[4] },
  method: TaskMethod,
  params: Record<string, unknown>,
  sink: RelaySink | undefined,
): Promise<Record<string, unknown>> {
  if (method === 'tasks/result')
    return taskResult(ctx, relay.locate(params.taskId, caller.subject), caller, (guard) =>
      sink
        ? withGuardedSink(sink, guard, (guarded) => relay.result(params, caller.subject, caller.userId, guarded))
        : relay.result(params, caller.subject, caller.userId),
    );
  const answer = await relay.request(method, params, caller.subject, caller.userId, caller.relay, sink);
  if (method !== 'tasks/list') return taskStatus(ctx, relay.locate(params.taskId, caller.subject), caller, answer);
  const listed = Array.isArray(answer.tasks) ? answer.tasks : [];
  return {
    ...answer,
    tasks: await Promise.all(listed.map((task) => (isPlain(task) ? taskStatus(ctx, relay.locate(task.taskId, caller.subject), caller, task) : task))),
  };
}
