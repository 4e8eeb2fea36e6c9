import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSignInGroups, recordSignInGroups } from '../../src/store/repositories/sign-in-groups.js';
import { dialects, freshDatabase, type TestDatabase } from '../support/databases.js';

for (const dialect of await dialects()) {
  describe(`sign-in groups on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await freshDatabase(dialect);
    });
    afterAll(async () => {
      await t?.drop();
    });

    it('keeps one row per person and IdP, the latest sign-in replacing the one before (an empty list too)', async () => {
      await recordSignInGroups(t.db, { userId: 'usr_b', idpId: 'tidp_1', groups: ['engineering', 'ops'], signedInAt: '2026-11-25T10:00:00.000Z' });
      await recordSignInGroups(t.db, { userId: 'usr_a', idpId: 'tidp_1', groups: ['sales'], signedInAt: '2026-11-25T10:01:00.000Z' });
      await recordSignInGroups(t.db, { userId: 'usr_b', idpId: 'tidp_2', groups: ['eu'], signedInAt: '2026-11-25T10:02:00.000Z' });
      expect(await allSignInGroups(t.db)).toEqual([
        { userId: 'usr_a', idpId: 'tidp_1', groups: ['sales'], signedInAt: '2026-11-25T10:01:00.000Z' },
        { userId: 'usr_b', idpId: 'tidp_1', groups: ['engineering', 'ops'], signedInAt: '2026-11-25T10:00:00.000Z' },
        { userId: 'usr_b', idpId: 'tidp_2', groups: ['eu'], signedInAt: '2026-11-25T10:02:00.000Z' },
      ]);
      await recordSignInGroups(t.db, { userId: 'usr_b', idpId: 'tidp_1', groups: [], signedInAt: '2026-11-25T11:00:00.000Z' });
      const b = (await allSignInGroups(t.db)).filter((r) => r.userId === 'usr_b');
      expect(b).toEqual([
        { userId: 'usr_b', idpId: 'tidp_1', groups: [], signedInAt: '2026-11-25T11:00:00.000Z' },
        { userId: 'usr_b', idpId: 'tidp_2', groups: ['eu'], signedInAt: '2026-11-25T10:02:00.000Z' },
      ]);
    });
  });
}
