import { z } from 'zod';
import { type CuratedTool, GatehouseError, Id, servedName, VirtualMcp, type VirtualMcpInput } from '../../core/index.js';
import { TokenCache, TokenEndpoint, type TokenEndpointOptions } from '../../gateway/index.js';
import { definitionScan, type StdioSupervisor, UpstreamPool, type UpstreamTools, type UserTokens } from '../../gateway/federation/index.js';
import type { StoredResource } from '../../store/repositories/resources.js';
import { defineOperation, type OperationContext, type PrepareContext, StalePreparation } from '../operation.js';
import { mustGet } from './crud.js';
import { upstreamTargetOf } from './federation-targets.js';
import { connectionStore, registrationStore } from './mcp-connection-store.js';
import { getToolDefinitions, putToolDefinitions } from '../../store/repositories/mcp-tool-definitions.js';
import { repos } from './repos.js';
import { RestToolStatus, restToolStates } from './rest-tool-pins.js';

/**
 * The admin plane's own upstream clients and token cache: curating and approving read the upstreams'
 * current definitions (in the prepare phase, never inside a transaction). A per-user upstream is read as the admin doing it, with their own connection
 * (`perUser`, known once the node's public URL is).
 */
export interface FederationClients {
  pool: UpstreamPool;
  tokens: TokenCache;
  perUser: () => UserTokens | null;
  /** The deployment's GATEHOUSE_MCP_ALLOW_PRIVATE_UPSTREAMS: with each server's `allowPrivateNetwork`, whether probing and curating may reach internal addresses, as calls may. */
  allowPrivateUpstreams: boolean;
}

/** One registry's federation clients (so two nodes in one process never share them). */
export function federationClients(
  tokenEndpoints: TokenEndpointOptions = {},
  perUser: () => UserTokens | null = () => null,
  stdio?: StdioSupervisor,
  allowPrivateUpstreams = false,
): FederationClients {
  // A stdio upstream is read through the node's own child of it (the supervisor's), not a second one.
  return {
    pool: new UpstreamPool({ maxClients: 32, idleMs: 30_000, declareRelayed: true, ...(stdio ? { stdio } : {}) }),
    tokens: new TokenCache(new TokenEndpoint(tokenEndpoints)),
    perUser,
    allowPrivateUpstreams,
  };
}
// Curation waits this long at most for an upstream's definitions (in the prepare phase, before the write's transaction).
const CURATION_TIMEOUT_MS = 10_000;

type Stored = StoredResource<Omit<VirtualMcp, 'id' | 'version' | 'createdAt' | 'updatedAt'>>;
const same = (a: Pick<CuratedTool, 'upstreamId' | 'name'>, b: Pick<CuratedTool, 'upstreamId' | 'name'>) => a.upstreamId === b.upstreamId && a.name === b.name;

/** What the prepare phase read of one upstream: the version of its settings it read them with, and its definitions (or why not). */
interface Fetched {
  version: number;
  name: string;
  tools: UpstreamTools | GatehouseError;
}

/** Upstream definitions fetched before a write's transaction, by upstream id. */
export type FetchedDefinitions = ReadonlyMap<string, Fetched>;

/** The current definitions of each upstream named, fetched afresh (never inside a transaction); an upstream that fails maps to its error. */
async function fetchDefinitions(clients: FederationClients, ctx: PrepareContext, upstreamIds: readonly string[]): Promise<FetchedDefinitions> {
  const out = new Map<string, Fetched>();
  await Promise.all(
    [...new Set(upstreamIds)].map(async (id) => {
      const server = await repos.mcpServers.get(ctx.db, id);
      if (!server) return;
      // The curator's own tokens (a per-user upstream) are read, and refreshed, outside any transaction.
      const resolved = await upstreamTargetOf(
        ctx.db,
        ctx.secrets,
        clients.tokens,
        server,
        clients.perUser()?.withStores(connectionStore(ctx.db, ctx.secrets), registrationStore(ctx.db, ctx.secrets)) ?? null,
        clients.allowPrivateUpstreams,
      );
      const stored = resolved.forUser ? resolved.forUser(ctx.principal.subject) : resolved;
      const target = { ...stored, timeoutMs: Math.min(stored.timeoutMs, CURATION_TIMEOUT_MS) };
      const tools = await clients.pool.listTools(target, { fresh: true }).catch((err: unknown) => {
        if (err instanceof GatehouseError) return err;
        throw err;
      });
      out.set(id, { version: server.version, name: server.name, tools });
    }),
  );
  return out;
}

/**
 * Inside the transaction: the fetched definitions of the upstreams named, each still for the
 * settings the upstream has now; an upstream changed since throws `StalePreparation`. One not
 * fetched (created in the same declarative apply) has no definitions: its tools stay unpinned.
 */
async function stillCurrent(ctx: OperationContext, fetched: FetchedDefinitions, upstreamIds: readonly string[]): Promise<FetchedDefinitions> {
  for (const id of new Set(upstreamIds)) {
    const read = fetched.get(id);
    if (!read) continue;
    const server = await repos.mcpServers.get(ctx.db, id);
    if (server && server.version !== read.version) throw new StalePreparation(`The upstream MCP server ${server.name}`);
  }
  return fetched;
}

/** The curated tools with the pins they keep: a tool kept from the current version keeps its pin (re-curating never approves a changed definition silently). */
function keptPins(next: VirtualMcpInput, current?: Stored): CuratedTool[] {
  const kept = (t: CuratedTool) => t.pin ?? current?.tools.find((c) => same(c, t))?.pin;
  return next.tools.map((t) => {
    const pin = kept(t);
    return pin === undefined ? t : { ...t, pin };
  });
}

const unpinnedUpstreams = (tools: readonly CuratedTool[]) => tools.filter((t) => t.pin === undefined).map((t) => t.upstreamId);

/** The prepare phase of curating: the definitions of the upstreams whose tools need a pin. */
export async function prepareCuration(clients: FederationClients, ctx: PrepareContext, next: VirtualMcpInput, current?: Stored): Promise<FetchedDefinitions> {
  const upstreamIds = unpinnedUpstreams(keptPins(next, current));
  return upstreamIds.length === 0 ? new Map() : fetchDefinitions(clients, ctx, upstreamIds);
}

/**
 * Records what each newly curated tool is approved against: pinned to the upstream's definition
 * as fetched in the prepare phase. A tool the upstream does not offer, or whose upstream could not
 * be reached, stays unpinned — withheld until approved; so does one whose definition reads as
 * injected instructions (see definitionFindings), and a new tool of a declarative apply step that
 * could not be prepared (`fetched` undefined), such as one of an upstream the same apply creates.
 */
export async function pinCurated(
  ctx: OperationContext,
  next: VirtualMcpInput,
  current: Stored | undefined,
  fetched: FetchedDefinitions | undefined,
): Promise<VirtualMcpInput> {
  const tools = keptPins(next, current);
  const upstreamIds = unpinnedUpstreams(tools);
  if (upstreamIds.length === 0 || fetched === undefined) return { ...next, tools };
  const defs = await stillCurrent(ctx, fetched, upstreamIds);
  const approved: Array<{ pin: string; definition: unknown }> = [];
  const pinned = await Promise.all(
    tools.map(async (t) => {
      if (t.pin !== undefined) return t;
      const found = defs.get(t.upstreamId)?.tools;
      if (found === undefined || found instanceof GatehouseError) return t;
      const pin = found.pins.get(t.name);
      const definition = found.byName.get(t.name);
      if (pin === undefined || (definition && (await definitionScan.definitionFindings(definition)))) return t;
      approved.push({ pin, definition: definition ?? null });
      return { ...t, pin };
    }),
  );
  // What each pin stands for, so a later change can be shown beside it.
  await putToolDefinitions(ctx.db, approved, ctx.now);
  return { ...next, tools: pinned };
}

const ToolState = z.enum(['approved', 'changed', 'unapproved', 'missing', 'unreachable']);

const ToolStatus = z.object({
  upstreamId: z.string(),
  upstream: z.string(),
  name: z.string(),
  /** The name clients receive it by (renamed, and prefixed when the server composes several upstreams): the server's own naming. */
  servedName: z.string(),
  /**
   * `approved`: served. `changed`: the upstream's definition no longer matches the approved one
   * (withheld). `unapproved`: never pinned (withheld). `missing`: the upstream no longer offers it.
   * `unreachable`: the upstream could not be asked.
   */
  state: ToolState,
  pin: z.string().nullable(),
  currentPin: z.string().nullable(),
  /** The upstream's definition now, for a tool waiting for approval: what approving would serve. */
  current: z.record(z.string(), z.unknown()).nullable(),
  /** The definition its pin approved, where this gateway recorded it: what `current` is compared with. */
  approved: z.record(z.string(), z.unknown()).nullable().default(null),
  error: z.string().nullable(),
  /**
   * What the prompt_guard rules found in the upstream's definition now (hidden Unicode, instruction
   * overrides…): such a definition is never pinned when curated, only by an admin approving it.
   */
  findings: z
    .object({ score: z.number(), rules: z.array(z.object({ rule: z.string(), count: z.number().int() })) })
    .nullable()
    .default(null),
});

/** The prepare phase of reading or approving pins: the definitions of every upstream the server curates from. */
export async function prepareStates(clients: FederationClients, ctx: PrepareContext, id: string): Promise<FetchedDefinitions> {
  const vmcp = await mustGet(repos.virtualMcps, ctx, id, 'virtual MCP server');
  return fetchDefinitions(
    clients,
    ctx,
    vmcp.tools.map((t) => t.upstreamId),
  );
}

async function statesOf(ctx: OperationContext, vmcp: Stored, defs: FetchedDefinitions): Promise<z.infer<typeof ToolStatus>[]> {
  const recorded = await getToolDefinitions(
    ctx.db,
    vmcp.tools.flatMap((t) => (t.pin ? [t.pin] : [])),
  );
  // Named as the served snapshot names them: prefixed when more than one of its upstreams exists.
  const servers = new Map(
    (await Promise.all(vmcp.upstreamIds.map((id) => repos.mcpServers.get(ctx.db, id)))).flatMap((s) => (s ? [[s.id, s.name] as const] : [])),
  );
  const composed = servers.size > 1;
  return Promise.all(
    vmcp.tools.map(async (t) => {
      const found = defs.get(t.upstreamId);
      const upstreamName = servers.get(t.upstreamId) ?? found?.name ?? t.upstreamId;
      const base = {
        upstreamId: t.upstreamId,
        upstream: upstreamName,
        name: t.name,
        servedName: servedName(upstreamName, t.rename ?? t.name, composed),
        pin: t.pin ?? null,
        approved: (t.pin && recorded.get(t.pin)) || null,
      };
      if (!found || found.tools instanceof GatehouseError) {
        return {
          ...base,
          state: 'unreachable' as const,
          currentPin: null,
          current: null,
          error: found?.tools instanceof GatehouseError ? found.tools.code : 'GATEHOUSE_NOT_FOUND',
          findings: null,
        };
      }
      const currentPin = found.tools.pins.get(t.name) ?? null;
      const state = currentPin === null ? 'missing' : t.pin === undefined ? 'unapproved' : t.pin === currentPin ? 'approved' : 'changed';
      const definition = found.tools.byName.get(t.name);
      const current = state === 'changed' || state === 'unapproved' ? ((definition as Record<string, unknown> | undefined) ?? null) : null;
      return { ...base, state, currentPin, current, error: null, findings: definition ? await definitionScan.definitionFindings(definition) : null };
    }),
  );
}

const ToolRef = z.strictObject({ upstreamId: Id, name: z.string().min(1).max(128) });

/** Reading and approving what curated tools are pinned to. */
export const virtualMcpPinOperations = (clients: FederationClients) =>
  [
    defineOperation({
      name: 'virtual-mcps.tool-status',
      resource: 'virtual-mcps',
      action: 'tool-status',
      summary:
        'Compare each curated tool of a virtual MCP server with its upstream definition now: approved, changed (withheld until approved), unapproved, missing or unreachable',
      permission: 'read',
      input: z.strictObject({ id: Id }),
      output: z.object({
        items: z.array(ToolStatus),
        /** Each REST tool's operation contract now against the approved one (rest-tool-pins.ts). */
        restTools: z.array(RestToolStatus),
      }),
      http: { method: 'GET', path: '/virtual-mcps/{id}/tool-status' },
      prepare: (input, ctx) => prepareStates(clients, ctx, input.id),
      handler: async (ctx, input, defs: FetchedDefinitions) => {
        const vmcp = await mustGet(repos.virtualMcps, ctx, input.id, 'virtual MCP server');
        return { items: await statesOf(ctx, vmcp, defs), restTools: await restToolStates(ctx, vmcp.restTools) };
      },
    }),
    defineOperation({
      name: 'virtual-mcps.approve-tools',
      resource: 'virtual-mcps',
      action: 'approve-tools',
      summary:
        'Approve the upstream definitions of curated tools, and the operation contracts of REST tools, as they are now (the named tools, or every changed and unapproved one the guardrail scan did not flag: a flagged one must be named), so they are served again',
      permission: 'write',
      input: z.strictObject({
        id: Id,
        tools: z.array(ToolRef).max(5_000).optional(),
        /** REST tools by name. Naming neither list approves every changed and unapproved tool of both kinds the scan did not flag. */
        restTools: z.array(z.string().min(1).max(64)).max(500).optional(),
      }),
      output: VirtualMcp,
      http: { method: 'POST', path: '/virtual-mcps/{id}/approve-tools' },
      prepare: (input, ctx) => prepareStates(clients, ctx, input.id),
      handler: async (ctx, input, fetched: FetchedDefinitions) => {
        const current = await mustGet(repos.virtualMcps, ctx, input.id, 'virtual MCP server');
        const defs = await stillCurrent(
          ctx,
          fetched,
          current.tools.map((t) => t.upstreamId),
        );
        const states = await statesOf(ctx, current, defs);
        // A bulk approval never lets a definition the scan flagged through: an admin names it after reading the findings.
        const bulk = input.tools === undefined && input.restTools === undefined;
        const waiting = (s: { state: string; findings: unknown }) => (s.state === 'changed' || s.state === 'unapproved') && s.findings === null;
        const wanted = input.tools ?? (bulk ? states.filter(waiting) : []);
        const restStates = await restToolStates(ctx, current.restTools);
        const restApprovals = new Map<string, string>();
        for (const name of input.restTools ?? (bulk ? restStates.filter(waiting).map((s) => s.name) : [])) {
          const state = restStates.find((s) => s.name === name);
          if (!state) throw new GatehouseError('GATEHOUSE_VALIDATION_FAILED', `${name} is not a REST tool of this server.`);
          if (state.currentPin === null)
            throw new GatehouseError('GATEHOUSE_VALIDATION_FAILED', `${name}: its operation ${state.operation} is not published or not exposed to MCP.`);
          restApprovals.set(name, state.currentPin);
        }
        const approvals = new Map<string, string>();
        const newlyApproved: Array<{ pin: string; definition: unknown }> = [];
        for (const ref of wanted) {
          const state = states.find((s) => same(s, ref));
          if (!state) throw new GatehouseError('GATEHOUSE_VALIDATION_FAILED', `${ref.name} is not a curated tool of this server.`);
          if (state.currentPin === null)
            throw new GatehouseError('GATEHOUSE_VALIDATION_FAILED', `${ref.name}: its upstream definition could not be read (${state.state}).`);
          approvals.set(`${ref.upstreamId}\n${ref.name}`, state.currentPin);
          if (state.current) newlyApproved.push({ pin: state.currentPin, definition: state.current });
        }
        for (const s of restStates) if (restApprovals.has(s.name) && s.current) newlyApproved.push({ pin: s.currentPin!, definition: s.current });
        await putToolDefinitions(ctx.db, newlyApproved, ctx.now);
        const { id: _i, version: _v, createdAt: _c, updatedAt: _u, ...fields } = current;
        const next = {
          ...fields,
          tools: current.tools.map((t) => ({
            ...t,
            ...(approvals.has(`${t.upstreamId}\n${t.name}`) ? { pin: approvals.get(`${t.upstreamId}\n${t.name}`) } : {}),
          })),
          restTools: current.restTools.map((t) => (restApprovals.has(t.name) ? { ...t, pin: restApprovals.get(t.name) } : t)),
        };
        const updated = await repos.virtualMcps.update(ctx.db, current, next, { key: current.slug }, ctx.now);
        Object.assign(ctx.audit, { resourceId: current.id, before: current, after: updated });
        return updated;
      },
    }),
  ] as const;
