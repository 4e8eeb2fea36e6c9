import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { GatehouseError } from '../../core/index.js';
import type { OperationCall, CallerGrants, Executor } from '../../management/executor.js';
import type { ToolSet } from '../kit/endpoint.js';
import { isPlain } from '../kit/protocol.js';
import { callAsJob, DEFAULT_WAIT_SECONDS, MAX_WAIT_SECONDS } from './job-call.js';
import { describeActions, type ToolAction, type ToolDefinition } from './tool-catalog.js';

const MAX_RESULT_CHARS = 200_000;
const MAX_CACHED_SETS = 256;

/** One request's caller: who, through which client, with the grants the executor read for this request. */
export interface ManagementCaller {
  call: Omit<OperationCall, 'dryRun'>;
  grants: CallerGrants;
}

function result(value: unknown, isError = false): CallToolResult {
  const text = JSON.stringify(value);
  const bounded = text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}… [truncated: ${text.length} characters in all]` : text;
  return {
    content: [{ type: 'text', text: bounded }],
    ...(text.length <= MAX_RESULT_CHARS && isPlain(value) ? { structuredContent: value } : {}),
    ...(isError ? { isError: true } : {}),
  };
}

function errorResult(err: GatehouseError): CallToolResult {
  return result({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } }, true);
}

const WAIT_DESCRIPTION =
  `For actions that run as a background job (marked "job"): seconds to wait for the result (default ${DEFAULT_WAIT_SECONDS}, at most ${MAX_WAIT_SECONDS}; 0 answers at once). ` +
  'A job still running then is answered with its id and progress; read it with manage_jobs get.';

/** The JSON Schema a tool advertises: the actions the caller may use, their parameters, dry_run on tools that write, wait_seconds on tools with a job. */
function inputSchemaOf(visible: readonly ToolAction[], hasWrites: boolean): Tool['inputSchema'] {
  const schema = z.object({
    action: z.enum(visible.map((a) => a.action) as [string, ...string[]]).describe('What to do; see the tool description.'),
    params: z.record(z.string(), z.unknown()).optional().describe('The action’s input, as listed in the tool description.'),
    ...(hasWrites ? { dry_run: z.boolean().optional().describe('Validate and return the planned change without writing.') } : {}),
    ...(visible.some((a) => a.op.job) ? { wait_seconds: z.number().min(0).max(MAX_WAIT_SECONDS).optional().describe(WAIT_DESCRIPTION) } : {}),
  });
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...json, type: 'object' } as Tool['inputSchema'];
}

/** A tool's arguments: any action of the tool (a call outside the role reaches the executor, which refuses and audits it). */
function parseArgs(
  tool: ToolDefinition,
  args: Record<string, unknown>,
): { action: ToolAction; params: Record<string, unknown>; dryRun: boolean; waitSeconds: number } | GatehouseError {
  const invalid = (path: string, message: string) => new GatehouseError('GATEHOUSE_MCP_INVALID_ARGUMENTS', `${path} ${message}`, [{ path, message }]);
  const jobs = tool.actions.some((a) => a.op.job);
  for (const k of Object.keys(args)) {
    if (k !== 'action' && k !== 'params' && k !== 'dry_run' && !(jobs && k === 'wait_seconds')) return invalid(k, 'is not an argument of this tool');
  }
  const action = tool.actions.find((a) => a.action === args.action);
  if (!action) return invalid('action', `must be one of ${tool.actions.map((a) => a.action).join(', ')}`);
  if (args.params !== undefined && !isPlain(args.params)) return invalid('params', 'must be an object');
  if (args.dry_run !== undefined && typeof args.dry_run !== 'boolean') return invalid('dry_run', 'must be true or false');
  const wait = args.wait_seconds;
  if (wait !== undefined && (typeof wait !== 'number' || !Number.isFinite(wait) || wait < 0 || wait > MAX_WAIT_SECONDS)) {
    return invalid('wait_seconds', `must be a number from 0 to ${MAX_WAIT_SECONDS}`);
  }
  return {
    action,
    params: (args.params as Record<string, unknown> | undefined) ?? {},
    dryRun: args.dry_run === true,
    waitSeconds: (wait as number | undefined) ?? DEFAULT_WAIT_SECONDS,
  };
}

/** Builds the tool set of one set of grants: only the tools (and actions) those grants allow are listed. */
function buildToolSet(tools: readonly ToolDefinition[], executor: Executor, grants: CallerGrants): ToolSet<ManagementCaller> {
  const listed: Tool[] = [];
  for (const tool of tools) {
    const visible = tool.actions.filter((a) => grants.allows(a.op));
    if (visible.length === 0) continue;
    const readOnly = visible.every((a) => a.op.permission === 'read');
    listed.push({
      name: tool.name,
      description: `Gatehouse ${tool.primary}: one tool, several actions. Actions you may use:\n${describeActions(visible)}`,
      inputSchema: inputSchemaOf(visible, !readOnly),
      annotations: { readOnlyHint: readOnly, destructiveHint: visible.some((a) => a.op.destructive), idempotentHint: readOnly, openWorldHint: false },
    });
  }
  const byName = new Map(tools.map((t) => [t.name, t]));
  return {
    tools: listed,
    listJson: JSON.stringify({ tools: listed }),
    has: (name) => byName.has(name),
    async call(caller, name, args) {
      const tool = byName.get(name)!;
      const parsed = parseArgs(tool, args);
      if (parsed instanceof GatehouseError) return errorResult(parsed);
      try {
        const { op } = parsed.action;
        // A long operation runs as a job here (a dry run has nothing to come back for): see job-call.ts.
        if (op.job && !parsed.dryRun) return result(await callAsJob(executor, op.name, parsed.params, caller.call, caller.grants, parsed.waitSeconds));
        const call: OperationCall = { ...caller.call, ...(parsed.dryRun ? { dryRun: true } : {}) };
        return result(await executor.dispatch(op.name, parsed.params, call, caller.grants));
      } catch (err) {
        return errorResult(err instanceof GatehouseError ? err : new GatehouseError('GATEHOUSE_INTERNAL'));
      }
    },
  };
}

/** Tool sets by grants: built once per distinct set of grants (a role), not per request; a change of grants is a new key. */
export class ToolSets {
  readonly #cache = new Map<string, ToolSet<ManagementCaller>>();

  constructor(
    private readonly tools: readonly ToolDefinition[],
    private readonly executor: Executor,
  ) {}

  for(grants: CallerGrants): ToolSet<ManagementCaller> {
    let set = this.#cache.get(grants.key);
    if (set === undefined) {
      set = buildToolSet(this.tools, this.executor, grants);
      if (this.#cache.size >= MAX_CACHED_SETS) this.#cache.delete(this.#cache.keys().next().value!);
      this.#cache.set(grants.key, set);
    }
    return set;
  }
}
