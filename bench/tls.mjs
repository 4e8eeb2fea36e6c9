// `node bench/tls.mjs`: the token auth + rate limit + logging scenario over TLS (issue 23).
// Gatehouse serving HTTPS itself (--tls-cert/--tls-key) against the same Gatehouse over plain HTTP,
// and beside nginx terminating TLS (one worker, TLS 1.3) against nginx over plain HTTP, where
// nginx is installed. Every target in interleaved rounds (see bench/README.md); 50 keep-alive
// connections, so this measures the record layer's cost per call, not handshakes.
// Env: BENCH_ROUNDS (3), BENCH_SECONDS (8).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, freePort, HOST, httpGet, killAll, load, median, printTable, ratio, startGatehouseAt, startNginx, startNode } from './lib.mjs';
import { seedThroughput } from './seed.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const MAIN = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'gatehouse-bench-tls-'));

try {
  const cert = join(work, 'tls.crt');
  const key = join(work, 'tls.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-days',
      '1',
    ],
    { stdio: 'pipe' },
  );

  const ports = { upstream: await freePort(), gh: await freePort(), ghTls: await freePort(), nginx: await freePort(), nginxTls: await freePort() };
  await startNode('upstream', 'upstream.mjs', [ports.upstream]);
  const upstreamUrl = `http://${HOST}:${ports.upstream}`;
  // One data directory each: two writers on one SQLite file would measure their lock, not TLS.
  const dirs = { gh: join(work, 'gh'), ghTls: join(work, 'gh-tls') };
  const seeded = { gh: await seedThroughput(dirs.gh, upstreamUrl), ghTls: await seedThroughput(dirs.ghTls, upstreamUrl) };
  await startGatehouseAt('gatehouse', MAIN, dirs.gh, ports.gh);
  await startGatehouseAt('gatehouse-tls', MAIN, dirs.ghTls, ports.ghTls, { env: { GATEHOUSE_TLS_CERT: cert, GATEHOUSE_TLS_KEY: key }, https: true });
  const nginx = await startNginx(ports.nginx, ports.upstream, work);
  const nginxTls = nginx ? await startNginx(ports.nginxTls, ports.upstream, work, { tls: { cert, key }, name: 'nginx-tls' }) : null;
  if (!nginx) console.log('nginx: not installed (apt-get install nginx-light), skipping the nginx reference');

  const auth = (token) => ({ authorization: `Bearer ${token}` });
  const targets = {
    gh: { label: 'gatehouse, token + limit + logging, http', url: `http://${HOST}:${ports.gh}${seeded.gh.authPath}`, headers: auth(seeded.gh.token) },
    ghTls: {
      label: 'gatehouse, token + limit + logging, https',
      url: `https://${HOST}:${ports.ghTls}${seeded.ghTls.authPath}`,
      headers: auth(seeded.ghTls.token),
    },
    ...(nginxTls
      ? {
          nginx: { label: 'nginx, proxy_pass, http', url: `http://${HOST}:${ports.nginx}/items`, headers: {} },
          nginxTls: { label: 'nginx, proxy_pass, https (TLS 1.3)', url: `https://${HOST}:${ports.nginxTls}/items`, headers: {} },
        }
      : {}),
  };
  for (const [key, t] of Object.entries(targets)) {
    const res = await httpGet(t.url, t.headers);
    if (res.status !== 200) throw new Error(`${key}: ${t.url} answered ${res.status}: ${res.body.slice(0, 200)}`);
    await load(t.url, { seconds: 2, headers: t.headers });
  }
  const keys = Object.keys(targets);
  const runs = Object.fromEntries(keys.map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = keys.map((_, i) => keys[(i + round) % keys.length]);
    for (const k of order) runs[k].push(await load(targets[k].url, { seconds: SECONDS, headers: targets[k].headers }));
  }
  const m = Object.fromEntries(
    keys.map((k) => [
      k,
      {
        rps: median(runs[k].map((r) => r.rps)),
        p50: median(runs[k].map((r) => r.p50)),
        p99: median(runs[k].map((r) => r.p99)),
        errors: runs[k].reduce((a, r) => a + r.errors + r.non2xx, 0),
      },
    ]),
  );
  printTable(
    ['target', 'req/s', 'p50 ms', 'p99 ms', 'errors'],
    keys.map((k) => [targets[k].label, fmt.rps(m[k].rps), fmt.ms(m[k].p50), fmt.ms(m[k].p99), String(m[k].errors)]),
  );
  console.log(`gatehouse https / http: ${fmt.x(ratio(m.ghTls.rps, m.gh.rps))}`);
  if (m.nginxTls) {
    console.log(`nginx https / http: ${fmt.x(ratio(m.nginxTls.rps, m.nginx.rps))}`);
    console.log(
      `gatehouse https / nginx https: ${fmt.x(ratio(m.ghTls.rps, m.nginxTls.rps))} (gatehouse authenticates, counts and logs every call; nginx only proxies)`,
    );
  }
} finally {
  killAll();
  rmSync(work, { recursive: true, force: true });
}
