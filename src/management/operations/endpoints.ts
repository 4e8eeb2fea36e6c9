import { Endpoint, EndpointInput, EndpointPatch } from '../../core/index.js';
import type { OperationContext } from '../operation.js';
import { crudOperations, mustGet } from './crud.js';
import { requireWorkflow } from './references.js';
import { repos } from './repos.js';

async function collectionOfProxy(ctx: OperationContext, proxyId: string): Promise<string> {
  return (await mustGet(repos.proxies, ctx, proxyId, 'proxy')).collectionId;
}

export const endpointOperations = crudOperations({
  resource: 'endpoints',
  noun: 'endpoint',
  idPrefix: 'ep',
  basePath: '/endpoints',
  declarative: { identity: ['method', 'path'], parent: { field: 'proxyId', resource: 'proxies' }, refs: { workflowId: 'workflows' } },
  collectionPath: '/proxies/{proxyId}/endpoints',
  create: EndpointInput,
  patch: EndpointPatch,
  output: Endpoint,
  keys: (e) => ({ key: `${e.proxyId} ${e.method} ${e.path}`, parentId: e.proxyId }),
  collectionOf: (ctx, e) => collectionOfProxy(ctx, e.proxyId),
  check: async (ctx, e) => requireWorkflow(ctx, repos.workflows, repos.workflowVersions, e.workflowId, e.workflowVersion),
  listFilter: { name: 'proxyId', column: 'parentId' },
});
