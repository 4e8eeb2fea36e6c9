import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthUpstream, startAuthUpstream } from '../support/auth-upstream.js';
import { createTestCa, type TestCa } from '../support/certs.js';
import { CLI } from '../support/cli.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { ADMIN_PASSWORD, call } from '../support/gatehouse.js';
import { loginWithPassword } from '../support/oauth.js';

/**
 * Runs the real `gatehouse serve` at trace level, puts every kind of backend credential through
 * create, rotation, good and failing calls and bad input, then greps everything it said — reads,
 * audit entries, request logs, error responses and its own log output — for the secrets it was given.
 */

const SECRETS = {
  password: 'leak-check-Password-7f3a',
  rotated: 'leak-check-Rotated-91bc',
  apiKey: 'leak-check-ApiKey-44de',
  clientSecret: 'leak-check-ClientSecret-0a17',
  passphrase: 'leak-check-Passphrase-55e2',
  badPassphrase: 'leak-check-BadPassphrase-13',
};

let db: TestDatabase;
let child: ChildProcess;
let output = '';
let api = '';
let proxyUrl = '';
let token = '';
let upstream: AuthUpstream;
let tokenEndpoint: { url: string; close(): Promise<void> };
let ca: TestCa;
let keyLines: string[] = [];
const said: string[] = [];

async function admin(method: string, path: string, body?: unknown, ok = true): Promise<any> {
  const res = await call(api, token, method, path, body);
  said.push(JSON.stringify(res.body));
  if (ok) expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

beforeAll(async () => {
  db = await freshDatabase('sqlite', { migrated: false });
  upstream = await startAuthUpstream(() => true);
  // A token endpoint that refuses, echoing what it was sent (as some do): the gateway must not repeat it.
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_client', error_description: `bad client: ${body} ${req.headers.authorization}` }));
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  tokenEndpoint = { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/token`, close: () => new Promise((r) => srv.close(() => r())) };
  ca = createTestCa('Leak CA');
  const client = ca.client('leaky', { passphrase: SECRETS.passphrase });
  keyLines = client.key.split('\n').filter((l) => l.length > 40 && !l.startsWith('-----'));
  child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], {
    env: {
      ...process.env,
      GATEHOUSE_DATA_DIR: db.dataDir,
      GATEHOUSE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      GATEHOUSE_LOG_LEVEL: 'trace',
      GATEHOUSE_TOKEN_ENDPOINTS_ALLOW_PRIVATE_NETWORKS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 30_000;
  while (!/Admin API:\s+(\S+)/.test(output)) {
    if (Date.now() > deadline) throw new Error(`serve did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  api = /Admin API:\s+(\S+)/.exec(output)![1]!;
  proxyUrl = /Proxy:\s+(\S+)/.exec(output)![1]!;
  const issuer = /OAuth issuer:\s+(\S+)/.exec(output)![1]!;
  token = (await loginWithPassword({ issuer, username: 'admin', password: ADMIN_PASSWORD, resource: api })).accessToken;

  const collection = await admin('POST', '/collections', { slug: 'leak', name: 'Leak', published: true });
  const creds = [
    await admin('POST', '/backend-credentials', { name: 'basic', type: 'basic', username: 'svc', password: SECRETS.password }),
    await admin('POST', '/backend-credentials', { name: 'key', type: 'api_key', in: 'query', param: 'key', value: SECRETS.apiKey }),
    await admin('POST', '/backend-credentials', {
      name: 'oauth',
      type: 'oauth2_client_credentials',
      tokenUrl: tokenEndpoint.url,
      clientId: 'gw',
      clientSecret: SECRETS.clientSecret,
      clientAuth: 'client_secret_post',
    }),
    await admin('POST', '/backend-credentials', {
      name: 'cert',
      type: 'mtls',
      certificate: client.cert,
      privateKey: client.key,
      passphrase: SECRETS.passphrase,
    }),
  ];
  for (const [i, cred] of creds.entries()) {
    const proxy = await admin('POST', '/proxies', {
      collectionId: collection.id,
      name: `p${i}`,
      basePath: `/leak${i}/v1`,
      upstreams: [upstream.url],
      backendCredentialId: cred.id,
    });
    await admin('POST', `/proxies/${proxy.id}/endpoints`, { method: 'GET', path: '/x' });
  }
  // Rotation, and bad input that carries secrets.
  await admin('PATCH', `/backend-credentials/${creds[0].id}`, { password: SECRETS.rotated });
  await admin(
    'POST',
    '/backend-credentials',
    { name: 'bad', type: 'mtls', certificate: client.cert, privateKey: client.key, passphrase: SECRETS.badPassphrase },
    false,
  );
  await admin('POST', '/backend-credentials', { name: 'bad2', type: 'basic', password: SECRETS.password, value: SECRETS.apiKey }, false);
  await admin('PATCH', `/backend-credentials/${creds[1].id}`, { value: SECRETS.apiKey, password: SECRETS.password }, false);
  const consumer = await admin('POST', '/clients', { name: 'c', collectionIds: [collection.id] });
  const profile = await admin('POST', '/profiles', { clientId: consumer.id, name: 'p', authType: 'token' });
  const callerToken = (await admin('POST', `/profiles/${profile.id}/credentials`, {})).token;
  for (let i = 0; i < 4; i++) {
    const res = await fetch(`${proxyUrl}/leak${i}/v1/x?key=caller`, { headers: { authorization: `Bearer ${callerToken}` } });
    // A 200 is the test upstream echoing what it got (the credential, as it should); the gateway's own answers are the rest.
    const text = await res.text();
    if (res.status !== 200) said.push(text);
  }
}, 60_000);

afterAll(async () => {
  child?.kill('SIGTERM');
  await upstream?.close();
  await tokenEndpoint?.close();
  ca?.cleanup();
  await db?.drop();
});

describe('no secret leaves the gateway', () => {
  it('is in no read, audit entry, request log, error response or server log line', async () => {
    said.push(JSON.stringify(await admin('GET', '/backend-credentials')));
    const audit = await admin('GET', '/audit-logs?limit=500');
    for (const e of audit.items) said.push(JSON.stringify(await admin('GET', `/audit-logs/${e.id}`)));
    const deadline = Date.now() + 10_000;
    let logs: any;
    do {
      logs = await admin('GET', '/request-logs?limit=500');
      if (logs.items.length >= 4) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    expect(logs.items.length).toBeGreaterThanOrEqual(4);
    for (const l of logs.items) said.push(JSON.stringify(await admin('GET', `/request-logs/${l.id}`)));
    const text = [...said, output].join('\n');
    // The calls did happen, and the failing ones failed for the reasons expected.
    expect(text).toContain('GATEHOUSE_BACKEND_TOKEN_FAILED');
    expect(text).toContain('invalid_client');
    expect(upstream.seen.some((s) => s.url.includes(`key=${SECRETS.apiKey}`))).toBe(true);
    expect(output).toContain('Gatehouse is running');
    for (const [name, secret] of Object.entries(SECRETS)) expect(text.includes(secret), name).toBe(false);
    for (const line of keyLines) expect(text.includes(line), 'private key').toBe(false);
  });
});
