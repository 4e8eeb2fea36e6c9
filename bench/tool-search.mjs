// `npm run bench -- --tool-search`: how often the catalog search (search_endpoints) and a virtual
// server's search mode (search_tools) put the right operation first, and among the first three,
// for intents written in plain user language over real API descriptions (bench/corpora/tool-search/,
// README there), per split: `tune` (looked at while tuning the ranking) and `holdout` (never).
// Each intent is searched among the operations of its own API, as one imported collection.
// Also the CPU of building an index and of a query, at the corpora's size and at 10,000 tools.
// Env: BENCH_NO_BUILD=1 (use dist/ as it is), TOOL_SEARCH_SHOW=tune (print that split's misses;
// never set it to holdout while tuning), TOOL_SEARCH_DIST (another build's dist/, for before/after).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_DIR, printTable, ROOT } from './lib.mjs';

const env = process.env;
const CORPUS = join(BENCH_DIR, 'corpora', 'tool-search');
const DIST = env.TOOL_SEARCH_DIST ?? join(ROOT, 'dist');

function ensureBuilt() {
  if (env.TOOL_SEARCH_DIST || (env.BENCH_NO_BUILD === '1' && existsSync(join(DIST, 'gateway', 'index.js')))) return;
  const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

/** Every API's operations: the extracted corpora, and GitHub's description from @octokit/openapi as installed. */
function loadApis() {
  const apis = new Map();
  for (const f of readdirSync(CORPUS).filter((n) => n.endsWith('.ops.jsonl'))) {
    const [head, ...operations] = readFileSync(join(CORPUS, f), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));
    apis.set(head.api, { title: head.title, operations });
  }
  const gh = JSON.parse(readFileSync(join(ROOT, 'node_modules/@octokit/openapi/generated/api.github.com.json'), 'utf8'));
  const operations = [];
  for (const [path, item] of Object.entries(gh.paths)) {
    for (const m of ['get', 'put', 'post', 'delete', 'patch']) {
      const op = item[m];
      if (op)
        operations.push({
          method: m.toUpperCase(),
          path,
          operationId: op.operationId,
          summary: op.summary ?? '',
          description: op.description ?? '',
          tags: op.tags,
        });
    }
  }
  apis.set('github', { title: gh.info.title, operations });
  return apis;
}

function loadIntents(split) {
  return readFileSync(join(CORPUS, `${split}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

const key = (op) => `${op.method} ${op.path}`;

/** A tool name as an admin would give an operation: its operationId made a valid tool name, else method and path. */
function toolName(op, taken) {
  const base = (op.operationId ?? `${op.method}_${op.path}`).replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 64);
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base.slice(0, 60)}_${i}`;
  taken.add(name);
  return name;
}

/**
 * The two searches over one API's operations, as the gateway builds them: the catalog's index
 * (catalog.ts: one document per endpoint, the proxy's base path before its path) and search mode's
 * (tool-search.ts over REST tool definitions made by restToolDefinition, indexed as their operation).
 */
function searchesOf(lib, api, { title, operations }) {
  const base = `/${api}`;
  const catalog = new lib.SearchIndex(
    operations.map((op) =>
      lib.indexDoc({
        method: op.method,
        summary: op.summary,
        operationId: op.operationId,
        path: `${base}${op.path}`,
        tags: op.tags,
        description: op.description,
        collection: title,
      }),
    ),
  );
  const taken = new Set();
  const tools = operations.map((op) => {
    const tool = lib.restToolDefinition(
      { operation: '', name: toolName(op, taken) },
      { summary: op.summary, description: op.description, responses: {} },
      { type: 'object' },
      op.method,
      `${base}${op.path}`,
    );
    lib.indexAsOperation(tool, op.method, `${base}${op.path}`);
    return tool;
  });
  const toolSearch = new lib.ToolSearch(tools);
  const byName = new Map(tools.map((t, i) => [t.name, operations[i]]));
  return {
    catalog: (q) => catalog.search(q, () => true, 3).map((h) => key(operations[h.doc])),
    tools: (q) => toolSearch.search(q, 3).map((h) => key(byName.get(h.name))),
  };
}

function score(intents, searches, view, show) {
  let top1 = 0;
  let top3 = 0;
  const misses = [];
  for (const it of intents) {
    const got = searches.get(it.api)[view](it.intent);
    const ok = new Set(it.expect);
    if (ok.has(got[0])) top1++;
    else if (show) misses.push(`  ${it.id} [${it.api}] "${it.intent}" → ${got[0] ?? '(nothing)'} (want ${it.expect[0]})`);
    if (got.some((g) => ok.has(g))) top3++;
  }
  return { top1, top3, n: intents.length, misses };
}

function cpuMs(fn) {
  const start = process.cpuUsage();
  const out = fn();
  const d = process.cpuUsage(start);
  return { ms: (d.user + d.system) / 1000, out };
}

export async function toolSearchBench() {
  ensureBuilt();
  const gateway = await import(pathToFileURL(join(DIST, 'gateway', 'index.js')).href);
  const federation = await import(pathToFileURL(join(DIST, 'gateway', 'federation', 'index.js')).href);
  const toolSearch = await import(pathToFileURL(join(DIST, 'mcp', 'federation', 'tool-search.js')).href);
  const lib = { ...gateway, restToolDefinition: federation.restToolDefinition, ...toolSearch };
  const apis = loadApis();
  const splits = { tune: loadIntents('tune'), holdout: loadIntents('holdout') };
  for (const [split, intents] of Object.entries(splits)) {
    for (const it of intents) {
      const ops = apis.get(it.api)?.operations;
      if (!ops) throw new Error(`${it.id}: no API ${it.api}`);
      for (const e of it.expect) if (!ops.some((op) => key(op) === e)) throw new Error(`${split} ${it.id}: ${it.api} has no operation ${e}`);
    }
  }
  const searches = new Map();
  const build = cpuMs(() => {
    for (const [api, a] of apis) searches.set(api, searchesOf(lib, api, a));
  });
  const total = [...apis.values()].reduce((n, a) => n + a.operations.length, 0);
  const rows = [];
  const show = env.TOOL_SEARCH_SHOW;
  for (const view of ['catalog', 'tools']) {
    for (const [split, intents] of Object.entries(splits)) {
      const r = score(intents, searches, view, show === split);
      rows.push([view, split, String(r.n), `${r.top1} (${((100 * r.top1) / r.n).toFixed(1)}%)`, `${r.top3} (${((100 * r.top3) / r.n).toFixed(1)}%)`]);
      if (r.misses.length) console.log(`misses, ${view} ${split}:\n${r.misses.join('\n')}`);
    }
  }
  console.log(
    `\nTool search: ${splits.tune.length + splits.holdout.length} intents over ${apis.size} APIs (${total} operations), each searched in its own API`,
  );
  printTable(['search', 'split', 'intents', 'top-1', 'top-3'], rows);

  // Cost: CPU (process.cpuUsage), not wall time: the machine is shared.
  const queries = [...splits.tune, ...splits.holdout];
  const q = cpuMs(() => {
    for (let r = 0; r < 20; r++) for (const it of queries) searches.get(it.api).catalog(it.intent);
  });
  const big = [];
  for (let i = 0; big.length < 10_000; i++) for (const a of apis.values()) big.push(...a.operations.map((op) => ({ ...op, path: `/c${i}${op.path}` })));
  big.length = 10_000;
  const bigBuild = cpuMs(() => searchesOf(lib, 'big', { title: 'many APIs', operations: big }));
  const bigQuery = cpuMs(() => {
    for (let r = 0; r < 5; r++) for (const it of queries) bigBuild.out.catalog(it.intent);
  });
  console.log(
    `\nCPU (process.cpuUsage): building both indexes of all ${total} operations ${build.ms.toFixed(0)} ms; a query ${((q.ms * 1000) / (20 * queries.length)).toFixed(0)} µs on average;` +
      ` 10,000 operations: both indexes built in ${bigBuild.ms.toFixed(0)} ms, a catalog query ${((bigQuery.ms * 1000) / (5 * queries.length)).toFixed(0)} µs on average`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await toolSearchBench();
