import { randomBytes } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { type RunningGatehouse, startGatehouse } from '../../src/node/index.js';
import { freshDatabase, postgresAvailable, type TestDatabase } from '../support/databases.js';
import { ADMIN_PASSWORD } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { clientCredentialsToken } from '../support/oauth.js';
import { type SwitchBalancer, startSwitchBalancer } from '../support/switch-balancer.js';
import { freePort } from '../support/free-port.js';

/**
 * A stateful 2025-era upstream (it keeps a counter per `Mcp-Session-Id`) behind a virtual server
 * served by two gateway nodes on one store, behind one load balancer: a user's next call continues
 * their upstream session whichever node it lands on, and each user has their own.
 */

const text = (r: { content: unknown }) => (r.content as { text?: string }[]).map((c) => c.text ?? '').join('');
const pg = await postgresAvailable();
const dialects = ['sqlite', ...(pg ? ['postgres'] : [])] as Array<'sqlite' | 'postgres'>;

describe.each(dialects)('a stateful upstream continued across two gateway nodes on one %s store', (dialect) => {
  let db: TestDatabase;
  let lb: SwitchBalancer;
  let upstream: TestUpstream;
  const nodes: { gh: RunningGatehouse; port: number }[] = [];
  /** Upstream sessions opened, each with its own counter. */
  let sessionsOpened = 0;
  const users: Record<'ann' | 'bob', Client> = {} as never;
  const on = (i: 0 | 1) => lb.route({ host: '127.0.0.1', port: nodes[i]!.port });
  const increment = async (who: 'ann' | 'bob') => Number(text(await users[who].callTool({ name: 'increment', arguments: {} })));

  beforeAll(async () => {
    upstream = await startStatefulUpstream('counter', (s) => {
      sessionsOpened++;
      let count = 0;
      s.registerTool('increment', { description: 'Counts calls in this session', inputSchema: z.object({}) }, async () => ({
        content: [{ type: 'text', text: String(++count) }],
      }));
    });
    db = await freshDatabase(dialect);
    lb = await startSwitchBalancer();
    // Behind one load balancer, both nodes have its URL: one issuer, one resource for the virtual server.
    const shared = {
      dataDir: db.dataDir,
      ...(dialect === 'postgres' ? { databaseUrl: db.env.GATEHOUSE_DATABASE_URL, databaseSchema: db.env.GATEHOUSE_DATABASE_SCHEMA } : {}),
      publicUrl: lb.url,
      secretKey: randomBytes(32).toString('base64'),
      adminPassword: ADMIN_PASSWORD,
      logLevel: 'silent' as const,
      // The upstreams listen on loopback.
      mcpAllowPrivateUpstreams: true,
    };
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      nodes.push({ gh: await startGatehouse({ ...shared, port }), port });
    }
    const a = nodes[0]!.gh;
    const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'cluster-test', localAdmin: true };
    const run = (op: string, input: unknown) => a.executor.dispatch(op, input, local) as Promise<any>;
    const server = await run('mcp-servers.create', { name: 'counter', url: upstream.url });
    await run('virtual-mcps.create', {
      slug: 'counter',
      name: 'Counter',
      upstreamIds: [server.id],
      tools: [{ upstreamId: server.id, name: 'increment' }],
      published: true,
    });
    const resource = `${lb.url}/mcp/v/counter`;
    on(0);
    for (const who of ['ann', 'bob'] as const) {
      const sa = (await run('service-accounts.create', { name: `agent-${who}`, role: 'viewer', scope: {} })) as {
        serviceAccount: { clientId: string };
        clientSecret: string;
      };
      const token = await clientCredentialsToken({ issuer: a.urls.issuer, clientId: sa.serviceAccount.clientId, clientSecret: sa.clientSecret, resource });
      users[who] = new Client({ name: `client-${who}`, version: '1' });
      await users[who].connect(new StreamableHTTPClientTransport(new URL(resource), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    }
    // Nodes on one SQLite file hear of each other's changes only by comparing config versions (every
    // 2 s): node B serves the virtual server and the role bindings from its snapshot once it has caught up.
    if (dialect === 'sqlite') await new Promise((r) => setTimeout(r, 2_500));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(Object.values(users).map((c) => c.close()));
    for (const n of nodes) await n.gh.close();
    await lb?.close();
    await upstream?.close();
    await db?.drop();
  });

  it("continues a user's upstream session when their next call lands on the other node", async () => {
    on(0);
    expect(await increment('ann')).toBe(1);
    expect(await increment('ann')).toBe(2);
    on(1);
    expect(await increment('ann')).toBe(3);
    on(0);
    expect(await increment('ann')).toBe(4);
  });

  it('keeps each user in their own upstream session', async () => {
    on(1);
    expect(await increment('bob')).toBe(1);
    on(0);
    expect(await increment('bob')).toBe(2);
    expect(await increment('ann')).toBe(5);
  });

  it('when the upstream forgets a session, the user gets one new session that both nodes continue', async () => {
    upstream.forgetSessions();
    const before = sessionsOpened;
    on(1);
    // Node B finds the session gone, opens a new one and records it.
    expect(await increment('ann')).toBe(1);
    on(0);
    // Node A still holds the old one: the upstream refuses it, and A continues the one B recorded.
    expect(await increment('ann')).toBe(2);
    on(1);
    expect(await increment('ann')).toBe(3);
    // One new session for ann; the nodes' own sessions (which read the definitions) may reopen too, but no more for her.
    on(0);
    expect(await increment('bob')).toBe(1);
    expect(sessionsOpened - before).toBeLessThanOrEqual(4);
  });

  it('keeps the session id sealed at rest', async () => {
    const rows = await db.db.selectFrom('mcp_upstream_sessions').select(['key', 'session']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row.session).toMatch(/^v1\./);
  });
});
