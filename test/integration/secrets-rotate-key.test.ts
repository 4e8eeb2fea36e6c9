import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningGatehouse, startGatehouse } from '../../src/node/index.js';
import { rotateSecretKey } from '../../src/node/rotate-key.js';
import { SecretBox } from '../../src/store/secret-box.js';
import { type AuthUpstream, startAuthUpstream } from '../support/auth-upstream.js';
import { runCli } from '../support/cli.js';
import { dialects, freshDatabase, type TestDatabase } from '../support/databases.js';
import { ADMIN_PASSWORD, call } from '../support/gatehouse.js';
import { clientCredentialsToken, loginWithPassword } from '../support/oauth.js';

/** `gatehouse secrets rotate-key`: every credential still usable under the new key, the old key useless. */

const PASSWORD = 'rotate-Key-Backend-Password';

for (const dialect of await dialects()) {
  describe(`secrets rotate-key on ${dialect}`, () => {
    let db: TestDatabase;
    let upstream: AuthUpstream;
    let gh: RunningGatehouse | null = null;
    // PostgreSQL runs with the key in GATEHOUSE_SECRET_KEY, SQLite with the key file in the data directory.
    const envKey = dialect === 'postgres' ? randomBytes(32).toString('base64') : undefined;

    const start = (secretKey = envKey) =>
      startGatehouse({
        port: 0,
        dataDir: db.dataDir,
        ...(dialect === 'postgres' ? { databaseUrl: db.env.GATEHOUSE_DATABASE_URL, databaseSchema: db.env.GATEHOUSE_DATABASE_SCHEMA } : {}),
        ...(secretKey ? { secretKey } : {}),
        adminPassword: ADMIN_PASSWORD,
        logLevel: 'silent',
      });

    async function adminToken(g: RunningGatehouse): Promise<string> {
      return (await loginWithPassword({ issuer: g.urls.issuer, username: 'admin', password: ADMIN_PASSWORD, resource: g.urls.adminApi })).accessToken;
    }

    afterAll(async () => {
      await gh?.close();
      await upstream?.close();
      await db?.drop();
    });

    it('re-seals every secret in one go; credentials, signing keys and service accounts keep working; the old key opens nothing', async () => {
      db = await freshDatabase(dialect, { migrated: false });
      upstream = await startAuthUpstream((req) => req.headers.authorization === `Basic ${Buffer.from(`svc:${PASSWORD}`).toString('base64')}`);
      gh = await start();
      let token = await adminToken(gh);
      const admin = async (g: RunningGatehouse, method: string, path: string, body?: unknown) => {
        const res = await call(g.urls.adminApi, token, method, path, body);
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
        return res.body;
      };
      const collection = await admin(gh, 'POST', '/collections', { slug: 'rot', name: 'Rotation', published: true });
      const cred = await admin(gh, 'POST', '/backend-credentials', { name: 'rot-basic', type: 'basic', username: 'svc', password: PASSWORD });
      const proxy = await admin(gh, 'POST', '/proxies', {
        collectionId: collection.id,
        name: 'rot',
        basePath: '/rot/v1',
        upstreams: [upstream.url],
        backendCredentialId: cred.id,
      });
      await admin(gh, 'POST', `/proxies/${proxy.id}/endpoints`, { method: 'GET', path: '/whoami' });
      const client = await admin(gh, 'POST', '/clients', { name: 'c', collectionIds: [collection.id] });
      const profile = await admin(gh, 'POST', '/profiles', { clientId: client.id, name: 'p', authType: 'token' });
      const callerToken = (await admin(gh, 'POST', `/profiles/${profile.id}/credentials`, {})).token;
      const sa = await admin(gh, 'POST', '/service-accounts', { name: 'ci-bot', role: 'viewer' });
      const proxied = (g: RunningGatehouse) => fetch(`${g.urls.proxy}/rot/v1/whoami`, { headers: { authorization: `Bearer ${callerToken}` } });
      expect((await proxied(gh)).status).toBe(200);
      await gh.close();
      gh = null;

      const oldKey = envKey ?? readFileSync(join(db.dataDir, 'secret.key'), 'utf8').trim();
      const sealedBefore = await db.db.selectFrom('secrets').select(['owner_type', 'ciphertext']).execute();
      let newKey: string;
      if (dialect === 'sqlite') {
        // The real command, as an operator runs it.
        const out = await runCli(['secrets', 'rotate-key', '--json'], { GATEHOUSE_DATA_DIR: db.dataDir });
        expect(out.code, out.stderr).toBe(0);
        const done = JSON.parse(out.stdout);
        expect(done.secrets).toBe(sealedBefore.length);
        expect(done.settings).toBeGreaterThanOrEqual(3);
        expect(done.newKey).toBeNull();
        newKey = readFileSync(join(db.dataDir, 'secret.key'), 'utf8').trim();
      } else {
        const done = await rotateSecretKey({
          dataDir: db.dataDir,
          databaseUrl: db.env.GATEHOUSE_DATABASE_URL,
          databaseSchema: db.env.GATEHOUSE_DATABASE_SCHEMA,
          secretKey: envKey,
        });
        expect(done.secrets).toBe(sealedBefore.length);
        newKey = done.newKey!;
      }
      expect(newKey).not.toBe(oldKey);

      const sealedAfter = await db.db.selectFrom('secrets').select(['owner_type', 'ciphertext']).execute();
      expect(sealedAfter.map((r) => r.owner_type).sort()).toEqual(sealedBefore.map((r) => r.owner_type).sort());
      const oldBox = new SecretBox(Buffer.from(oldKey, 'base64'));
      const newBox = new SecretBox(Buffer.from(newKey, 'base64'));
      for (const row of sealedAfter) {
        expect(() => oldBox.open(row.ciphertext)).toThrow();
        expect(() => newBox.open(row.ciphertext)).not.toThrow();
      }
      // A node still holding the old key refuses to start.
      await expect(start(oldKey)).rejects.toThrow(/secret key does not match/);

      gh = await start(envKey ? newKey : undefined);
      token = await adminToken(gh);
      expect((await proxied(gh)).status).toBe(200);
      const saToken = await clientCredentialsToken({
        issuer: gh.urls.issuer,
        clientId: sa.serviceAccount.clientId,
        clientSecret: sa.clientSecret,
        resource: gh.urls.adminApi,
      });
      expect((await call(gh.urls.adminApi, saToken, 'GET', '/backend-credentials')).status).toBe(200);
      const audit = await admin(gh, 'GET', '/audit-logs?action=secrets.rotate-key');
      expect(audit.items).toHaveLength(1);
      expect((await admin(gh, 'GET', '/audit-logs/verify')).ok).toBe(true);
    });
  });
}
