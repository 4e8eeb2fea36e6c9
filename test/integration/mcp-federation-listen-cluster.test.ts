import { randomBytes } from 'node:crypto';
import { Client, StreamableHTTPClientTransport, specTypeSchemas } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { type RunningGatehouse, startGatehouse } from '../../src/node/index.js';
import { freshDatabase, postgresAvailable, type TestDatabase } from '../support/databases.js';
import { type EverythingUpstream, startEverything } from '../support/everything-upstream.js';
import { freePort } from '../support/free-port.js';
import { ADMIN_PASSWORD } from '../support/gatehouse.js';
import { modernRequest } from '../support/modern-request.js';
import { clientCredentialsToken } from '../support/oauth.js';
import { type SwitchBalancer, startSwitchBalancer } from '../support/switch-balancer.js';

/**
 * A caller's streams on one node hear what its upstream session says through another (#52 item 6):
 * server-everything (Streamable HTTP) sends a session's news — resource updates, log messages — on
 * that session's one event stream, which the node that opened the session holds; a caller's next
 * request may land on the other node (sessions are continued through the store), and its own stream
 * may be held by either. Two nodes on one PostgreSQL behind a load balancer the test switches, the
 * news carried by the change feed (PostgreSQL NOTIFY, or Redis): a 2025-era caller's GET stream on
 * node A hears the updates and log messages its session sends after it subscribed, set its level and
 * turned updates on through node B; a 2026-07-28 caller's listen stream on node A hears the updates of
 * a session node B opened. A 2026-07-28 task that asks its caller (`simulate-research-query`,
 * `ambiguous`) is polled on node A, which holds the upstream's `tasks/result`, and answered through
 * node B, which forwards the answers to A; node B lists A's questions too; another user's answers are refused.
 */

const REDIS_URL = process.env.GATEHOUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAvailable(): Promise<boolean> {
  const { Redis } = await import('ioredis');
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000 });
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch (err) {
    if (process.env.CI === 'true') throw new Error(`Redis is required under CI=true (${REDIS_URL}): ${String(err)}`);
    console.warn(`SKIP: Redis not reachable at ${REDIS_URL}; the Redis variant is skipped`);
    return false;
  } finally {
    probe.disconnect();
  }
}

const TASKS = 'io.modelcontextprotocol/tasks';
const WATCHED = 'demo://resource/static/document/architecture.md';
const pg = await postgresAvailable();
const redis = pg && (await redisAvailable());
const feeds = [...(pg ? ['postgres'] : []), ...(redis ? ['redis'] : [])] as Array<'postgres' | 'redis'>;

const Task = z.looseObject({ taskId: z.string(), status: z.string() });
const Empty = z.looseObject({});

/** Resolves with the first notification of `method` the client hears that `matches`, or fails after `ms`. */
function heard<T extends { params?: unknown }>(
  client: Client,
  method: 'notifications/message' | 'notifications/resources/updated',
  matches: (n: T) => boolean,
  ms = 20_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${method} within ${ms} ms`)), ms);
    client.setNotificationHandler(method, (n) => {
      if (!matches(n as T)) return;
      clearTimeout(timer);
      resolve(n as T);
    });
  });
}

describe.each(feeds)("a caller's stream on one node hears its upstream session through the other (change feed over %s)", (feed) => {
  let db: TestDatabase;
  let lb: SwitchBalancer;
  let everything: EverythingUpstream;
  const nodes: { gh: RunningGatehouse; port: number }[] = [];
  const opened: Client[] = [];
  let resource: string;
  const on = (i: 0 | 1) => lb.route({ host: '127.0.0.1', port: nodes[i]!.port });
  let run: (op: string, input: unknown) => Promise<any>;

  /** A token of a service account of its own (its own upstream session). */
  async function token(): Promise<string> {
    const sa = (await run('service-accounts.create', { name: `listener-${randomBytes(4).toString('hex')}`, role: 'viewer', scope: {} })) as {
      serviceAccount: { clientId: string };
      clientSecret: string;
    };
    const ask = () =>
      clientCredentialsToken({ issuer: nodes[0]!.gh.urls.issuer, clientId: sa.serviceAccount.clientId, clientSecret: sa.clientSecret, resource });
    // The issuer may be the other node, which learns of the new account through the change feed a moment later.
    for (let i = 0; ; i++) {
      try {
        return await ask();
      } catch (err) {
        if (i >= 50 || !String(err).includes('invalid_target')) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async function connect(bearer: string, era: 'legacy' | '2026-07-28', capabilities: Record<string, unknown> = {}): Promise<Client> {
    const client = new Client(
      { name: 'listen-cluster', version: '1' },
      { versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: era } }, capabilities },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(resource), { requestInit: { headers: { authorization: `Bearer ${bearer}` } } }));
    opened.push(client);
    return client;
  }

  beforeAll(async () => {
    everything = await startEverything();
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
      mcpAllowPrivateUpstreams: true,
      ...(feed === 'redis' ? { redisUrl: REDIS_URL, redisPrefix: `gh-test-${randomBytes(4).toString('hex')}:` } : {}),
    };
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      nodes.push({ gh: await startGatehouse({ ...shared, port }), port });
    }
    const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'listen-cluster-test', localAdmin: true };
    run = (op, input) => nodes[0]!.gh.executor.dispatch(op, input, local) as Promise<any>;
    const server = await run('mcp-servers.create', { name: 'everything', url: everything.url, timeoutMs: 15_000 });
    await run('virtual-mcps.create', {
      slug: 'everything',
      name: 'Everything',
      upstreamIds: [server.id],
      tools: [
        { upstreamId: server.id, name: 'echo' },
        { upstreamId: server.id, name: 'toggle-subscriber-updates' },
        { upstreamId: server.id, name: 'simulate-research-query' },
      ],
      resources: [{ upstreamId: server.id, uri: 'demo://resource/static/document/{name}' }],
      published: true,
    });
    resource = `${lb.url}/mcp/v/everything`;
  }, 120_000);

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close().catch(() => undefined)));
  });

  afterAll(async () => {
    for (const n of nodes) await n.gh.close();
    await lb?.close();
    await everything?.close();
    await db?.drop();
  });

  it('a 2025-era GET stream on node A hears the log messages and resource updates its session sends after requests through node B', async () => {
    on(0);
    const client = await connect(await token(), 'legacy');
    // Its event stream is held open by node A; every request from now on lands on node B, which opens the caller's upstream session.
    await new Promise((r) => setTimeout(r, 300));
    on(1);
    await client.setLoggingLevel('info');
    // server-everything acknowledges a subscription with a log message on the subscriber's session.
    const logged = heard<{ params: { data: string } }>(client, 'notifications/message', (n) => String(n.params.data).includes(WATCHED));
    const updated = heard<{ params: { uri: string } }>(client, 'notifications/resources/updated', (n) => n.params.uri === WATCHED);
    await client.subscribeResource({ uri: WATCHED });
    expect((await logged).params.data).toContain('Received Subscribe Resource request');
    await client.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
    expect((await updated).params.uri).toBe(WATCHED);
    await client.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
  }, 60_000);

  it('a 2026-07-28 listen stream on node A hears the updates of a session node B opened', async () => {
    const bearer = await token();
    // Node B opens the caller's upstream session (and holds its event stream).
    on(1);
    const first = await connect(bearer, '2026-07-28');
    expect((await first.callTool({ name: 'echo', arguments: { message: 'from B' } })).content).toEqual([{ type: 'text', text: 'Echo: from B' }]);
    // The listen stream opens on node A, which continues that session from the store.
    on(0);
    const client = await connect(bearer, '2026-07-28');
    const updated = heard<{ params: { uri: string } }>(client, 'notifications/resources/updated', (n) => n.params.uri === WATCHED);
    const listening = await client.listen({ resourceSubscriptions: [WATCHED] });
    on(1);
    await first.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
    expect((await updated).params.uri).toBe(WATCHED);
    await first.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
    await listening.close();
  }, 60_000);

  it("a 2026-07-28 task's question, asked on node A, is listed on node B and answered through it; another user's answer is refused", async () => {
    const [bearer, stranger] = await Promise.all([token(), token()]);
    const caps = { extensions: { [TASKS]: {} }, elicitation: { form: {} } };
    on(0);
    const a = await connect(bearer, '2026-07-28', caps);
    on(1);
    const b = await connect(bearer, '2026-07-28', caps);
    const other = await connect(stranger, '2026-07-28', caps);
    // The SDK v2 client does not implement the extension's task creation: the call is sent as a declaring host sends it.
    on(0);
    const created = (
      await modernRequest(resource, bearer, 'tools/call', { name: 'simulate-research-query', arguments: { topic: 'bridges', ambiguous: true } }, caps)
    ).body;
    expect(created.result?.resultType, JSON.stringify(created)).toBe('task');
    const taskId = String(created.result?.taskId);
    type Polled = { status: string; inputRequests?: Record<string, { method: string }>; result?: { content: { text?: string }[] } };
    const get = (client: Client) => client.request({ method: 'tasks/get', params: { taskId } } as never, Task as never) as Promise<Polled>;
    const update = (client: Client, inputResponses: Record<string, unknown>) =>
      client.request({ method: 'tasks/update', params: { taskId, inputResponses } } as never, Empty as never);
    const answered = new Set<string>();
    let asked = 0;
    let polled: Polled = { status: 'working' };
    for (let i = 0; i < 80 && polled.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      on(0);
      polled = await get(a);
      if (polled.status !== 'input_required') continue;
      const fresh = Object.keys(polled.inputRequests ?? {}).filter((key) => !answered.has(key));
      if (fresh.length === 0) continue;
      asked++;
      expect(polled.inputRequests?.[fresh[0]!]?.method).toBe('elicitation/create');
      on(1);
      // Node B, which holds no tasks/result of this task, lists what node A told it.
      let there: Polled = { status: 'working' };
      for (let j = 0; j < 40 && !(fresh[0]! in (there.inputRequests ?? {})); j++) {
        there = await get(b);
        if (!(fresh[0]! in (there.inputRequests ?? {}))) await new Promise((r) => setTimeout(r, 100));
      }
      expect(there.status).toBe('input_required');
      expect(Object.keys(there.inputRequests ?? {})).toEqual(expect.arrayContaining(fresh));
      // Another user cannot answer: the task is not theirs (checked on node B before anything is forwarded).
      await expect(update(other, Object.fromEntries(fresh.map((k) => [k, { action: 'decline' }])))).rejects.toThrow();
      await update(b, Object.fromEntries(fresh.map((k) => [k, { action: 'accept', content: { interpretation: 'historical' } }])));
      for (const k of fresh) answered.add(k);
    }
    expect(asked).toBeGreaterThan(0);
    expect(polled.status).toBe('completed');
    // The answer given through node B is the one the task used (a decline would have ended it otherwise).
    expect(polled.result?.content.map((c) => c.text).join('\n')).toContain('# Research Report: bridges (historical)');
  }, 60_000);

  it('a 2025-era task created on node A is listed on node B by the id its call answered, and fetched there', async () => {
    const bearer = await token();
    on(0);
    const a = await connect(bearer, 'legacy');
    const created = (await a.request(
      { method: 'tools/call', params: { name: 'simulate-research-query', arguments: { topic: 'tunnels' }, task: { ttl: 60_000 } } } as never,
      specTypeSchemas.CreateTaskResult as never,
    )) as { task: { taskId: string } };
    const taskId = created.task.taskId;
    on(1);
    const b = await connect(bearer, 'legacy');
    // Node A tells node B the binding over the change feed: B lists the task by the same id once it has heard.
    let listed: string[] = [];
    for (let i = 0; i < 50 && !listed.includes(taskId); i++) {
      listed = (
        (await b.request({ method: 'tasks/list', params: {} } as never, specTypeSchemas.ListTasksResult as never)) as { tasks: { taskId: string }[] }
      ).tasks.map((t) => t.taskId);
      if (!listed.includes(taskId)) await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed).toContain(taskId);
    const status = async () => ((await b.request({ method: 'tasks/get', params: { taskId } } as never, Task as never)) as z.infer<typeof Task>).status;
    for (let i = 0; i < 80 && (await status()) !== 'completed'; i++) await new Promise((r) => setTimeout(r, 250));
    const report = (await b.request({ method: 'tasks/result', params: { taskId } } as never, specTypeSchemas.CallToolResult as never)) as {
      content: { text?: string }[];
    };
    expect(report.content.map((c) => c.text).join('\n')).toContain('# Research Report: tunnels');
  }, 60_000);
});
