import { z } from 'zod';
import { Collection, CollectionInput, CollectionPatch, Id } from '../../core/index.js';
import { defineOperation } from '../operation.js';
import { crudOperations, mustGet } from './crud.js';
import { refuseInUse } from './references.js';
import { repos } from './repos.js';

function publishOperation<A extends 'publish' | 'unpublish'>(action: A) {
  const published = action === 'publish';
  return defineOperation({
    name: `collections.${action}` as `collections.${A}`,
    resource: 'collections',
    action,
    summary: published ? 'Publish a collection: its endpoints become callable' : 'Unpublish a collection: its endpoints stop answering',
    permission: 'write',
    input: z.strictObject({ id: Id }),
    output: Collection,
    http: { method: 'POST', path: `/collections/{id}/${action}` },
    handler: async (ctx, input) => {
      const current = await mustGet(repos.collections, ctx, input.id, 'collection');
      ctx.requireCollection(current.id);
      const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...rest } = current;
      const updated = await repos.collections.update(ctx.db, current, { ...rest, published }, { key: current.slug }, ctx.now);
      Object.assign(ctx.audit, { resourceId: current.id, before: current, after: updated });
      return updated;
    },
  });
}

export const collectionOperations = [
  ...crudOperations({
    resource: 'collections',
    noun: 'collection',
    idPrefix: 'col',
    basePath: '/collections',
    declarative: { identity: ['slug'] },
    create: CollectionInput,
    patch: CollectionPatch,
    output: Collection,
    keys: (c) => ({ key: c.slug }),
    // A new collection has no id yet, so a collection-scoped modifier cannot create one.
    collectionOf: async (_ctx, c) => ('id' in c ? String(c.id) : ''),
    beforeDelete: async (ctx, c) => {
      refuseInUse('proxies', await repos.proxies.count(ctx.db, { collectionId: c.id }));
      const granted = (await repos.clients.all(ctx.db)).filter((cl) => cl.collectionIds.includes(c.id));
      refuseInUse('clients', granted.length);
    },
  }),
  publishOperation('publish'),
  publishOperation('unpublish'),
] as const;
