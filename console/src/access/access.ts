import { createContext, useContext } from 'react';
import type { OperationDoc } from '../api/openapi-doc';
import type { User } from '../auth/session';

export type Role = 'viewer' | 'modifier' | 'admin';
export interface Grant {
  role: Role;
  scope: { resourceTypes?: string[]; collectionIds?: string[] };
}

const ACCESS_TYPES = ['role-bindings', 'service-accounts', 'users', 'trusted-idps'];

/**
 * Whether to show a control for an operation: the same rule as the gateway's (src/management/authorize.ts),
 * without the per-collection part, which only the gateway can judge. Hiding is a courtesy: the
 * gateway refuses whatever the caller may not do.
 */
export function mayRun(grants: readonly Grant[], op: Pick<OperationDoc, 'permission' | 'resource'>): boolean {
  if (grants.length === 0) return false;
  if (op.permission === 'read') return true;
  if (grants.some((g) => g.role === 'admin')) return true;
  if (op.permission === 'admin' || ACCESS_TYPES.includes(op.resource)) return false;
  return grants.some((g) => g.role === 'modifier' && (!g.scope.resourceTypes || g.scope.resourceTypes.includes(op.resource)));
}

/** Whether a write inside this collection is within the grants (a modifier may be limited to some collections). */
export function mayWriteIn(grants: readonly Grant[], resource: string, collectionId: string): boolean {
  if (grants.some((g) => g.role === 'admin')) return true;
  return grants.some(
    (g) =>
      g.role === 'modifier' &&
      (!g.scope.resourceTypes || g.scope.resourceTypes.includes(resource)) &&
      (!g.scope.collectionIds || g.scope.collectionIds.includes(collectionId)),
  );
}

export interface Access {
  user: User;
  grants: Grant[];
  /** The strongest role held, for display. */
  role: Role | 'none';
  can(op: Pick<OperationDoc, 'permission' | 'resource'>): boolean;
  canIn(resource: string, collectionId: string): boolean;
}

export const AccessContext = createContext<Access | null>(null);

export function useAccess(): Access {
  const access = useContext(AccessContext);
  if (!access) throw new Error('useAccess outside AccessContext');
  return access;
}

/** Whether the signed-in user may write this resource type inside this collection. */
export function useCanWriteIn(resource: string, collectionId: string): boolean {
  return useAccess().canIn(resource, collectionId);
}

/** Whether the signed-in user may write this resource type (modifier or admin, within scope). */
export function useCanWrite(resource: string): boolean {
  return useAccess().can({ permission: 'write', resource });
}
