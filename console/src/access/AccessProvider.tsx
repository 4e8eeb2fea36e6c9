import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api, unwrap } from '../api/client';
import type { User } from '../auth/session';
import { ErrorBox } from '../ui/ErrorBox';
import { type Access, AccessContext, type Grant, type Role, mayRun, mayWriteIn } from './access';

const RANK: Record<Role, number> = { viewer: 1, modifier: 2, admin: 3 };

/** Reads the role bindings that name the signed-in user (or a group of theirs), to shape the UI. */
export function AccessProvider({ user, children }: { user: User; children: ReactNode }) {
  const bindings = useQuery({
    queryKey: ['my-grants', user.subject],
    queryFn: () => unwrap(api.GET('/role-bindings', { params: { query: { limit: 500 } } })),
  });
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => unwrap(api.GET('/users', { params: { query: { limit: 500 } } })),
  });
  if (bindings.error) return <ErrorBox error={bindings.error} />;
  if (!bindings.data) return <p className="loading">Loading…</p>;
  const groups = new Set(user.groups);
  const grants: Grant[] = bindings.data.items
    .filter((b) => (b.subject !== undefined && b.subject === user.subject) || (b.group !== undefined && groups.has(b.group)))
    .map((b) => ({ role: b.role, scope: b.scope }));
  const named = users.data?.items.find((u) => u.id === user.subject);
  const role = grants.reduce<Role | 'none'>((best, g) => (best === 'none' || RANK[g.role] > RANK[best] ? g.role : best), 'none');
  const access: Access = {
    user: named ? { ...user, name: named.username } : user,
    grants,
    role,
    can: (op) => mayRun(grants, op),
    canIn: (resource, collectionId) => mayWriteIn(grants, resource, collectionId),
  };
  return <AccessContext.Provider value={access}>{children}</AccessContext.Provider>;
}
