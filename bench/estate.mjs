// `node --expose-gc bench/estate.mjs`: a large estate in bounded memory.
// Generates an OpenAPI description of 5,000 operations over 400 interlinked component schemas
// (entities that name each other, some recursively, as Microsoft Graph's do), imports it through
// the operation registry, then calls `inspect_contract` on every endpoint through the Gateway MCP,
// and reports RSS and heap at each stage, with tools/list and search_endpoints p50.
// Targets (issues 29, 40): RSS < 300 MB after inspecting every contract, with and without a forced
// GC before each reading; import < 5 s; tools/list and search_endpoints p50 < 5 ms.
// The gateway runs in this process (so its memory is what is measured) under `gatehouse serve`'s
// runtime settings: the process re-executes itself with serve's V8 flags and environment
// (src/cli/runtime-flags.ts) and settles its heap after start-up as serve does. The MCP client adds
// a few MB. `node bench/estate.mjs --no-forced-gc` reads the RSS as it is, with no GC forced by the
// bench: what an operator's monitoring sees. Env: ESTATE_OPERATIONS (5000), BENCH_NO_BUILD=1 (use
// the existing dist/).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estateDocument } from './estate-doc.mjs';
import { median, printTable, ROOT } from './lib.mjs';

const OPERATIONS = Number(process.env.ESTATE_OPERATIONS ?? 5_000);
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const FORCED_GC = !process.argv.includes('--no-forced-gc');

if (FORCED_GC && typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc bench/estate.mjs (or node bench/estate.mjs --no-forced-gc)');
  process.exit(2);
}
if (!(existsSync(MAIN) && process.env.BENCH_NO_BUILD === '1')) {
  const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}
// The re-executed process must not build again.
process.env.BENCH_NO_BUILD = '1';
const { applyServeRuntime } = await import('../dist/cli/runtime-flags.js');
applyServeRuntime();
const { settleHeap } = await import('../dist/cli/settle-heap.js');

function memory() {
  if (FORCED_GC) {
    globalThis.gc();
    globalThis.gc();
  }
  const m = process.memoryUsage();
  return { rssMb: m.rss / 1_048_576, heapMb: m.heapUsed / 1_048_576 };
}

async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

const { startGatehouse } = await import('../dist/node/index.js');
const { SYSTEM_PRINCIPAL } = await import('../dist/management/bootstrap.js');
const { Client, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');

const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-estate-'));
const rows = [];
try {
  const gh = await startGatehouse({ port: 0, dataDir, adminPassword: 'estate-bench-password', logLevel: 'silent' });
  settleHeap();
  const call = { principal: SYSTEM_PRINCIPAL, channel: 'cli', requestId: 'estate', localAdmin: true };
  const run = (op, input) => gh.executor.execute(op, input, call);
  const start = memory();
  rows.push(['started', '', '', start.rssMb.toFixed(0), start.heapMb.toFixed(0)]);

  const col = await run('collections.create', { slug: 'estate', name: 'Estate', published: true });
  // The document's text is built inside the call so that this module does not keep its ~10 MB alive (the gateway does not either).
  const imported = await timed(() =>
    run('proxies.import-openapi', {
      collectionId: col.id,
      document: JSON.stringify(estateDocument(OPERATIONS)),
      basePath: '/estate',
      upstreams: ['http://127.0.0.1:9'],
    }),
  );
  const afterImport = memory();
  rows.push([
    'imported',
    `${(imported.ms / 1000).toFixed(2)} s`,
    String(imported.value.counts.created),
    afterImport.rssMb.toFixed(0),
    afterImport.heapMb.toFixed(0),
  ]);

  const c = await run('clients.create', { name: 'estate agent', collectionIds: [col.id] });
  const p = await run('profiles.create', { clientId: c.id, name: 'default', authType: 'token' });
  const { token } = await run('credentials.issue', { profileId: p.id });
  const client = new Client({ name: 'estate-bench', version: '1' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gh.urls.proxy}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));

  const listTimes = [];
  for (let i = 0; i < 50; i++) listTimes.push((await timed(() => client.listTools())).ms);
  const searchTimes = [];
  for (let i = 0; i < 50; i++)
    searchTimes.push((await timed(() => client.callTool({ name: 'search_endpoints', arguments: { query: `update an entity of group ${i * 17}` } }))).ms);

  const ids = [];
  for (let cursor = '0'; cursor !== null; ) {
    const page = await client.callTool({ name: 'list_endpoints', arguments: { collection: 'estate', limit: 500, cursor } });
    for (const ep of page.structuredContent.endpoints) ids.push(ep.id);
    cursor = page.structuredContent.nextCursor;
  }
  let peakRss = 0;
  const inspected = await timed(async () => {
    for (const [i, id] of ids.entries()) {
      const res = await client.callTool({ name: 'inspect_contract', arguments: { endpoint: id } });
      if (res.isError) throw new Error(`inspect_contract ${id}: ${JSON.stringify(res.structuredContent)}`);
      if (i % 250 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss / 1_048_576);
    }
  });
  const afterInspect = memory();
  rows.push([
    'inspected every contract',
    `${(inspected.ms / 1000).toFixed(1)} s`,
    String(ids.length),
    afterInspect.rssMb.toFixed(0),
    afterInspect.heapMb.toFixed(0),
  ]);
  await client.close();
  await gh.close();

  const reading = FORCED_GC ? 'after a forced GC' : 'no forced GC';
  console.log(`node ${process.execArgv.join(' ')}${process.env.MALLOC_ARENA_MAX ? `, MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX}` : ''}`);
  printTable(['stage', 'time', 'operations', `RSS MB (${reading})`, `heap MB (${reading})`], rows);
  console.log(`\nRSS peak while inspecting: ${peakRss.toFixed(0)} MB`);
  console.log(`tools/list p50 ${median(listTimes).toFixed(2)} ms; search_endpoints p50 ${median(searchTimes).toFixed(2)} ms`);
  const ok = afterInspect.rssMb < 300 && imported.ms < 5_000 && median(listTimes) < 5 && median(searchTimes) < 5;
  console.log(ok ? 'estate targets met' : 'estate targets NOT met (RSS < 300 MB, import < 5 s, p50 < 5 ms)');
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
