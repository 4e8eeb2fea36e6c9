// The tool-definition scan by source: for every definitions corpus file (each `public-<source>.jsonl` is
// one published source; the judge-only holdout-blind files are never opened), how many poisoned
// definitions the scan withholds and how many clean ones it withholds wrongly. Scores dist/ (build first).
// Usage: node bench/definition-sources.mjs [--misses]   (BENCH_CORPORA=dir as for --guardrails)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, printTable, ROOT } from './lib.mjs';

const dir = join(process.env.BENCH_CORPORA ?? join(BENCH_DIR, 'corpora'), 'definitions');
const guard = await import(join(ROOT, 'dist/gateway/federation/definition-guard.js'));
const showMisses = process.argv.includes('--misses');

/** Whether the scan withholds an item's definition (tool, prompt or resource). */
function withheld(item) {
  if (item.tool) return guard.definitionFindings(item.tool) !== null;
  if (item.prompt) return guard.promptFindings(item.prompt) !== null;
  return guard.resourceFindings(item.resource) !== null;
}

const pct = (n, d) => (d === 0 ? '—' : `${((n / d) * 100).toFixed(1)}%`);
const rows = [];
const misses = [];
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.jsonl') && !f.startsWith('holdout-blind'))
  .sort();
for (const file of files) {
  let tp = 0;
  let fn = 0;
  let fp = 0;
  let tn = 0;
  for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const item = JSON.parse(line);
    const flagged = withheld(item);
    if (item.label === 'poisoned') flagged ? tp++ : fn++;
    else flagged ? fp++ : tn++;
    if (flagged !== (item.label === 'poisoned')) misses.push([file, item.label, item.id]);
  }
  rows.push([file.replace(/\.jsonl$/, ''), tp + fn, pct(tp, tp + fn), tn + fp, `${fp} (${pct(fp, fp + tn)})`]);
}
printTable(['source', 'poisoned', 'withheld', 'clean', 'clean withheld'], rows);
if (showMisses) for (const [file, label, id] of misses) console.log(`${label === 'poisoned' ? 'missed  ' : 'withheld'} ${file}: ${id}`);
