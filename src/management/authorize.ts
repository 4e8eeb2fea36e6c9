import type { Kysely } from 'kysely';
import { ACCESS_RESOURCE_TYPES, SCOPED_READ_TYPES, type Principal, type ResourceType, type RoleBinding } from '../core/index.js';
import { ResourceRepository } from '../store/repositories/resources.js';
import type { DB } from '../store/schema.js';
import type { Operation } from './operation.js';

/** Types that live inside a collection, so a collection-scoped modifier can write them. */
const COLLECTION_BOUND: readonly ResourceType[] = ['collections', 'proxies', 'endpoints'];

export type Grant = Pick<RoleBinding, 'role' | 'scope'>;

export type Decision = { allowed: false; reason: string } | { allowed: true; collections: 'all' | ReadonlySet<string> };

/**
 * Decides whether these grants allow an operation; the executor is the only caller. An operation
 * that writes several types is allowed only if every type is, and only in the collections every
 * one of them reaches.
 */
export function decide(grants: readonly Grant[], op: Pick<Operation, 'permission' | 'resource' | 'alsoWrites'>): Decision {
  // A person's own sign-in needs no role; its handler proves the change is the caller's.
  if (op.permission === 'self') return { allowed: true, collections: 'all' };
  if (grants.length === 0) return { allowed: false, reason: 'You have no role on this gateway.' };
  if (op.permission === 'own') return { allowed: true, collections: 'all' };
  if (op.permission === 'read') {
    if (
      SCOPED_READ_TYPES.includes(op.resource) &&
      !grants.some((g) => g.role === 'admin' || !g.scope.resourceTypes || g.scope.resourceTypes.includes(op.resource))
    ) {
      return { allowed: false, reason: `Your role does not reach ${op.resource}.` };
    }
    return { allowed: true, collections: 'all' };
  }
  let collections: Allowed = { allowed: true, collections: 'all' };
  for (const resource of [op.resource, ...(op.alsoWrites ?? [])]) {
    const one = decideWrite(grants, op.permission, resource);
    if (!one.allowed) return one;
    collections = intersect(collections, one);
  }
  return collections;
}

function decideWrite(grants: readonly Grant[], permission: Operation['permission'], resource: ResourceType): Decision {
  if (grants.some((g) => g.role === 'admin')) return { allowed: true, collections: 'all' };
  if (permission === 'admin' || ACCESS_RESOURCE_TYPES.includes(resource)) {
    return { allowed: false, reason: 'Only admins manage access.' };
  }
  const fitting = grants.filter((g) => g.role === 'modifier' && (!g.scope.resourceTypes || g.scope.resourceTypes.includes(resource)));
  if (fitting.length === 0) return { allowed: false, reason: `Your role does not allow writing ${resource}.` };
  if (fitting.some((g) => !g.scope.collectionIds)) return { allowed: true, collections: 'all' };
  if (!COLLECTION_BOUND.includes(resource)) {
    return { allowed: false, reason: `Your role is limited to some collections; ${resource} are not inside a collection.` };
  }
  return { allowed: true, collections: new Set(fitting.flatMap((g) => g.scope.collectionIds ?? [])) };
}

type Allowed = Decision & { allowed: true };

function intersect(a: Allowed, b: Allowed): Allowed {
  if (a.collections === 'all') return b;
  if (b.collections === 'all') return a;
  const theirs = b.collections;
  return { allowed: true, collections: new Set([...a.collections].filter((c) => theirs.has(c))) };
}

const bindings = new ResourceRepository<RoleBinding>('role-bindings');

/** The grants bound to a principal's subject or any of its groups. */
export async function grantsFor(db: Kysely<DB>, principal: Principal): Promise<Grant[]> {
  const groups = new Set(principal.groups);
  return (await bindings.all(db))
    .filter((b) => (b.subject !== undefined && b.subject === principal.subject) || (b.group !== undefined && groups.has(b.group)))
    .map((b) => ({ role: b.role, scope: b.scope }));
}
