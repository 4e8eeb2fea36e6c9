// The cost of guardrails on a REST call: `GET` through a token + rate-limit + log path whose
// 4 KiB JSON response is scanned by detect_pii (redact) and prompt_guard (flag), against the same
// call through the same gateway without a workflow, and with a workflow node that buffers the body
// but does nothing (what buffering costs apart from the scans). Interleaved rounds (rotated
// order), medians, ratios; the gateway's CPU per call as well as req/s, since the machine is shared.
// Usage: npx tsc -p tsconfig.build.json && node bench/guardrails.mjs   (BENCH_SECONDS, BENCH_ROUNDS)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalPlane } from '../dist/node/local.js';
import { cpuSeconds, fmt, freePort, HOST, killAll, load, median, printTable, ratio, startGatehouseAt, startProcess, waitForHttp } from './lib.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

// A 4 KiB answer of ordinary catalogue text (no PII: the common case the scans must pay for).
const UPSTREAM = `
const { createServer } = require('node:http');
const words = 'durable oak desk with two drawers ships flat packed assembly takes twenty minutes finish is matte lacquer'.split(' ');
const items = [];
for (let i = 0; JSON.stringify({ items }).length < 3900; i++) items.push({ id: i, sku: 'SKU-' + (1000 + i), name: words[i % words.length] + ' ' + words[(i * 7) % words.length], text: words.slice(i % 5, (i % 5) + 9).join(' ') });
const body = Buffer.from(JSON.stringify({ items }));
createServer({ keepAliveTimeout: 65000 }, (req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }); res.end(body); }); })
  .listen(Number(process.argv[1]), '127.0.0.1', () => console.log('listening ' + body.length));
`;

async function seed(dataDir, upstreamUrl) {
  const plane = await openLocalPlane({ dataDir, logLevel: 'warn' });
  try {
    const run = (op, input) => plane.executor.execute(op, input, plane.call);
    const col = await run('collections.create', { slug: 'bench-guard', name: 'Bench guardrails', published: true });
    const plain = await run('proxies.create', { collectionId: col.id, name: 'Plain', basePath: '/plain', upstreams: [upstreamUrl] });
    await run('endpoints.create', { proxyId: plain.id, method: 'GET', path: '/items' });
    const wf = await run('workflows.create', {
      name: 'bench-guardrails',
      response: [
        { type: 'detect_pii', id: 'pii', types: ['email', 'phone', 'card', 'iban', 'ip', 'secret'] },
        { type: 'prompt_guard', id: 'guard', action: 'flag' },
      ],
      bodyLimitBytes: 65_536,
    });
    const guarded = await run('proxies.create', { collectionId: col.id, name: 'Guarded', basePath: '/guarded', upstreams: [upstreamUrl], workflowId: wf.id });
    await run('endpoints.create', { proxyId: guarded.id, method: 'GET', path: '/items' });
    // The same body buffered by a workflow node that reads it but finds nothing to do: what buffering costs, apart from the scans.
    const buffered = await run('workflows.create', {
      name: 'bench-buffered',
      response: [{ type: 'redact_response_fields', id: 'noop', paths: ['$.absent'] }],
      bodyLimitBytes: 65_536,
    });
    const bufferedProxy = await run('proxies.create', {
      collectionId: col.id,
      name: 'Buffered',
      basePath: '/buffered',
      upstreams: [upstreamUrl],
      workflowId: buffered.id,
    });
    await run('endpoints.create', { proxyId: bufferedProxy.id, method: 'GET', path: '/items' });
    const policy = await run('policies.create', { name: 'bench', rateLimits: [{ window: 'minute', limit: 100_000_000 }] });
    const client = await run('clients.create', { name: 'Bench client', collectionIds: [col.id], policyId: policy.id });
    const profile = await run('profiles.create', { clientId: client.id, name: 'default', authType: 'token' });
    return (await run('credentials.issue', { profileId: profile.id })).token;
  } finally {
    await plane.close();
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-guard-'));
try {
  const upPort = await freePort();
  const upstream = startProcess('upstream', process.execPath, ['-e', UPSTREAM, String(upPort)]);
  await waitForHttp(`http://${HOST}:${upPort}/`, upstream);
  const token = await seed(dataDir, `http://${HOST}:${upPort}`);
  const port = await freePort();
  const gateway = await startGatehouseAt('gatehouse', join(import.meta.dirname, '..', 'dist', 'cli', 'main.js'), dataDir, port);
  const headers = { authorization: `Bearer ${token}` };
  const targets = [
    { name: 'token + limit + log, 4 KiB response', url: `http://${HOST}:${port}/plain/items` },
    { name: 'the same + a body-buffering node', url: `http://${HOST}:${port}/buffered/items` },
    { name: 'the same + detect_pii + prompt_guard', url: `http://${HOST}:${port}/guarded/items` },
  ];
  for (const t of targets) await load(t.url, { seconds: 2, headers }); // warm-up
  const results = new Map(targets.map((t) => [t.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    const order = targets.map((_, i) => targets[(i + r) % targets.length]);
    for (const t of order) {
      // The gateway's main-thread CPU per call: on a shared, loaded machine a steadier measure than req/s.
      const before = cpuSeconds(gateway.pid).main;
      const out = await load(t.url, { seconds: SECONDS, headers });
      const cpuUs = ((cpuSeconds(gateway.pid).main - before) / out.requests) * 1e6;
      if (out.non2xx > 0 || out.errors > 0) throw new Error(`${t.name}: ${out.non2xx} non-2xx, ${out.errors} errors`);
      results.get(t.name).push({ ...out, cpuUs });
    }
  }
  const base = median(results.get(targets[0].name).map((o) => o.rps));
  const baseCpu = median(results.get(targets[0].name).map((o) => o.cpuUs));
  printTable(
    ['target', 'req/s (median)', 'p50 ms', 'p99 ms', 'vs without', 'CPU µs/call', 'calls per CPU-second vs without'],
    targets.map((t) => {
      const runs = results.get(t.name);
      const rps = median(runs.map((o) => o.rps));
      const cpu = median(runs.map((o) => o.cpuUs));
      return [
        t.name,
        fmt.rps(rps),
        fmt.ms(median(runs.map((o) => o.p50))),
        fmt.ms(median(runs.map((o) => o.p99))),
        fmt.x(ratio(rps, base)),
        fmt.us(cpu),
        fmt.x(ratio(baseCpu, cpu)),
      ];
    }),
  );
} finally {
  killAll();
  rmSync(dataDir, { recursive: true, force: true });
}
