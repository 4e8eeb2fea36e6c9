import { MemoryOAuthProvider } from '../support/memory-oauth-provider.js';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { browse } from '../support/oauth.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
});
afterAll(async () => t?.close());

describe('an MCP client that knows only the URL', () => {
  it('gets 401, discovers, registers, signs the user in with PKCE, and acts under that user', async () => {
    const url = new URL(`${t.gh.urls.admin}/management/mcp`);
    const provider = new MemoryOAuthProvider('http://127.0.0.1:43117/callback', {
      client_name: 'Headless Assistant',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    });
    const first = new Client({ name: 'headless-assistant', version: '0.9.0' }, { versionNegotiation: { mode: 'auto' } });
    const refused = await first.connect(new StreamableHTTPClientTransport(url, { authProvider: provider })).catch((e: unknown) => e);
    expect(refused, String((refused as any)?.message ?? refused)).toBeInstanceOf(UnauthorizedError);

    // Dynamic client registration happened, and the authorization request is PKCE S256 for this resource and scope.
    expect(provider.information.client_id).toMatch(/^dcr_/);
    const auth = provider.authorizationUrl!;
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('resource')).toBe(url.href);
    expect(auth.searchParams.get('scope')).toContain('gatehouse:management');

    // The user signs in on the built-in login page and allows the consent screen, which names the client.
    const outcome = await browse(auth.href, provider.redirectUrl, { username: 'admin', password: ADMIN_PASSWORD, consent: 'allow' });
    expect(outcome.consentPage).toContain('Headless Assistant');
    expect(outcome.code, JSON.stringify({ ...outcome, consentPage: undefined })).toBeTruthy();
    expect(outcome.iss).toBe(t.gh.urls.issuer);

    const transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
    await transport.finishAuth(new URL(outcome.landedAt!).searchParams);
    expect(provider.stored.access_token).toBeTruthy();

    const client = new Client({ name: 'headless-assistant', version: '0.9.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
    const tools = (await client.listTools()).tools.map((x) => x.name);
    expect(tools).toContain('manage_collections');
    const res = (await client.callTool({
      name: 'manage_collections',
      arguments: { action: 'create', params: { slug: 'from-oauth-client', name: 'Made after OAuth' } },
    })) as { isError?: boolean; content: Array<{ text: string }> };
    expect(res.isError).toBeFalsy();
    const created = JSON.parse(res.content[0]!.text);

    const entries = (await call(t.api, t.adminToken, 'GET', `/audit-logs?resourceId=${created.id}`)).body.items;
    expect(entries[0]).toMatchObject({ action: 'collections.create', channel: 'mcp', outcome: 'success', actor: { name: 'admin', kind: 'user' } });
    expect(entries[0].clientApp).toContain(provider.information.client_id);
    expect(entries[0].clientApp).toContain('headless-assistant 0.9.0');
    await client.close();
  });
});
