import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthUpstream, startAuthUpstream } from '../support/auth-upstream.js';
import { createTestCa, type Issued, type TestCa } from '../support/certs.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

/** An https upstream that demands a client certificate from a CA made for the test; the gateway verifies it in turn. */

let t: TestGatehouse;
let ca: TestCa;
let otherCa: TestCa;
let upstream: AuthUpstream;
let first: Issued;
let second: Issued;
let foreign: Issued;
let caller = '';
const ids: Record<string, string> = {};
const PASSPHRASE = 'mtls-Key-Passphrase-1';

async function admin(method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(t.api, t.adminToken, method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

async function publish(basePath: string, extra: Record<string, unknown>): Promise<string> {
  const proxy = await admin('POST', '/proxies', { collectionId: ids.collection, name: basePath, basePath, upstreams: [upstream.url], ...extra });
  await admin('POST', `/proxies/${proxy.id}/endpoints`, { method: 'GET', path: '/whoami', summary: `whoami ${basePath}` });
  return proxy.id;
}

async function get(base: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.gh.urls.proxy}${base}/whoami`, { headers: { authorization: `Bearer ${caller}` } });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  ca = createTestCa('Upstream CA');
  otherCa = createTestCa('Other CA');
  const server = ca.server();
  first = ca.client('gateway-1', { passphrase: PASSPHRASE });
  second = ca.client('gateway-2');
  foreign = otherCa.client('intruder');
  upstream = await startAuthUpstream(() => true, { cert: server.cert, key: server.key, ca: ca.cert, requestCert: true, rejectUnauthorized: true });
  t = await startTestGatehouse('sqlite');
  ids.collection = (await admin('POST', '/collections', { slug: 'mtls', name: 'mTLS backends', published: true })).id;
  ids.cred = (
    await admin('POST', '/backend-credentials', {
      name: 'orders-mtls',
      type: 'mtls',
      certificate: first.cert,
      privateKey: first.key,
      passphrase: PASSPHRASE,
      caBundle: ca.cert,
    })
  ).id;
  ids.foreign = (await admin('POST', '/backend-credentials', { name: 'foreign-mtls', type: 'mtls', certificate: foreign.cert, privateKey: foreign.key })).id;
  await publish('/untrusted/v1', {});
  await publish('/nocert/v1', { tls: { caBundle: ca.cert } });
  ids.proxy = await publish('/mtls/v1', { backendCredentialId: ids.cred });
  await publish('/foreign/v1', { backendCredentialId: ids.foreign, tls: { caBundle: ca.cert } });
  ids.unverified = await publish('/unverified/v1', { backendCredentialId: ids.foreign, tls: { verify: false } });
  const client = await admin('POST', '/clients', { name: 'Partner', collectionIds: [ids.collection] });
  const profile = await admin('POST', '/profiles', { clientId: client.id, name: 'default', authType: 'token' });
  caller = (await admin('POST', `/profiles/${profile.id}/credentials`, {})).token;
});

afterAll(async () => {
  await t?.close();
  await upstream?.close();
  ca?.cleanup();
  otherCa?.cleanup();
});

describe('mtls backend credentials and upstream TLS verification', () => {
  it('reads show the client certificate’s subject, issuer and expiry, never the key', async () => {
    const cred = await admin('GET', `/backend-credentials/${ids.cred}`);
    expect(cred.certificate.subject).toBe('CN=gateway-1');
    expect(cred.certificate.issuer).toBe('CN=Upstream CA');
    expect(cred.certificate.subjectAltName).toBe('DNS:gateway-1.clients.test');
    expect(cred.expiresAt).toBe(cred.certificate.notAfter);
    expect(Date.parse(cred.expiresAt)).toBeGreaterThan(Date.now());
    expect(cred.caBundle).toBe(ca.cert);
    expect(JSON.stringify(cred)).not.toMatch(/PRIVATE KEY|Passphrase/);
  });

  it('refuses a key that does not belong to the certificate, or a passphrase that does not open it', async () => {
    const mismatch = await call(t.api, t.adminToken, 'POST', '/backend-credentials', {
      name: 'bad',
      type: 'mtls',
      certificate: first.cert,
      privateKey: second.key,
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.details[0].path).toBe('privateKey');
    const locked = await call(t.api, t.adminToken, 'POST', '/backend-credentials', {
      name: 'bad',
      type: 'mtls',
      certificate: first.cert,
      privateKey: first.key,
      passphrase: 'wrong-passphrase',
    });
    expect(locked.status).toBe(400);
    expect(JSON.stringify(locked.body)).not.toContain('wrong-passphrase');
  });

  it('verifies https upstreams by default: a certificate from an unknown CA fails cleanly', async () => {
    const res = await get('/untrusted/v1');
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('GATEHOUSE_UPSTREAM_TLS_FAILED');
  });

  it('without the client certificate the call fails cleanly; with it, it passes', async () => {
    const without = await get('/nocert/v1');
    expect(without.status).toBe(502);
    // TLS 1.3: the upstream's refusal arrives after the gateway's side of the handshake, as a closed connection.
    expect(without.body.error.code).toBe('GATEHOUSE_UPSTREAM_UNREACHABLE');
    const withCert = await get('/mtls/v1');
    expect(withCert.status, JSON.stringify(withCert.body)).toBe(200);
    expect(withCert.body.clientCn).toBe('gateway-1');
  });

  it('a certificate the upstream does not trust is refused there, cleanly', async () => {
    const res = await get('/foreign/v1');
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('GATEHOUSE_UPSTREAM_UNREACHABLE');
    expect(res.body.error.message).toContain('client certificate');
  });

  it('a rotated certificate takes effect on the next call, without a restart', async () => {
    const rotated = await admin('PATCH', `/backend-credentials/${ids.cred}`, { certificate: second.cert, privateKey: second.key, passphrase: null });
    expect(rotated.certificate.subject).toBe('CN=gateway-2');
    const res = await get('/mtls/v1');
    expect(res.status).toBe(200);
    expect(res.body.clientCn).toBe('gateway-2');
  });

  it('turning verification off is explicit, shown in reads and audited', async () => {
    const proxy = await admin('GET', `/proxies/${ids.unverified}`);
    expect(proxy.tls).toEqual({ verify: false, caBundle: null });
    // The upstream's certificate is not checked; the upstream still refuses the foreign client certificate.
    const res = await get('/unverified/v1');
    expect(res.status).toBe(502);
    await admin('PATCH', `/proxies/${ids.unverified}`, { backendCredentialId: ids.cred });
    expect((await get('/unverified/v1')).status).toBe(200);
    const audit = await admin('GET', `/audit-logs?resourceType=proxies&resourceId=${ids.unverified}`);
    expect(audit.items.some((e: any) => e.diff?.after?.tls?.verify === false)).toBe(true);
  });
});
