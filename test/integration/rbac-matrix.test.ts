import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatehouseError, type Principal, type Role, type RoleScope } from '../../src/core/index.js';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import type { Permission } from '../../src/management/operation.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

/**
 * The access policy, written down once per operation. The matrix below is generated from the
 * registry, and this table must name every registered operation: a new operation cannot ship
 * without someone deciding who may run it.
 */
const POLICY: Record<string, Permission> = {
  'collections.list': 'read',
  'collections.get': 'read',
  'collections.create': 'write',
  'collections.update': 'write',
  'collections.delete': 'write',
  'collections.publish': 'write',
  'collections.unpublish': 'write',
  'proxies.list': 'read',
  'proxies.get': 'read',
  'proxies.create': 'write',
  'proxies.update': 'write',
  'proxies.delete': 'write',
  'proxies.import-openapi': 'write',
  'backend-credentials.list': 'read',
  'backend-credentials.get': 'read',
  'backend-credentials.create': 'write',
  'backend-credentials.update': 'write',
  'backend-credentials.delete': 'write',
  'endpoints.list': 'read',
  'endpoints.get': 'read',
  'endpoints.create': 'write',
  'endpoints.update': 'write',
  'endpoints.delete': 'write',
  'policies.list': 'read',
  'policies.get': 'read',
  'policies.create': 'write',
  'policies.update': 'write',
  'policies.delete': 'write',
  'clients.list': 'read',
  'clients.get': 'read',
  'clients.create': 'write',
  'clients.update': 'write',
  'clients.delete': 'write',
  'profiles.list': 'read',
  'profiles.get': 'read',
  'profiles.create': 'write',
  'profiles.update': 'write',
  'profiles.delete': 'write',
  'credentials.list': 'read',
  'credentials.issue': 'write',
  'credentials.rotate': 'write',
  'credentials.revoke': 'write',
  'role-bindings.list': 'read',
  'role-bindings.get': 'read',
  'role-bindings.create': 'admin',
  'role-bindings.update': 'admin',
  'role-bindings.delete': 'admin',
  'service-accounts.list': 'read',
  'service-accounts.get': 'read',
  'service-accounts.create': 'admin',
  'service-accounts.rotate-secret': 'admin',
  'service-accounts.delete': 'admin',
  'users.list': 'read',
  'users.create': 'admin',
  'users.delete': 'admin',
  'audit-logs.list': 'read',
  'audit-logs.get': 'read',
  'audit-logs.verify': 'read',
  'metrics.overview': 'read',
  'metrics.status-codes': 'read',
  'metrics.methods': 'read',
  'metrics.top-endpoints': 'read',
  'metrics.error-endpoints': 'read',
  'metrics.timeseries': 'read',
  'request-logs.list': 'read',
  'request-logs.get': 'read',
  'config.export': 'read',
  'config.plan': 'read',
  'config.apply': 'write',
  'config.schema': 'read',
  'workflows.list': 'read',
  'workflows.get': 'read',
  'workflows.create': 'write',
  'workflows.update': 'write',
  'workflows.delete': 'write',
  'workflows.versions': 'read',
  'workflows.rollback': 'write',
  'workflows.validate': 'read',
  'workflows.nodes.list': 'read',
  'workflows.templates.list': 'read',
  'workflows.templates.instantiate': 'write',
  'workflows.nodes.test': 'read',
  'workflows.run': 'read',
};

interface Identity {
  label: string;
  role: Role;
  scope: RoleScope;
}
const IDENTITIES: Identity[] = [
  { label: 'viewer', role: 'viewer', scope: {} },
  { label: 'modifier', role: 'modifier', scope: {} },
  { label: 'modifier(proxies)', role: 'modifier', scope: { resourceTypes: ['proxies'] } },
  { label: 'admin', role: 'admin', scope: {} },
];

/** Types a role scoped to other resource types does not even read (they describe how upstreams are reached). */
const SCOPED_READS = new Set(['backend-credentials']);

function expected(permission: Permission, resource: string, who: Identity): boolean {
  if (permission === 'read') return !SCOPED_READS.has(resource) || who.role === 'admin' || !who.scope.resourceTypes || who.scope.resourceTypes.includes(resource as never);
  if (who.role === 'admin') return true;
  if (permission === 'admin' || who.role === 'viewer') return false;
  return !who.scope.resourceTypes || who.scope.resourceTypes.includes(resource as never);
}

let t: TestGatehouse;
const principals = new Map<string, Principal>();
beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  for (const who of IDENTITIES) {
    const subject = `matrix:${who.label}`;
    await t.gh.executor.execute(
      'role-bindings.create',
      { subject, role: who.role, scope: who.scope },
      { principal: SYSTEM_PRINCIPAL, channel: 'cli', requestId: 'setup', localAdmin: true },
    );
    principals.set(who.label, { subject, name: who.label, kind: 'service', groups: [] });
  }
});
afterAll(async () => t?.close());

describe('RBAC matrix: every registered operation × every role', () => {
  it('the policy table names exactly the registered operations, with their declared permission', () => {
    const registered = Object.fromEntries(t.gh.executor.registry.all().map((op) => [op.name, op.permission]));
    expect(registered).toEqual(POLICY);
  });

  it('each operation allows and denies exactly as the policy says, enforced by the executor', async () => {
    const mismatches: string[] = [];
    for (const op of t.gh.executor.registry.all()) {
      for (const who of IDENTITIES) {
        let denied = false;
        try {
          // Empty input: authorization runs before validation, so anything but 403 means "allowed".
          await t.gh.executor.dispatch(op.name, { id: 'missing' }, { principal: principals.get(who.label)!, channel: 'api', requestId: 'matrix', dryRun: true });
        } catch (err) {
          if (!(err instanceof GatehouseError)) throw err;
          denied = err.code === 'GATEHOUSE_FORBIDDEN';
        }
        // A composite (declarative apply) is open to every role; each of its steps is authorized on its own (below).
        const allow = op.composite === true || expected(POLICY[op.name]!, op.resource, who);
        if (denied === allow) mismatches.push(`${op.name} × ${who.label}: expected ${allow ? 'allow' : 'deny'}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('a declarative apply authorizes each change for the caller: a proxies-only modifier cannot create a collection through it', async () => {
    const document = { collections: [{ slug: 'via-apply', name: 'Via apply' }] };
    const call = (who: string) => ({ principal: principals.get(who)!, channel: 'api' as const, requestId: 'apply' });
    await expect(t.gh.executor.execute('config.apply', { document }, call('modifier(proxies)'))).rejects.toMatchObject({
      code: 'GATEHOUSE_FORBIDDEN',
      message: expect.stringContaining('collections.create'),
    });
    await expect(t.gh.executor.execute('config.apply', { document }, call('viewer'))).rejects.toMatchObject({ code: 'GATEHOUSE_FORBIDDEN' });
    const plan = (await t.gh.executor.execute('config.plan', { document }, call('viewer'))) as { summary: { create: number } };
    expect(plan.summary.create).toBe(1);
    const applied = (await t.gh.executor.execute('config.apply', { document }, call('modifier'))) as { summary: { create: number } };
    expect(applied.summary.create).toBe(1);
  });

  it('an identity with no binding at all is refused everything, reads included', async () => {
    const nobody: Principal = { subject: 'matrix:nobody', name: 'nobody', kind: 'user', groups: [] };
    for (const op of t.gh.executor.registry.all()) {
      await expect(t.gh.executor.dispatch(op.name, {}, { principal: nobody, channel: 'api', requestId: 'x' })).rejects.toMatchObject({
        code: 'GATEHOUSE_FORBIDDEN',
      });
    }
  });

  it('group bindings grant roles to every member of the group', async () => {
    await t.gh.executor.execute(
      'role-bindings.create',
      { group: 'ops', role: 'modifier' },
      { principal: SYSTEM_PRINCIPAL, channel: 'cli', requestId: 'setup', localAdmin: true },
    );
    const member: Principal = { subject: 'someone-new', name: 'someone', kind: 'user', groups: ['ops'] };
    const created = (await t.gh.executor.execute('policies.create', { name: 'by-group' }, { principal: member, channel: 'api', requestId: 'g' })) as { id: string };
    expect(created.id).toMatch(/^pol_/);
  });
});
