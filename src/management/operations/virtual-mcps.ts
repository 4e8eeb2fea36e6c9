import { GatehouseError, VirtualMcp, VirtualMcpInput, VirtualMcpPatch } from '../../core/index.js';
import { crudOperations } from './crud.js';
import { expireUnreachable } from './mcp-connection-access.js';
import { requireRefs } from './references.js';
import { virtualMcpContextOperation } from './virtual-mcp-context.js';
import { repos } from './repos.js';
import { pinRestTools } from './rest-tool-pins.js';
import { type FederationClients, pinCurated, prepareCuration, virtualMcpPinOperations } from './virtual-mcp-pins.js';

/** The virtual MCP server operations; curating and approving use `clients` to read upstream definitions. */
export const virtualMcpOperations = (clients: FederationClients) =>
  [
    ...crudOperations({
      resource: 'virtual-mcps',
      noun: 'virtual MCP server',
      idPrefix: 'vmcp',
      basePath: '/virtual-mcps',
      declarative: { identity: ['slug'] },
      create: VirtualMcpInput,
      patch: VirtualMcpPatch,
      output: VirtualMcp,
      keys: (v) => ({ key: v.slug }),
      // Upstream definitions are fetched before the transaction; inside, new tools are pinned to them if still current.
      prepare: (ctx, next, current) => prepareCuration(clients, ctx, next, current),
      // And each new REST tool is pinned to its operation's contract as stored now (rest-tool-pins.ts).
      complete: async (ctx, next, current, fetched) => pinRestTools(ctx, await pinCurated(ctx, next, current, fetched), current),
      check: async (ctx, next) => {
        await requireRefs(ctx, repos.mcpServers, 'upstreamIds', next.upstreamIds);
        // An attached workflow must exist, as a proxy's must.
        await requireRefs(
          ctx,
          repos.workflows,
          'workflows',
          (next.workflows ?? []).map((w) => w.workflowId),
        );
        // A pinned version must be stored, as a proxy's pin must.
        for (const [i, w] of (next.workflows ?? []).entries()) {
          if (w.version !== undefined && !(await repos.workflowVersions.get(ctx.db, `${w.workflowId}@${w.version}`)))
            throw new GatehouseError('GATEHOUSE_REFERENCE_NOT_FOUND', `workflows[${i}].version: workflow ${w.workflowId} has no version ${w.version}.`, [
              { path: `workflows.${i}.version`, message: `unknown version ${w.version}` },
            ]);
        }
      },
      // Whoever the change leaves without a published server composing an upstream loses their connection to it.
      afterWrite: (ctx) => expireUnreachable(ctx),
      afterDelete: (ctx) => expireUnreachable(ctx),
    }),
    ...virtualMcpPinOperations(clients),
    virtualMcpContextOperation(clients),
  ] as const;
