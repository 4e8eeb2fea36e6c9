import { GatehouseError } from '../../core/index.js';
import type { OperationContext } from '../operation.js';
import { repos } from './repos.js';

/**
 * Refuses a base path that equals or nests with a proxy of another collection. Routing picks the
 * longest matching base path, so nesting would let one collection capture (or shadow) another's
 * traffic — and so a modifier scoped to one collection could reach into another.
 */
export async function checkBasePathFree(ctx: OperationContext, basePath: string, collectionId: string, selfId?: string): Promise<void> {
  const mine = basePath.toLowerCase();
  for (const other of await repos.proxies.all(ctx.db)) {
    if (other.id === selfId || other.collectionId === collectionId) continue;
    const theirs = other.basePath.toLowerCase();
    if (mine === theirs || mine.startsWith(`${theirs}/`) || theirs.startsWith(`${mine}/`)) {
      throw new GatehouseError('GATEHOUSE_CONFLICT', `The base path ${basePath} overlaps ${other.basePath}, which belongs to another collection.`, [
        { path: 'basePath', message: `overlaps ${other.basePath} of another collection` },
      ]);
    }
  }
}
