import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import { GatehouseConfig, hashToken } from '../../src/core/index.js';
import { loadSnapshot } from '../../src/gateway/snapshot/compile.js';
import { createSnapshotHolder } from '../../src/gateway/snapshot/holder.js';
import { openManagementPlane } from '../../src/node/plane.js';
import { appendAudit, lockAuditChain } from '../../src/store/repositories/audit.js';
import { ResourceRepository } from '../../src/store/repositories/resources.js';
import { dialects, freshPostgresSchema } from '../support/databases.js';
import { selectCounter } from '../support/select-counter.js';
import { snapshotContent } from '../support/snapshot-content.js';
import { cleanupsAfterAll, LOCAL_ADMIN_CALL } from '../support/local-admin.js';

const call = LOCAL_ADMIN_CALL;
const cleanups = cleanupsAfterAll();

async function node(dialect: 'sqlite' | 'postgres', plugins: KyselyPlugin[] = []) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-incremental-'));
  let database = {};
  if (dialect === 'postgres') {
    const { drop, ...selected } = await freshPostgresSchema();
    database = selected;
    cleanups.push(drop);
  }
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const plane = await openManagementPlane(GatehouseConfig.parse({ dataDir, logLevel: 'silent', ...database }), () => {});
  const db = plugins.reduce((d, plugin) => d.withPlugin(plugin), plane.database.db);
  const holder = await createSnapshotHolder({ db, feed: plane.changes, reconcileMs: 0 });
  plane.applyCommitsWith((change) => holder.apply(change));
  cleanups.push(async () => {
    holder.close();
    await plane.close();
  });
  const run = (op: string, input: unknown): Promise<any> => plane.executor.execute(op as never, input as never, call);
  return { plane, holder, run };
}

describe.each(await dialects())('the live snapshot after each admin change (%s)', (dialect) => {
  it('applies its own writes from the rows they wrote, once, though each arrives twice (feed and after commit): no store read per write', async () => {
    const counter = selectCounter();
    const { plane, run, holder } = await node(dialect, [counter.plugin]);
    await new Promise((r) => setTimeout(r, 200));
    counter.reads = 0;
    for (let i = 0; i < 5; i++) {
      await run('policies.create', { name: `once-${i}`, rateLimits: [{ window: 'second', limit: 5 }] });
      expect([...holder.current().policies.values()].some((p) => p.name === `once-${i}`)).toBe(true);
    }
    const [policy] = [...holder.current().policies.values()].filter((p) => p.name === 'once-0');
    await run('policies.update', { id: policy!.id, rateLimits: [{ window: 'minute', limit: 7 }] });
    await new Promise((r) => setTimeout(r, 200));
    // Applied twice, the second would find its change already built and read the store.
    expect(counter.reads).toBe(0);
    expect(holder.version()).toBe((await plane.database.db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').executeTakeFirstOrThrow()).seq);
    const full = (await loadSnapshot(plane.database.db)).snapshot;
    expect(new Map(holder.current().policies)).toEqual(new Map(full.policies));
  });

  it('reads the store when a change it did not hear of committed before its own (another node, a lost notification)', async () => {
    const { plane, run, holder } = await node(dialect);
    await run('policies.create', { name: 'first', rateLimits: [{ window: 'second', limit: 5 }] });
    // Another node's write: its row and audit entry, with no notification here.
    await plane.database.db.transaction().execute(async (trx) => {
      await lockAuditChain(trx, plane.database.dialect);
      await new ResourceRepository('policies').insert(
        trx,
        'pol_elsewhere',
        { name: 'elsewhere', rateLimits: [] },
        { key: 'elsewhere' },
        new Date().toISOString(),
      );
      const actor = { subject: 'other', name: 'other', kind: 'user' as const };
      const base = {
        time: new Date().toISOString(),
        actor,
        channel: 'cli' as const,
        clientApp: null,
        ip: null,
        action: 'policies.create',
        resourceType: 'policies',
      };
      await appendAudit(trx, { ...base, resourceId: 'pol_elsewhere', outcome: 'success', status: 201, errorCode: null, requestId: 'x', diff: null });
    });
    await run('policies.create', { name: 'second', rateLimits: [{ window: 'second', limit: 5 }] });
    const names = new Set([...holder.current().policies.values()].map((p) => p.name));
    expect(names).toEqual(new Set(['first', 'elsewhere', 'second']));
    expect(new Map(holder.current().policies)).toEqual(new Map((await loadSnapshot(plane.database.db)).snapshot.policies));
  });

  it('reads per write only what its type reaches: a policy create touches neither secrets, approvals nor the MCP rows', async () => {
    // Every query the holder runs, named by its table and, for resources, the types it asks for.
    const reads: string[] = [];
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        const node = args.node as any;
        if (node.kind === 'SelectQueryNode') {
          const table = node.from?.froms?.[0]?.table?.identifier?.name ?? '?';
          const types = JSON.stringify(node.where ?? '').match(/"(virtual-mcps|mcp-servers|role-bindings)"/);
          reads.push(types ? `${table}:mcp` : table);
        }
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const { plane, holder, run } = await node(dialect, [counter]);
    await run('role-bindings.create', { group: 'readers', role: 'viewer' });
    expect(holder.current().mcp.roleHolders.groups.has('readers')).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    reads.length = 0;
    const writes = 10;
    for (let i = 0; i < writes; i++) await run('policies.create', { name: `reach-${i}`, rateLimits: [{ window: 'second', limit: 5 }] });
    await new Promise((r) => setTimeout(r, 100));
    // Before: 8 reads a write (secrets, approvals, credential changes, the MCP rows and their secrets besides the policies); now 4.
    expect(reads.filter((t) => t === 'secrets' || t === 'approvals' || t.endsWith(':mcp'))).toEqual([]);
    expect(reads.length / writes).toBeLessThanOrEqual(4);
    // The parts not read again are the live ones, still equal to a full load.
    const full = (await loadSnapshot(plane.database.db)).snapshot;
    expect(new Map(holder.current().policies)).toEqual(new Map(full.policies));
    expect(holder.current().mcp.roleHolders).toEqual(full.mcp.roleHolders);
    // A change the MCP part depends on arrives as a row like any other (the one compiler's, no re-read of the MCP part) and applies.
    await run('role-bindings.create', { subject: 'local:someone', role: 'viewer' });
    expect(holder.current().mcp.roleHolders).toEqual((await loadSnapshot(plane.database.db)).snapshot.mcp.roleHolders);
  });

  it('equals a full compile from the store after every change, answered once applied', async () => {
    const { plane, holder, run } = await node(dialect);
    const tokens: string[] = [];
    let checked = 0;
    const check = async (what: string) => {
      const full = (await loadSnapshot(plane.database.db)).snapshot;
      const hashes = tokens.map(hashToken);
      expect(snapshotContent(holder.current(), hashes), what).toEqual(snapshotContent(full, hashes));
      checked++;
    };
    const a = await run('collections.create', { slug: 'a', name: 'A', published: true });
    const b = await run('collections.create', { slug: 'b', name: 'B', published: true });
    await check('collections');
    const p1 = await run('proxies.create', { collectionId: a.id, name: 'P1', basePath: '/p1', upstreams: ['http://127.0.0.1:9'] });
    const p2 = await run('proxies.create', { collectionId: b.id, name: 'P2', basePath: '/p2', upstreams: ['http://127.0.0.1:9'] });
    const eps = [];
    for (const path of ['/x', '/y/{id}', '/z']) eps.push(await run('endpoints.create', { proxyId: p1.id, method: 'GET', path }));
    await run('endpoints.create', { proxyId: p2.id, method: 'POST', path: '/w' });
    await check('proxies and endpoints');
    // Answered once applied: the new route is in this node's snapshot when the call returns.
    expect(holder.current().proxies.get('/p1')?.endpoints).toBeDefined();
    const pol = await run('policies.create', { name: 'pol', rateLimits: [{ window: 'second', limit: 5 }] });
    const client = await run('clients.create', { name: 'c', collectionIds: [a.id, b.id], policyId: pol.id });
    const profile = await run('profiles.create', { clientId: client.id, name: 'default', authType: 'token' });
    const issued = await run('credentials.issue', { profileId: profile.id });
    tokens.push(issued.token);
    await check('client, profile, credential');
    expect(holder.current().tokens.find(Buffer.from(hashToken(issued.token), 'hex').toString('latin1'))).toBeGreaterThanOrEqual(0);
    await run('policies.update', { id: pol.id, rateLimits: [{ window: 'second', limit: 7 }] });
    await check('policy update');
    expect(holder.current().profiles.get(profile.id)?.limits?.rules[0]?.limit).toBe(7);
    await run('clients.update', { id: client.id, collectionIds: [a.id] });
    await check('client update');
    await run('profiles.update', { id: profile.id, allowedMethods: ['GET', 'POST'] });
    await check('profile update');
    await run('endpoints.delete', { id: eps[0].id });
    await run('proxies.update', { id: p1.id, timeouts: { connectMs: 1500, responseMs: 20_000 } });
    await check('endpoint delete, proxy update');
    await run('collections.update', { id: a.id, description: 'changed', published: false });
    await check('collection update');
    const wf = await run('workflows.create', { name: 'wf', request: [{ type: 'set_headers', id: 'h', headers: { 'X-A': '1' } }] });
    await run('proxies.update', { id: p1.id, workflowId: wf.id, workflowVersion: null });
    await run('workflows.update', { id: wf.id, description: 'second version' });
    await run('proxies.update', { id: p1.id, workflowId: wf.id, workflowVersion: 1 });
    await check('workflow pinned to an earlier version');
    const second = await run('credentials.issue', { profileId: profile.id });
    tokens.push(second.token);
    await run('credentials.revoke', { id: issued.credential.id });
    await check('credential revoked');
    await run('proxies.delete', { id: p2.id });
    await run('profiles.delete', { id: profile.id });
    await check('proxy and profile deleted');
    expect(holder.current().tokens.profile(holder.current().tokens.find(Buffer.from(hashToken(second.token), 'hex').toString('latin1')))).toBeUndefined();
    expect(checked).toBe(11);
  });
});
