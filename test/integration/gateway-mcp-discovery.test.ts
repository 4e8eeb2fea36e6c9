import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { MemoryOAuthProvider } from '../support/memory-oauth-provider.js';
import { browse } from '../support/oauth.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

/**
 * What an MCP client finds when it looks around: the root protected-resource document, and a
 * Gateway MCP that admits anonymous callers but still lets a person sign in.
 */

const PASSWORD = 'consumer-password-2';
const JSON_RPC = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
let t: TestGatehouse;
let upstream: SampleUpstream;
let mcpUrl: string;
let credential: string;

async function admin(method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(t.api, t.adminToken, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

function initialize(url: string, headers: Record<string, string> = {}): Promise<Response> {
  const params = { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'probe', version: '1' } };
  return fetch(url, { method: 'POST', headers: { ...JSON_RPC, ...headers }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params }) });
}

/** The JSON-RPC message of a response, sent as JSON or as one SSE event. */
async function messageOf(res: Response): Promise<any> {
  const text = await res.text();
  const data = /^data: (.*)$/m.exec(text)?.[1];
  return JSON.parse(data ?? text);
}

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  upstream = await startUpstream();
  mcpUrl = `${t.gh.urls.proxy}/mcp`;
  const open = await admin('POST', '/collections', { slug: 'open-data', name: 'Open data', published: true, allowAnonymous: true });
  const partnerOnly = await admin('POST', '/collections', { slug: 'partner-only', name: 'Partner only', published: true });
  for (const [col, base] of [
    [open, '/open/v1'],
    [partnerOnly, '/partner/v1'],
  ] as const) {
    const proxy = await admin('POST', '/proxies', { collectionId: col.id, name: base, basePath: base, upstreams: [upstream.url] });
    await admin('POST', `/proxies/${proxy.id}/endpoints`, { method: 'GET', path: '/orders', summary: `Orders of ${base}` });
  }
  const partner = await admin('POST', '/clients', { name: 'Partner', collectionIds: [open.id, partnerOnly.id] });
  const profile = await admin('POST', '/profiles', { clientId: partner.id, name: 'main', authType: 'token', signInUsers: ['erin'] });
  credential = (await admin('POST', `/profiles/${profile.id}/credentials`, {})).token;
  await admin('POST', '/users', { username: 'erin', password: PASSWORD });
});
afterAll(async () => {
  await t?.close();
  await upstream?.close();
});

describe('the root protected-resource document', () => {
  it('is not served (no resource lives at the root); the 404 names each surface’s own document, each naming its own resource', async () => {
    const root = await fetch(`${t.gh.urls.proxy}/.well-known/oauth-protected-resource`);
    expect(root.status).toBe(404);
    const body = (await root.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('GATEHOUSE_ROUTE_NOT_FOUND');
    const named = [...body.error.message.matchAll(/(\/\.well-known\/oauth-protected-resource\/[\w/]+)/g)].map((m) => m[1]!);
    expect(named.sort()).toEqual(
      [
        '/.well-known/oauth-protected-resource/admin/api/v1',
        '/.well-known/oauth-protected-resource/management/mcp',
        '/.well-known/oauth-protected-resource/mcp',
      ].sort(),
    );
    for (const path of named) {
      const doc = (await (await fetch(`${t.gh.urls.proxy}${path}`)).json()) as { resource: string; authorization_servers: string[] };
      // RFC 9728 §3.3: the resource is exactly the URL the document's path was derived from.
      expect(doc.resource).toBe(t.gh.urls.proxy + path.slice('/.well-known/oauth-protected-resource'.length));
      expect(doc.authorization_servers).toEqual([t.gh.urls.issuer]);
    }
  });

  it('on split listeners each names only what it serves', async () => {
    const split = await startTestGatehouse('sqlite', { adminPort: 0 });
    try {
      const proxy = (await (await fetch(`${split.gh.urls.proxy}/.well-known/oauth-protected-resource`)).json()) as any;
      expect(proxy.error.message).toContain('/.well-known/oauth-protected-resource/mcp');
      expect(proxy.error.message).not.toContain('admin/api/v1');
      const adminSide = await fetch(`${split.gh.urls.admin}/.well-known/oauth-protected-resource/`);
      expect(adminSide.status).toBe(404);
      const message = ((await adminSide.json()) as any).error.message as string;
      expect(message).toContain('/.well-known/oauth-protected-resource/admin/api/v1');
      expect(message).toContain('/.well-known/oauth-protected-resource/management/mcp');
      expect(message).not.toMatch(/resource\/mcp\b/);
    } finally {
      await split.close();
    }
  });
});

describe('anonymous collections do not hide the sign-in', () => {
  it('an anonymous caller gets the open catalog, with a challenge naming the metadata and instructions saying how to sign in', async () => {
    const res = await initialize(mcpUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('www-authenticate')).toContain(`resource_metadata="${t.gh.urls.proxy}/.well-known/oauth-protected-resource/mcp"`);
    const result = (await messageOf(res)).result;
    expect(result.instructions).toContain('not signed in');
    expect(result.instructions).toContain('?signin');
    // A caller with a credential is told nothing of the kind.
    const identified = await initialize(mcpUrl, { 'x-api-key': credential });
    expect(identified.status).toBe(200);
    expect(identified.headers.get('www-authenticate')).toBeNull();
    expect((await messageOf(identified)).result.instructions).not.toContain('not signed in');
  });

  it('`/mcp?signin` asks for a sign-in: an SDK client with only that URL signs the person in and sees their profile’s catalog', async () => {
    const bare = await initialize(`${mcpUrl}?signin`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toContain('resource_metadata=');

    const url = new URL(`${mcpUrl}?signin`);
    const app = new MemoryOAuthProvider('http://127.0.0.1:41101/callback', { client_name: 'Connector' });
    const first = new Client({ name: 'connector', version: '1.0.0' });
    const refused = await first.connect(new StreamableHTTPClientTransport(url, { authProvider: app })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnauthorizedError);
    // The token is asked for the /mcp resource itself (the query only asks for the sign-in).
    expect(app.authorizationUrl!.searchParams.get('resource')).toBe(mcpUrl);
    const outcome = await browse(app.authorizationUrl!.href, app.redirectUrl, { username: 'erin', password: PASSWORD, consent: 'allow' });
    expect(outcome.code).toBeTruthy();
    await new StreamableHTTPClientTransport(url, { authProvider: app }).finishAuth(new URL(outcome.landedAt!).searchParams);
    const client = new Client({ name: 'connector', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(url, { authProvider: app }));
    const listed = (await client.callTool({ name: 'list_collections', arguments: {} })) as { content: Array<{ text: string }> };
    expect(listed.content[0]!.text).toContain('partner-only');
    await client.close();

    // Anonymously, the same catalog shows only what is open to anyone.
    const anonymous = new Client({ name: 'anon', version: '1.0.0' });
    await anonymous.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)));
    const open = (await anonymous.callTool({ name: 'list_collections', arguments: {} })) as { content: Array<{ text: string }> };
    expect(open.content[0]!.text).toContain('open-data');
    expect(open.content[0]!.text).not.toContain('partner-only');
    await anonymous.close();
  });
});
