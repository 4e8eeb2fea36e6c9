import { randomBytes } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { type RunningGatehouse, startGatehouse } from '../../src/node/index.js';
import { freshDatabase, postgresAvailable, type TestDatabase } from '../support/databases.js';
import { startEverything } from '../support/everything-upstream.js';
import { ADMIN_PASSWORD } from '../support/gatehouse.js';
import type { InteropUpstream } from '../support/interop.js';
import { clientCredentialsToken } from '../support/oauth.js';
import { pythonMcpAvailable, startFastMcp } from '../support/python-upstream.js';
import { startSdkV1Upstream } from '../support/sdk-v1-upstream.js';
import { type SwitchBalancer, startSwitchBalancer } from '../support/switch-balancer.js';
import { freePort } from '../support/free-port.js';

/**
 * Two gateway nodes on one PostgreSQL store, behind one load balancer, in front of stateful HTTP
 * upstreams that are killed and restarted mid-session. A caller's upstream session is recorded in the
 * store; after the restart, the node without a client of its own reads that stale record, the other
 * still holds the old session: both must answer the next call, continuing one new session.
 */

const text = (r: { content: unknown; isError?: unknown }) =>
  `${r.isError ? 'tool error ' : ''}${(r.content as { text?: string }[]).map((c) => c.text ?? '').join('')}`;
const pg = await postgresAvailable();
const python = pg && pythonMcpAvailable();

describe.skipIf(!pg)('stateful upstreams restarted under two gateway nodes sharing PostgreSQL', () => {
  let db: TestDatabase;
  let lb: SwitchBalancer;
  const upstreams: Partial<Record<'everything' | 'v1' | 'python', InteropUpstream>> & Record<'everything' | 'v1', InteropUpstream> = {} as never;
  const nodes: { gh: RunningGatehouse; port: number }[] = [];
  const clients: Client[] = [];
  const on = (i: 0 | 1) => lb.route({ host: '127.0.0.1', port: nodes[i]!.port });
  let run: (op: string, input: unknown) => Promise<any>;
  const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'restart-cluster', localAdmin: true };

  /** A new caller (their own service account: their own upstream session) of a virtual server. */
  const caller = async (slug: string) => {
    const resource = `${lb.url}/mcp/v/${slug}`;
    const sa = (await run('service-accounts.create', { name: `agent-${randomBytes(4).toString('hex')}`, role: 'viewer', scope: {} })) as {
      serviceAccount: { clientId: string };
      clientSecret: string;
    };
    const ask = () =>
      clientCredentialsToken({ issuer: nodes[0]!.gh.urls.issuer, clientId: sa.serviceAccount.clientId, clientSecret: sa.clientSecret, resource });
    // The issuer learns of the new account (and of its access to the server) through the change feed a moment later.
    let token = '';
    for (let i = 0; token === ''; i++) {
      try {
        token = await ask();
      } catch (err) {
        if (i >= 50 || !String(err).includes('invalid_target')) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    // The service account's role reaches the other node through the change feed: wait until both admit it.
    for (const n of nodes) {
      await expect
        .poll(
          async () =>
            (
              await fetch(`${n.gh.urls.proxy}/mcp/v/${slug}`, {
                method: 'POST',
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
                body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
              })
            ).status,
          { timeout: 10_000 },
        )
        .not.toBe(403);
    }
    const client = new Client({ name: 'caller', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(resource), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    clients.push(client);
    return async (name: string, args: Record<string, unknown> = {}) => text(await client.callTool({ name, arguments: args }, { timeout: 20_000 }));
  };

  beforeAll(async () => {
    const [everything, v1, py] = await Promise.all([startEverything(), startSdkV1Upstream(), python ? startFastMcp('stateful') : undefined]);
    upstreams.everything = { name: 'everything', ...everything };
    upstreams.v1 = v1;
    if (py) upstreams.python = py;
    db = await freshDatabase('postgres');
    lb = await startSwitchBalancer();
    const shared = {
      dataDir: db.dataDir,
      databaseUrl: db.env.GATEHOUSE_DATABASE_URL,
      databaseSchema: db.env.GATEHOUSE_DATABASE_SCHEMA,
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
    run = (op, input) => nodes[0]!.gh.executor.dispatch(op, input, local) as Promise<any>;
    const everythingServer = await run('mcp-servers.create', { name: 'everything', url: upstreams.everything.url });
    await run('virtual-mcps.create', {
      slug: 'everything',
      name: 'Everything',
      upstreamIds: [everythingServer.id],
      tools: [{ upstreamId: everythingServer.id, name: 'echo' }],
      published: true,
    });
    const v1Server = await run('mcp-servers.create', { name: 'sdk-v1', url: upstreams.v1.url });
    await run('virtual-mcps.create', {
      slug: 'sdk-v1',
      name: 'SDK v1',
      upstreamIds: [v1Server.id],
      tools: [{ upstreamId: v1Server.id, name: 'count' }],
      published: true,
    });
    if (upstreams.python) {
      const pyServer = await run('mcp-servers.create', { name: 'python', url: upstreams.python.url });
      await run('virtual-mcps.create', {
        slug: 'python',
        name: 'Python',
        upstreamIds: [pyServer.id],
        tools: [{ upstreamId: pyServer.id, name: 'echo' }],
        published: true,
      });
    }
    on(0);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    for (const n of nodes) await n.gh.close();
    await lb?.close();
    await Promise.all(Object.values(upstreams).map((u) => u?.close()));
    await db?.drop();
  });

  it('server-everything: every next call succeeds on either node, for its caller and a new one', async () => {
    const echo = await caller('everything');
    on(0);
    expect(await echo('echo', { message: 'before' })).toBe('Echo: before');
    await upstreams.everything.restart();
    // Node B has no client of its own: it reads the recorded session, which the upstream no longer knows.
    on(1);
    expect(await echo('echo', { message: 'after on B' })).toBe('Echo: after on B');
    // Node A still holds the old session.
    on(0);
    expect(await echo('echo', { message: 'after on A' })).toBe('Echo: after on A');
    const fresh = await caller('everything');
    on(1);
    expect(await fresh('echo', { message: 'new caller' })).toBe('Echo: new caller');
    // Either node's reads show what the nodes saw: the re-opened sessions, the last success.
    const [server] = (await run('mcp-servers.list', { limit: 10 })).items.filter((s: { name: string }) => s.name === 'everything');
    const health = () => nodes[1]!.gh.executor.dispatch('mcp-servers.get', { id: server.id }, local) as Promise<{ health: Record<string, unknown> | null }>;
    await expect
      .poll(async () => (await health()).health, { timeout: 8_000 })
      .toMatchObject({ lastReinitializedAt: expect.any(String), lastSuccessAt: expect.any(String), restarts: null });
  }, 60_000);

  it('an SDK v1 server: the caller continues one new session across both nodes after the restart', async () => {
    const count = await caller('sdk-v1');
    on(0);
    expect(await count('count')).toBe('1');
    on(1);
    expect(await count('count')).toBe('2');
    await upstreams.v1.restart();
    on(1);
    expect(await count('count')).toBe('1');
    on(0);
    // A finds its old session gone and continues the one B recorded.
    expect(await count('count')).toBe('2');
    on(1);
    expect(await count('count')).toBe('3');
  }, 60_000);

  it.skipIf(!python)(
    'a Python FastMCP stateful server: every next call succeeds on either node',
    async () => {
      const echo = await caller('python');
      on(0);
      expect(await echo('echo', { text: 'before' })).toBe('echo: before');
      await upstreams.python!.restart();
      on(1);
      expect(await echo('echo', { text: 'after on B' })).toBe('echo: after on B');
      on(0);
      expect(await echo('echo', { text: 'after on A' })).toBe('echo: after on A');
    },
    60_000,
  );
});
