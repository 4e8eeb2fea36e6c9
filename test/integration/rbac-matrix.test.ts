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
  'mcp-servers.list': 'read',
  'mcp-servers.get': 'read',
  'mcp-servers.create': 'write',
  'mcp-servers.update': 'write',
  'mcp-servers.delete': 'write',
  'mcp-servers.probe': 'write',
  'mcp-connections.list': 'read',
  'mcp-connections.revoke': 'write',
  'mcp-connections.mine': 'own',
  'mcp-connections.disconnect': 'own',
  'approvals.list': 'read',
  'approvals.get': 'read',
  'approvals.call': 'read',
  'approvals.approve': 'write',
  'approvals.deny': 'write',
  'virtual-mcps.list': 'read',
  'virtual-mcps.get': 'read',
  'virtual-mcps.create': 'write',
  'virtual-mcps.update': 'write',
  'virtual-mcps.delete': 'write',
  'virtual-mcps.tool-status': 'read',
  'virtual-mcps.approve-tools': 'write',
  'virtual-mcps.context': 'read',
  'virtual-mcps.people': 'read',
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
  'mcp-grants.list': 'read',
  'mcp-grants.get': 'read',
  'mcp-grants.revoke': 'write',
  'role-bindings.list': 'read',
  'role-bindings.get': 'read',
  'role-bindings.create': 'admin',
  'role-bindings.update': 'admin',
  'role-bindings.delete': 'admin',
  'role-bindings.people': 'read',
  'service-accounts.list': 'read',
  'service-accounts.get': 'read',
  'service-accounts.create': 'admin',
  'service-accounts.update': 'admin',
  'service-accounts.rotate-secret': 'admin',
  'service-accounts.delete': 'admin',
  'trusted-idps.list': 'read',
  'trusted-idps.get': 'read',
  'trusted-idps.create': 'admin',
  'trusted-idps.update': 'admin',
  'trusted-idps.delete': 'admin',
  'users.list': 'read',
  'users.create': 'admin',
  'users.update': 'admin',
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
  'metrics.dashboard': 'read',
  'mcp-analytics.query': 'read',
  'request-logs.list': 'read',
  'request-logs.get': 'read',
  'config.export': 'read',
  'config.plan': 'read',
  'config.apply': 'write',
  'config.schema': 'read',
  // Any role reads jobs; the handler shows each caller their own and admins every one.
  'jobs.list': 'read',
  'jobs.get': 'read',
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
  'workflows.templates.attach': 'write',
  'workflows.nodes.test': 'read',
  'workflows.run': 'read',
};

/**
 * Resource types an operation writes besides its own, written down like the policy: an operation
 * that writes several types needs the caller's write permission on every one of them.
 */
const ALSO_WRITES: Record<string, readonly string[]> = {
  'proxies.import-openapi': ['endpoints'],
  'proxies.delete': ['endpoints'],
  'service-accounts.create': ['role-bindings'],
  'service-accounts.delete': ['role-bindings'],
  'users.create': ['role-bindings'],
  'users.update': ['mcp-connections'],
  'users.delete': ['role-bindings', 'mcp-connections'],
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
  { label: 'modifier(endpoints)', role: 'modifier', scope: { resourceTypes: ['endpoints'] } },
  { label: 'modifier(proxies+endpoints)', role: 'modifier', scope: { resourceTypes: ['proxies', 'endpoints'] } },
  { label: 'admin', role: 'admin', scope: {} },
];

/** Types a role scoped to other resource types does not even read (they describe how upstreams are reached, who holds accounts there, and what held calls carry). */
const SCOPED_READS = new Set(['backend-credentials', 'mcp-servers', 'mcp-connections', 'approvals']);

function expected(permission: Permission, resources: readonly string[], who: Identity): boolean {
  const resource = resources[0]!;
  // A person's own things: any role.
  if (permission === 'own') return true;
  if (permission === 'read')
    return !SCOPED_READS.has(resource) || who.role === 'admin' || !who.scope.resourceTypes || who.scope.resourceTypes.includes(resource as never);
  if (who.role === 'admin') return true;
  if (permission === 'admin' || who.role === 'viewer') return false;
  return resources.every((r) => !who.scope.resourceTypes || who.scope.resourceTypes.includes(r as never));
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
    const writes = Object.fromEntries(t.gh.executor.registry.all().flatMap((op) => (op.alsoWrites?.length ? [[op.name, op.alsoWrites]] : [])));
    expect(writes).toEqual(ALSO_WRITES);
  });

  it('each operation allows and denies exactly as the policy says, enforced by the executor', async () => {
    const mismatches: string[] = [];
    for (const op of t.gh.executor.registry.all()) {
      for (const who of IDENTITIES) {
        let denied = false;
        try {
          // Empty input: authorization runs before validation, so anything but 403 means "allowed".
          await t.gh.executor.dispatch(
            op.name,
            { id: 'missing' },
            { principal: principals.get(who.label)!, channel: 'api', requestId: 'matrix', dryRun: true },
          );
        } catch (err) {
          if (!(err instanceof GatehouseError)) throw err;
          denied = err.code === 'GATEHOUSE_FORBIDDEN';
        }
        // A composite (declarative apply) is open to every role; each of its steps is authorized on its own (below).
        const allow = op.composite === true || expected(POLICY[op.name]!, [op.resource, ...(ALSO_WRITES[op.name] ?? [])], who);
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

  it('an operation that writes several types needs every one: a proxies-only modifier cannot create endpoints by importing OpenAPI', async () => {
    const admin = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'setup', localAdmin: true };
    const col = (await t.gh.executor.execute('collections.create', { slug: 'imports', name: 'Imports' }, admin)) as { id: string };
    const document = {
      openapi: '3.1.0',
      info: { title: 'Pets', version: '1' },
      servers: [{ url: 'http://127.0.0.1:9' }],
      paths: { '/pets': { get: { operationId: 'listPets', responses: { '200': { description: 'ok' } } } } },
    };
    const call = (who: string) => ({ principal: principals.get(who)!, channel: 'mcp' as const, requestId: 'import' });
    const input = { collectionId: col.id, document, basePath: '/pets-import/v1' };
    await expect(t.gh.executor.dispatch('proxies.import-openapi', input, call('modifier(proxies)'))).rejects.toMatchObject({
      code: 'GATEHOUSE_FORBIDDEN',
      message: expect.stringContaining('endpoints'),
    });
    await expect(t.gh.executor.dispatch('proxies.import-openapi', input, call('modifier(endpoints)'))).rejects.toMatchObject({ code: 'GATEHOUSE_FORBIDDEN' });
    const proxies = (await t.gh.executor.execute('proxies.list', { collectionId: col.id }, admin)) as { items: unknown[] };
    expect(proxies.items).toEqual([]);
    const done = (await t.gh.executor.dispatch('proxies.import-openapi', input, call('modifier(proxies+endpoints)'))) as { counts: { created: number } };
    expect(done.counts.created).toBe(1);
  });

  it('a type-and-collection scoped modifier imports only into collections it reaches for every type it writes', async () => {
    const admin = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'setup', localAdmin: true };
    const a = (await t.gh.executor.execute('collections.create', { slug: 'scoped-a', name: 'A' }, admin)) as { id: string };
    const b = (await t.gh.executor.execute('collections.create', { slug: 'scoped-b', name: 'B' }, admin)) as { id: string };
    const subject = 'matrix:split';
    // Proxies in A and B, endpoints only in B: an import into A would write endpoints it does not reach.
    await t.gh.executor.execute(
      'role-bindings.create',
      { subject, role: 'modifier', scope: { resourceTypes: ['proxies'], collectionIds: [a.id, b.id] } },
      admin,
    );
    await t.gh.executor.execute('role-bindings.create', { subject, role: 'modifier', scope: { resourceTypes: ['endpoints'], collectionIds: [b.id] } }, admin);
    const split = { principal: { subject, name: 'split', kind: 'service' as const, groups: [] }, channel: 'api' as const, requestId: 'split' };
    const document = {
      openapi: '3.1.0',
      info: { title: 'T', version: '1' },
      servers: [{ url: 'http://127.0.0.1:9' }],
      paths: { '/x': { get: { responses: { '200': { description: 'ok' } } } } },
    };
    await expect(t.gh.executor.dispatch('proxies.import-openapi', { collectionId: a.id, document, basePath: '/split-a/v1' }, split)).rejects.toMatchObject({
      code: 'GATEHOUSE_FORBIDDEN',
    });
    const done = (await t.gh.executor.dispatch('proxies.import-openapi', { collectionId: b.id, document, basePath: '/split-b/v1' }, split)) as {
      counts: { created: number };
    };
    expect(done.counts.created).toBe(1);
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
    const created = (await t.gh.executor.execute('policies.create', { name: 'by-group' }, { principal: member, channel: 'api', requestId: 'g' })) as {
      id: string;
    };
    expect(created.id).toMatch(/^pol_/);
  });
});
