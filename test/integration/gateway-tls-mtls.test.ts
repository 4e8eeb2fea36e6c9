import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, rootCertificates } from 'node:tls';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Agent, fetch as undiciFetch, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, type Issued, type TestCa } from '../support/certs.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

/** The gateway's own TLS listener, and `mtls` caller profiles over real TLS: REST and /mcp. */

let t: TestGatehouse;
let upstream: SampleUpstream;
let serverCa: TestCa;
let partnerCa: TestCa;
let otherCa: TestCa;
let dir: string;
const certs = {} as Record<
  'listener' | 'listener2' | 'good' | 'next' | 'subject' | 'unknown' | 'expired' | 'wrongCa' | 'chained' | 'chainedLeafOnly' | 'chainedWrongRoot',
  Issued
>;
const previousDispatcher = getGlobalDispatcher();
const agents: Agent[] = [];

/** An agent that trusts the listener's CA and presents `cert`, if any. */
function agentWith(cert?: Issued): Agent {
  const agent = new Agent({ connect: { ca: [...rootCertificates, serverCa.cert], ...(cert ? { cert: cert.cert, key: cert.key } : {}) } });
  agents.push(agent);
  return agent;
}

async function get(cert: Issued | undefined, path = '/partners/v1/orders'): Promise<{ status: number; body: any }> {
  const res = await undiciFetch(`${t.gh.urls.proxy}${path}`, { dispatcher: agentWith(cert) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

function fingerprintOf(cert: Issued): string {
  return new X509Certificate(cert.cert).fingerprint256;
}

async function admin(method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(t.api, t.adminToken, method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

beforeAll(async () => {
  serverCa = createTestCa('Listener CA');
  partnerCa = createTestCa('Partner CA');
  otherCa = createTestCa('Other CA');
  certs.listener = serverCa.server('gateway.test');
  certs.listener2 = serverCa.server('gateway-renewed.test');
  certs.good = partnerCa.client('partner-a');
  certs.next = partnerCa.client('partner-a-next');
  certs.subject = partnerCa.client('partner-b');
  certs.unknown = partnerCa.client('stranger');
  certs.expired = partnerCa.client('partner-old', { expired: true });
  certs.wrongCa = otherCa.client('partner-b');
  // Issued by an intermediate CA that the partner's root signed; the caller sends leaf + intermediate.
  certs.chained = partnerCa.intermediate('Partner Issuing CA').client('partner-c');
  certs.chainedLeafOnly = { cert: certs.chained.cert.split(/(?<=-----END CERTIFICATE-----\n)/)[0]!, key: certs.chained.key };
  certs.chainedWrongRoot = otherCa.intermediate('Other Issuing CA').client('partner-c');
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-tls-'));
  writeFileSync(join(dir, 'tls.crt'), certs.listener.cert);
  writeFileSync(join(dir, 'tls.key'), certs.listener.key);
  // The test's own fetches (admin API, login) trust the listener's CA.
  setGlobalDispatcher(new Agent({ connect: { ca: [...rootCertificates, serverCa.cert] } }));
  upstream = await startUpstream();
  t = await startTestGatehouse('sqlite', { tls: { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') } });
  const collection = await admin('POST', '/collections', { slug: 'partners', name: 'Partners', published: true });
  const proxy = await admin('POST', '/proxies', { collectionId: collection.id, name: 'orders', basePath: '/partners/v1', upstreams: [upstream.url] });
  await admin('POST', `/proxies/${proxy.id}/endpoints`, { method: 'GET', path: '/orders', summary: 'List orders' });
  const client = await admin('POST', '/clients', { name: 'Acme', collectionIds: [collection.id] });
  const yesterday = new Date(Date.now() - 86_400_000).toISOString();
  const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString();
  await admin('POST', '/profiles', {
    clientId: client.id,
    name: 'by-fingerprint',
    authType: 'mtls',
    mtls: {
      caCertificates: partnerCa.cert,
      fingerprints: [
        { sha256: fingerprintOf(certs.good), expiresAt: nextWeek },
        { sha256: fingerprintOf(certs.next) },
        { sha256: fingerprintOf(certs.expired) },
        // Rotated out yesterday: its certificate is still valid, but no longer this profile's.
        { sha256: fingerprintOf(certs.unknown).replace(/:/g, ''), expiresAt: yesterday },
      ],
    },
  });
  await admin('POST', '/profiles', {
    clientId: client.id,
    name: 'by-subject',
    authType: 'mtls',
    mtls: { caCertificates: partnerCa.cert, subjects: ['CN=partner-b'] },
  });
  await admin('POST', '/profiles', {
    clientId: client.id,
    name: 'via-intermediate',
    authType: 'mtls',
    mtls: { caCertificates: partnerCa.cert, subjects: ['CN=partner-c'] },
  });
});

afterAll(async () => {
  await t?.close();
  await upstream?.close();
  await Promise.all(agents.map((a) => a.close()));
  setGlobalDispatcher(previousDispatcher);
  for (const ca of [serverCa, partnerCa, otherCa]) ca?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the gateway’s TLS listener and mtls profiles', () => {
  it('serves https, and admits callers whose certificate a profile recognizes (by fingerprint or subject)', async () => {
    expect(t.gh.urls.proxy).toMatch(/^https:/);
    expect((await get(certs.good)).status).toBe(200);
    expect((await get(certs.next)).status).toBe(200);
    expect((await get(certs.subject)).status).toBe(200);
  });

  it('follows intermediate CAs the caller sends up to the root a profile trusts, and nothing else', async () => {
    expect(certs.chained.cert.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect((await get(certs.chained)).status).toBe(200);
    for (const which of ['chainedLeafOnly', 'chainedWrongRoot'] as const) {
      const res = await get(certs[which]);
      expect(res.status, which).toBe(401);
      expect(res.body.error.message, which).toMatch(/not issued by a CA/);
    }
  });

  it('answers 401 with its own code for no, unknown, expired, rotated-out and wrong-CA certificates, and never reaches the upstream', async () => {
    const before = upstream.requests;
    const none = await get(undefined);
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('GATEHOUSE_CLIENT_CERTIFICATE_REQUIRED');
    for (const [which, why] of [
      ['unknown', /rotated out/],
      ['expired', /expired/],
      ['wrongCa', /not issued by a CA/],
    ] as const) {
      const res = await get(certs[which]);
      expect(res.status, which).toBe(401);
      expect(res.body.error.code, which).toBe('GATEHOUSE_CLIENT_CERTIFICATE_INVALID');
      expect(res.body.error.message, which).toMatch(why);
    }
    const stranger = await get(otherCa.client('nobody'));
    expect(stranger.body.error.message).toMatch(/not one any profile recognizes/);
    expect(upstream.requests).toBe(before);
  });

  it('works the same through /mcp', async () => {
    const connectWith = async (cert: Issued) => {
      const client = new Client({ name: 'mtls-test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${t.gh.urls.proxy}/mcp`), {
          // undici's own fetch: the Agent is undici 8's, which Node's bundled fetch cannot dispatch through.
          fetch: undiciFetch as unknown as typeof fetch,
          requestInit: { dispatcher: agentWith(cert) } as unknown as RequestInit,
        }),
      );
      return client;
    };
    const client = await connectWith(certs.good);
    try {
      const out: any = await client.callTool({ name: 'execute_call', arguments: { endpoint: 'GET /partners/v1/orders' } });
      expect(out.isError, JSON.stringify(out)).toBeFalsy();
    } finally {
      await client.close();
    }
    for (const which of ['unknown', 'expired', 'wrongCa'] as const) {
      const res = await undiciFetch(`${t.gh.urls.proxy}/mcp`, {
        method: 'POST',
        dispatcher: agentWith(certs[which]),
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
      expect(res.status, which).toBe(401);
      expect(((await res.json()) as any).error.code, which).toBe('GATEHOUSE_CLIENT_CERTIFICATE_INVALID');
    }
  });

  it('reports expiring certificates in gatehouse_credential_expiry_seconds', async () => {
    const text = await (await fetch(`${t.gh.urls.proxy}/metrics`)).text();
    const listener = /gatehouse_credential_expiry_seconds\{kind="listener",name="CN=gateway.test"\} (-?\d+)/.exec(text);
    expect(Number(listener?.[1])).toBeGreaterThan(3_600);
    const profile = text.match(/gatehouse_credential_expiry_seconds\{kind="profile",name="Acme\/by-fingerprint\/[0-9A-F]+"\} (-?\d+)/g) ?? [];
    expect(profile).toHaveLength(2);
  });

  it('reloads its certificate when the files change, without a restart', async () => {
    const subject = () =>
      new Promise<string>((resolve, reject) => {
        const url = new URL(t.gh.urls.proxy);
        const socket = connect({ host: url.hostname, port: Number(url.port), ca: [serverCa.cert], servername: 'localhost' }, () => {
          resolve(String(socket.getPeerCertificate().subject.CN));
          socket.end();
        });
        socket.on('error', reject);
      });
    expect(await subject()).toBe('gateway.test');
    writeFileSync(join(dir, 'tls.key'), certs.listener2.key);
    writeFileSync(join(dir, 'tls.crt'), certs.listener2.cert);
    const deadline = Date.now() + 10_000;
    let seen = await subject();
    while (Date.now() < deadline && seen !== 'gateway-renewed.test') {
      await new Promise((r) => setTimeout(r, 250));
      seen = await subject();
    }
    expect(seen).toBe('gateway-renewed.test');
  });
});
