import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { tokenRequest } from '../support/oauth.js';
import { rawConnection } from '../support/raw-http.js';

/** What both MCP endpoints do before any MCP processing: Origin and Host rules, oversized bodies. */
let t: TestGatehouse;
let gatewayMcp: string;
let managementMcp: string;
let consumer: Record<string, string>;
let adminMcp: string;

const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
});
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** A POST with exactly these headers (Host included), through node:http so nothing is added or refused client-side. */
function post(url: string, headers: Record<string, string>, body = INIT): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { ...MCP_HEADERS, ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? JSON.parse(text) : text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  t = await startTestGatehouse('sqlite', { bodyLimitBytes: 65_536 });
  gatewayMcp = `${t.gh.urls.proxy}/mcp`;
  managementMcp = `${t.gh.urls.admin}/management/mcp`;
  const cl = (await call(t.api, t.adminToken, 'POST', '/clients', { name: 'Front door' })).body;
  const prof = (await call(t.api, t.adminToken, 'POST', '/profiles', { clientId: cl.id, name: 'p', authType: 'token' })).body;
  const issued = (await call(t.api, t.adminToken, 'POST', `/profiles/${prof.id}/credentials`, {})).body;
  consumer = { authorization: `Bearer ${issued.token}` };
  const sa = await t.serviceAccount('admin');
  const token = await tokenRequest(t.gh.urls.issuer, { grant_type: 'client_credentials', resource: managementMcp, scope: 'gatehouse:management' }, sa);
  adminMcp = token.body.access_token as string;
});
afterAll(async () => t?.close());

describe('Origin and Host (DNS rebinding)', () => {
  it('/mcp accepts its own origin and refuses Origin: null and other local ports', async () => {
    const own = new URL(gatewayMcp).origin;
    expect((await post(gatewayMcp, { ...consumer, origin: own })).status).toBe(200);
    expect((await post(gatewayMcp, consumer)).status).toBe(200);
    // The same loopback listener under another name is the same site.
    expect((await post(gatewayMcp, { ...consumer, origin: `http://localhost:${new URL(gatewayMcp).port}` })).status).toBe(200);
    for (const origin of ['null', 'http://localhost:6274', 'http://127.0.0.1:1', 'https://evil.example']) {
      const res = await post(gatewayMcp, { ...consumer, origin });
      expect([origin, res.status, res.body.error?.code]).toEqual([origin, 403, 'GATEHOUSE_MCP_ORIGIN_DENIED']);
    }
  });

  it('/mcp and /management/mcp refuse a Host the listener does not answer to', async () => {
    const port = new URL(gatewayMcp).port;
    for (const [url, auth] of [
      [gatewayMcp, consumer],
      [managementMcp, { authorization: `Bearer ${adminMcp}` }],
    ] as const) {
      expect((await post(url, { ...auth, host: `localhost:${port}` })).status).toBe(200);
      const rebound = await post(url, { ...auth, host: `attacker.example:${port}` });
      expect([rebound.status, rebound.body.error?.code]).toEqual([403, 'GATEHOUSE_MCP_ORIGIN_DENIED']);
    }
  });

  it('/management/mcp refuses Origin: null and foreign origins, before the token is even looked at', async () => {
    for (const origin of ['null', 'http://localhost:6274']) {
      const res = await post(managementMcp, { authorization: `Bearer ${adminMcp}`, origin });
      expect(res.status).toBe(403);
    }
    expect((await post(managementMcp, { authorization: `Bearer ${adminMcp}`, origin: new URL(managementMcp).origin })).status).toBe(200);
  });
});

describe('oversized bodies', () => {
  for (const which of ['gateway', 'management'] as const) {
    const target = () => (which === 'gateway' ? { url: gatewayMcp, auth: consumer.authorization! } : { url: managementMcp, auth: `Bearer ${adminMcp}` });

    it(`${which}: a declared length over the limit is refused before the body is sent (no 100 Continue)`, async () => {
      const { url, auth } = target();
      const path = new URL(url).pathname;
      const c = rawConnection(
        url,
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nExpect: 100-continue\r\nContent-Length: 10000000\r\n\r\n`,
      );
      const got = await c.until(/GATEHOUSE_BODY_TOO_LARGE/);
      expect(got).toMatch(/^HTTP\/1\.1 413 /);
      expect(got).not.toContain('100 Continue');
      c.socket.destroy();
    });

    it(`${which}: a client that sends the whole oversized body reads the 413, not a broken pipe`, async () => {
      const { url, auth } = target();
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(200_000) } });
      const res = await post(url, { authorization: auth }, body);
      expect([res.status, res.body.error.code]).toEqual([413, 'GATEHOUSE_BODY_TOO_LARGE']);
    });

    it(`${which}: a chunked body that passes the limit gets 413, and a client that keeps sending is cut off`, async () => {
      const { url, auth } = target();
      const path = new URL(url).pathname;
      const c = rawConnection(
        url,
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n`,
      );
      const chunk = Buffer.alloc(8192, 0x61);
      for (let i = 0; i < 16 && !c.socket.destroyed; i++) {
        c.socket.write(`${chunk.length.toString(16)}\r\n`);
        c.socket.write(chunk);
        c.socket.write('\r\n');
        await new Promise((r) => setImmediate(r));
      }
      const got = await c.until(/GATEHOUSE_BODY_TOO_LARGE/);
      expect(got).toMatch(/^HTTP\/1\.1 413 /);
      // The gateway hangs up (a connection it kept would outlive the test's timeout).
      await c.closed;
    });
  }
});

describe('execute_call input schema', () => {
  it('gives params.body a type keyword (strict schema checkers refuse a bare description)', async () => {
    const res = await post(gatewayMcp, consumer, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }));
    const exec = res.body.result.tools.find((tool: { name: string }) => tool.name === 'execute_call');
    expect(exec.inputSchema.properties.params.properties.body.type).toEqual(['object', 'array', 'string', 'number', 'boolean', 'null']);
  });
});
