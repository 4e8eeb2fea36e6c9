import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/store/repositories/audit.js';
import { spawnServe } from '../support/cli.js';
import { dialects, freshDatabase, type TestDatabase } from '../support/databases.js';
import { loginWithPassword } from '../support/oauth.js';

const PASSWORD = 'crash-test-admin-password';

for (const dialect of await dialects()) {
  describe(`killing the process mid-write on ${dialect}`, { timeout: 120_000 }, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => db?.drop());

    it('leaves no change without its audit entry and no audit entry without its change', async () => {
      db = await freshDatabase(dialect);
      const { child, summary } = await spawnServe(['--port', '0'], { ...db.env, GATEHOUSE_ADMIN_PASSWORD: PASSWORD });
      const { accessToken } = await loginWithPassword({ issuer: summary.urls.issuer, username: 'admin', password: PASSWORD, resource: summary.urls.adminApi });

      let answered = 0;
      let stop = false;
      const worker = async (w: number) => {
        for (let i = 0; !stop && i < 400; i++) {
          try {
            const res = await fetch(`${summary.urls.adminApi}/policies`, {
              method: 'POST',
              headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
              body: JSON.stringify({ name: `p-${w}-${i}`, rateLimits: [{ window: 'second', limit: i + 1 }] }),
            });
            await res.arrayBuffer();
            if (res.status === 201) answered++;
          } catch {
            return; // the server is gone
          }
        }
      };
      const workers = Array.from({ length: 8 }, (_, w) => worker(w));
      while (answered < 40) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      stop = true;
      await Promise.all(workers);
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));

      // Reopen the store as the next process would.
      await db.close();
      const reopened = await freshReopen(db);
      const rows = await reopened.db.selectFrom('resources').select('id').where('type', '=', 'policies').execute();
      const audited = await reopened.db
        .selectFrom('audit_log')
        .select('resource_id')
        .where('action', '=', 'policies.create')
        .where('outcome', '=', 'success')
        .execute();
      const rowIds = new Set(rows.map((r) => r.id));
      const auditIds = new Set(audited.map((a) => a.resource_id));
      expect(rowIds.size).toBeGreaterThanOrEqual(40);
      expect([...rowIds].filter((id) => !auditIds.has(id))).toEqual([]);
      expect([...auditIds].filter((id) => !rowIds.has(id!))).toEqual([]);
      expect((await verifyAuditChain(reopened.db)).ok).toBe(true);
      await reopened.close();
    });

    it('loses at most the last second of request logs, and the next start writes the rest from the spool', async () => {
      db = await freshDatabase(dialect);
      const env = { ...db.env, GATEHOUSE_ADMIN_PASSWORD: PASSWORD };
      const first = await spawnServe(['--port', '0', '--demo'], env);
      const [, token, url] = /Bearer ([^']+)' (\S+)$/.exec(first.summary.demo.curl)!;
      let sent = 0;
      // When each call was answered: the loss is judged against the calls of the last second itself,
      // whose rate (a warmed-up node) is above the run's average.
      const answeredAt: number[] = [];
      let stop = false;
      const began = Date.now();
      const loop = async () => {
        while (!stop) {
          try {
            const res = await fetch(url!, { headers: { authorization: `Bearer ${token}` } });
            await res.arrayBuffer();
            // Every answered call is logged, the demo's rate-limited 429s too.
            sent++;
            answeredAt.push(performance.now());
          } catch {
            return; // the server is gone
          }
        }
      };
      const loops = Array.from({ length: 4 }, loop);
      await new Promise((r) => setTimeout(r, 2_500));
      first.child.kill('SIGKILL');
      const killedAt = performance.now();
      const seconds = (Date.now() - began) / 1000;
      stop = true;
      await Promise.all(loops);
      await new Promise((r) => (first.child.exitCode !== null || first.child.signalCode !== null ? r(null) : first.child.once('exit', r)));

      // The next start replays what the killed process had spooled, then a clean stop flushes.
      const second = await spawnServe(['--port', '0'], env);
      const exited = new Promise((r) => second.child.once('exit', r));
      second.child.kill('SIGTERM');
      await exited;

      await db.close();
      const reopened = await freshReopen(db);
      const row = await reopened.db
        .selectFrom('request_log_segments')
        .select((eb) => eb.fn.sum<number>('row_count').as('n'))
        .executeTakeFirstOrThrow();
      const logged = Number(row.n ?? 0);
      const lastSecond = answeredAt.filter((t) => t >= killedAt - 1_000).length;
      console.info(
        `kill -9 under proxy load (${dialect}): ${sent} calls answered in ${seconds.toFixed(1)} s (${lastSecond} in the last second), ${logged} logged`,
      );
      expect(sent).toBeGreaterThan(20);
      expect(logged).toBeLessThanOrEqual(sent);
      expect(logged, `sent ${sent} in ${seconds.toFixed(1)} s, ${lastSecond} in the last second`).toBeGreaterThanOrEqual(sent - lastSecond);
      await reopened.close();
    });
  });
}

async function freshReopen(db: TestDatabase) {
  const { openDatabase } = await import('../../src/store/database.js');
  return openDatabase({
    dataDir: db.dataDir,
    ...(db.env.GATEHOUSE_DATABASE_URL ? { url: db.env.GATEHOUSE_DATABASE_URL, pgSchema: db.env.GATEHOUSE_DATABASE_SCHEMA } : {}),
  });
}
