import { GatehouseError, type UpstreamTarget } from '../../core/index.js';

/** The upstream as this caller calls it: a per-user upstream with the caller's own token; others as they are. */
export function personal(upstream: UpstreamTarget, userId: string | null): UpstreamTarget {
  if (!upstream.forUser) return upstream;
  if (userId === null)
    throw new GatehouseError('GATEHOUSE_FORBIDDEN', `${upstream.name} acts as each person with their own account there; a service account cannot use it.`);
  return upstream.forUser(userId);
}
