// Measures streaming log exports: N request logs (default 1,000,000) written through the writer's
// store, then exported as NDJSON and CSV from a running `gatehouse serve` over its admin API,
// (1) read by a plain HTTP client and (2) by `gatehouse logs export -o file`. Prints wall time and
// the server's (and the CLI's) peak RSS for each. Build first; node bench/log-export.mjs [calls].
// Not a test; CI does not run it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalPlane } from '../dist/node/local.js';
import { cpuSeconds, freePort, HOST, printTable, ROOT, startGatehouseAt } from './lib.mjs';
import { seedRequestLogs } from './seed-logs.mjs';

const CALLS = Number(process.argv[2] ?? 1_000_000);
const MAIN = join(ROOT, 'dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-logexport-'));

const t0 = performance.now();
await seedRequestLogs(dir, CALLS, 7);
console.log(`wrote ${CALLS.toLocaleString('en-US')} request logs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const plane = await openLocalPlane({ dataDir: dir });
const { serviceAccount, clientSecret } = await plane.executor.execute('service-accounts.create', { name: 'bench-exporter', role: 'viewer' }, plane.call);
await plane.close();

const port = await freePort();
const server = await startGatehouseAt('gatehouse', MAIN, dir, port);
const base = `http://${HOST}:${port}`;
const tokenRes = await fetch(`${base}/oauth/token`, {
  method: 'POST',
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    authorization: `Basic ${Buffer.from(`${serviceAccount.clientId}:${clientSecret}`).toString('base64')}`,
  },
  body: new URLSearchParams({ grant_type: 'client_credentials', resource: `${base}/admin/api/v1` }).toString(),
});
const { access_token: token } = await tokenRes.json();

const kb = (pid, field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
// Writing 5 to clear_refs resets the peak (VmHWM) to the current RSS, so each run's peak is its own.
const resetPeak = (pid) => writeFileSync(`/proc/${pid}/clear_refs`, '5');
// RSS counts the node binary's and libraries' file-backed pages (~54 MB, shared with every node
// process); the process's own memory is its anonymous part, whose peak no counter keeps: sampled.
function anonPeak(pid) {
  let peak = 0;
  const sample = () => {
    try {
      peak = Math.max(peak, kb(pid, 'RssAnon'));
    } catch {}
  };
  sample();
  const timer = setInterval(sample, 10);
  return () => {
    clearInterval(timer);
    sample();
    return peak;
  };
}

async function viaHttp(format) {
  resetPeak(server.pid);
  const before = kb(server.pid, 'VmRSS');
  const anon = anonPeak(server.pid);
  const cpu = cpuSeconds(server.pid).process;
  const start = performance.now();
  const res = await fetch(`${base}/admin/api/v1/request-logs/export?format=${format}`, { headers: { authorization: `Bearer ${token}` } });
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res.body) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return {
    seconds: (performance.now() - start) / 1000,
    serverCpu: cpuSeconds(server.pid).process - cpu,
    lines,
    bytes,
    serverBefore: before,
    serverPeak: kb(server.pid, 'VmHWM'),
    serverAnonPeak: anon(),
    clientPeak: null,
    clientAnonPeak: null,
  };
}

async function viaCli(format) {
  resetPeak(server.pid);
  const before = kb(server.pid, 'VmRSS');
  const anon = anonPeak(server.pid);
  const out = join(dir, `export.${format}`);
  const cpu = cpuSeconds(server.pid).process;
  const start = performance.now();
  let cliPeak = 0;
  let cliAnonPeak = 0;
  const child = spawn(process.execPath, [MAIN, 'logs', 'export', '--format', format, '-o', out], {
    env: { ...process.env, GATEHOUSE_SERVER: base, GATEHOUSE_CLIENT_ID: serviceAccount.clientId, GATEHOUSE_CLIENT_SECRET: clientSecret },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const poll = setInterval(() => {
    try {
      cliPeak = Math.max(cliPeak, kb(child.pid, 'VmHWM'));
      cliAnonPeak = Math.max(cliAnonPeak, kb(child.pid, 'RssAnon'));
    } catch {}
  }, 20);
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(poll);
  if (code !== 0) throw new Error(`gatehouse logs export failed: ${stderr}`);
  const bytes = statSync(out).size;
  const lines = Number(/([\d,]+) lines/.exec(stderr)?.[1].replace(/,/g, '') ?? 0);
  rmSync(out);
  return {
    seconds: (performance.now() - start) / 1000,
    serverCpu: cpuSeconds(server.pid).process - cpu,
    lines,
    bytes,
    serverBefore: before,
    serverPeak: kb(server.pid, 'VmHWM'),
    serverAnonPeak: anon(),
    clientPeak: cliPeak,
    clientAnonPeak: cliAnonPeak,
  };
}

/** The server's V8 heap (used, and committed) from its Prometheus metrics, in MB. */
async function heap() {
  const text = await (await fetch(`${base}/metrics`)).text();
  const mb = (name) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN) / 2 ** 20;
  return `heap used ${mb('nodejs_heap_size_used_bytes').toFixed(0)} MB of ${mb('nodejs_heap_size_total_bytes').toFixed(0)} MB committed`;
}

const rows = [];
console.log(`server before the exports: ${await heap()}`);
for (const format of ['ndjson', 'csv']) {
  for (const [how, run] of [
    ['HTTP client', viaHttp],
    ['gatehouse logs export', viaCli],
  ]) {
    const r = await run(format);
    console.log(`server after ${format} via ${how}: ${await heap()}`);
    rows.push([
      format,
      how,
      r.lines.toLocaleString('en-US'),
      `${(r.bytes / 2 ** 20).toFixed(0)} MB`,
      `${r.seconds.toFixed(2)} s`,
      `${(r.lines / r.seconds / 1000).toFixed(0)}k/s`,
      `${r.serverCpu.toFixed(1)} s`,
      `${(r.serverBefore / 1024).toFixed(0)} → ${(r.serverPeak / 1024).toFixed(0)} MB`,
      `${(r.serverAnonPeak / 1024).toFixed(0)} MB`,
      r.clientPeak === null ? '' : `${(r.clientPeak / 1024).toFixed(0)} MB`,
      r.clientAnonPeak === null ? '' : `${(r.clientAnonPeak / 1024).toFixed(0)} MB`,
    ]);
  }
}
console.log(
  `load average during the run: ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} on ${(await import('node:os')).cpus().length} cores`,
);
printTable(
  ['format', 'reader', 'lines', 'size', 'time', 'rate', 'server CPU', 'server RSS (start → peak)', 'server anon peak', 'CLI peak RSS', 'CLI anon peak'],
  rows,
);
await server.stop();
rmSync(dir, { recursive: true, force: true });
