import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../support/databases.js';
import { runCli, startCli } from '../support/cli.js';
import { enterDeviceCode } from '../support/device.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { browse } from '../support/oauth.js';

/** `gatehouse login` in a child process, its browser step driven over plain HTTP, as a person would click through it. */
async function browserLogin(server: string, env: Record<string, string>, username: string, password: string) {
  const cli = startCli(['login', '--server', server, '--no-browser'], env);
  const [url] = await cli.waitFor(/http:\/\/\S+\/oauth\/auth\?\S+/);
  const redirectUri = new URL(url).searchParams.get('redirect_uri')!;
  expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
  const outcome = await browse(url, redirectUri, { username, password });
  expect(outcome.code).toBeTruthy();
  // The browser follows the redirect back to the CLI's loopback listener.
  const back = await fetch(outcome.landedAt!);
  expect(back.status).toBe(200);
  return cli.done;
}

for (const dialect of await dialects()) {
  // Each test runs the real CLI several times (a process start each): generous on a loaded machine.
  describe(`remote CLI against a running gateway on ${dialect}`, { timeout: 120_000 }, () => {
    let t: TestGatehouse;
    let home: string;
    let env: Record<string, string>;
    const credentialsFile = () => join(home, 'gatehouse', 'credentials.json');

    beforeAll(async () => {
      t = await startTestGatehouse(dialect);
      home = mkdtempSync(join(tmpdir(), 'gatehouse-cli-home-'));
      // No data directory and no server in the environment: everything goes through the admin API.
      env = { XDG_CONFIG_HOME: home, GATEHOUSE_SERVER: '', GATEHOUSE_CLIENT_ID: '', GATEHOUSE_CLIENT_SECRET: '', GATEHOUSE_DATA_DIR: join(home, 'no-data') };
    });
    afterAll(async () => {
      await t?.close();
    });

    it('logs in through the browser, then acts as that user: RBAC enforced, audited on channel cli under the user', async () => {
      const password = 'a-user-password-1';
      await t.gh.executor.execute(
        'users.create',
        { username: 'carol', password, role: 'modifier', scope: { resourceTypes: ['collections'] } },
        {
          principal: { subject: 'test', name: 'test', kind: 'user', groups: [] },
          channel: 'cli',
          requestId: 'setup',
          localAdmin: true,
        },
      );
      const server = t.gh.urls.admin;
      const login = await browserLogin(server, env, 'carol', password);
      expect(login.code).toBe(0);
      expect(login.stderr).toContain(`Logged in to ${server} as carol`);
      expect(statSync(credentialsFile()).mode & 0o777).toBe(0o600);
      expect(statSync(join(home, 'gatehouse')).mode & 0o777).toBe(0o700);
      const stored = JSON.parse(readFileSync(credentialsFile(), 'utf8'));
      expect(stored.current).toBe(server);
      expect(stored.servers[server]).toMatchObject({ resource: t.api, clientId: 'gatehouse-cli' });

      const created = await runCli(['collections', 'create', '--slug', 'from-cli', '--name', 'From CLI', '--published', '--json'], env);
      expect(created.code).toBe(0);
      const collection = JSON.parse(created.stdout);
      expect(collection).toMatchObject({ slug: 'from-cli', published: true });

      const denied = await runCli(['policies', 'create', '--name', 'nope', '--json'], env);
      expect(denied.code).toBe(2);
      expect(JSON.parse(denied.stderr).error.code).toBe('GATEHOUSE_FORBIDDEN');

      const table = await runCli(['collections', 'list'], env);
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/^ID\s+SLUG\s+NAME/);
      expect(table.stdout).toContain('from-cli');

      const entries = (await call(t.api, t.adminToken, 'GET', `/audit-logs?resourceId=${collection.id}`)).body.items;
      expect(entries[0]).toMatchObject({
        action: 'collections.create',
        outcome: 'success',
        channel: 'cli',
        clientApp: 'gatehouse-cli',
        actor: { name: 'carol', kind: 'user' },
      });
      const refusal = (await call(t.api, t.adminToken, 'GET', '/audit-logs?action=policies.create&outcome=denied')).body.items;
      expect(refusal[0]).toMatchObject({ channel: 'cli', actor: { name: 'carol' } });

      const dry = await runCli(['collections', 'update', collection.id, '--name', 'Renamed', '--dry-run', '--json'], env);
      expect(dry.code).toBe(0);
      expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, planned: { before: { name: 'From CLI' }, after: { name: 'Renamed' } } });
      expect((await call(t.api, t.adminToken, 'GET', `/collections/${collection.id}`)).body.name).toBe('From CLI');
    });

    it('refreshes an expired access token with the stored refresh token', async () => {
      const server = t.gh.urls.admin;
      const data = JSON.parse(readFileSync(credentialsFile(), 'utf8'));
      const before = data.servers[server];
      data.servers[server].expiresAt = Date.now() - 1000;
      writeFileSync(credentialsFile(), JSON.stringify(data), { mode: 0o600 });
      const out = await runCli(['collections', 'list', '--json'], env);
      expect(out.code).toBe(0);
      const after = JSON.parse(readFileSync(credentialsFile(), 'utf8')).servers[server];
      expect(after.accessToken).not.toBe(before.accessToken);
      expect(after.refreshToken).not.toBe(before.refreshToken);
      expect(after.expiresAt).toBeGreaterThan(Date.now());
    });

    it('logs out: the login is forgotten and its refresh token revoked', async () => {
      const server = t.gh.urls.admin;
      const refresh = JSON.parse(readFileSync(credentialsFile(), 'utf8')).servers[server].refreshToken;
      const out = await runCli(['logout'], env);
      expect(out.code).toBe(0);
      expect(out.stderr).toContain(`Logged out of ${server}`);
      expect(JSON.parse(readFileSync(credentialsFile(), 'utf8')).servers[server]).toBeUndefined();
      const reuse = await fetch(`${t.gh.urls.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refresh, client_id: 'gatehouse-cli' }).toString(),
      });
      expect(reuse.status).toBe(400);
      const after = await runCli(['collections', 'list', '--server', server], env);
      expect(after.code).not.toBe(0);
      expect(after.stderr).toContain('Not logged in');
    });

    it('logs in with a device code entered on another device', async () => {
      const password = 'a-user-password-2';
      await t.gh.executor.execute(
        'users.create',
        { username: 'dave', password, role: 'viewer' },
        {
          principal: { subject: 'test', name: 'test', kind: 'user', groups: [] },
          channel: 'cli',
          requestId: 'setup',
          localAdmin: true,
        },
      );
      const cli = startCli(['login', '--server', t.gh.urls.admin, '--device'], env);
      const [, uri, code] = await cli.waitFor(/open (\S+) on any device and enter the code\s+([A-Z]{4}-[A-Z]{4})/);
      const page = await enterDeviceCode({ verificationUri: uri!, userCode: code!, username: 'dave', password });
      expect(page.page).toContain('Signed in');
      const done = await cli.done;
      expect(done.code).toBe(0);
      expect(done.stderr).toContain('as dave');
      const list = await runCli(['collections', 'list', '--json'], { ...env, GATEHOUSE_SERVER: t.gh.urls.admin });
      expect(list.code).toBe(0);
      const write = await runCli(['collections', 'create', '--slug', 'by-dave', '--name', 'x'], env);
      expect(write.code).toBe(2);
    });

    it('CI mode: a service account’s client credentials from the environment, no login step', async () => {
      const sa = await t.serviceAccount('modifier', { resourceTypes: ['policies'] });
      const ci = {
        XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'gatehouse-ci-')),
        GATEHOUSE_SERVER: t.gh.urls.admin,
        GATEHOUSE_CLIENT_ID: sa.clientId,
        GATEHOUSE_CLIENT_SECRET: sa.clientSecret,
      };
      const out = await runCli(['policies', 'create', '--name', 'from-ci', '--json'], ci);
      expect(out.code).toBe(0);
      const policy = JSON.parse(out.stdout);
      const [entry] = (await call(t.api, t.adminToken, 'GET', `/audit-logs?resourceId=${policy.id}`)).body.items;
      expect(entry).toMatchObject({ outcome: 'success', actor: { subject: sa.clientId, kind: 'service' }, clientApp: sa.clientId });
      expect((await runCli(['collections', 'create', '--slug', 'ci-nope', '--name', 'x'], ci)).code).toBe(2);
      const wrong = await runCli(['policies', 'list'], { ...ci, GATEHOUSE_CLIENT_SECRET: 'wrong' });
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toContain('invalid_client');
    });
  });
}
