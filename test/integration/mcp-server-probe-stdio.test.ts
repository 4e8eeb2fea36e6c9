import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { clientCredentialsToken } from '../support/oauth.js';

const PROBE = new URL('../support/stdio-probe-server.mjs', import.meta.url).pathname;
const NODE = process.execPath;
const SECRET = `sealed-${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 16)}`;
const sha = (v: string) => createHash('sha256').update(v).digest('hex');

/** Whether a process of this id still exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// `mcp-servers.probe` of a stdio server (the console's "Test connection", and the builder's tool
// list): the program started for the probe alone, bounded, stopped before the answer; and a stdio
// server's secret environment typed as values (`sealedEnv`), sealed and never returned.
describe('testing a stdio MCP server, and its sealed environment', () => {
  let t: TestGatehouse;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'gatehouse-stdio-probe-'));
    t = await startTestGatehouse('sqlite', { federationStdio: true });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('is refused while stdio upstreams are off, and the error names the setting', async () => {
    const off = await startTestGatehouse('sqlite');
    try {
      const res = await call(off.api, off.adminToken, 'POST', '/mcp-servers/probe', { name: 'x', transport: 'stdio', stdio: { command: NODE, args: [PROBE] } });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('GATEHOUSE_MCP_STDIO_DISABLED');
      expect(res.body.error.message).toContain('GATEHOUSE_FEDERATION_STDIO');
    } finally {
      await off.close();
    }
  }, 30_000);

  it('starts the program of settings not saved, lists its tools, and stops it before answering', async () => {
    const pidFile = join(work, 'unsaved.pid');
    const res = await call(t.api, t.adminToken, 'POST', '/mcp-servers/probe', {
      name: 'probe',
      transport: 'stdio',
      stdio: { command: NODE, args: [PROBE], env: { PROBE_PID_FILE: pidFile } },
      sealedEnv: { PROBE_SECRET: SECRET },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ reachable: true, error: null, serverInfo: { name: 'stdio-probe' } });
    expect(res.body.tools.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['pid', 'env', 'env_sha256']));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
    // Nothing saved, and the audit entry holds no secret.
    expect((await call(t.api, t.adminToken, 'GET', '/mcp-servers')).body.items).toEqual([]);
    const audit = await call(t.api, t.adminToken, 'GET', '/audit-logs?action=mcp-servers.probe');
    expect(audit.body.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit.body)).not.toContain(SECRET);
  });

  it('answers a program that cannot start, exits, or never answers with why (its stderr included), and leaves nothing running', async () => {
    const probe = (stdio: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      call(t.api, t.adminToken, 'POST', '/mcp-servers/probe', { name: 'broken', transport: 'stdio', stdio, ...extra });
    const missing = await probe({ command: join(work, 'no-such-program') });
    expect(missing.status).toBe(200);
    expect(missing.body).toMatchObject({ reachable: false, error: { code: 'GATEHOUSE_MCP_UPSTREAM_ERROR' }, tools: [] });
    expect(missing.body.error.message).toContain('ENOENT');
    const exits = await probe({ command: NODE, args: ['-e', 'process.stderr.write("missing config: set API_URL\\n"); process.exit(2)'] });
    expect(exits.body).toMatchObject({ reachable: false, error: { code: 'GATEHOUSE_MCP_UPSTREAM_ERROR' } });
    expect(exits.body.error.message).toContain('missing config: set API_URL');
    const pidFile = join(work, 'silent.pid');
    const silent = await probe(
      { command: NODE, args: ['-e', `require("fs").writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`] },
      { timeoutMs: 1_000 },
    );
    expect(silent.body).toMatchObject({ reachable: false, error: { code: 'GATEHOUSE_UPSTREAM_TIMEOUT' } });
    expect(alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('is for admins before the server is saved; a modifier may test a saved one', async () => {
    const modifier = await t.serviceAccount('modifier');
    const unsaved = await call(t.api, modifier.token, 'POST', '/mcp-servers/probe', {
      name: 'sneaky',
      transport: 'stdio',
      stdio: { command: NODE, args: [PROBE] },
    });
    expect(unsaved.status).toBe(403);
    expect(unsaved.body.error.code).toBe('GATEHOUSE_FORBIDDEN');
    const saved = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: 'saved-probe', transport: 'stdio', stdio: { command: NODE, args: [PROBE] } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const byId = await call(t.api, modifier.token, 'POST', '/mcp-servers/probe', { id: saved.body.id });
    expect(byId.status).toBe(200);
    expect(byId.body.reachable).toBe(true);
    expect(await call(t.api, t.adminToken, 'DELETE', `/mcp-servers/${saved.body.id}`)).toMatchObject({ status: 200 });
  });

  it('seals sealedEnv values: the child gets them, no read returns them, an update keeps or replaces them', async () => {
    const created = await call(t.api, t.adminToken, 'POST', '/mcp-servers', {
      name: 'sealed',
      transport: 'stdio',
      stdio: { command: NODE, args: [PROBE], env: { PLAIN_SETTING: 'visible' } },
      sealedEnv: { PROBE_SECRET: SECRET },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.sealedEnvNames).toEqual(['PROBE_SECRET']);
    const id = created.body.id as string;
    // A name in two places is refused; sealedEnv is for stdio servers only.
    const twice = await call(t.api, t.adminToken, 'PATCH', `/mcp-servers/${id}`, { sealedEnv: { PLAIN_SETTING: 'x' } });
    expect(twice.status).toBe(400);
    const http = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: 'h', url: 'http://127.0.0.1:9/mcp', sealedEnv: { A: 'b' } });
    expect(http.status).toBe(400);

    const vmcp = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
      slug: 'sealed',
      name: 'sealed',
      upstreamIds: [id],
      tools: ['env', 'env_sha256'].map((name) => ({ upstreamId: id, name })),
      published: true,
    });
    expect(vmcp.status, JSON.stringify(vmcp.body)).toBe(201);
    const url = `${t.gh.urls.proxy}/mcp/v/sealed`;
    const sa = await t.serviceAccount('viewer');
    const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, clientId: sa.clientId, clientSecret: sa.clientSecret, resource: url });
    const client = new Client({ name: 'sealed-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    const text = async (name: string, variable: string) => {
      const out = await client.callTool({ name, arguments: { name: variable } });
      return (out.content as Array<{ text: string }>)[0]!.text;
    };
    try {
      expect(await text('env_sha256', 'PROBE_SECRET')).toBe(sha(SECRET));
      // A child that prints its secret has it cut out.
      expect(await text('env', 'PROBE_SECRET')).toBe('PROBE_SECRET=[redacted]');
      expect(await text('env', 'PLAIN_SETTING')).toBe('PLAIN_SETTING=visible');
      // A change of other settings keeps the sealed values; a new set replaces them (and restarts the child).
      expect((await call(t.api, t.adminToken, 'PATCH', `/mcp-servers/${id}`, { description: 'kept' })).status).toBe(200);
      await expect.poll(() => text('env_sha256', 'PROBE_SECRET')).toBe(sha(SECRET));
      const replaced = await call(t.api, t.adminToken, 'PATCH', `/mcp-servers/${id}`, { sealedEnv: { PROBE_SECRET: `${SECRET}-2` } });
      expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
      await expect.poll(() => text('env_sha256', 'PROBE_SECRET')).toBe(sha(`${SECRET}-2`));
      const removed = await call(t.api, t.adminToken, 'PATCH', `/mcp-servers/${id}`, { sealedEnv: null });
      expect(removed.body.sealedEnvNames).toEqual([]);
      await expect.poll(() => text('env', 'PROBE_SECRET')).toBe('PROBE_SECRET=(unset)');
    } finally {
      await client.close();
    }
    const got = await call(t.api, t.adminToken, 'GET', `/mcp-servers/${id}`);
    const listed = await call(t.api, t.adminToken, 'GET', '/mcp-servers');
    const audit = await call(t.api, t.adminToken, 'GET', '/audit-logs?limit=500');
    for (const body of [created.body, got.body, listed.body, audit.body]) expect(JSON.stringify(body)).not.toContain(SECRET);
  }, 60_000);
});
