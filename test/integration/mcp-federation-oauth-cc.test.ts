import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { clientCredentialsToken } from '../support/oauth.js';
import { startTokenEndpoint, type TokenEndpoint } from '../support/token-endpoint.js';

const CLIENT_SECRET = 'svc-client-secret-3c9d1f7a';

let t: TestGatehouse;
let idp: TokenEndpoint;
let upstream: TestUpstream;
let credentialId: string;
let client: Client;

beforeAll(async () => {
  t = await startTestGatehouse('sqlite', { tokenEndpoints: { allowPrivateNetworks: true, timeoutMs: 2_000 } });
  idp = await startTokenEndpoint('svc', CLIENT_SECRET);
  const valid = (authorization: string | undefined) => {
    const token = authorization?.replace(/^Bearer /, '') ?? '';
    return idp.issued.includes(token) && !idp.revoked.has(token);
  };
  upstream = await startStatefulUpstream(
    'service',
    (s) => {
      s.registerTool('whoami', { description: 'Says which service identity called', inputSchema: z.object({}) }, async () => ({
        content: [{ type: 'text', text: 'svc' }],
      }));
      s.registerTool('leaky', { description: 'Echoes the Authorization header it got' }, async () => ({
        content: [{ type: 'text', text: `you sent ${upstream.authorizations.at(-1)}, token ${upstream.authorizations.at(-1)?.replace('Bearer ', '')}` }],
      }));
    },
    { authorize: valid },
  );
  const credential = await call(t.api, t.adminToken, 'POST', '/backend-credentials', {
    name: 'svc-oauth',
    type: 'oauth2_client_credentials',
    tokenUrl: idp.url,
    clientId: 'svc',
    clientSecret: CLIENT_SECRET,
  });
  expect(credential.status, JSON.stringify(credential.body)).toBe(201);
  credentialId = credential.body.id;
  const server = await call(t.api, t.adminToken, 'POST', '/mcp-servers', {
    name: 'service',
    url: upstream.url,
    auth: 'oauth_client_credentials',
    credentialId,
  });
  expect(server.status, JSON.stringify(server.body)).toBe(201);
  const vmcp = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
    slug: 'svc',
    name: 'Service',
    upstreamIds: [server.body.id],
    tools: [
      { upstreamId: server.body.id, name: 'whoami' },
      { upstreamId: server.body.id, name: 'leaky' },
    ],
    published: true,
  });
  expect(vmcp.status, JSON.stringify(vmcp.body)).toBe(201);
  const sa = await t.serviceAccount('viewer');
  const url = `${t.gh.urls.proxy}/mcp/v/svc`;
  const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource: url });
  client = new Client({ name: 'oauth-cc-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
}, 60_000);

afterAll(async () => {
  await client?.close();
  await upstream?.close();
  await idp?.close();
  await t?.close();
});

const text = (r: { content: unknown }) => (r.content as { text?: string }[]).map((c) => c.text ?? '').join('');

describe('oauth_client_credentials upstream auth', () => {
  it('calls the upstream with a client-credentials token, fetched once and reused', async () => {
    // Curation pinned the definitions with a token of its own cache (the admin plane's); the client's
    // initialize had the node read the upstream's instructions with one of the data plane's cache.
    const before = idp.issued.length;
    for (let i = 0; i < 5; i++) expect(text(await client.callTool({ name: 'whoami', arguments: {} }))).toBe('svc');
    expect(idp.issued.length).toBe(before);
    const token = idp.issued.at(-1);
    expect(upstream.authorizations.at(-1)).toBe(`Bearer ${token}`);
    expect((await client.listTools()).tools.map((x) => x.name)).toEqual(['leaky', 'whoami']);
  });

  it('gets a new token when the upstream refuses the cached one, and the call succeeds', async () => {
    const before = idp.issued.length;
    for (const token of idp.issued) idp.revoked.add(token);
    expect(text(await client.callTool({ name: 'whoami', arguments: {} }))).toBe('svc');
    expect(idp.issued.length).toBe(before + 1);
    expect(upstream.authorizations.at(-1)).toBe(`Bearer ${idp.issued.at(-1)}`);
  });

  it('never shows the token or the client secret to the caller, in reads or the log', async () => {
    const leaked = await client.callTool({ name: 'leaky', arguments: {} });
    expect(text(leaked)).toBe('you sent [redacted], token [redacted]');
    const reads = await Promise.all(['/mcp-servers', '/backend-credentials', '/audit-logs?limit=500'].map((p) => call(t.api, t.adminToken, 'GET', p)));
    const logs = await call(t.api, t.adminToken, 'GET', '/request-logs?limit=500&channel=federation');
    const all = JSON.stringify([leaked, ...reads.map((r) => r.body), logs.body]);
    expect(all).not.toContain(CLIENT_SECRET);
    for (const token of idp.issued) expect(all).not.toContain(token);
  });

  it('refuses a server without a credential, with one of another type, and deleting a credential in use', async () => {
    const missing = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: 'bad1', url: upstream.url, auth: 'oauth_client_credentials' });
    expect(missing.body.error.code).toBe('GATEHOUSE_VALIDATION_FAILED');
    const basic = await call(t.api, t.adminToken, 'POST', '/backend-credentials', { name: 'basic-one', type: 'basic', username: 'u', password: 'p-secret-1' });
    const wrongType = await call(t.api, t.adminToken, 'POST', '/mcp-servers', {
      name: 'bad2',
      url: upstream.url,
      auth: 'oauth_client_credentials',
      credentialId: basic.body.id,
    });
    expect(wrongType.body.error.code).toBe('GATEHOUSE_VALIDATION_FAILED');
    const inUse = await call(t.api, t.adminToken, 'DELETE', `/backend-credentials/${credentialId}`);
    expect(inUse.body.error.code).toBe('GATEHOUSE_IN_USE');
  });
});
