import { z } from 'zod';
import {
  Endpoint,
  expandEndpointSchemas,
  GatehouseError,
  HttpMethod,
  Id,
  NODE_TYPES,
  newId,
  Workflow,
  WorkflowInput,
  WorkflowNode,
  WorkflowPatch,
  WorkflowVersion,
  WorkflowVersionNumber,
} from '../../core/index.js';
import { dryRunWorkflow, type SampleEndpoint, workflowInvalid, workflowProblems } from '../../gateway/index.js';
import { ResourceRepository, type StoredResource } from '../../store/repositories/resources.js';
import { defineOperation, type OperationContext } from '../operation.js';
import { instantiate } from '../workflows/template.js';
import { WORKFLOW_TEMPLATES } from '../workflows/templates.js';
import { admitDryRun } from '../workflows/dry-run-limit.js';
import { crudOperations, mustGet, stripStored } from './crud.js';
import { refuseInUse } from './references.js';
import { repos } from './repos.js';

type Definition = z.output<typeof WorkflowInput>;
// A version's number is in its id (`wf_…@3`): the store keeps its own `version` column for edits.
const versions = new ResourceRepository<Omit<z.output<typeof WorkflowVersion>, 'version'>>(repos.workflowVersions.type);

function numberOf(versionId: string): number {
  return Number(versionId.slice(versionId.lastIndexOf('@') + 1));
}

/** Refuses a definition with every problem named by field and node (CEL, schemas, templates, phases, body limits). */
function checkDefinition(definition: Definition): void {
  const problems = workflowProblems(definition);
  if (problems.length > 0) throw workflowInvalid(problems);
}

/** Records the version just written: every save of a workflow is the next version, kept for pinning and rollback. */
async function saveVersion(ctx: OperationContext, stored: StoredResource<Definition>): Promise<void> {
  const id = `${stored.id}@${stored.version}`;
  const value = { workflowId: stored.id, definition: stripStored(stored), savedAt: ctx.now, savedBy: ctx.principal.name };
  await versions.insert(ctx.db, id, value, { key: id, parentId: stored.id }, ctx.now);
}

async function versionOf(ctx: OperationContext, id: string, version: number): Promise<Definition> {
  const found = await versions.get(ctx.db, `${id}@${version}`);
  if (!found) throw new GatehouseError('GATEHOUSE_NOT_FOUND', `Workflow ${id} has no version ${version}.`);
  return found.definition;
}

const NodeTypeInfo = z.object({
  type: z.string(),
  description: z.string(),
  phases: z.array(z.enum(['request', 'response'])),
  readsBody: z.string(),
  schema: z.record(z.string(), z.unknown()),
});
const TemplateInfo = z.object({
  name: z.string(),
  /** `guardrail` (what a model reads and may do) or `traffic`. */
  category: z.enum(['guardrail', 'traffic']),
  title: z.string(),
  description: z.string(),
  parameters: z.record(z.string(), z.unknown()),
});
const Problem = z.object({ path: z.string(), node: z.string().nullable(), message: z.string() });

/** A sample call for `run` and `nodes.test`. */
const SampleCall = z.strictObject({
  method: HttpMethod,
  /** The path below the proxy's base path, with an optional query. */
  path: z.string().min(1).max(4_000).startsWith('/'),
  headers: z.record(z.string(), z.string().max(8_192)).default({}),
  /** The body as text (usually JSON). */
  body: z.string().max(1_048_576).optional(),
  caller: z
    .strictObject({
      clientId: z.string().max(64).optional(),
      clientName: z.string().max(200).optional(),
      profileId: z.string().max(64).optional(),
      profileName: z.string().max(200).optional(),
      authType: z.string().max(20).optional(),
      claims: z.record(z.string(), z.unknown()).optional(),
      ip: z.string().max(64).optional(),
    })
    .optional(),
});
/** What the upstream answers in the sample; without one, the run stops where the upstream would be called. */
const SampleResponse = z.strictObject({
  status: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.string().max(8_192)).default({}),
  body: z.string().max(1_048_576).optional(),
});
const DryRunResult = z.object({
  trace: z.array(
    z.object({
      node: z.string(),
      type: z.string(),
      phase: z.string(),
      decision: z.string().nullable(),
      changes: z.array(z.string()),
      durationMs: z.number(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
  decisions: z.array(z.string()),
  upstreamRequest: z
    .object({ method: z.string(), path: z.string(), headers: z.record(z.string(), z.string()), body: z.string().nullable(), route: z.string().nullable() })
    .nullable(),
  response: z.object({ status: z.number(), headers: z.record(z.string(), z.unknown()), body: z.string() }).nullable(),
  error: z.object({ code: z.string(), message: z.string(), node: z.string().nullable(), details: z.unknown().optional() }).nullable(),
});

/** The endpoint a sample call is for (its contract is what validate_request checks), with its proxy's base path. */
async function sampleEndpoint(ctx: OperationContext, endpointId: string | undefined): Promise<SampleEndpoint | null> {
  if (endpointId === undefined) return null;
  const doc = Endpoint.parse(await mustGet(repos.endpoints, ctx, endpointId, 'endpoint'));
  const proxy = await mustGet(repos.proxies, ctx, doc.proxyId, 'proxy');
  // Its schemas as the gateway checks them: with the proxy's shared schemas expanded.
  return { doc: proxy.schemas ? expandEndpointSchemas(doc, proxy.schemas) : doc, basePath: proxy.basePath };
}

/** The definition a run uses: one given inline, or a stored workflow (a version of it). */
async function definitionFor(
  ctx: OperationContext,
  input: { id?: string | undefined; version?: number | undefined; definition?: Definition | undefined },
): Promise<Definition> {
  if (input.definition) return input.definition;
  if (!input.id)
    throw new GatehouseError('GATEHOUSE_VALIDATION_FAILED', 'Give a workflow id or an inline definition.', [
      { path: 'id', message: 'required without definition' },
    ]);
  const current = await mustGet(repos.workflows, ctx, input.id, 'workflow');
  return input.version === undefined || input.version === current.version ? stripStored(current) : versionOf(ctx, input.id, input.version);
}

export const workflowOperations = [
  ...crudOperations({
    resource: 'workflows',
    noun: 'workflow',
    idPrefix: 'wf',
    basePath: '/workflows',
    declarative: { identity: ['name'] },
    create: WorkflowInput,
    patch: WorkflowPatch,
    output: Workflow,
    keys: (w) => ({ key: w.name }),
    check: async (_ctx, w) => checkDefinition(w),
    afterWrite: saveVersion,
    beforeDelete: async (ctx, w) => {
      refuseInUse('proxies', (await repos.proxies.all(ctx.db)).filter((p) => p.workflowId === w.id).length);
      refuseInUse('endpoints', (await repos.endpoints.all(ctx.db)).filter((e) => e.workflowId === w.id).length);
      refuseInUse('virtual MCP servers', (await repos.virtualMcps.all(ctx.db)).filter((v) => (v.workflows ?? []).some((a) => a.workflowId === w.id)).length);
      for (const v of await versions.all(ctx.db, { parentId: w.id })) await versions.delete(ctx.db, v.id);
    },
  }),
  defineOperation({
    name: 'workflows.versions',
    resource: 'workflows',
    action: 'versions',
    summary: 'List the saved versions of a workflow, newest first',
    permission: 'read',
    input: z.strictObject({ id: Id }),
    output: z.object({ items: z.array(WorkflowVersion) }),
    http: { method: 'GET', path: '/workflows/{id}/versions' },
    handler: async (ctx, input) => {
      await mustGet(repos.workflows, ctx, input.id, 'workflow');
      const items = (await versions.all(ctx.db, { parentId: input.id })).map(({ id, version: _v, createdAt: _c, updatedAt: _u, ...v }) => ({
        ...v,
        version: numberOf(id),
      }));
      return { items: items.sort((a, b) => b.version - a.version) };
    },
  }),
  defineOperation({
    name: 'workflows.rollback',
    resource: 'workflows',
    action: 'rollback',
    summary: 'Make an earlier version current again (saved as the next version; proxies following the latest pick it up)',
    permission: 'write',
    input: z.strictObject({ id: Id, version: WorkflowVersionNumber }),
    output: Workflow,
    http: { method: 'POST', path: '/workflows/{id}/rollback' },
    handler: async (ctx, input) => {
      const current = await mustGet(repos.workflows, ctx, input.id, 'workflow');
      const definition = { ...(await versionOf(ctx, input.id, input.version)), name: current.name };
      checkDefinition(definition);
      const updated = await repos.workflows.update(ctx.db, current, definition, { key: definition.name }, ctx.now);
      await saveVersion(ctx, updated);
      Object.assign(ctx.audit, { resourceId: input.id, before: current, after: updated });
      return updated;
    },
  }),
  defineOperation({
    name: 'workflows.validate',
    resource: 'workflows',
    action: 'validate',
    summary: 'Check a workflow definition without saving it: every problem, by field and node',
    permission: 'read',
    input: z.strictObject({ definition: z.record(z.string(), z.unknown()) }),
    output: z.object({ valid: z.boolean(), problems: z.array(Problem) }),
    http: { method: 'POST', path: '/workflows/validate' },
    handler: async (ctx, input) => {
      admitDryRun(ctx.principal.subject);
      const parsed = WorkflowInput.safeParse(input.definition);
      if (!parsed.success) return { valid: false, problems: parsed.error.issues.map((i) => ({ path: i.path.join('.'), node: null, message: i.message })) };
      const problems = workflowProblems(parsed.data);
      return { valid: problems.length === 0, problems };
    },
  }),
  defineOperation({
    name: 'workflows.nodes.list',
    resource: 'workflows',
    action: 'nodes.list',
    summary: 'Every workflow node type: what it does, where it runs, and its JSON Schema',
    permission: 'read',
    input: z.strictObject({}),
    output: z.object({ items: z.array(NodeTypeInfo) }),
    http: { method: 'GET', path: '/workflows/nodes' },
    handler: async () => ({
      items: NODE_TYPES.map((t) => ({
        type: t.type,
        description: t.description,
        phases: [...t.phases],
        readsBody: t.needsBody === false ? 'no' : t.needsBody === true ? 'request or response' : t.needsBody,
        schema: z.toJSONSchema(t.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
      })),
    }),
  }),
  defineOperation({
    name: 'workflows.templates.list',
    resource: 'workflows',
    action: 'templates.list',
    summary: 'Ready-made workflows and the parameters each takes',
    permission: 'read',
    input: z.strictObject({}),
    output: z.object({ items: z.array(TemplateInfo) }),
    http: { method: 'GET', path: '/workflows/templates' },
    handler: async () => ({
      items: WORKFLOW_TEMPLATES.map((t) => ({
        name: t.name,
        category: t.category,
        title: t.title,
        description: t.description,
        parameters: z.toJSONSchema(t.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
      })),
    }),
  }),
  defineOperation({
    name: 'workflows.templates.instantiate',
    resource: 'workflows',
    action: 'templates.instantiate',
    summary: 'Create a workflow from a template',
    permission: 'write',
    input: z.strictObject({
      template: z.string().min(1).max(100),
      name: z.string().trim().min(1).max(200),
      params: z.record(z.string(), z.unknown()).default({}),
    }),
    output: Workflow,
    http: { method: 'POST', path: '/workflows/templates/{template}/instantiate', status: 201 },
    handler: async (ctx, input) => {
      const t = WORKFLOW_TEMPLATES.find((x) => x.name === input.template);
      if (!t) throw new GatehouseError('GATEHOUSE_NOT_FOUND', `No template named ${input.template}; see workflows.templates.list.`);
      const definition = instantiate(t, input.name, input.params);
      checkDefinition(definition);
      const created = await repos.workflows.insert(ctx.db, newId('wf'), definition, { key: definition.name }, ctx.now);
      await saveVersion(ctx, created);
      Object.assign(ctx.audit, { resourceId: created.id, after: created });
      return created;
    },
  }),
  defineOperation({
    name: 'workflows.nodes.test',
    resource: 'workflows',
    action: 'nodes.test',
    summary: 'Run one node on a sample call (and response) and show what it decided and changed; no side effects',
    permission: 'read',
    input: z.strictObject({
      node: WorkflowNode,
      phase: z.enum(['request', 'response']).default('request'),
      request: SampleCall,
      response: SampleResponse.optional(),
      endpointId: Id.optional(),
      bodyLimitBytes: z.number().int().min(1).max(16_777_216).default(1_048_576),
    }),
    output: DryRunResult,
    http: { method: 'POST', path: '/workflows/nodes/test' },
    handler: async (ctx, input) => {
      admitDryRun(ctx.principal.subject);
      const definition = WorkflowInput.parse({
        name: 'node-test',
        [input.phase]: [input.node],
        bodyLimitBytes: input.bodyLimitBytes,
      });
      const sample = input.phase === 'response' ? (input.response ?? { status: 200, headers: {} }) : (input.response ?? null);
      return dryRunWorkflow(definition, input.request, sample, await sampleEndpoint(ctx, input.endpointId));
    },
  }),
  defineOperation({
    name: 'workflows.run',
    resource: 'workflows',
    action: 'run',
    summary:
      'Run a whole workflow (stored or inline) on a sample call, against a sample upstream response or stopping where the upstream would be called; returns every node’s trace, no side effects',
    permission: 'read',
    input: z.strictObject({
      id: Id.optional(),
      version: WorkflowVersionNumber.optional(),
      definition: WorkflowInput.optional(),
      request: SampleCall,
      response: SampleResponse.optional(),
      endpointId: Id.optional(),
    }),
    output: DryRunResult,
    http: { method: 'POST', path: '/workflows/run' },
    handler: async (ctx, input) => {
      admitDryRun(ctx.principal.subject);
      return dryRunWorkflow(await definitionFor(ctx, input), input.request, input.response ?? null, await sampleEndpoint(ctx, input.endpointId));
    },
  }),
] as const;
