import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { type RunningGatehouse, startGatehouse } from '../../src/node/index.js';
import { freshDatabase, postgresAvailable, type TestDatabase } from '../support/databases.js';
import { ADMIN_PASSWORD } from '../support/gatehouse.js';
import { startEchoUpstream, type EchoUpstream, WORKFLOW_API } from './workflow-fixtures.js';

/**
 * Two gateway nodes on one PostgreSQL store: an approval decided on one node reaches the other
 * through the change feed within a second (no store read on the call path), and it is spent once
 * across the cluster — the node that did not spend it holds the next identical call again.
 */

const pg = await postgresAvailable();
if (!pg) console.warn('SKIP: PostgreSQL is not available; the two-node approval test is skipped');

describe.skipIf(!pg)('approvals across two nodes on one PostgreSQL store', () => {
  let db: TestDatabase;
  let upstream: EchoUpstream;
  const nodes: RunningGatehouse[] = [];
  let token = '';
  const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'cluster-approvals', localAdmin: true };

  beforeAll(async () => {
    upstream = await startEchoUpstream('stable');
    db = await freshDatabase('postgres');
    const shared = {
      dataDir: db.dataDir,
      databaseUrl: db.env.GATEHOUSE_DATABASE_URL,
      databaseSchema: db.env.GATEHOUSE_DATABASE_SCHEMA,
      secretKey: randomBytes(32).toString('base64'),
      adminPassword: ADMIN_PASSWORD,
      logLevel: 'silent' as const,
    };
    for (let i = 0; i < 2; i++) nodes.push(await startGatehouse({ ...shared, port: 0 }));
    const run = (op: string, input: unknown) => nodes[0]!.executor.dispatch(op, input, local) as Promise<any>;
    const col = await run('collections.create', { slug: 'wf', name: 'Workflow tests', published: true });
    const imported = await run('proxies.import-openapi', { collectionId: col.id, document: WORKFLOW_API, basePath: '/wf/v1', upstreams: [upstream.url] });
    const client = await run('clients.create', { name: 'Partner', collectionIds: [col.id] });
    const profile = await run('profiles.create', { clientId: client.id, name: 'token', authType: 'token' });
    token = (await run('credentials.issue', { profileId: profile.id })).token;
    const wf = await run('workflows.create', {
      name: 'held',
      request: [{ type: 'tool_policy', id: 'hold', rules: [{ when: 'tool.method == "POST"', decision: 'approval' }] }],
      bodyLimitBytes: 65_536,
    });
    await run('proxies.update', { id: imported.proxy.id, workflowId: wf.id, workflowVersion: null });
  }, 120_000);

  afterAll(async () => {
    for (const n of nodes) await n.close();
    await upstream?.close();
    await db?.drop();
  });

  const post = async (node: number, body: unknown) => {
    const res = await fetch(`${nodes[node]!.urls.proxy}/wf/v1/items`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('decided on one node, passes once on the other within a second, then is held again on either', async () => {
    const args = { name: 'crate', qty: 7 };
    // Wait for node 1 to have the workflow (it arrives through the change feed too).
    let held = await post(1, args);
    for (let i = 0; i < 50 && held.status !== 403; i++) {
      await new Promise((r) => setTimeout(r, 100));
      held = await post(1, args);
    }
    expect(held.body.error.code).toBe('GATEHOUSE_APPROVAL_REQUIRED');
    const id = held.body.error.details.approvalId;
    await nodes[0]!.executor.dispatch('approvals.approve', { id }, local);
    // The approval reaches node 1 through the change feed: a few calls, not a reconcile poll's seconds.
    let passed = await post(1, args);
    for (let i = 0; i < 50 && passed.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 20));
      passed = await post(1, args);
    }
    expect(passed.status).toBe(200);
    // Node 0 learnt of the approval too, but it is spent: the store's conditional update says so.
    const again = await post(0, args);
    expect(again.body.error.code).toBe('GATEHOUSE_APPROVAL_REQUIRED');
    expect(again.body.error.details.approvalId).not.toBe(id);
  });
});
