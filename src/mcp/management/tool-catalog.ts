import { z } from 'zod';
import type { Operation } from '../../management/operation.js';
import type { Registry } from '../../management/registry.js';

/**
 * Resources shown inside another resource's tool: endpoints belong to proxies, consumer
 * credentials to profiles, and who-may-do-what to one access tool. Everything else gets
 * `manage_<resource>`, so a new resource type appears as a tool with no change here.
 */
const TOOL_OF: Record<string, string> = {
  endpoints: 'manage_proxies',
  credentials: 'manage_profiles',
  'role-bindings': 'manage_access',
  'service-accounts': 'manage_access',
  users: 'manage_access',
  'audit-logs': 'query_audit_logs',
  metrics: 'query_metrics',
  'mcp-analytics': 'query_mcp_analytics',
  'request-logs': 'query_request_logs',
};

/** Operations that stand alone as their own tool (e.g. `import_openapi`), by operation name. */
const OWN_TOOL: Record<string, string> = {
  'proxies.import-openapi': 'import_openapi',
};

export interface ToolAction {
  /** The value of the tool's `action` argument. */
  action: string;
  op: Operation;
}

export interface ToolDefinition {
  name: string;
  /** The resource the tool is named for; its own actions go without a prefix. */
  primary: string;
  actions: ToolAction[];
}

function toolNameOf(op: Operation): string {
  return OWN_TOOL[op.name] ?? TOOL_OF[op.resource] ?? `manage_${op.resource.replace(/-/g, '_')}`;
}

/** Groups every registered operation into MCP tools, once per process. */
export function buildToolCatalog(registry: Registry): ToolDefinition[] {
  const tools = new Map<string, ToolDefinition>();
  for (const op of registry.all()) {
    const name = toolNameOf(op);
    const primary = name.replace(/^(manage|query)_/, '').replace(/_/g, '-');
    const tool = tools.get(name) ?? { name, primary, actions: [] };
    const action = OWN_TOOL[op.name] ? 'run' : op.resource === primary ? op.action : `${op.resource}.${op.action}`;
    tool.actions.push({ action, op });
    tools.set(name, tool);
  }
  return [...tools.values()];
}

/** One line per action: what it does and the parameters it takes (required ones marked `*`). */
export function describeActions(actions: readonly ToolAction[]): string {
  return actions
    .map(({ action, op }) => {
      const schema = z.toJSONSchema(op.input, { io: 'input', unrepresentable: 'any' }) as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      const required = new Set(schema.required ?? []);
      const params = Object.keys(schema.properties ?? {}).map((p) => (required.has(p) ? `${p}*` : p));
      const flags = [op.permission === 'read' ? 'read-only' : 'write', ...(op.destructive ? ['destructive'] : []), ...(op.job ? ['job'] : [])].join(', ');
      return `- ${action} (${flags}): ${op.summary}. params: {${params.join(', ')}}`;
    })
    .join('\n');
}
