// `node --expose-gc bench/estate.mjs`: a large estate in bounded memory.
// Generates an OpenAPI description of 5,000 operations over 400 interlinked component schemas
// (entities that name each other, some recursively, as Microsoft Graph's do), imports it through
// the operation registry, then calls `inspect_contract` on every endpoint through the Gateway MCP,
// and reports RSS and heap at each stage, with tools/list and search_endpoints p50. The MCP client
// (bench/estate-client.mjs) runs as a process of its own, as an agent would: its decoding of ~5,000
// large responses is not the gateway's memory (`--client-in-process` runs it in this process, as
// the bench did before, for comparison).
// Targets (issues 29, 40): RSS < 300 MB after inspecting every contract, with and without a forced
// GC before each reading; import < 5 s; tools/list and search_endpoints p50 < 5 ms.
// The gateway runs in this process (so its memory is what is measured), with the flags this process
// was started with: for the deployment recipes' runtime tuning (docs/operations/runtime-tuning.md),
// `MALLOC_ARENA_MAX=2 node --expose-gc --max-semi-space-size=8 --heap-growing-percent=50 --no-maglev bench/estate.mjs`.
// `node bench/estate.mjs --no-forced-gc` reads the RSS as it is, with no GC forced by the
// bench: what an operator's monitoring sees. Env: ESTATE_OPERATIONS (5000), BENCH_NO_BUILD=1 (use
// the existing dist/).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estateDocument } from './estate-doc.mjs';
import { inspectEstate } from './estate-client.mjs';
import { BENCH_DIR, printTable, ROOT } from './lib.mjs';

const OPERATIONS = Number(process.env.ESTATE_OPERATIONS ?? 5_000);
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const FORCED_GC = !process.argv.includes('--no-forced-gc');
const IN_PROCESS_CLIENT = process.argv.includes('--client-in-process');

if (FORCED_GC && typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc bench/estate.mjs (or node bench/estate.mjs --no-forced-gc)');
  process.exit(2);
}
if (!(existsSync(MAIN) && process.env.BENCH_NO_BUILD === '1')) {
  const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

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

/** bench/estate-client.mjs as a process of its own: resolves with its results once it has inspected every contract; `close` ends its session. */
async function clientProcess(url, token) {
  const child = spawn(process.execPath, [join(BENCH_DIR, 'estate-client.mjs'), url, token], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`estate client exited with ${code}`)))),
  );
  let out = '';
  for await (const chunk of child.stdout) {
    out += chunk;
    if (out.includes('\n')) break;
  }
  if (!out.includes('\n')) await exited;
  const result = JSON.parse(out);
  return {
    ...result,
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-estate-'));
const rows = [];
try {
  const gh = await startGatehouse({ port: 0, dataDir, adminPassword: 'estate-bench-password', logLevel: 'silent' });
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
  const mcpUrl = `${gh.urls.proxy}/mcp`;
  // The RSS is sampled every 100 ms while the client inspects: the peak between readings.
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss / 1_048_576);
  }, 100);
  const client = IN_PROCESS_CLIENT ? await inspectEstate(mcpUrl, token) : await clientProcess(mcpUrl, token);
  clearInterval(sampler);
  const afterInspect = memory();
  rows.push([
    'inspected every contract',
    `${(client.inspectMs / 1000).toFixed(1)} s`,
    String(client.inspected),
    afterInspect.rssMb.toFixed(0),
    afterInspect.heapMb.toFixed(0),
  ]);
  await client.close();
  await gh.close();

  const reading = FORCED_GC ? 'after a forced GC' : 'no forced GC';
  console.log(`node ${process.execArgv.join(' ')}${process.env.MALLOC_ARENA_MAX ? `, MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX}` : ''}`);
  printTable(['stage', 'time', 'operations', `RSS MB (${reading})`, `heap MB (${reading})`], rows);
  console.log(`\nRSS peak while inspecting: ${peakRss.toFixed(0)} MB`);
  console.log(`MCP client: ${IN_PROCESS_CLIENT ? 'in this process (--client-in-process)' : 'a process of its own (bench/estate-client.mjs)'}`);
  console.log(`tools/list p50 ${client.listP50.toFixed(2)} ms; search_endpoints p50 ${client.searchP50.toFixed(2)} ms`);
  const ok = afterInspect.rssMb < 300 && imported.ms < 5_000 && client.listP50 < 5 && client.searchP50 < 5;
  console.log(ok ? 'estate targets met' : 'estate targets NOT met (RSS < 300 MB, import < 5 s, p50 < 5 ms)');
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
