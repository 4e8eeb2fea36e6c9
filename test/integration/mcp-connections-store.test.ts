import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionStore } from '../../src/management/operations/mcp-connection-store.js';
import { deleteConnections, getConnection, listConnections, putConnection } from '../../src/store/repositories/mcp-connections.js';
import { resealAll } from '../../src/store/rotate-key.js';
import { SecretBox } from '../../src/store/secret-box.js';
import { dialects, freshDatabase, type TestDatabase } from '../support/databases.js';

const tokens = (accessToken: string) => ({ accessToken, refreshToken: `r-${accessToken}`, expiresAt: Date.now() + 60_000, issuedAt: Date.now(), scope: 'mcp' });

for (const dialect of await dialects()) {
  describe(`people's upstream connections on ${dialect}`, () => {
    let t: TestDatabase;
    const secrets = new SecretBox(randomBytes(32));
    beforeAll(async () => {
      t = await freshDatabase(dialect);
    });
    afterAll(async () => t?.drop());

    it('keeps tokens sealed, and replaces them only at the version read (a refresh on another node wins)', async () => {
      const store = connectionStore(t.db, secrets);
      const now = new Date().toISOString();
      await putConnection(t.db, {
        server_id: 'mcs_a',
        subject: 'usr_1',
        username: 'one',
        sealed: secrets.seal(JSON.stringify(tokens('at-1'))),
        scope: 'mcp',
        expires_at: null,
        created_at: now,
        updated_at: now,
      });
      const row = await getConnection(t.db, 'mcs_a', 'usr_1');
      expect(row?.sealed).not.toContain('at-1');
      const read = await store.read('mcs_a', 'usr_1');
      expect(read?.tokens.accessToken).toBe('at-1');
      expect(await store.replace('mcs_a', 'usr_1', read!.version, tokens('at-2'))).toBe(true);
      // A second writer that read the old version loses: its refresh is not written over the newer one.
      expect(await store.replace('mcs_a', 'usr_1', read!.version, tokens('at-3'))).toBe(false);
      expect((await store.read('mcs_a', 'usr_1'))?.tokens.accessToken).toBe('at-2');
      expect(await store.read('mcs_a', 'usr_2')).toBeNull();
    });

    it('moves to a new master key with everything else (a key rotation)', async () => {
      const next = new SecretBox(randomBytes(32));
      await resealAll(t.db, t.dialect, secrets, next, { subject: 'test', name: 'test' });
      expect((await connectionStore(t.db, next).read('mcs_a', 'usr_1'))?.tokens.accessToken).toBe('at-2');
      await resealAll(t.db, t.dialect, next, secrets, { subject: 'test', name: 'test' });
    });

    it('lists and deletes by server and by person', async () => {
      const now = new Date().toISOString();
      for (const [server, subject] of [
        ['mcs_b', 'usr_1'],
        ['mcs_b', 'usr_2'],
        ['mcs_c', 'usr_2'],
      ] as const) {
        await putConnection(t.db, {
          server_id: server,
          subject,
          username: subject,
          sealed: secrets.seal('{}'),
          scope: '',
          expires_at: null,
          created_at: now,
          updated_at: now,
        });
      }
      expect((await listConnections(t.db, { serverId: 'mcs_b' })).map((r) => r.subject)).toEqual(['usr_1', 'usr_2']);
      expect(await deleteConnections(t.db, { subject: 'usr_2' })).toBe(2);
      expect((await listConnections(t.db, {})).map((r) => `${r.server_id}/${r.subject}`)).toEqual(['mcs_a/usr_1', 'mcs_b/usr_1']);
      await expect(deleteConnections(t.db, {})).rejects.toThrow('needs a filter');
    });
  });
}
