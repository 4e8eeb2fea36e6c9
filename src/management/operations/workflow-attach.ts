import { z } from 'zod';
import { GatehouseError, Id, type VirtualMcpWorkflow, Workflow } from '../../core/index.js';
import { defineOperation, type OperationContext } from '../operation.js';
import { WORKFLOW_TEMPLATES } from '../workflows/templates.js';
import { repos } from './repos.js';

/** Where a template's workflow is attached: exactly one of a virtual MCP server, a proxy or an endpoint. */
const AttachInput = z
  .strictObject({
    template: z.string().min(1).max(100),
    /** The new workflow's name; absent: the template's, with the target's name (and a number while that is taken). */
    name: z.string().trim().min(1).max(200).optional(),
    params: z.record(z.string(), z.unknown()).default({}),
    /** Added to the server's workflows (every call, or only the calls of `tools`). */
    virtualMcpId: Id.optional(),
    /** On a virtual MCP server: only the calls of these tools (as the server shows them) run it. */
    tools: z.array(z.string().min(1).max(200)).min(1).max(500).optional(),
    /** Becomes the proxy's workflow (refused while it has one). */
    proxyId: Id.optional(),
    /** Becomes the endpoint's own workflow (refused while it has one). */
    endpointId: Id.optional(),
  })
  .refine((i) => [i.virtualMcpId, i.proxyId, i.endpointId].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of virtualMcpId, proxyId, endpointId',
    path: ['virtualMcpId'],
  })
  .refine((i) => i.tools === undefined || i.virtualMcpId !== undefined, { message: 'tools apply to a virtual MCP server only', path: ['tools'] });
type AttachInput = z.output<typeof AttachInput>;

const AttachOutput = z.object({
  workflow: Workflow,
  attachedTo: z.object({ type: z.enum(['virtual-mcp', 'proxy', 'endpoint']), id: z.string(), name: z.string() }),
});

type Invoke = OperationContext['invoke'];
interface Target {
  type: 'virtual-mcp' | 'proxy' | 'endpoint';
  id: string;
  name: string;
  /** Binds the workflow just created (each step authorized and audited as the caller's own). */
  bind(workflowId: string): Promise<unknown>;
}

/** A proxy or endpoint runs one workflow: attaching over it would silently drop the one it has. */
function refuseReplacing(what: string, current: string | null | undefined): void {
  if (current)
    throw new GatehouseError('GATEHOUSE_INVALID_STATE', `The ${what} already runs workflow ${current}: add the template's nodes to it, or detach it first.`, {
      workflowId: current,
    });
}

/**
 * A call of a virtual server runs one workflow (the one naming its tool, else the first for every
 * call): a second one for the same calls would never run, so attaching it is refused.
 */
function refuseShadowed(attached: readonly VirtualMcpWorkflow[], tools: readonly string[] | undefined): void {
  const before = tools === undefined ? attached.find((w) => w.tools === undefined) : attached.find((w) => w.tools?.some((t) => tools.includes(t)));
  if (before)
    throw new GatehouseError(
      'GATEHOUSE_INVALID_STATE',
      `These calls already run workflow ${before.workflowId}, and a call runs one workflow: add the template's nodes to it, detach it, or attach this template to other tools.`,
      { workflowId: before.workflowId },
    );
}

/** The target, read through its own read operation (so the caller's role must reach it). */
async function targetOf(invoke: Invoke, input: AttachInput): Promise<Target> {
  if (input.virtualMcpId !== undefined) {
    const v = (await invoke('virtual-mcps.get', { id: input.virtualMcpId })) as { id: string; name: string; workflows?: VirtualMcpWorkflow[] };
    refuseShadowed(v.workflows ?? [], input.tools);
    const attached = { workflowId: '', ...(input.tools ? { tools: input.tools } : {}) };
    return {
      type: 'virtual-mcp',
      id: v.id,
      name: v.name,
      bind: (workflowId) => invoke('virtual-mcps.update', { id: v.id, workflows: [...(v.workflows ?? []), { ...attached, workflowId }] }),
    };
  }
  if (input.proxyId !== undefined) {
    const p = (await invoke('proxies.get', { id: input.proxyId })) as { id: string; name: string; workflowId: string | null };
    refuseReplacing('proxy', p.workflowId);
    return { type: 'proxy', id: p.id, name: p.name, bind: (workflowId) => invoke('proxies.update', { id: p.id, workflowId }) };
  }
  const e = (await invoke('endpoints.get', { id: input.endpointId })) as { id: string; method: string; path: string; workflowId: string | null };
  refuseReplacing('endpoint', e.workflowId);
  return { type: 'endpoint', id: e.id, name: `${e.method} ${e.path}`, bind: (workflowId) => invoke('endpoints.update', { id: e.id, workflowId }) };
}

/** `pii-redaction (Support tools)`, or `… 2`, `… 3` while that name is taken. */
async function freeName(ctx: OperationContext, base: string): Promise<string> {
  for (let n = 1; n < 100; n++) {
    const name = n === 1 ? base : `${base} ${n}`;
    if (!(await repos.workflows.getByKey(ctx.db, name))) return name;
  }
  throw new GatehouseError('GATEHOUSE_CONFLICT', `Workflows named ${base} 1 to 99 exist; give a name.`);
}

/**
 * Creates a workflow from a template and attaches it in one transaction: to a virtual MCP server
 * (added to its workflows), a proxy or an endpoint (as its workflow). A composite of
 * `workflows.templates.instantiate` and the target's `update`, each authorized and audited on its own.
 */
export const attachTemplateOperation = defineOperation({
  name: 'workflows.templates.attach',
  resource: 'workflows',
  action: 'templates.attach',
  summary: 'Create a workflow from a template and attach it to a virtual MCP server, a proxy or an endpoint, in one change',
  permission: 'write',
  composite: true,
  input: AttachInput,
  output: AttachOutput,
  http: { method: 'POST', path: '/workflows/templates/{template}/attach', status: 201 },
  handler: async (ctx, input) => {
    if (!WORKFLOW_TEMPLATES.some((t) => t.name === input.template))
      throw new GatehouseError('GATEHOUSE_NOT_FOUND', `No template named ${input.template}; see workflows.templates.list.`);
    const target = await targetOf(ctx.invoke, input);
    const name = input.name ?? (await freeName(ctx, `${input.template} (${target.name})`.slice(0, 200)));
    const workflow = (await ctx.invoke('workflows.templates.instantiate', { template: input.template, name, params: input.params })) as z.output<
      typeof Workflow
    >;
    await target.bind(workflow.id);
    ctx.audit.resourceId = workflow.id;
    return { workflow, attachedTo: { type: target.type, id: target.id, name: target.name } };
  },
});
