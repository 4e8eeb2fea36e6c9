// `npm run bench -- --guardrails`: detection quality of detect_pii, prompt_guard and the
// tool-definition scan on the labelled corpora (bench/corpora/README.md), per family, category,
// split and channel, against issue #51's targets; and CPU per MiB per detector. Channels: `direct`
// (the detectors of dist/ in-process) and, through a real gatehouse with real upstreams, the REST
// request body, the REST response (JSON and text/plain), MCP tool arguments, MCP result text and
// MCP structured content. Definitions are judged by the federation's definition scan from dist/
// (direct only). Full results: bench/results/guardrails-<date>.json.
// Env: BENCH_CORPORA (dir, default bench/corpora), BENCH_GUARDRAIL_GATEWAY=0 (direct only),
// BENCH_GUARDRAIL_E2E_ITEMS (60: items per family and split sent through the gateway; direct scores all),
// BENCH_GUARDRAIL_COST=0 (no CPU figures), BENCH_GUARDRAIL_RUNS (3), BENCH_NO_BUILD=1, BENCH_PUBLIC_INJECTION (path to
// public injection material outside the repository: prompt_guard's recall and benign blocked per source, guardrail-public.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CPU_MS_PER_MIB_TARGET, loadCorpora, TARGETS, tabulate } from './guardrail-corpus.mjs';
import { RUNS as CPU_RUNS, measureDetectorCpu, measureEventLoopHold, referenceCpuMs } from './guardrail-cost.mjs';
import { directScorer, loadDetectors } from './guardrail-direct.mjs';
import { NEAR, untwinnedIds } from './near-twins.mjs';
import { publicInjectionTallies } from './guardrail-public.mjs';
import { CHANNELS, groupOf, pool, sendThrough, startGuardrailGateway } from './guardrail-gateway.mjs';
import { BENCH_DIR, killAll, printTable, ROOT } from './lib.mjs';

const env = process.env;
const pct = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

function ensureBuilt() {
  if (env.BENCH_NO_BUILD === '1' && existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) return;
  const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

/** Scores every item in-process: outcomes of channel `direct`, and the items no detector covers. */
export async function directOutcomes(items) {
  const score = directScorer(await loadDetectors());
  const outcomes = [];
  const uncovered = [];
  for (const item of items) {
    const flagged = score(item);
    if (flagged === null) uncovered.push(item.id);
    else outcomes.push({ item, channel: 'direct', flagged });
  }
  return { outcomes, uncovered };
}

/**
 * Up to `perGroup` items of each family and split, spread evenly over the file order (positives
 * and negatives alike): the gateway channels cost a call each, and the run must stay within minutes.
 */
export function spread(items, perGroup) {
  const groups = new Map();
  for (const item of items) {
    const key = `${item.family}/${item.split}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(item);
  }
  const out = [];
  for (const group of groups.values()) {
    const step = Math.max(1, group.length / perGroup);
    for (let i = 0; i < group.length; i += step) out.push(group[Math.floor(i)]);
  }
  return out;
}

/** Sends PII and injection items (a spread of them: BENCH_GUARDRAIL_E2E_ITEMS per family and split) through every gateway channel. */
async function gatewayOutcomes(gw, items) {
  const covered = items.filter((item) => groupOf(item) !== null);
  const chosen = spread(covered, Number(env.BENCH_GUARDRAIL_E2E_ITEMS ?? 60));
  console.log(`gateway channels: ${chosen.length} of ${covered.length} PII/injection items × ${CHANNELS.length} channels`);
  const jobs = [];
  for (const item of chosen) {
    for (const channel of CHANNELS) jobs.push(async () => ({ item, channel, ...(await sendThrough(gw, item, channel)) }));
  }
  return pool(jobs, 6);
}

const TALLY_HEAD = ['family', 'category', 'split', 'channel', 'TP', 'FN', 'FP', 'TN', 'recall', 'precision', 'FP rate', 'target', 'verdict'];
const tallyRow = (t) => [
  t.family,
  t.category,
  t.split,
  t.channel,
  t.tp,
  t.fn,
  t.fp,
  t.tn,
  pct(t.recall),
  pct(t.precision),
  pct(t.fpr),
  `≥${pct(TARGETS[t.family].recall)} / ≤${pct(TARGETS[t.family].fpr)}`,
  t.verdict,
];

/** Runs the whole `--guardrails` bench and prints it; returns the results written to JSON. */
export async function guardrailBench() {
  ensureBuilt();
  const corporaDir = env.BENCH_CORPORA ?? join(BENCH_DIR, 'corpora');
  const { items, problems } = loadCorpora(corporaDir);
  console.log(`guardrail corpora: ${items.length} items from ${corporaDir}${problems.length ? `, ${problems.length} malformed lines skipped` : ''}`);
  for (const p of problems.slice(0, 20)) console.log(`  skipped: ${p}`);
  const started = Date.now();
  const { outcomes, uncovered } = await directOutcomes(items);
  if (uncovered.length)
    console.log(`  no default detector for ${uncovered.length} items (national_id needs operator patterns; prompt/resource definitions without a scan)`);
  const results = { date: new Date().toISOString(), corpora: corporaDir, items: items.length, problems, uncovered, errors: [], cpu: [], eventLoop: [] };
  const work = mkdtempSync(join(tmpdir(), 'gatehouse-bench-guardrail-corpora-'));
  try {
    let gw = null;
    if (env.BENCH_GUARDRAIL_GATEWAY !== '0' || env.BENCH_GUARDRAIL_COST !== '0') gw = await startGuardrailGateway(work);
    if (gw) console.log(`gateway up at ${gw.base}`);
    if (gw && env.BENCH_GUARDRAIL_GATEWAY !== '0') {
      const through = await gatewayOutcomes(gw, items);
      for (const o of through) {
        if (o.error) results.errors.push({ id: o.item.id, channel: o.channel, error: o.error });
        outcomes.push(o);
      }
    }
    if (env.BENCH_GUARDRAIL_COST !== '0') {
      console.log('measuring CPU per MiB…');
      results.referenceCpuMs = referenceCpuMs();
      results.cpu = measureDetectorCpu(await loadDetectors());
      if (gw) results.eventLoop = await measureEventLoopHold(gw);
    }
    await gw?.close();
  } finally {
    killAll();
    rmSync(work, { recursive: true, force: true });
  }
  results.tallies = tabulate(outcomes);
  // Injection per language group (English or not) × category: counts only, never texts.
  results.byLanguage = tabulate(
    outcomes
      .filter((o) => o.item.family === 'injection' && o.channel === 'direct')
      .map((o) => ({ ...o, item: { ...o.item, family: 'injection', category: `${o.item.lang === 'en' ? 'en' : 'non-en'}:${o.item.category}` } })),
  ).concat(
    tabulate(
      outcomes
        .filter((o) => o.item.family === 'injection' && o.channel === 'direct')
        .map((o) => ({ ...o, item: { ...o.item, category: `${o.item.lang === 'en' ? 'en' : 'non-en'}:*` } })),
    ).filter((t) => t.category !== '*'),
  );
  // The published halves' items no tune item resembles (near-twins.mjs): what the learned tier cannot know by memory.
  const untwinned = untwinnedIds(items);
  results.publicUntwinned = tabulate(
    outcomes
      .filter((o) => o.channel === 'direct' && untwinned.has(`${o.item.file}#${o.item.id}`))
      .map((o) => ({ ...o, item: { ...o.item, category: 'no near twin' } })),
  ).filter((t) => t.category !== '*' && t.split === 'public');
  results.misses = outcomes
    .filter((o) => o.item.positive !== o.flagged)
    .map((o) => ({ id: o.item.id, file: o.item.file, channel: o.channel, label: o.item.label, category: o.item.category }));
  if (env.BENCH_PUBLIC_INJECTION) results.publicInjection = await publicInjectionTallies(env.BENCH_PUBLIC_INJECTION);
  results.seconds = (Date.now() - started) / 1000;

  console.log(
    '\nDetection per family, category and channel, on holdout, on published material (public) and on every file (category * = all; the rest in the JSON)',
  );
  printTable(
    TALLY_HEAD,
    results.tallies.filter((t) => t.category !== '*' && (t.split === 'holdout' || t.split === 'public' || t.split === 'all')).map(tallyRow),
  );
  if (results.errors.length) {
    console.log(`\n${results.errors.length} calls refused by something other than a guardrail (counted as flagged; first 10):`);
    for (const e of results.errors.slice(0, 10)) console.log(`  ${e.id} ${e.channel}: ${e.error}`);
  }
  if (results.cpu.length) {
    console.log(
      `\nCPU per MiB per detector (in-process, median of ${CPU_RUNS} runs after the process's first bodies; target ≤ ${CPU_MS_PER_MIB_TARGET} ms/MiB; first: the process's first such body)`,
    );
    console.log(`this machine: the reference workload (guardrail-cost.mjs, referenceCpuMs) took ${results.referenceCpuMs.toFixed(1)} ms of CPU`);
    printTable(
      ['detector', 'body', 'ms/MiB', 'first', 'verdict'],
      results.cpu.map((r) => [r.detector, r.body, r.ms_per_mib.toFixed(1), r.first_ms_per_mib.toFixed(1), r.verdict]),
    );
  }
  if (results.eventLoop.length) {
    console.log('\nA gateway scanning a 1 MiB request body (every PII family + prompt_guard): the slowest /healthz meanwhile (target ≤ 100 ms)');
    printTable(
      ['body', 'status', 'code', 'call ms', 'healthz max ms', 'verdict'],
      results.eventLoop.map((r) => [r.body, r.status, r.code, r.call_ms.toFixed(0), r.healthz_max_ms.toFixed(0), r.verdict]),
    );
  }
  console.log('\nPrompt injection per language group (en / non-en) and category, direct, holdout');
  printTable(TALLY_HEAD, results.byLanguage.filter((t) => t.split === 'holdout' && t.category !== '*').map(tallyRow));
  if (results.publicInjection) {
    console.log(
      `\nprompt_guard on public injection material (${env.BENCH_PUBLIC_INJECTION}): blocked per source, recall on injections, benign blocked on the rest`,
    );
    printTable(
      ['source', 'label', 'items', 'blocked', 'rate'],
      results.publicInjection.map((t) => [t.source, t.label, t.items, t.blocked, pct(t.blocked / t.items)]),
    );
  }
  if (results.publicUntwinned.length) {
    console.log(`\nPublished halves of collections also trained on: their items with no near twin in the tune half (word trigrams, Jaccard < ${NEAR}), direct`);
    printTable(TALLY_HEAD, results.publicUntwinned.map(tallyRow));
  }
  console.log('\nSummary (category *, per split and channel)');
  printTable(TALLY_HEAD, results.tallies.filter((t) => t.category === '*').map(tallyRow));
  const worstCpu = results.cpu.reduce((a, r) => (a && a.ms_per_mib >= r.ms_per_mib ? a : r), null);
  if (worstCpu) console.log(`Worst CPU: ${worstCpu.detector} on ${worstCpu.body}: ${worstCpu.ms_per_mib.toFixed(1)} ms/MiB (${worstCpu.verdict})`);
  const outDir = join(BENCH_DIR, 'results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `guardrails-${results.date.slice(0, 19).replaceAll(':', '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nFull results: ${file} (${results.seconds.toFixed(0)} s)`);
  return results;
}
