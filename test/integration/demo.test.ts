import { afterEach, describe, expect, it } from 'vitest';
import { spawnServe } from '../support/cli.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';

function curlToFetch(curl: string): Promise<Response> {
  const m = /^curl -H 'Authorization: Bearer (\S+)' (\S+)$/.exec(curl);
  if (!m) throw new Error(`unexpected curl line: ${curl}`);
  return fetch(m[2]!, { headers: { authorization: `Bearer ${m[1]}` } });
}

describe('gatehouse serve --demo', { timeout: 90_000 }, () => {
  let db: TestDatabase | undefined;
  afterEach(async () => db?.drop());

  it('starts a sample upstream, seeds a catalog, and prints a curl line that works as printed, also after a restart', async () => {
    db = await freshDatabase('sqlite');
    const first = await spawnServe(['--port', '0', '--demo'], db.env);
    try {
      expect(first.summary.firstAdmin.generatedPassword).toMatch(/.{16,}/);
      const res = await curlToFetch(first.summary.demo.curl);
      expect(res.status).toBe(200);
      expect(((await res.json()) as unknown[]).length).toBeGreaterThan(0);
      expect(res.headers.get('ratelimit-limit')).toBe('600');
    } finally {
      first.child.kill('SIGTERM');
      await new Promise((r) => first.child.once('exit', r));
    }

    const second = await spawnServe(['--port', '0', '--demo'], db.env);
    try {
      expect(second.summary.firstAdmin).toBeNull();
      expect((await curlToFetch(second.summary.demo.curl)).status).toBe(200);
      // The previous token was rotated out with no grace period.
      const stale = first.summary.demo.curl.replace(/http:\/\/127\.0\.0\.1:\d+/, second.summary.urls.proxy);
      expect((await curlToFetch(stale)).status).toBe(401);
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
  });
});
