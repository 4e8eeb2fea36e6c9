// CPU of one policy's change in the snapshot compiler holding many policies (issue 56: every node
// takes a pass per admin write): stage and commit one changed policy, POLICY_CHANGES times, after
// POLICY_COUNT policies are compiled. `node bench/policy-change.mjs [dist dir …]` after `npm run build`
// runs each build's compiler in turn, POLICY_ROUNDS rounds interleaved, and prints the medians.
// Env: POLICY_COUNT (100000), POLICY_CHANGES (200), POLICY_ROUNDS (3).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, ROOT } from './lib.mjs';

const COUNT = Number(process.env.POLICY_COUNT ?? 100_000);
const CHANGES = Number(process.env.POLICY_CHANGES ?? 200);
const ROUNDS = Number(process.env.POLICY_ROUNDS ?? 3);
const dists = process.argv.length > 2 ? process.argv.slice(2) : [join(ROOT, 'dist')];

const row = (id, name, version) => ({
  type: 'policies',
  id,
  row: {
    type: 'policies',
    id,
    data: JSON.stringify({ name, rateLimits: [], quotas: [] }),
    version,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  },
});

/** CPU ms per one-policy commit of the compiler in `dist`. */
async function measure(dist) {
  const { SnapshotCompiler } = await import(pathToFileURL(join(dist, 'gateway', 'snapshot', 'compiler.js')).href);
  const compiler = new SnapshotCompiler();
  compiler.stage(Array.from({ length: COUNT }, (_, i) => row(`pol_${i}`, `p${i}`, 1)));
  await compiler.commitInSlices();
  const before = process.cpuUsage();
  for (let i = 0; i < CHANGES; i++) {
    compiler.stage([row(`pol_${(i * 7919) % COUNT}`, `changed-${i}`, 2 + i)]);
    await compiler.commitInSlices();
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / CHANGES;
}

const results = new Map(dists.map((d) => [d, []]));
for (let r = 0; r < ROUNDS; r++) for (const dist of dists) results.get(dist).push(await measure(dist));
for (const [dist, ms] of results)
  console.log(`${dist}: ${median(ms).toFixed(3)} ms of CPU per policy change with ${COUNT} policies (rounds ${ms.map((m) => m.toFixed(3)).join(', ')})`);
