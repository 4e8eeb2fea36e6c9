import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import type { InteropUpstream } from '../support/interop.js';
import { clientCredentialsToken } from '../support/oauth.js';
import { pythonMcpAvailable, startFastMcp } from '../support/python-upstream.js';

/**
 * What real hosts do with a Python FastMCP server (test/support/fastmcp_upstream.py) behind a
 * virtual server, over stdio (the gateway runs it) and Streamable HTTP: clients that declare roots,
 * sampling and elicitation list and call it, a tool that calls `ctx.elicit` (listed to every
 * client) is answered by the caller, and a call the caller cancels is cancelled in the server.
 */

const available = pythonMcpAvailable();
const SCRIPT = new URL('../support/fastmcp_upstream.py', import.meta.url).pathname;
const TOOLS = ['add', 'ask_name', 'call_states', 'echo', 'fail', 'slow_echo', 'wait'];
const CAPABLE = { roots: { listChanged: true }, sampling: {}, elicitation: { form: {} } };

/** The Python executable itself (a version manager's shim needs an environment the gateway's children do not get). */
function pythonExecutable(): string {
  const found = spawnSync(process.env.PYTHON ?? 'python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  return found.stdout.trim();
}

const text = (r: { content?: unknown }) => ((r.content ?? []) as { text?: string }[]).map((c) => c.text ?? '').join('');

describe.skipIf(!available)('a Python FastMCP server whose tools ask their caller, and calls the caller cancels', () => {
  let t: TestGatehouse;
  let http: InteropUpstream;
  let viewer: { clientId: string; clientSecret: string };
  const clients: Client[] = [];
  const asked: string[] = [];
  // A caller that can answer the server's requests runs its stdio calls on a process of its own: the server's processes share their records here.
  const work = mkdtempSync(join(tmpdir(), 'gatehouse-relay-'));

  /** Registers an upstream and a published virtual server curating all of TOOLS. */
  async function curate(slug: string, server: Record<string, unknown>): Promise<void> {
    const created = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: slug, timeoutMs: 120_000, maxResultChars: 100_000, ...server });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const upstreamId = created.body.id as string;
    const virtual = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
      slug,
      name: slug,
      upstreamIds: [upstreamId],
      tools: TOOLS.map((name) => ({ upstreamId, name })),
      published: true,
    });
    expect(virtual.status, JSON.stringify(virtual.body)).toBe(201);
  }

  /** A client of a virtual server: one declaring roots, sampling and elicitation (and answering each), or one declaring nothing. */
  async function connect(slug: string, capable: boolean): Promise<Client> {
    const resource = `${t.gh.urls.proxy}/mcp/v/${slug}`;
    const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...viewer, resource });
    const client = new Client({ name: capable ? 'capable' : 'plain', version: '1' }, capable ? { capabilities: CAPABLE } : {});
    if (capable) {
      client.setRequestHandler('roots/list', async () => ({ roots: [{ uri: 'file:///tmp', name: 'tmp' }] }));
      client.setRequestHandler('sampling/createMessage', async () => ({ role: 'assistant', content: { type: 'text', text: 'sampled' }, model: 'test' }));
      client.setRequestHandler('elicitation/create', async (request) => {
        asked.push(String((request.params as { message?: unknown }).message));
        return { action: 'accept', content: { name: 'Ada' } };
      });
    }
    await client.connect(new StreamableHTTPClientTransport(new URL(resource), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    clients.push(client);
    return client;
  }

  /** What the server recorded of each `wait` call, read through the virtual server. */
  async function states(client: Client): Promise<Record<string, string>> {
    return JSON.parse(text(await client.callTool({ name: 'call_states', arguments: {} }))) as Record<string, string>;
  }

  /** Starts a long `wait`, cancels it once the server runs it, and returns what the server recorded of it. */
  async function cancelled(client: Client, tag: string): Promise<string | undefined> {
    const abort = new AbortController();
    const pending = client.callTool({ name: 'wait', arguments: { seconds: 300, tag } }, { signal: abort.signal, timeout: 300_000 });
    pending.catch(() => undefined);
    await vi.waitFor(async () => expect((await states(client))[tag]).toBe('running'), { timeout: 30_000, interval: 100 });
    abort.abort('the user changed their mind');
    await expect(pending).rejects.toThrow();
    await vi.waitFor(async () => expect((await states(client))[tag]).not.toBe('running'), { timeout: 30_000, interval: 100 });
    return (await states(client))[tag];
  }

  beforeAll(async () => {
    [t, http] = await Promise.all([startTestGatehouse('sqlite', { federationStdio: true }), startFastMcp('stateful')]);
    const sa = await t.serviceAccount('viewer');
    viewer = { clientId: sa.clientId, clientSecret: sa.clientSecret };
    await curate('py-stdio', {
      transport: 'stdio',
      stdio: { command: pythonExecutable(), args: [SCRIPT, 'stdio'], env: { INTEROP_STATE_FILE: join(work, 'states.json') } },
    });
    await curate('py-http', { url: http.url });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await t?.close();
    await http?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('a stdio upstream is listed and called by a client declaring roots, sampling and elicitation; its elicitation reaches that client', async () => {
    const client = await connect('py-stdio', true);
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
    expect(text(await client.callTool({ name: 'echo', arguments: { text: 'over stdio' } }))).toBe('echo: over stdio');
    expect(text(await client.callTool({ name: 'add', arguments: { a: 2, b: 40 } }))).toBe('42');
    asked.length = 0;
    expect(text(await client.callTool({ name: 'ask_name', arguments: {} }))).toBe('hello Ada');
    expect(asked).toEqual(['What is your name?']);
    // The next call reuses the caller's relay child.
    expect(text(await client.callTool({ name: 'ask_name', arguments: {} }))).toBe('hello Ada');
  }, 60_000);

  it('a FastMCP tool that calls ctx.elicit (listed to every client) is answered by a caller that declared elicitation', async () => {
    const client = await connect('py-http', true);
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
    asked.length = 0;
    expect(text(await client.callTool({ name: 'ask_name', arguments: {} }))).toBe('hello Ada');
    expect(asked).toEqual(['What is your name?']);
  }, 60_000);

  it.each([
    ['py-http', false],
    ['py-http', true],
    ['py-stdio', false],
    ['py-stdio', true],
  ] as const)(
    'a call cancelled by its caller is cancelled in the upstream (%s, caller declaring capabilities: %s)',
    async (slug, capable) => {
      const client = await connect(slug, capable);
      expect(await cancelled(client, `${slug}-${capable}`)).toBe('cancelled');
    },
    120_000,
  );
});
