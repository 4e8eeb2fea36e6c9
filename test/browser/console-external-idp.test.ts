import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { type RunningGatehouse, startGatehouse } from '../../src/node/index.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { type ExternalIdp, startExternalIdp } from '../support/external-idp.js';
import { chromiumAvailable, ensureConsoleBuilt, launch } from './browser.js';
import { freePort } from '../support/free-port.js';

const available = chromiumAvailable();
const CONSOLE_CLIENT = 'gatehouse-console-at-idp';
const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 't', localAdmin: true };

/** A free loopback port: the IdP must know the console's redirect URI before the gateway starts. */

// The console against a gateway whose only issuer is a company IdP (a second oidc-provider on its
// own port and key): it signs in there with code + PKCE as a public client, and the admin API takes
// the IdP's token, with roles from bindings on the IdP's groups.
describe.skipIf(!available)('console signed in through an external IdP, in Chromium', { timeout: 120_000 }, () => {
  let idp: ExternalIdp;
  let db: TestDatabase;
  let gh: RunningGatehouse;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    idp = await startExternalIdp({
      clients: [],
      users: [
        { login: 'erin', groups: ['platform-admins'] },
        { login: 'otto', groups: ['marketing'] },
      ],
      webClients: [{ clientId: CONSOLE_CLIENT, redirectUri: `${base}/console/callback` }],
    });
    db = await freshDatabase('sqlite');
    gh = await startGatehouse({ port, dataDir: db.dataDir, logLevel: 'silent', externalIdp: { issuer: idp.issuer, consoleClientId: CONSOLE_CLIENT } });
    await gh.executor.execute('role-bindings.create', { group: 'platform-admins', role: 'admin' }, local);
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await gh?.close();
    await db?.drop();
    await idp?.close();
  });

  async function signIn(context: BrowserContext, login: string): Promise<Page> {
    // The development login page of oidc-provider links a web font; nothing leaves the machine.
    await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${base}/console`);
    await page.waitForURL(`${idp.issuer}/**`);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${base}/console`);
    return page;
  }

  it('tells the page which client to sign in as, and what to ask for', async () => {
    const html = await (await fetch(`${base}/console`)).text();
    expect(html).toContain(`<meta name="gatehouse-client-id" content="${CONSOLE_CLIENT}">`);
    expect(html).toContain(`<meta name="gatehouse-resource" content="${gh.urls.adminApi}">`);
    expect(html).toContain('<meta name="gatehouse-scope" content="openid profile offline_access">');
    const csp = (await fetch(`${base}/console`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' ${idp.issuer}`);
  });

  it('signs in at the IdP (code + PKCE); the admin API accepts its token; changes are audited on channel console', async () => {
    const context = await browser.newContext();
    try {
      const page = await signIn(context, 'erin');
      await expect.poll(() => page.getByTestId('user').textContent(), { timeout: 15_000 }).toBe('erin');
      await page.getByText('(admin)').waitFor();
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Policies', exact: true }).click();
      await page.getByRole('link', { name: 'New policy' }).click();
      await page.getByLabel('name (required)').fill('from-the-idp');
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('heading', { level: 1, name: 'from-the-idp' }).waitFor();
      const audit = (await gh.executor.execute('audit-logs.list', { action: 'policies.create', limit: 5 }, local)) as { items: any[] };
      expect(audit.items[0]).toMatchObject({ channel: 'console', outcome: 'success', actor: { subject: 'erin', name: 'erin', kind: 'user' } });

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Signed out' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('a person the IdP knows but no role binding names is refused by the gateway', async () => {
    const context = await browser.newContext();
    try {
      const page = await signIn(context, 'otto');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/GATEHOUSE_FORBIDDEN.*request id/);
    } finally {
      await context.close();
    }
  });
});
