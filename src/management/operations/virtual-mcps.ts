import { VirtualMcp, VirtualMcpInput, VirtualMcpPatch } from '../../core/index.js';
import { crudOperations } from './crud.js';
import { requireRefs } from './references.js';
import { repos } from './repos.js';
import { pinCurated, virtualMcpPinOperations } from './virtual-mcp-pins.js';

export const virtualMcpOperations = [
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
    prepare: pinCurated,
    check: (ctx, next) => requireRefs(ctx, repos.mcpServers, 'upstreamIds', next.upstreamIds),
  }),
  ...virtualMcpPinOperations,
] as const;
