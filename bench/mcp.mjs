// `node bench/mcp.mjs`: the Gateway MCP against REST on the same gateway process.
// - execute_call through /mcp (2026-07-28 stateless requests, and 2025-era stateless requests)
//   vs the same call over REST, interleaved rounds, closed loop (wrk);
// - tools/list with 1,000 reachable endpoints in the caller's catalog;
// - execute_call at a fixed 500 calls/s (wrk with random per-request pauses, see lib.mjs load()): p50/p99.
// Targets (issue): execute_call >= 40% of REST req/s; p99 <= 5 ms at 500/s; tools/list p50 < 2 ms.
// Env: BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_CONNECTIONS (50), BENCH_QUICK=1 (1 round x 3 s),
// BENCH_PROFILE=1 (write a .cpuprofile of the gateway to bench/results/profiles).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, fmt, freePort, HOST, load, median, printTable, ROOT, ratio, startProcess, waitForHttp, waitForReady, which } from './lib.mjs';

const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const ROUNDS = Number(env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const SECONDS = Number(env.BENCH_SECONDS ?? (QUICK ? 3 : 5));
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 50);
const ENDPOINTS = 1_000;
const FIXED_RATE = 500;
const PROFILE = env.BENCH_PROFILE === '1';
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');

const pct = (a, b) => (Number.isFinite(ratio(a, b)) ? `${Math.round(ratio(a, b) * 100)}%` : '—');

function ensureBuilt() {
  if (existsSync(MAIN) && env.BENCH_NO_BUILD === '1') return;
  const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

/** A synthetic OpenAPI document: `n` endpoints, one of which (`GET /items/{id}`) the calls use. */
function openapi(n) {
  const paths = {
    '/items/{id}': {
      get: {
        operationId: 'getItem',
        summary: 'Get an item',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
          { name: 'fields', in: 'query', schema: { type: 'string' } },
        ],
        responses: {
          200: { description: 'The item', content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array' } } } } } },
        },
      },
    },
  };
  for (let i = 1; i < n; i++) {
    paths[`/resources${i}/{id}`] = {
      get: {
        operationId: `getResource${i}`,
        summary: `Get resource ${i}`,
        description: `Returns one resource of kind ${i}.`,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: {
            description: 'ok',
            content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } } } },
          },
        },
      },
    };
  }
  return { openapi: '3.1.0', info: { title: 'Bench catalog', version: '1' }, paths };
}

async function seed(dataDir, upstreamUrl) {
  const { openLocalPlane } = await import('../dist/node/local.js');
  const plane = await openLocalPlane({ dataDir, logLevel: 'warn' });
  try {
    const run = (op, input) => plane.executor.execute(op, input, plane.call);
    const col = await run('collections.create', { slug: 'bench-mcp', name: 'Bench MCP', published: true });
    await run('proxies.import-openapi', { collectionId: col.id, document: openapi(ENDPOINTS), basePath: '/bench', upstreams: [upstreamUrl] });
    const policy = await run('policies.create', { name: 'bench-mcp', rateLimits: [{ window: 'minute', limit: 100_000_000 }] });
    const client = await run('clients.create', { name: 'Bench MCP client', collectionIds: [col.id], policyId: policy.id });
    const profile = await run('profiles.create', { clientId: client.id, name: 'default', authType: 'token' });
    const issued = await run('credentials.issue', { profileId: profile.id });
    return { token: issued.token, clientId: client.id, profileId: profile.id };
  } finally {
    await plane.close();
  }
}

function startNode(name, args, opts = {}) {
  const proc = startProcess(name, process.execPath, args, opts);
  return proc;
}

async function post(url, body, headers) {
  const res = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
  return { status: res.status, text: await res.text() };
}

async function main() {
  ensureBuilt();
  if (!which('wrk')) throw new Error('wrk is required (apt-get install wrk)');
  const work = mkdtempSync(join(tmpdir(), 'gatehouse-bench-mcp-'));
  try {
    const upstreamPort = await freePort();
    const gwPort = await freePort();
    const upstream = startNode('upstream', [join(BENCH_DIR, 'upstream.mjs'), String(upstreamPort)]);
    await waitForHttp(`http://${HOST}:${upstreamPort}/`, upstream);
    const dataDir = join(work, 'data');
    const seeded = await seed(dataDir, `http://${HOST}:${upstreamPort}`);
    const profDir = join(BENCH_DIR, 'results', 'profiles');
    if (PROFILE) mkdirSync(profDir, { recursive: true });
    const nodeArgs = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=mcp-${Date.now()}.cpuprofile`] : [];
    const gw = startNode('gatehouse', [...nodeArgs, MAIN, 'serve', '--port', String(gwPort), '--data-dir', dataDir], {
      env: { ...env, GATEHOUSE_LOG_LEVEL: 'warn' },
    });
    await waitForReady(`http://${HOST}:${gwPort}`, gw);

    const base = `http://${HOST}:${gwPort}`;
    const mcpUrl = `${base}/mcp`;
    const auth = { authorization: `Bearer ${seeded.token}`, 'x-client-id': seeded.clientId, 'x-profile-id': seeded.profileId };
    const restUrl = `${base}/bench/items/7?fields=all`;
    const callArgs = { endpoint: 'GET /bench/items/{id}', params: { path: { id: 7 }, query: { fields: 'all' } } };
    const clientInfo = { name: 'bench', version: '1' };
    const modernBody = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: 'execute_call',
        arguments: callArgs,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientInfo': clientInfo,
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    });
    const modernHeaders = {
      ...auth,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'execute_call',
    };
    const legacyBody = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'execute_call', arguments: callArgs } });
    const legacyHeaders = { ...auth, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };
    const listModern = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/list',
      params: {
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientInfo': clientInfo,
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    });
    const listHeaders = { ...modernHeaders, 'mcp-method': 'tools/list' };
    delete listHeaders['mcp-name'];

    // Sanity: each request shape works before it is measured.
    for (const [label, body, headers] of [
      ['modern execute_call', modernBody, modernHeaders],
      ['legacy execute_call', legacyBody, legacyHeaders],
      ['tools/list', listModern, listHeaders],
    ]) {
      const r = await post(mcpUrl, body, headers);
      if (r.status !== 200 || r.text.includes('"isError":true') || r.text.includes('"error"'))
        throw new Error(`${label} failed: ${r.status} ${r.text.slice(0, 500)}`);
    }
    const search = await post(
      mcpUrl,
      JSON.stringify({ ...JSON.parse(modernBody), params: { ...JSON.parse(modernBody).params, name: 'list_collections', arguments: {} } }),
      { ...modernHeaders, 'mcp-name': 'list_collections' },
    );
    const count = /"endpointCount":(\d+)/.exec(search.text)?.[1];
    if (Number(count) !== ENDPOINTS) throw new Error(`expected ${ENDPOINTS} reachable endpoints, got ${count}`);

    const warm = { seconds: 2, connections: CONNECTIONS };
    await load(restUrl, { ...warm, headers: auth });
    await load(mcpUrl, { ...warm, method: 'POST', body: modernBody, headers: modernHeaders });

    const rest = [];
    const modern = [];
    const legacy = [];
    const lists = [];
    for (let round = 0; round < ROUNDS; round++) {
      const opts = { seconds: SECONDS, connections: CONNECTIONS };
      rest.push(await load(restUrl, { ...opts, headers: auth }));
      modern.push(await load(mcpUrl, { ...opts, method: 'POST', body: modernBody, headers: modernHeaders }));
      legacy.push(await load(mcpUrl, { ...opts, method: 'POST', body: legacyBody, headers: legacyHeaders }));
      lists.push(await load(mcpUrl, { seconds: SECONDS, connections: 10, method: 'POST', body: listModern, headers: listHeaders }));
    }
    // The fixed-rate runs get rounds of their own (a 5 s sample's p99 is a few dozen calls: one
    // hiccup of the machine moves it), MCP and REST alternating.
    const fixedRuns = [];
    const fixedRestRuns = [];
    for (let round = 0; round < ROUNDS; round++) {
      const paced = { seconds: Math.max(SECONDS, 5), connections: 20, rate: FIXED_RATE };
      fixedRuns.push(await load(mcpUrl, { ...paced, method: 'POST', body: modernBody, headers: modernHeaders }));
      fixedRestRuns.push(await load(restUrl, { ...paced, headers: auth }));
    }

    const med = (runs, k) => median(runs.map((r) => r[k]));
    const medianRun = (runs) => ({
      rps: med(runs, 'rps'),
      p50: med(runs, 'p50'),
      p99: med(runs, 'p99'),
      non2xx: runs.reduce((a, r) => a + r.non2xx, 0),
      errors: runs.reduce((a, r) => a + r.errors, 0),
    });
    const fixed = medianRun(fixedRuns);
    const fixedRest = medianRun(fixedRestRuns);
    const restRps = med(rest, 'rps');
    const rows = [
      ['REST GET (same call)', fmt.rps(restRps), fmt.ms(med(rest, 'p50')), fmt.ms(med(rest, 'p99')), '100%', ''],
      [
        'execute_call, 2026-07-28',
        fmt.rps(med(modern, 'rps')),
        fmt.ms(med(modern, 'p50')),
        fmt.ms(med(modern, 'p99')),
        pct(med(modern, 'rps'), restRps),
        '>= 40%',
      ],
      [
        'execute_call, 2025 stateless',
        fmt.rps(med(legacy, 'rps')),
        fmt.ms(med(legacy, 'p50')),
        fmt.ms(med(legacy, 'p99')),
        pct(med(legacy, 'rps'), restRps),
        '>= 40%',
      ],
      [
        `tools/list (${ENDPOINTS} endpoints reachable, 10 conns)`,
        fmt.rps(med(lists, 'rps')),
        fmt.ms(med(lists, 'p50')),
        fmt.ms(med(lists, 'p99')),
        '',
        'p50 < 2 ms',
      ],
      [`execute_call at ${FIXED_RATE}/s (paced wrk)`, fmt.rps(fixed.rps), fmt.ms(fixed.p50), fmt.ms(fixed.p99), '', 'p99 <= 5 ms'],
      [`REST at ${FIXED_RATE}/s (paced wrk)`, fmt.rps(fixedRest.rps), fmt.ms(fixedRest.p50), fmt.ms(fixedRest.p99), '', ''],
    ];
    const bad = [...rest, ...modern, ...legacy, ...lists].reduce((a, r) => a + r.non2xx, 0) + fixed.non2xx + fixed.errors;
    console.log(`\nGateway MCP vs REST — ${ROUNDS} interleaved round(s) x ${SECONDS}s, ${CONNECTIONS} connections (wrk), medians; Node ${process.version}`);
    printTable(['', 'req/s', 'p50', 'p99', 'vs REST', 'target'], rows);
    console.log(
      `execute_call at ${FIXED_RATE}/s, p99 per round: ${fixedRuns.map((r) => fmt.ms(r.p99)).join(', ')} ms (REST: ${fixedRestRuns.map((r) => fmt.ms(r.p99)).join(', ')} ms)`,
    );
    if (bad > 0) console.log(`\nWARNING: ${bad} non-2xx responses or errors during the runs`);
    await gw.stop();
    await upstream.stop();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
