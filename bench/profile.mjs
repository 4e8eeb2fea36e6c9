// Profiles one Gatehouse process under load: `node bench/profile.mjs [plain|auth|workflow|cache|bare|diag] [seconds]`
// (`bare` profiles the bare Node reference proxy instead, to compare against; `diag` the data plane
// with a no-op recorder, bench/gateway-diag.mjs, on the token-auth path).
// Starts the upstream and `gatehouse serve --cpu-prof`, drives it (wrk or autocannon, 50
// connections), stops it, and prints the functions with the most self time. Also usable on any
// existing profile: `node bench/profile.mjs file.cpuprofile`.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, freePort, HOST, load, ROOT, startProcess, waitForHttp } from './lib.mjs';

/** Self time per function (name + file:line) of a .cpuprofile, largest first. */
export function topSelf(profile, limit = 30) {
  const { nodes, samples, timeDeltas } = profile;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const dt = timeDeltas[i] ?? 0;
    total += dt;
    const n = byId.get(samples[i]);
    const f = n.callFrame;
    const file = f.url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '');
    const key = `${f.functionName || '(anonymous)'}  ${file}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  return { total, rows: [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit) };
}

function print(file) {
  const { total, rows } = topSelf(JSON.parse(readFileSync(file, 'utf8')), Number(process.env.TOP ?? 40));
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
  for (const [k, t] of rows) console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
}

if (process.argv[2]?.endsWith('.cpuprofile')) {
  print(process.argv[2]);
} else {
  const which = process.argv[2] ?? 'auth';
  const seconds = Number(process.argv[3] ?? 10);
  const { seedThroughput } = await import('./seed.mjs');
  const work = mkdtempSync(join(tmpdir(), 'gatehouse-prof-'));
  const up = await freePort();
  const upstream = startProcess('upstream', process.execPath, [join(BENCH_DIR, 'upstream.mjs'), String(up)]);
  const seeded = await seedThroughput(join(work, 'gh'), `http://${HOST}:${up}`);
  const port = await freePort();
  const dir = join(work, 'prof');
  mkdirSync(dir);
  const prof = ['--cpu-prof', `--cpu-prof-dir=${dir}`];
  const gh =
    which === 'bare'
      ? startProcess('bare', process.execPath, [...prof, join(BENCH_DIR, 'bare-proxy.mjs'), String(port), `http://${HOST}:${up}`])
      : which === 'diag'
        ? startProcess('diag', process.execPath, [...prof, join(BENCH_DIR, 'gateway-diag.mjs'), String(port), join(work, 'gh')])
        : startProcess(
            'gatehouse',
            process.execPath,
            [...prof, join(ROOT, 'dist/cli/main.js'), 'serve', '--port', String(port), '--data-dir', join(work, 'gh')],
            {
              env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'warn' },
            },
          );
  await waitForHttp(`http://${HOST}:${port}${which === 'bare' ? '/' : '/readyz'}`, gh, { okStatus: (s) => s === 200 });
  const authed = which !== 'plain' && which !== 'bare';
  const path = { auth: seeded.authPath, diag: seeded.authPath, workflow: seeded.workflowPath, cache: seeded.cachePath }[which] ?? seeded.plainPath;
  const url = `http://${HOST}:${port}${path}`;
  const post = which === 'workflow' ? { method: 'POST', body: seeded.postBody } : {};
  const headers = { ...(authed ? { authorization: `Bearer ${seeded.token}` } : {}), ...(post.body ? { 'content-type': 'application/json' } : {}) };
  await load(url, { seconds: 2, headers, ...post });
  const r = await load(url, { seconds, headers, ...post });
  console.log(`${which}: ${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.non2xx} non-2xx`);
  await gh.stop();
  await upstream.stop();
  for (const f of readdirSync(dir)) print(join(dir, f));
}
