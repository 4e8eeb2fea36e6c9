// `npm run bench -- --guardrails`: the guardrail detectors on the labelled corpora in
// bench/corpora/ (see bench/corpora/README.md) — recall, precision and false-positive rate per
// family, category and split — and each detector's CPU per MiB on ordinary and hostile bodies.
// Channels: `direct` (the detectors of dist/ called in-process) and `rest-request` (each text in a
// JSON request body through a real gateway whose workflow blocks on a finding, to a real upstream).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { definitionFindings } from '../dist/gateway/federation/definition-guard.js';
import { createInjectionScorer, createPiiScanner } from '../dist/gateway/guardrails/index.js';

const CORPORA = join(import.meta.dirname, 'corpora');
const TARGETS = { pii: { recall: 0.95, fpr: 0.02 }, injection: { recall: 0.9, fpr: 0.05 }, definitions: { recall: 1, fpr: 0 } };
const PII_TYPES = ['email', 'phone', 'card', 'iban', 'ip', 'secret'];

/** Every corpus item of a family, with its split (the file name's first word: tune, holdout, sample…). */
function load(family) {
  const dir = join(CORPORA, family);
  const items = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    const split = file.split('-')[0];
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) if (line.trim()) items.push({ ...JSON.parse(line), split });
  }
  return items;
}

/** Counts per group key: tp, fn, fp, tn. */
function tally() {
  const groups = new Map();
  return {
    add(keys, outcome) {
      for (const key of keys) {
        const g = groups.get(key) ?? { tp: 0, fn: 0, fp: 0, tn: 0 };
        g[outcome]++;
        groups.set(key, g);
      }
    },
    rows: () => [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)),
  };
}

const pct = (n, d) => (d === 0 ? '—' : `${((100 * n) / d).toFixed(1)} %`);

function print(title, t, target) {
  console.log(`\n== ${title} ==`);
  console.log('group'.padEnd(44), 'TP'.padStart(4), 'FN'.padStart(4), 'FP'.padStart(4), 'TN'.padStart(4), 'recall'.padStart(9), 'precision'.padStart(10), 'FP rate'.padStart(9));
  for (const [key, g] of t.rows()) {
    console.log(key.padEnd(44), String(g.tp).padStart(4), String(g.fn).padStart(4), String(g.fp).padStart(4), String(g.tn).padStart(4), pct(g.tp, g.tp + g.fn).padStart(9), pct(g.tp, g.tp + g.fp).padStart(10), pct(g.fp, g.fp + g.tn).padStart(9));
  }
  const all = t.rows().find(([k]) => k === 'all')?.[1];
  if (all && target) {
    const recall = all.tp / Math.max(1, all.tp + all.fn);
    const fpr = all.fp / Math.max(1, all.fp + all.tn);
    console.log(`target: recall ≥ ${target.recall * 100} % (${(recall * 100).toFixed(1)} %: ${recall >= target.recall ? 'met' : 'missed'}), false positives ≤ ${target.fpr * 100} % (${(fpr * 100).toFixed(1)} %: ${fpr <= target.fpr ? 'met' : 'missed'})`);
  }
  return t;
}

/** Whether a PII scan found the expected value: a finding of the same category covering it (the redaction no longer shows it). */
const pii = createPiiScanner({ types: PII_TYPES });
function piiFound(text) {
  const { counts, value } = pii.scan(text, true);
  return { counts, redacted: value };
}
const CATEGORY_OF = (kind) => (['ipv4', 'ipv6'].includes(kind) ? 'ip' : ['email', 'phone', 'card', 'iban'].includes(kind) ? kind : 'secret');

export function measurePii(items, found = piiFound) {
  const t = tally();
  const misses = [];
  for (const item of items) {
    const { counts, redacted } = found(item.text);
    const cats = new Set(Object.keys(counts).map(CATEGORY_OF));
    const keys = ['all', `split ${item.split}`, `category ${item.category}`];
    if (item.label === 'positive') {
      const ok = item.expect.every((e) => !redacted.includes(e.value) && cats.has(item.category));
      t.add(keys, ok ? 'tp' : 'fn');
      if (!ok) misses.push(`missed ${item.id}: ${item.text.slice(0, 80)}`);
    } else {
      const bad = cats.has(item.category);
      t.add(keys, bad ? 'fp' : 'tn');
      if (bad) misses.push(`false positive ${item.id}: ${item.text.slice(0, 80)} → ${JSON.stringify(counts)}`);
    }
  }
  return { t, misses };
}

const scorer = createInjectionScorer();
export function measureInjection(items, blocked = (text) => scorer.scoreText(text).score >= 0.5) {
  const t = tally();
  const misses = [];
  for (const item of items) {
    const keys = ['all', `split ${item.split}`, `category ${item.category}`, `lang ${item.lang}`];
    const hit = blocked(item.text);
    if (item.label === 'injection') t.add(keys, hit ? 'tp' : 'fn');
    else t.add(keys, hit ? 'fp' : 'tn');
    if (hit !== (item.label === 'injection')) misses.push(`${hit ? 'false positive' : 'missed'} ${item.id}: ${item.text.slice(0, 90)}`);
  }
  return { t, misses };
}

export function measureDefinitions(items) {
  const t = tally();
  const misses = [];
  for (const item of items) {
    const keys = ['all', `split ${item.split}`, `category ${item.category}`];
    const withheld = definitionFindings(item.tool) !== null;
    if (item.label === 'poisoned') t.add(keys, withheld ? 'tp' : 'fn');
    else t.add(keys, withheld ? 'fp' : 'tn');
    if (withheld !== (item.label === 'poisoned')) misses.push(`${withheld ? 'withheld clean' : 'served poisoned'} ${item.id}: ${item.tool.name}`);
  }
  return { t, misses };
}

/** CPU milliseconds a detector spends on 1 MiB, the best of a few runs. */
function cpuPerMiB(run, text) {
  run(text.slice(0, 4096));
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const t0 = process.threadCpuUsage();
    run(text);
    const d = process.threadCpuUsage(t0);
    best = Math.min(best, (d.user + d.system) / 1000);
  }
  return (best * 1_048_576) / text.length;
}

function costs() {
  const MiB = 1_048_576;
  const fill = (unit) => unit.repeat(Math.ceil(MiB / unit.length)).slice(0, MiB);
  const bodies = {
    prose: fill('Orders ship within two days; returns are free for thirty days. The quick brown fox jumps over the lazy dog. '),
    'json of phones': JSON.stringify(Array.from({ length: 60_000 }, (_, i) => `+1 415 555 ${String(i % 10_000).padStart(4, '0')}`)).slice(0, MiB),
    'key-shaped noise': fill('ghp_A1b2C3 sk-ant-x AKIA12 eyJhbGciOi '),
    'zero-width': fill('a\u200b'),
    base64: Buffer.alloc(786_432, 7).toString('base64'),
    'html entities': fill('&#64;&amp;<b>x</b> '),
    'ignore ×': fill('ignore '),
  };
  const detectors = [
    ...PII_TYPES.map((type) => {
      const s = createPiiScanner({ types: [type], defaultCountry: 'US' });
      return [`detect_pii ${type}`, (text) => s.scan(text, true)];
    }),
    ['prompt_guard', (text) => scorer.scoreText(text)],
  ];
  console.log('\n== CPU per MiB (ms, best of 5; target ≤ 50) ==');
  console.log('detector'.padEnd(22), ...Object.keys(bodies).map((b) => b.padStart(17)));
  const over = [];
  for (const [name, run] of detectors) {
    const row = Object.entries(bodies).map(([body, text]) => {
      const ms = cpuPerMiB(run, text);
      if (ms > 50) over.push(`${name} on ${body}: ${ms.toFixed(0)} ms`);
      return ms.toFixed(1).padStart(17);
    });
    console.log(name.padEnd(22), ...row);
  }
  console.log(over.length === 0 ? 'target ≤ 50 ms/MiB: met on every body' : `target ≤ 50 ms/MiB: missed on ${over.length}: ${over.join('; ')}`);
}

/** Prints the whole guardrail report (direct channel), then the REST channel when a gateway can be started. */
export async function guardrailBench() {
  const piiItems = load('pii');
  const injItems = load('injection');
  const defItems = load('definitions');
  const p = measurePii(piiItems);
  print(`PII and secrets, channel direct (${piiItems.length} items)`, p.t, TARGETS.pii);
  const i = measureInjection(injItems);
  print(`prompt injection, channel direct (${injItems.length} items, block at 0.5)`, i.t, TARGETS.injection);
  const d = measureDefinitions(defItems);
  print(`tool definitions, the federation scan (${defItems.length} items)`, d.t, TARGETS.definitions);
  const misses = [...p.misses, ...i.misses, ...d.misses];
  if (misses.length > 0) console.log(`\nmisses (${misses.length}):\n  ${misses.join('\n  ')}`);
  const { restChannel } = await import('./guardrail-rest.mjs');
  await restChannel(piiItems, injItems, { measurePii, measureInjection, print, TARGETS });
  costs();
}
