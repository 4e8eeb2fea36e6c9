// `node bench/listener-arrays.mjs [seconds]` (BENCH_DIST=/other/dist: another build's gateway): how often each call path makes an EventEmitter hold a
// listener array (a second listener for one event on one emitter), per call, by emitter and event.
// Such arrays come from one allocation site in events.js that V8 pretenures once long-lived emitters
// have used it, so a per-call one lands in the old generation and, dead, keeps its call's objects
// alive through every scavenge (#55: the small POST promoted ~5 KB a call for one extra 'end'
// listener). Per-connection arrays (a new socket's) show as a fraction well below 1 a call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, freePort, HOST, load, ROOT, sleep, startGatehouseAt, startNode } from './lib.mjs';
import { seedThroughput } from './seed.mjs';

const seconds = Number(process.argv[2] ?? 3);
const work = mkdtempSync(join(tmpdir(), 'gatehouse-arrays-'));
const upstreamPort = await freePort();
const upstream = await startNode('upstream', 'upstream.mjs', [upstreamPort]);
const seeded = await seedThroughput(join(work, 'gh'), `http://${HOST}:${upstreamPort}`);
const port = await freePort();
const gh = await startGatehouseAt('gatehouse', join(process.env.BENCH_DIST ?? join(ROOT, 'dist'), 'cli', 'main.js'), join(work, 'gh'), port, {
  nodeArgs: [`--import=${join(BENCH_DIR, 'listener-arrays-hook.mjs')}`],
});
const auth = { authorization: `Bearer ${seeded.token}` };
const post = { method: 'POST', body: seeded.postBody, headers: { ...auth, 'content-type': 'application/json' } };
const paths = [
  ['GET, token + limit + log', seeded.authPath, { headers: auth }],
  ['POST, small JSON body', seeded.authPath, post],
  ['POST through the 5-node workflow', seeded.workflowPath, post],
  ['GET, cache hit', seeded.cachePath, { headers: auth }],
];
/** The hook's counts since its last print. */
async function counts() {
  gh.child.kill('SIGUSR2');
  await sleep(300);
  const lines = gh
    .output()
    .split('\n')
    .filter((l) => l.startsWith('listener-arrays '));
  return JSON.parse(lines.at(-1).slice('listener-arrays '.length));
}
try {
  for (const [label, path, shape] of paths) {
    // The warm-up's counts (new connections, first calls) are read and dropped.
    await load(`http://${HOST}:${port}${path}`, { seconds: 1, ...shape });
    await counts();
    const res = await load(`http://${HOST}:${port}${path}`, { seconds, ...shape });
    const found = Object.entries(await counts())
      .map(([key, n]) => `${key} ${(n / res.requests).toFixed(3)}`)
      .join(', ');
    console.log(`${label.padEnd(34)} ${res.requests} calls; listener arrays a call: ${found || 'none'}`);
  }
} finally {
  await gh.stop();
  await upstream.stop();
  rmSync(work, { recursive: true, force: true });
}
