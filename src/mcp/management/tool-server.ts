import { CLIENT_INFO_META_KEY, McpServer, type ServerContext, type StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { GatehouseError } from '../../core/index.js';
import type { CallContext, Executor } from '../../management/executor.js';
import { describeActions, type ToolAction, type ToolDefinition } from './tool-catalog.js';

const MAX_RESULT_CHARS = 200_000;

export interface McpCaller {
  call: Omit<CallContext, 'dryRun' | 'requestId'>;
  requestId: () => string;
}

/**
 * The tool's input schema: validation accepts every action of the tool, so a call outside the
 * caller's role reaches the executor, which refuses and audits it; the advertised JSON Schema
 * lists only the actions the role allows.
 */
function inputSchema(all: readonly ToolAction[], visible: readonly ToolAction[], hasWrites: boolean): StandardSchemaWithJSON {
  const shape = (actions: readonly ToolAction[]) =>
    z.object({
      action: z.enum(actions.map((a) => a.action) as [string, ...string[]]).describe('What to do; see the tool description.'),
      params: z.record(z.string(), z.unknown()).optional().describe('The action’s input, as listed in the tool description.'),
      ...(hasWrites ? { dry_run: z.boolean().optional().describe('Validate and return the planned change without writing.') } : {}),
    });
  const accept = shape(all);
  const shown = shape(visible);
  return { '~standard': { ...accept['~standard'], jsonSchema: shown['~standard'].jsonSchema } } as StandardSchemaWithJSON;
}

function result(value: unknown, isError = false) {
  const text = JSON.stringify(value);
  const bounded = text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}… [truncated: ${text.length} characters in all]` : text;
  return {
    content: [{ type: 'text' as const, text: bounded }],
    ...(text.length <= MAX_RESULT_CHARS && typeof value === 'object' && value !== null && !Array.isArray(value)
      ? { structuredContent: value as Record<string, unknown> }
      : {}),
    ...(isError ? { isError: true } : {}),
  };
}

/** The OAuth client, and the MCP client's name and version when the request carries them (2026-07-28 envelope). */
function clientApp(oauthClient: string | null, ctx: ServerContext): string | null {
  const info = ctx.mcpReq.envelope?.[CLIENT_INFO_META_KEY as keyof typeof ctx.mcpReq.envelope] as { name?: unknown; version?: unknown } | undefined;
  const mcp = typeof info?.name === 'string' ? `${info.name}${typeof info.version === 'string' ? ` ${info.version}` : ''}` : null;
  if (!mcp) return oauthClient;
  return oauthClient ? `${oauthClient} (${mcp})` : mcp;
}

/** Builds the MCP server one identity sees: only tools (and actions) its role allows are listed. */
export async function buildToolServer(tools: readonly ToolDefinition[], executor: Executor, caller: McpCaller): Promise<McpServer> {
  const server = new McpServer({ name: 'gatehouse-management', version: '1' });
  const probe = { ...caller.call, requestId: 'tools-list' };
  for (const tool of tools) {
    const visible: ToolAction[] = [];
    for (const a of tool.actions) if (await executor.permits(a.op.name, probe)) visible.push(a);
    if (visible.length === 0) continue;
    const readOnly = visible.every((a) => a.op.permission === 'read');
    const byAction = new Map(tool.actions.map((a) => [a.action, a]));
    server.registerTool(
      tool.name,
      {
        description: `Gatehouse ${tool.primary}: one tool, several actions. Actions you may use:\n${describeActions(visible)}`,
        inputSchema: inputSchema(tool.actions, visible, !readOnly),
        annotations: {
          readOnlyHint: readOnly,
          destructiveHint: visible.some((a) => a.op.destructive),
          idempotentHint: readOnly,
          openWorldHint: false,
        },
      },
      async (args: unknown, ctx: ServerContext) => {
        const { action, params, dry_run } = args as { action: string; params?: Record<string, unknown>; dry_run?: boolean };
        const chosen = byAction.get(action)!;
        try {
          const out = await executor.dispatch(chosen.op.name, params ?? {}, {
            ...caller.call,
            clientApp: clientApp(caller.call.clientApp ?? null, ctx),
            requestId: caller.requestId(),
            ...(dry_run ? { dryRun: true } : {}),
          });
          return result(out);
        } catch (err) {
          const gh = err instanceof GatehouseError ? err : new GatehouseError('GATEHOUSE_INTERNAL');
          return result({ error: { code: gh.code, message: gh.message, ...(gh.details ? { details: gh.details } : {}) } }, true);
        }
      },
    );
  }
  return server;
}
