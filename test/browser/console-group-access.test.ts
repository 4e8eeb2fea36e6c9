import { Client, CrossAppAccessProvider, discoverAndRequestJwtAuthGrant, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { type EnterpriseIdp, startEnterpriseIdp } from '../support/enterprise-idp.js';
import { ADMIN_PASSWORD, call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { chromiumAvailable, ensureConsoleBuilt, launch } from './browser.js';

const available = chromiumAvailable();
const IDP_CLIENT = { clientId: 'chat-app', clientSecret: 'chat-app-secret-at-the-idp' };

// Who has access through which group, as an admin reads it on the virtual server's page: Dave
// signs in with an ID-JAG from the company IdP while in "engineering" (the group the server's
// access list and a role binding name) and appears "through group engineering"; the IdP drops
// the group, his next sign-in is refused, and the page no longer lists him.
describe.skipIf(!available)('who has access through which group, in Chromium', { timeout: 120_000 }, () => {
  let t: TestGatehouse;
  let upstream: TestUpstream;
  let idp: EnterpriseIdp;
  let browser: Browser;
  let page: Page;
  let serverId: string;
  let app: { clientId: string; clientSecret: string };
  const dave = { sub: 'u-dave', email: 'dave@example.com', resources: [] as string[], groups: ['engineering'] };
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    await ensureConsoleBuilt();
    [t, upstream] = await Promise.all([
      startTestGatehouse('sqlite'),
      startStatefulUpstream('records', (s) => {
        s.registerTool('lookup', { description: 'Looks a record up', inputSchema: z.object({}) }, async () => ({ content: [{ type: 'text', text: 'found' }] }));
      }),
    ]);
    const server = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: 'records', url: upstream.url });
    const vmcp = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
      slug: 'eng',
      name: 'Engineering tools',
      upstreamIds: [server.body.id],
      tools: [{ upstreamId: server.body.id, name: 'lookup' }],
      access: { groups: ['engineering'] },
      published: true,
    });
    expect(vmcp.status, JSON.stringify(vmcp.body)).toBe(201);
    serverId = vmcp.body.id as string;
    const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'test', localAdmin: true };
    const sa = (await t.gh.executor.execute('service-accounts.create', { name: 'chat-app', role: 'viewer' }, local)) as {
      serviceAccount: { clientId: string };
      clientSecret: string;
    };
    app = { clientId: sa.serviceAccount.clientId, clientSecret: sa.clientSecret };
    dave.resources.push(`${t.gh.urls.proxy}/mcp/v/eng`);
    idp = await startEnterpriseIdp({ users: [dave], clients: [{ ...IDP_CLIENT, resourceClientId: app.clientId }] });
    const trusted = await call(t.api, t.adminToken, 'POST', '/trusted-idps', {
      name: 'acme-idp',
      issuer: idp.issuer,
      allowedClientIds: [app.clientId],
      jitDomains: ['example.com'],
      groupsClaim: 'groups',
    });
    expect(trusted.status, JSON.stringify(trusted.body)).toBe(201);
    expect((await call(t.api, t.adminToken, 'POST', '/role-bindings', { group: 'engineering', role: 'viewer' })).status).toBe(201);

    browser = await launch();
    page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
    await page.goto(`${t.gh.urls.admin}/console/mcp/virtual/${serverId}`);
    await page.waitForURL(/\/oauth\//);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Engineering tools' }).waitFor();
  }, 90_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await page.screenshot({ path: '/tmp/console-group-access-fail.png', fullPage: true }).catch(() => {});
  });

  afterAll(async () => {
    await browser?.close();
    await idp?.close();
    await upstream?.close();
    await t?.close();
  });

  /** Dave connects with the SDK's Cross App Access provider: an ID-JAG from the IdP, no browser step. */
  async function daveConnects(): Promise<void> {
    const provider = new CrossAppAccessProvider({
      assertion: async (ctx) =>
        (
          await discoverAndRequestJwtAuthGrant({
            idpUrl: idp.issuer,
            audience: t.gh.urls.issuer,
            resource: ctx.resourceUrl,
            idToken: await idp.idToken(dave.sub, IDP_CLIENT.clientId),
            ...IDP_CLIENT,
            ...(ctx.scope ? { scope: ctx.scope } : {}),
          })
        ).jwtAuthGrant,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      expectedIssuer: t.gh.urls.issuer,
    });
    const client = new Client({ name: 'chat-app', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${t.gh.urls.proxy}/mcp/v/eng`), { authProvider: provider }));
    await client.close();
  }

  const section = () => page.getByRole('region', { name: 'Who has access' });

  it('lists the person through the group of their last sign-in, and not after the IdP drops the group', async () => {
    await section().getByText('Nobody yet.').waitFor();
    await daveConnects();
    await page.reload();
    const row = section().getByTestId('access-row').filter({ hasText: dave.email });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/through group engineering \(acme-idp, signed in \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\)/);
    expect(await row.getByRole('cell').nth(2).textContent()).toContain('viewer, through group engineering');

    dave.groups.length = 0;
    await expect(daveConnects()).rejects.toThrow(/may not use the virtual MCP server eng/);
    await page.reload();
    await section().getByText('Nobody yet.').waitFor();
    expect(await section().getByTestId('access-row').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  });
});
