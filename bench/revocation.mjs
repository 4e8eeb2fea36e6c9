// Revocation timing at scale: a node with 10,000 endpoints and 100,000 credentials; a credential is
// issued and then revoked through the executor (as the admin API does), and the time is measured
// until that node refuses the token (the executor answers only once its own snapshot has the
// change, so this is the revoke call's own latency plus the first refused call).
// With --postgres URL the store is PostgreSQL (a schema of its own, dropped at the end) and a
// second node runs beside the first: the time until that node refuses the token is measured too
// (it hears the change through LISTEN/NOTIFY; polled every 2 ms).
// Usage: npm run build && node bench/revocation.mjs [--endpoints N] [--credentials N] [--postgres URL]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startGatehouse } from '../dist/node/index.js';
import { SYSTEM_PRINCIPAL } from '../dist/management/bootstrap.js';
import { seedLarge } from './seed.mjs';
import { freePort, startNode } from './lib.mjs';

const { values } = parseArgs({
  options: {
    endpoints: { type: 'string', default: '10000' },
    credentials: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '5' },
    postgres: { type: 'string' },
  },
});
const dir = mkdtempSync(join(tmpdir(), 'gh-revocation-'));
const upstreamPort = await freePort();
const upstream = await startNode('upstream', 'upstream.mjs', [upstreamPort]);
upstream.url = `http://127.0.0.1:${upstreamPort}`;

let database = {};
if (values.postgres) {
  database = { databaseUrl: values.postgres, databaseSchema: `bench_revocation_${process.pid}` };
  const admin = new pg.Client({ connectionString: values.postgres });
  await admin.connect();
  await admin.query(`create schema "${database.databaseSchema}"`);
  await admin.end();
}

const t0 = Date.now();
const seeded = await seedLarge(dir, upstream.url, {
  endpoints: Number(values.endpoints),
  credentials: Number(values.credentials),
  log: (m) => console.log(m),
  database,
});
console.log(`seeded ${seeded.endpoints} endpoints and ${seeded.credentials} credentials in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
const gh = await startGatehouse({ port: 0, dataDir: dir, logLevel: 'warn', ...database });
const other = values.postgres ? await startGatehouse({ port: 0, dataDir: dir, logLevel: 'warn', ...database }) : null;
const call = { principal: SYSTEM_PRINCIPAL, channel: 'cli', requestId: 'bench', localAdmin: true };
const status = async (node, token) =>
  fetch(`${node.urls.proxy}${seeded.path}`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => {
    await r.arrayBuffer();
    return r.status;
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const profileOf = (await gh.executor.execute('profiles.list', {}, call)).items[0];
const revokeMs = [];
const issueMs = [];
const elsewhereMs = [];
for (let round = 0; round < Number(values.rounds); round++) {
  const i0 = performance.now();
  const issued = await gh.executor.execute('credentials.issue', { profileId: profileOf.id }, call);
  issueMs.push(performance.now() - i0);
  if ((await status(gh, issued.token)) !== 200) throw new Error('a new credential did not work at once');
  if (other) {
    // The other node must know the credential before its revocation can be timed there.
    const until = Date.now() + 10_000;
    while ((await status(other, issued.token)) !== 200) {
      if (Date.now() > until) throw new Error('the other node never admitted the new credential');
      await sleep(5);
    }
  }
  const r0 = performance.now();
  const revoked = gh.executor.execute('credentials.revoke', { id: issued.credential.id }, call);
  const seenElsewhere = other
    ? (async () => {
        while ((await status(other, issued.token)) !== 401) await sleep(2);
        return performance.now() - r0;
      })()
    : null;
  await revoked;
  const refused = await status(gh, issued.token);
  revokeMs.push(performance.now() - r0);
  if (refused !== 401) throw new Error(`a revoked credential answered ${refused}`);
  if (seenElsewhere) elsewhereMs.push(await seenElsewhere);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const list = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
console.log(`issue → usable on this node: median ${median(issueMs).toFixed(1)} ms (${list(issueMs)})`);
console.log(`revoke → refused on this node: median ${median(revokeMs).toFixed(1)} ms (${list(revokeMs)})`);
console.log(
  `${median(revokeMs) < 100 ? 'met   ' : 'MISSED'} revocation < 100 ms on the node that made it (${seeded.endpoints} endpoints, ${seeded.credentials} credentials)`,
);
if (other) {
  console.log(`revoke → refused on the other node: median ${median(elsewhereMs).toFixed(1)} ms (${list(elsewhereMs)})`);
  console.log(`${Math.max(...elsewhereMs) < 1000 ? 'met   ' : 'MISSED'} revocation < 1 s on every node (PostgreSQL, LISTEN/NOTIFY)`);
  await other.close();
}
await gh.close();

if (values.postgres) {
  const admin = new pg.Client({ connectionString: values.postgres });
  await admin.connect();
  await admin.query(`drop schema "${database.databaseSchema}" cascade`);
  await admin.end();
}
upstream.child.kill();
rmSync(dir, { recursive: true, force: true });
