import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from '../../src/node/index.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { authorizeWithPassword } from '../support/oauth.js';

let db: TestDatabase;
let gh: RunningGatehouse;
const PASSWORD = 'the-real-admin-password';

beforeAll(async () => {
  db = await freshDatabase('sqlite');
  gh = await startGatehouse({ port: 0, dataDir: db.dataDir, adminPassword: PASSWORD, logLevel: 'silent' });
});
afterAll(async () => {
  await gh?.close();
  await db?.drop();
});

describe('sign-in throttling', () => {
  it('stops accepting passwords for a username after ten failures, even the right one', async () => {
    for (let i = 0; i < 10; i++) {
      const wrong = await authorizeWithPassword({ issuer: gh.urls.issuer, username: 'admin', password: `guess-${i}` });
      expect(wrong.code).toBeUndefined();
      expect(wrong.status).toBe(401);
    }
    const locked = await authorizeWithPassword({ issuer: gh.urls.issuer, username: 'Admin', password: PASSWORD });
    expect(locked.code).toBeUndefined();
    expect(locked.status).toBe(429);
    expect(locked.page).toContain('Too many sign-in attempts');
  });

  it('sweeps expired OAuth state instead of keeping it forever', async () => {
    await db.db
      .insertInto('oidc_payloads')
      .values({
        model: 'Interaction',
        id: 'stale',
        payload: '{}',
        grant_id: null,
        uid: null,
        user_code: null,
        expires_at: '2000-01-01T00:00:00.000Z',
        consumed_at: null,
      })
      .execute();
    await gh.sweepExpired();
    const left = await db.db.selectFrom('oidc_payloads').select('id').where('id', '=', 'stale').execute();
    expect(left).toHaveLength(0);
  });
});
