import { ApiProxy, GatehouseError, isReservedPath, ProxyInput, ProxyPatch } from '../../core/index.js';
import { checkBasePathFree } from './base-paths.js';
import { crudOperations } from './crud.js';
import { requireRefs, requireWorkflow } from './references.js';
import { repos } from './repos.js';

export const proxyOperations = crudOperations({
  resource: 'proxies',
  noun: 'proxy',
  idPrefix: 'prx',
  basePath: '/proxies',
  declarative: {
    identity: ['basePath'],
    parent: { field: 'collectionId', resource: 'collections' },
    refs: { workflowId: 'workflows', backendCredentialId: 'backend-credentials' },
  },
  create: ProxyInput,
  patch: ProxyPatch,
  output: ApiProxy,
  // Base paths are unique regardless of case, so routing never has to choose.
  keys: (p) => ({ key: p.basePath.toLowerCase(), parentId: p.collectionId, collectionId: p.collectionId }),
  collectionOf: async (_ctx, p) => p.collectionId,
  listFilter: { name: 'collectionId', column: 'collectionId' },
  check: async (ctx, p, current) => {
    if (isReservedPath(p.basePath)) {
      throw new GatehouseError('GATEHOUSE_RESERVED_PATH', `The base path ${p.basePath} is reserved by the gateway.`, [
        { path: 'basePath', message: 'reserved prefix' },
      ]);
    }
    // A collection with proxies cannot be deleted, so one a proxy already names still exists.
    if (current?.collectionId !== p.collectionId) await requireRefs(ctx, repos.collections, 'collectionId', [p.collectionId]);
    await requireWorkflow(ctx, repos.workflows, repos.workflowVersions, p.workflowId, p.workflowVersion);
    await requireRefs(ctx, repos.backendCredentials, 'backendCredentialId', [p.backendCredentialId]);
    // Every proxy is checked against this one when it takes its base path: an update that keeps base path and collection reads no other proxy.
    const moved = !current || current.basePath.toLowerCase() !== p.basePath.toLowerCase() || current.collectionId !== p.collectionId;
    if (moved) await checkBasePathFree(ctx, p.basePath, p.collectionId, current?.id);
  },
  deleteAlsoWrites: ['endpoints'],
  beforeDelete: async (ctx, p) => {
    // Endpoints belong to their proxy and go with it.
    for (const ep of await repos.endpoints.all(ctx.db, { parentId: p.id })) await repos.endpoints.delete(ctx.db, ep.id);
  },
});
