// Revocation timing at scale: a node with 10,000 endpoints and 100,000 credentials; a credential is
// issued and then revoked through the executor (as the admin API does), and the time is measured
// until that node refuses the token (the executor answers only once its own snapshot has the
// change, so this is the revoke call's own latency plus the first refused call).
// Usage: npm run build && node bench/revocation.mjs [--endpoints N] [--credentials N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startGatehouse } from '../dist/node/index.js';
import { SYSTEM_PRINCIPAL } from '../dist/management/bootstrap.js';
import { seedLarge } from './seed.mjs';
import { freePort, startNode } from './lib.mjs';

const { values } = parseArgs({ options: { endpoints: { type: 'string', default: '10000' }, credentials: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '5' } } });
const dir = mkdtempSync(join(tmpdir(), 'gh-revocation-'));
const upstreamPort = await freePort();
const upstream = await startNode('upstream', 'upstream.mjs', [upstreamPort]);
upstream.url = `http://127.0.0.1:${upstreamPort}`;
const t0 = Date.now();
const seeded = await seedLarge(dir, upstream.url, { endpoints: Number(values.endpoints), credentials: Number(values.credentials), log: (m) => console.log(m) });
console.log(`seeded ${seeded.endpoints} endpoints and ${seeded.credentials} credentials in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
const gh = await startGatehouse({ port: 0, dataDir: dir, logLevel: 'warn' });
const call = { principal: SYSTEM_PRINCIPAL, channel: 'cli', requestId: 'bench', localAdmin: true };
const url = `${gh.urls.proxy}${seeded.path}`;
const status = async (token) => (await fetch(url, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => { await r.arrayBuffer(); return r.status; }));
const profileOf = (await gh.executor.execute('profiles.list', {}, call)).items[0];
const revokeMs = [];
const issueMs = [];
for (let round = 0; round < Number(values.rounds); round++) {
  const i0 = performance.now();
  const issued = await gh.executor.execute('credentials.issue', { profileId: profileOf.id }, call);
  issueMs.push(performance.now() - i0);
  if ((await status(issued.token)) !== 200) throw new Error('a new credential did not work at once');
  const r0 = performance.now();
  await gh.executor.execute('credentials.revoke', { id: issued.credential.id }, call);
  const refused = await status(issued.token);
  revokeMs.push(performance.now() - r0);
  if (refused !== 401) throw new Error(`a revoked credential answered ${refused}`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`issue → usable on this node: median ${median(issueMs).toFixed(1)} ms (${issueMs.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`revoke → refused on this node: median ${median(revokeMs).toFixed(1)} ms (${revokeMs.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`${median(revokeMs) < 100 ? 'met   ' : 'MISSED'} revocation < 100 ms on the node that made it (${seeded.endpoints} endpoints, ${seeded.credentials} credentials)`);
await gh.close();

upstream.child.kill();
rmSync(dir, { recursive: true, force: true });
