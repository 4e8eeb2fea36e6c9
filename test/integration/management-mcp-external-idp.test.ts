import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from '../../src/node/index.js';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { type ExternalIdp, startExternalIdp } from '../support/external-idp.js';

// The company IdP is a separate oidc-provider process standing in for Okta, Entra or Keycloak.
let idp: ExternalIdp;
let db: TestDatabase;
let gh: RunningGatehouse;
let mcpUrl: string;

beforeAll(async () => {
  idp = await startExternalIdp({ clients: [{ clientId: 'platform-bot', clientSecret: 'bot-secret', groups: ['platform-admins'] }] });
  db = await freshDatabase('sqlite');
  gh = await startGatehouse({ port: 0, dataDir: db.dataDir, externalIdp: { issuer: idp.issuer, groupsClaim: 'groups' }, logLevel: 'silent' });
  mcpUrl = `${gh.urls.admin}/management/mcp`;
  await gh.executor.execute(
    'role-bindings.create',
    { group: 'platform-admins', role: 'admin' },
    { principal: SYSTEM_PRINCIPAL, channel: 'cli', requestId: 'setup', localAdmin: true },
  );
});
afterAll(async () => {
  await gh?.close();
  await db?.drop();
  await idp?.close();
});

describe('Management MCP with an external identity provider', () => {
  it('points MCP clients at the external issuer, and the built-in server is off', async () => {
    const res = await fetch(mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    const meta = (await (await fetch(`${gh.urls.admin}/.well-known/oauth-protected-resource/management/mcp`)).json()) as any;
    expect(meta.authorization_servers).toEqual([idp.issuer]);
    expect((await fetch(`${gh.urls.admin}/.well-known/oauth-authorization-server/oauth`)).status).toBe(404);
  });

  it('accepts the IdP’s tokens for the management resource, with roles from its group claim', async () => {
    const token = await idp.token('platform-bot', mcpUrl);
    const client = new Client({ name: 'ci', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: { token: async () => token } }));
    const names = (await client.listTools()).tools.map((x) => x.name);
    expect(names).toContain('manage_access');
    const res = (await client.callTool({ name: 'manage_policies', arguments: { action: 'create', params: { name: 'from-external-idp' } } })) as any;
    expect(res.isError).toBeFalsy();
    await client.close();
  });

  it('refuses the IdP’s tokens issued for the admin API', async () => {
    const adminApiToken = await idp.token('platform-bot', gh.urls.adminApi);
    const res = await fetch(mcpUrl, { method: 'POST', headers: { authorization: `Bearer ${adminApiToken}`, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
  });
});
