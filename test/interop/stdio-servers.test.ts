import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { startGatehouse } from '../../src/node/index.js';
import { freshDatabase, postgresAvailable } from '../support/databases.js';
import { ADMIN_PASSWORD, call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { clientCredentialsToken } from '../support/oauth.js';

/**
 * stdio upstreams: the reference servers people install as programs (server-everything in stdio
 * mode, server-memory, server-filesystem on a temp dir), each called directly over its own stdio
 * and through a virtual server that curates all of it, which the gateway runs as its child. Every
 * call must give the same result both ways, except those listed with the reason.
 */

const pkg = (name: string) => new URL(`../../node_modules/@modelcontextprotocol/${name}/dist/index.js`, import.meta.url).pathname;
const PROBE = new URL('../support/stdio-probe-server.mjs', import.meta.url).pathname;
const NODE = process.execPath;

let t: TestGatehouse;
let work: string;
let viewer: { clientId: string; clientSecret: string };
const direct: Client[] = [];

interface Command {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

const urlOf = (slug: string) => `${t.gh.urls.proxy}/mcp/v/${slug}`;

/** Registers a stdio server as the admin; returns its id. */
async function register(name: string, stdio: Record<string, unknown>): Promise<string> {
  const res = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name, transport: 'stdio', stdio, timeoutMs: 20_000, maxResultChars: 10_000_000 });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/** A client of the program over its own stdio (as an MCP host would run it). */
async function connectDirect(cmd: Command): Promise<Client> {
  const client = new Client({ name: 'direct', version: '1' });
  await client.connect(new StdioClientTransport({ command: cmd.command, args: cmd.args, stderr: 'pipe', ...(cmd.env ? { env: cmd.env } : {}) }));
  direct.push(client);
  return client;
}

/** A virtual server curating everything `listing` offers, and a client of it (a viewer's token). */
async function connectVirtual(slug: string, upstreamId: string, listing: Client): Promise<Client> {
  const caps = listing.getServerCapabilities() ?? {};
  const tools = (await listing.listTools()).tools;
  const prompts = caps.prompts ? (await listing.listPrompts()).prompts : [];
  const resources = caps.resources ? (await listing.listResources()).resources : [];
  const res = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
    slug,
    name: slug,
    upstreamIds: [upstreamId],
    tools: tools.map((tool) => ({ upstreamId, name: tool.name })),
    prompts: prompts.map((p) => ({ upstreamId, name: p.name })),
    resources: resources.map((r) => ({ upstreamId, uri: r.uri })),
    published: true,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...viewer, resource: urlOf(slug) });
  const client = new Client({ name: 'through-gateway', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(urlOf(slug)), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  direct.push(client);
  return client;
}

/** A result as compared: without `_meta` (a transport's business). */
// server-everything stamps its dynamic resources with the time they are read, so the direct and the
// gated call may differ by a second; the clock is masked, the rest compared byte for byte.
const clockTime = /\b\d{1,2}:\d{2}:\d{2}(?: [AP]M)?\b/g;

function comparable(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => (key === '_meta' ? undefined : typeof v === 'string' ? v.replace(clockTime, '<time>') : v)));
}

const text = (r: { content?: unknown }) => ((r.content ?? []) as { text?: string }[]).map((c) => c.text ?? '').join('');

/**
 * Compares one server both ways: its tool definitions, each call of `calls` (in order: stateful
 * servers see the same sequence on each side), every prompt of `prompts` and every resource.
 * Returns the tools never called, so the test can say each one is covered or excused.
 */
async function compare(
  plain: Client,
  gated: Client,
  calls: Array<[string, Record<string, unknown>]>,
  prompts: Array<[string, Record<string, string>]> = [],
): Promise<string[]> {
  const [mine, theirs] = [(await plain.listTools()).tools, (await gated.listTools()).tools];
  const shape = (ts: typeof mine) =>
    ts
      .map((x) => comparable({ name: x.name, description: x.description, inputSchema: x.inputSchema, outputSchema: x.outputSchema }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  expect(shape(theirs)).toEqual(shape(mine));
  // Before the calls: a call may add resources (server-everything's session resources), which are not curated.
  if (plain.getServerCapabilities()?.resources) {
    const listed = (await plain.listResources()).resources;
    expect((await gated.listResources()).resources.map((r) => r.uri).sort()).toEqual(listed.map((r) => r.uri).sort());
    for (const r of listed) expect(comparable(await gated.readResource({ uri: r.uri })), r.uri).toEqual(comparable(await plain.readResource({ uri: r.uri })));
  }
  for (const [name, args] of calls) {
    const a = await plain.callTool({ name, arguments: args });
    const b = await gated.callTool({ name, arguments: args });
    expect(comparable(b), `${name} ${JSON.stringify(args)}`).toEqual(comparable(a));
  }
  for (const [name, args] of prompts) {
    expect(comparable(await gated.getPrompt({ name, arguments: args })), `prompt ${name}`).toEqual(
      comparable(await plain.getPrompt({ name, arguments: args })),
    );
  }
  const called = new Set(calls.map(([name]) => name));
  return mine.map((x) => x.name).filter((n) => !called.has(n));
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gatehouse-stdio-'));
  // The gateway's children must not inherit its environment: this must not reach them.
  process.env.GATEHOUSE_STDIO_TEST_LEAK = 'leaked';
  t = await startTestGatehouse('sqlite', { federationStdio: true });
  const sa = await t.serviceAccount('viewer');
  viewer = { clientId: sa.clientId, clientSecret: sa.clientSecret };
}, 60_000);

afterAll(async () => {
  await Promise.all(direct.map((c) => c.close().catch(() => undefined)));
  await t?.close();
  delete process.env.GATEHOUSE_STDIO_TEST_LEAK;
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the corpus over stdio: directly and through a virtual server, the same results', () => {
  it('@modelcontextprotocol/server-everything (stdio mode)', async () => {
    const cmd = { command: NODE, args: [pkg('server-everything'), 'stdio'] };
    const [plain, id] = await Promise.all([connectDirect(cmd), register('everything-stdio', cmd)]);
    const gated = await connectVirtual('everything-stdio', id, plain);
    const rest = await compare(
      plain,
      gated,
      [
        ['echo', { message: 'hello over stdio' }],
        ['get-sum', { a: 2, b: 40 }],
        ['get-annotated-message', { messageType: 'error' }],
        ['get-annotated-message', { messageType: 'success', includeImage: true }],
        // Both children get the same basic environment (PATH, HOME, …), never the gateway's own.
        ['get-env', {}],
        ['get-resource-links', { count: 2 }],
        ['get-resource-reference', { resourceType: 'Text', resourceId: 1 }],
        ['get-resource-reference', { resourceType: 'Blob', resourceId: 2 }],
        ['get-structured-content', { location: 'Chicago' }],
        ['get-tiny-image', {}],
        ['gzip-file-as-resource', { name: 'hello.gz', data: 'data:text/plain;base64,aGVsbG8gd29ybGQ=', outputType: 'resource' }],
        // Toggled on and off again: each side toggles its own child.
        ['toggle-simulated-logging', {}],
        ['toggle-simulated-logging', {}],
        ['toggle-subscriber-updates', {}],
        ['toggle-subscriber-updates', {}],
        ['trigger-long-running-operation', { duration: 0.2, steps: 2 }],
      ],
      [
        ['simple-prompt', {}],
        ['args-prompt', { city: 'Lyon', state: 'Rhône' }],
        ['completable-prompt', { department: 'Engineering', name: 'Alice' }],
        ['resource-prompt', { resourceType: 'Text', resourceId: '1' }],
      ],
    );
    // Task-augmented calls (the `tasks` capability) are the protocol work of issue 35's other part, not stdio's.
    expect(rest).toEqual(['simulate-research-query']);
  }, 60_000);

  it('@modelcontextprotocol/server-memory (a stateful knowledge graph, its file from plain env)', async () => {
    const env = (file: string) => ({ MEMORY_FILE_PATH: join(work, file) });
    const [plain, id] = await Promise.all([
      connectDirect({ command: NODE, args: [pkg('server-memory')], env: env('direct-memory.jsonl') }),
      register('memory', { command: NODE, args: [pkg('server-memory')], env: env('gateway-memory.jsonl') }),
    ]);
    const gated = await connectVirtual('memory', id, plain);
    const rest = await compare(plain, gated, [
      [
        'create_entities',
        {
          entities: [
            { name: 'Ada', entityType: 'person', observations: ['wrote the first program'] },
            { name: 'Engine', entityType: 'machine', observations: [] },
          ],
        },
      ],
      ['create_relations', { relations: [{ from: 'Ada', to: 'Engine', relationType: 'programmed' }] }],
      ['add_observations', { observations: [{ entityName: 'Engine', contents: ['analytical'] }] }],
      ['read_graph', {}],
      ['search_nodes', { query: 'analytical' }],
      ['open_nodes', { names: ['Ada'] }],
      ['delete_observations', { deletions: [{ entityName: 'Ada', observations: ['wrote the first program'] }] }],
      ['delete_relations', { relations: [{ from: 'Ada', to: 'Engine', relationType: 'programmed' }] }],
      ['delete_entities', { entityNames: ['Engine'] }],
      ['read_graph', {}],
    ]);
    expect(rest).toEqual([]);
  }, 60_000);

  it('@modelcontextprotocol/server-filesystem (on a temp dir)', async () => {
    const root = join(work, 'fs');
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(root, 'a.txt'), 'one\ntwo\nthree\n');
    writeFileSync(join(root, 'sub', 'b.md'), '# b\n');
    writeFileSync(
      join(root, 'dot.png'),
      Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
    );
    writeFileSync(join(root, 'm1.txt'), 'moved by the direct client\n');
    writeFileSync(join(root, 'm2.txt'), 'moved through the gateway\n');
    const cmd = { command: NODE, args: [pkg('server-filesystem'), root] };
    const [plain, id] = await Promise.all([connectDirect(cmd), register('filesystem', cmd)]);
    const gated = await connectVirtual('filesystem', id, plain);
    const at = (p: string) => join(root, p);
    const rest = await compare(plain, gated, [
      ['list_allowed_directories', {}],
      ['list_directory', { path: root }],
      ['list_directory_with_sizes', { path: root, sortBy: 'size' }],
      ['directory_tree', { path: root }],
      ['read_text_file', { path: at('a.txt'), head: 2 }],
      ['read_file', { path: at('a.txt'), tail: 1 }],
      ['read_multiple_files', { paths: [at('a.txt'), at('sub/b.md')] }],
      ['read_media_file', { path: at('dot.png') }],
      ['search_files', { path: root, pattern: '*.md' }],
      ['get_file_info', { path: at('sub/b.md') }],
      // Writes that give the same answer each time: both sides do them in turn.
      ['write_file', { path: at('new.txt'), content: 'written\n' }],
      ['create_directory', { path: at('made/deeper') }],
      ['edit_file', { path: at('a.txt'), edits: [{ oldText: 'two', newText: 'TWO' }], dryRun: true }],
      ['read_text_file', { path: at('new.txt') }],
      // A path outside the allowed directory is refused the same way.
      ['read_text_file', { path: '/etc/hostname' }],
    ]);
    // Not idempotent, so each side moves its own file; through the gateway it moves, as directly.
    expect(rest).toEqual(['move_file']);
    const moved = await gated.callTool({ name: 'move_file', arguments: { source: at('m2.txt'), destination: at('n2.txt') } });
    const movedDirect = await plain.callTool({ name: 'move_file', arguments: { source: at('m1.txt'), destination: at('n1.txt') } });
    expect(text(moved)).toBe(text(movedDirect).replace('m1', 'm2').replace('n1', 'n2'));
  }, 60_000);
});

describe('stdio upstreams: who may register them, and what the child gets', () => {
  it('are refused while the setting is off, with a clear error', async () => {
    const off = await startTestGatehouse('sqlite');
    try {
      const res = await call(off.api, off.adminToken, 'POST', '/mcp-servers', { name: 'x', transport: 'stdio', stdio: { command: NODE, args: [PROBE] } });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('GATEHOUSE_MCP_STDIO_DISABLED');
      expect(res.body.error.message).toContain('GATEHOUSE_FEDERATION_STDIO');
    } finally {
      await off.close();
    }
  }, 30_000);

  it('are for admins only: a modifier (who may register HTTP servers) gets 403', async () => {
    const modifier = await t.serviceAccount('modifier');
    const stdio = await call(t.api, modifier.token, 'POST', '/mcp-servers', { name: 'sneaky', transport: 'stdio', stdio: { command: NODE, args: [PROBE] } });
    expect(stdio.status).toBe(403);
    expect(stdio.body.error.code).toBe('GATEHOUSE_FORBIDDEN');
    const http = await call(t.api, modifier.token, 'POST', '/mcp-servers', { name: 'fine', url: 'http://127.0.0.1:9/mcp' });
    expect(http.status).toBe(201);
    // Nor may a modifier turn an HTTP server into a program.
    const turned = await call(t.api, modifier.token, 'PATCH', `/mcp-servers/${http.body.id}`, {
      transport: 'stdio',
      url: null,
      stdio: { command: NODE, args: [PROBE] },
    });
    expect(turned.status).toBe(403);
  });

  it('refuses bad commands before anything runs: NUL bytes, a relative cwd, a shell-less string is taken as is', async () => {
    for (const stdio of [
      { command: 'node\u0000--eval' },
      { command: NODE, args: ['a\u0000b'] },
      { command: NODE, cwd: 'relative/dir' },
      { command: NODE, env: { 'BAD-NAME': 'x' } },
      { command: '' },
    ]) {
      const res = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: 'bad', transport: 'stdio', stdio });
      expect(res.status, JSON.stringify(stdio)).toBe(400);
      expect(res.body.error.code).toBe('GATEHOUSE_VALIDATION_FAILED');
    }
    const both = await call(t.api, t.adminToken, 'POST', '/mcp-servers', {
      name: 'both',
      transport: 'stdio',
      url: 'http://127.0.0.1:9/mcp',
      stdio: { command: NODE },
    });
    expect(both.status).toBe(400);
    // No shell: a command line in `command` is one executable name, which does not exist.
    const id = await register('shell-words', { command: `${NODE} ${PROBE}; touch ${join(work, 'pwned')}` });
    const res = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
      slug: 'shell-words',
      name: 'x',
      upstreamIds: [id],
      tools: [{ upstreamId: id, name: 'pid' }],
      published: true,
    });
    expect(res.status).toBe(201);
    const status = await call(t.api, t.adminToken, 'GET', `/virtual-mcps/${res.body.id}/tool-status`);
    expect(JSON.stringify(status.body)).toContain('unreachable');
    expect(() => writeFileSync(join(work, 'pwned'), '', { flag: 'wx' })).not.toThrow();
  });

  it('hands the child its secret environment from a backend credential, which no read returns', async () => {
    const SECRET = `stdio-secret-${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 16)}`;
    const cred = await call(t.api, t.adminToken, 'POST', '/backend-credentials', {
      name: 'probe-key',
      type: 'api_key',
      in: 'header',
      param: 'X-Key',
      value: SECRET,
    });
    expect(cred.status, JSON.stringify(cred.body)).toBe(201);
    const id = await register('probe-secrets', {
      command: NODE,
      args: [PROBE],
      env: { PLAIN_SETTING: 'visible' },
      secretEnv: { PROBE_SECRET: { credentialId: cred.body.id } },
    });
    const plain = await connectDirect({ command: NODE, args: [PROBE] });
    const gated = await connectVirtual('probe-secrets', id, plain);
    const sha = (v: string) => createHash('sha256').update(v).digest('hex');
    expect(text(await gated.callTool({ name: 'env_sha256', arguments: { name: 'PROBE_SECRET' } }))).toBe(sha(SECRET));
    expect(text(await gated.callTool({ name: 'env', arguments: { name: 'PLAIN_SETTING' } }))).toBe('PLAIN_SETTING=visible');
    // A child that prints its secret has it cut out, as an echoed header would be.
    expect(text(await gated.callTool({ name: 'env', arguments: { name: 'PROBE_SECRET' } }))).toBe('PROBE_SECRET=[redacted]');
    const names = text(await gated.callTool({ name: 'env_names', arguments: {} })).split(',');
    expect(names).toContain('PATH');
    expect(names).not.toContain('GATEHOUSE_STDIO_TEST_LEAK');
    const got = await call(t.api, t.adminToken, 'GET', `/mcp-servers/${id}`);
    expect(got.body.stdio.secretEnv).toEqual({ PROBE_SECRET: { credentialId: cred.body.id } });
    const listed = await call(t.api, t.adminToken, 'GET', '/mcp-servers');
    const audit = await call(t.api, t.adminToken, 'GET', '/audit-logs?limit=500');
    for (const body of [got.body, listed.body, audit.body, cred.body]) expect(JSON.stringify(body)).not.toContain(SECRET);
    // The credential is in use: it cannot be deleted from under the server.
    expect((await call(t.api, t.adminToken, 'DELETE', `/backend-credentials/${cred.body.id}`)).body.error.code).toBe('GATEHOUSE_IN_USE');
  }, 30_000);
});

describe('stdio upstreams: the supervised child', () => {
  it('restarts a child that crashed, with a growing backoff, and counts it; the next call succeeds', async () => {
    const id = await register('probe-crash', { command: NODE, args: [PROBE] });
    const plain = await connectDirect({ command: NODE, args: [PROBE] });
    const gated = await connectVirtual('probe-crash', id, plain);
    const first = text(await gated.callTool({ name: 'pid', arguments: {} }));
    const crashed = await gated.callTool({ name: 'crash', arguments: {} });
    expect(crashed.isError).toBe(true);
    const second = text(await gated.callTool({ name: 'pid', arguments: {} }));
    expect(second).not.toBe(first);
    let read = await call(t.api, t.adminToken, 'GET', `/mcp-servers/${id}`);
    expect(read.body.process).toMatchObject({ running: true, pid: Number(second), restarts: 1, lastExit: { reason: 'it exited' } });
    // A second crash in a row waits twice as long (250 ms, then 500 ms) before the child runs again.
    await gated.callTool({ name: 'crash', arguments: {} });
    const started = Date.now();
    const third = text(await gated.callTool({ name: 'pid', arguments: {} }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(third).not.toBe(second);
    read = await call(t.api, t.adminToken, 'GET', '/mcp-servers');
    expect(read.body.items.find((s: { id: string }) => s.id === id).process.restarts).toBe(2);
    const metrics = await (await fetch(`${t.gh.urls.admin}/metrics`)).text();
    expect(metrics).toContain('gatehouse_mcp_stdio_restarts_total{server="probe-crash"} 2');
    expect(metrics).toContain('gatehouse_mcp_stdio_running{server="probe-crash"} 1');
  }, 30_000);

  it('kills a child that writes a line over the message limit instead of buffering it; the next call gets a new one', async () => {
    const id = await register('probe-huge', { command: NODE, args: [PROBE] });
    const plain = await connectDirect({ command: NODE, args: [PROBE] });
    const gated = await connectVirtual('probe-huge', id, plain);
    const pid = Number(text(await gated.callTool({ name: 'pid', arguments: {} })));
    const huge = await gated.callTool({ name: 'huge_line', arguments: { mib: 10 } });
    expect(huge.isError).toBe(true);
    await waitUntilGone(pid);
    const read = await call(t.api, t.adminToken, 'GET', `/mcp-servers/${id}`);
    expect(read.body.process.lastExit.reason).toContain('over 8388608 bytes');
    expect(Number(text(await gated.callTool({ name: 'pid', arguments: {} })))).not.toBe(pid);
  }, 30_000);

  it('kills the child when its server is deleted', async () => {
    const id = await register('probe-delete', { command: NODE, args: [PROBE] });
    const plain = await connectDirect({ command: NODE, args: [PROBE] });
    const gated = await connectVirtual('probe-delete', id, plain);
    const pid = Number(text(await gated.callTool({ name: 'pid', arguments: {} })));
    expect(alive(pid)).toBe(true);
    const virtual = await call(t.api, t.adminToken, 'GET', '/virtual-mcps?q=probe-delete');
    expect((await call(t.api, t.adminToken, 'DELETE', `/virtual-mcps/${virtual.body.items[0].id}`)).status).toBe(200);
    expect((await call(t.api, t.adminToken, 'DELETE', `/mcp-servers/${id}`)).status).toBe(200);
    await waitUntilGone(pid);
  }, 30_000);
});

describe('stdio upstreams: node shutdown', () => {
  it('stops every child when the node shuts down', async () => {
    const node = await startTestGatehouse('sqlite', { federationStdio: true });
    let pid = 0;
    try {
      const server = await call(node.api, node.adminToken, 'POST', '/mcp-servers', {
        name: 'probe',
        transport: 'stdio',
        stdio: { command: NODE, args: [PROBE] },
      });
      // Curating reads the tools through the node's child of the server: that starts it.
      const curated = await call(node.api, node.adminToken, 'POST', '/virtual-mcps', {
        slug: 'probe',
        name: 'probe',
        upstreamIds: [server.body.id],
        tools: [{ upstreamId: server.body.id, name: 'pid' }],
      });
      expect(curated.body.tools[0].pin).toMatch(/^sha256:/);
      const read = await call(node.api, node.adminToken, 'GET', `/mcp-servers/${server.body.id}`);
      expect(read.body.process).toMatchObject({ running: true, restarts: 0 });
      pid = read.body.process.pid;
      expect(alive(pid)).toBe(true);
    } finally {
      await node.close();
    }
    expect(alive(pid)).toBe(false);
  }, 30_000);
});

const pg = await postgresAvailable();

describe.skipIf(!pg)('stdio upstreams: two nodes on one PostgreSQL store', () => {
  it('each node runs its own child; deleting the server on one stops the child on both', async () => {
    const db = await freshDatabase('postgres');
    const shared = {
      dataDir: db.dataDir,
      databaseUrl: db.env.GATEHOUSE_DATABASE_URL,
      databaseSchema: db.env.GATEHOUSE_DATABASE_SCHEMA,
      adminPassword: ADMIN_PASSWORD,
      logLevel: 'silent' as const,
      federationStdio: true,
    };
    const nodes = [await startGatehouse({ ...shared, port: 0 }), await startGatehouse({ ...shared, port: 0 })];
    try {
      const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'stdio-nodes', localAdmin: true };
      const run = (node: number, op: string, input: unknown) => nodes[node]!.executor.dispatch(op, input, local) as Promise<any>;
      const server = await run(0, 'mcp-servers.create', { name: 'probe', transport: 'stdio', stdio: { command: NODE, args: [PROBE] } });
      const virtual = await run(0, 'virtual-mcps.create', {
        slug: 'probe',
        name: 'probe',
        upstreamIds: [server.id],
        tools: [{ upstreamId: server.id, name: 'pid' }],
      });
      // Reading the tools' status on the second node reads them through that node's own child.
      expect((await run(1, 'virtual-mcps.tool-status', { id: virtual.id })).items[0].state).toBe('approved');
      const pids = await Promise.all([0, 1].map(async (i) => (await run(i, 'mcp-servers.get', { id: server.id })).process.pid as number));
      expect(pids[0]).not.toBe(pids[1]);
      expect(pids.every(alive)).toBe(true);
      await run(0, 'virtual-mcps.delete', { id: virtual.id });
      await run(0, 'mcp-servers.delete', { id: server.id });
      await Promise.all(pids.map(waitUntilGone));
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
      await db.drop();
    }
  }, 60_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits for a process to be gone (stdin closed, then SIGTERM, then SIGKILL take at most ~4 s). */
async function waitUntilGone(pid: number): Promise<void> {
  const until = Date.now() + 8_000;
  while (alive(pid)) {
    if (Date.now() > until) throw new Error(`process ${pid} still runs`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
