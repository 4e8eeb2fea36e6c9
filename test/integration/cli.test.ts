import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from '../../src/node/index.js';
import { dialects, freshDatabase, type TestDatabase } from '../support/databases.js';
import { runCli } from '../support/cli.js';
import { call } from '../support/gatehouse.js';
import { clientCredentialsToken, loginWithPassword } from '../support/oauth.js';

for (const dialect of await dialects()) {
  // Each test starts the CLI as a process of its own (a build's start-up, the store opened): on a CI
  // machine whose two cores other test files share, that alone has taken 30 s.
  describe(`gatehouse CLI on ${dialect}`, { timeout: 90_000 }, () => {
    let db: TestDatabase;
    let gh: RunningGatehouse;
    beforeAll(async () => {
      db = await freshDatabase(dialect);
      gh = await startGatehouse({
        port: 0,
        dataDir: db.dataDir,
        ...(dialect === 'postgres' ? { databaseUrl: db.env.GATEHOUSE_DATABASE_URL, databaseSchema: db.env.GATEHOUSE_DATABASE_SCHEMA } : {}),
        logLevel: 'silent',
      });
    });
    afterAll(async () => {
      await gh?.close();
      await db?.drop();
    });

    it('users add creates a real identity with its role, printing the password once', async () => {
      const out = await runCli(['users', 'add', 'alice', '--role', 'viewer', '--json'], db.env);
      expect(out.code).toBe(0);
      const printed = JSON.parse(out.stdout);
      expect(printed).toMatchObject({ user: { username: 'alice' }, role: 'viewer' });
      const { accessToken } = await loginWithPassword({ issuer: gh.urls.issuer, username: 'alice', password: printed.password, resource: gh.urls.adminApi });
      expect((await call(gh.urls.adminApi, accessToken, 'GET', '/collections')).status).toBe(200);
      expect((await call(gh.urls.adminApi, accessToken, 'POST', '/collections', { slug: 'a', name: 'A' })).status).toBe(403);
      const again = await runCli(['users', 'add', 'alice', '--role', 'viewer', '--json'], db.env);
      expect(again.code).toBe(2);
      expect(JSON.parse(again.stderr).error.code).toBe('GATEHOUSE_CONFLICT');
    });

    it('users add reads a password from stdin when asked', async () => {
      const out = await runCli(['users', 'add', 'bob', '--role', 'admin', '--password-stdin'], db.env, 'a-long-enough-password\n');
      expect(out.code).toBe(0);
      expect(out.stdout).not.toContain('a-long-enough-password');
      const { accessToken } = await loginWithPassword({
        issuer: gh.urls.issuer,
        username: 'bob',
        password: 'a-long-enough-password',
        resource: gh.urls.adminApi,
      });
      expect((await call(gh.urls.adminApi, accessToken, 'POST', '/policies', { name: 'from-bob' })).status).toBe(201);
    });

    it('service-accounts create prints client id and secret once; the account acts under its own scoped role', async () => {
      const out = await runCli(['service-accounts', 'create', 'ci-deployer', '--role', 'modifier', '--scope', 'proxies,collections', '--json'], db.env);
      expect(out.code).toBe(0);
      const { clientId, clientSecret } = JSON.parse(out.stdout);
      expect(clientId).toMatch(/^sa_/);
      const token = await clientCredentialsToken({ issuer: gh.urls.issuer, clientId, clientSecret, resource: gh.urls.adminApi });
      const col = await call(gh.urls.adminApi, token, 'POST', '/collections', { slug: 'ci', name: 'CI' });
      expect(col.status).toBe(201);
      expect((await call(gh.urls.adminApi, token, 'POST', '/clients', { name: 'nope' })).status).toBe(403);
      const sa = await call(gh.urls.adminApi, token, 'GET', `/service-accounts/${clientId}`);
      expect(JSON.stringify(sa.body)).not.toContain(clientSecret);
      const stored = await db.db.selectFrom('secrets').select('ciphertext').where('owner_id', '=', clientId).executeTakeFirstOrThrow();
      expect(stored.ciphertext).not.toContain(clientSecret);
      const cliEntries = (await call(gh.urls.adminApi, token, 'GET', '/audit-logs?channel=cli&action=service-accounts.create')).body.items;
      expect(cliEntries[0]).toMatchObject({ channel: 'cli', resourceId: clientId, actor: { kind: 'user' } });
      expect(cliEntries[0].actor.subject).toMatch(/^local:/);
    });

    it('service-accounts create --act-for-users makes an agent that may act for people; without it the account may not', async () => {
      const out = await runCli(['service-accounts', 'create', 'assistant', '--role', 'viewer', '--act-for-users', '--json'], db.env);
      expect(out.code, out.stderr).toBe(0);
      expect(JSON.parse(out.stdout).serviceAccount).toMatchObject({ name: 'assistant', actForUsers: true });
      const plain = await runCli(['service-accounts', 'create', 'not-an-agent', '--role', 'viewer', '--json'], db.env);
      expect(JSON.parse(plain.stdout).serviceAccount).toMatchObject({ actForUsers: false });
    });

    it('a bad role is a clear error and creates nothing', async () => {
      const out = await runCli(['service-accounts', 'create', 'bad', '--role', 'superuser', '--json'], db.env);
      expect(out.code).toBe(2);
      expect(JSON.parse(out.stderr).error.code).toBe('GATEHOUSE_VALIDATION_FAILED');
      const list = await db.db.selectFrom('resources').select('id').where('type', '=', 'service-accounts').where('key', '=', 'bad').execute();
      expect(list).toHaveLength(0);
    });

    it('audit verify passes on an intact chain and names the first entry a tamperer changed', async () => {
      const ok = await runCli(['audit', 'verify', '--json'], db.env);
      expect(ok.code).toBe(0);
      const verdict = JSON.parse(ok.stdout);
      expect(verdict.ok).toBe(true);
      expect(verdict.entries).toBeGreaterThan(4);

      const victim = await db.db.selectFrom('audit_log').select(['seq', 'id']).where('seq', '=', 3).executeTakeFirstOrThrow();
      await db.db.updateTable('audit_log').set({ actor_name: 'someone-else' }).where('seq', '=', 3).execute();
      const broken = await runCli(['audit', 'verify'], db.env);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(`#3 (${victim.id})`);

      await db.db.updateTable('audit_log').set({ actor_name: sql`actor_name` }).where('seq', '=', 3).execute();
    });
  });
}
