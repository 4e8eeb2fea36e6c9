import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientAdapter } from '../../src/identity/client-adapter.js';
import { deleteExpiredPayloads, StoreAdapter } from '../../src/identity/oidc-adapter.js';
import { loadProviderKeys } from '../../src/identity/signing-keys.js';
import { putSecret } from '../../src/store/repositories/secrets.js';
import { SecretBox } from '../../src/store/secret-box.js';
import { dialects, freshDatabase, type TestDatabase } from '../support/databases.js';

const secrets = new SecretBox(randomBytes(32));

for (const dialect of await dialects()) {
  describe(`oidc-provider store adapter (${dialect})`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await freshDatabase(dialect);
    });
    afterAll(async () => {
      await database?.drop();
    });

    it('stores, finds, replaces and destroys payloads per model', async () => {
      const codes = new StoreAdapter(database.db, 'AuthorizationCode');
      const sessions = new StoreAdapter(database.db, 'Session');
      await codes.upsert('c1', { kind: 'AuthorizationCode', grantId: 'g1', accountId: 'usr_1' }, 60);
      await sessions.upsert('c1', { kind: 'Session', uid: 'u1', accountId: 'usr_1' }, 60);
      expect(await codes.find('c1')).toEqual({ kind: 'AuthorizationCode', grantId: 'g1', accountId: 'usr_1' });
      expect(await sessions.findByUid('u1')).toMatchObject({ kind: 'Session' });
      expect(await codes.findByUid('u1')).toBeUndefined();
      await codes.upsert('c1', { kind: 'AuthorizationCode', grantId: 'g1', accountId: 'usr_2' }, 60);
      expect(await codes.find('c1')).toMatchObject({ accountId: 'usr_2' });
      await codes.destroy('c1');
      expect(await codes.find('c1')).toBeUndefined();
      expect(await sessions.find('c1')).toBeDefined();
    });

    it('marks consumed payloads and finds device codes by user code', async () => {
      const devices = new StoreAdapter(database.db, 'DeviceCode');
      await devices.upsert('d1', { kind: 'DeviceCode', userCode: 'ABCD-EFGH' }, 60);
      expect(await devices.findByUserCode('ABCD-EFGH')).toMatchObject({ kind: 'DeviceCode' });
      expect((await devices.find('d1'))?.consumed).toBeUndefined();
      await devices.consume('d1');
      expect((await devices.find('d1'))?.consumed).toBeTruthy();
    });

    it('ignores expired rows on read and sweeps them', async () => {
      const tokens = new StoreAdapter(database.db, 'RefreshToken');
      await tokens.upsert('old', { kind: 'RefreshToken' }, 1);
      await tokens.upsert('forever', { kind: 'RefreshToken' });
      await database.db
        .updateTable('oidc_payloads')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('id', '=', 'old')
        .execute();
      expect(await tokens.find('old')).toBeUndefined();
      expect(await tokens.find('forever')).toBeDefined();
      expect(await deleteExpiredPayloads(database.db)).toBeGreaterThanOrEqual(1);
      expect(await database.db.selectFrom('oidc_payloads').select('id').where('id', '=', 'old').executeTakeFirst()).toBeUndefined();
    });

    it('revokes every artefact of a grant across models', async () => {
      const codes = new StoreAdapter(database.db, 'AuthorizationCode');
      const refresh = new StoreAdapter(database.db, 'RefreshToken');
      await codes.upsert('x1', { kind: 'AuthorizationCode', grantId: 'g9' }, 60);
      await refresh.upsert('x2', { kind: 'RefreshToken', grantId: 'g9' }, 60);
      await refresh.upsert('x3', { kind: 'RefreshToken', grantId: 'other' }, 60);
      await refresh.revokeByGrantId('g9');
      expect(await codes.find('x1')).toBeUndefined();
      expect(await refresh.find('x2')).toBeUndefined();
      expect(await refresh.find('x3')).toBeDefined();
    });

    it('reads service accounts as confidential client-credentials clients, fresh each time', async () => {
      const clients = new ClientAdapter(database.db, secrets);
      const now = new Date().toISOString();
      const data = JSON.stringify({ name: 'deployer', description: '', clientId: 'sa_x', role: 'viewer', scope: {} });
      await database.db
        .insertInto('resources')
        .values({
          type: 'service-accounts',
          id: 'sa_x',
          key: 'deployer',
          parent_id: null,
          collection_id: null,
          data,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      expect(await clients.find('sa_x')).toBeUndefined();
      await putSecret(database.db, 'service-accounts', 'sa_x', secrets.seal('s3cret'));
      expect(await clients.find('sa_x')).toMatchObject({
        client_id: 'sa_x',
        client_secret: 's3cret',
        client_name: 'deployer',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      });
      // Where the server takes ID-JAGs, every account may use the JWT bearer grant (a trusted IdP must still name it).
      const withIdJag = new ClientAdapter(database.db, secrets, undefined, { jwtBearer: true });
      expect((await withIdJag.find('sa_x'))?.grant_types).toEqual(['client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer']);
      await database.db.deleteFrom('resources').where('id', '=', 'sa_x').execute();
      expect(await clients.find('sa_x')).toBeUndefined();
    });

    it('creates the signing and cookie keys once, sealed, and every node loads the same', async () => {
      const [a, b] = await Promise.all([loadProviderKeys(database.db, secrets), loadProviderKeys(database.db, secrets)]);
      const again = await loadProviderKeys(database.db, secrets);
      expect(again).toEqual(a);
      expect(b).toEqual(a);
      expect(a.signing.keys.map((k) => k.alg)).toEqual(['ES256', 'RS256']);
      const stored = await database.db.selectFrom('settings').select(['key', 'value']).where('key', 'like', 'oauth.%').execute();
      expect(stored).toHaveLength(2);
      for (const row of stored) expect(row.value.startsWith('v1.')).toBe(true);
      await expect(loadProviderKeys(database.db, new SecretBox(randomBytes(32)))).rejects.toThrow();
    });
  });
}
