// The PII corpora scored as `--guardrails` scores them (its direct channel, dist/), broken down per file, and for
// the locale corpora (`pii/*-locales.jsonl`, scripts/corpora/gather-pii-locales.mjs) per kind, per locale and per
// libphonenumber verdict. Build first (`npx tsc -p tsconfig.build.json`).
//   node bench/pii-by-locale.mjs [corpora dir = bench/corpora] [--misses <file substring>] [--json out.json]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpora } from './guardrail-corpus.mjs';
import { directScorer, loadDetectors } from './guardrail-direct.mjs';
import { BENCH_DIR } from './lib.mjs';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args.splice(i, 2)[1];
};
const misses = flag('--misses');
const jsonOut = flag('--json');
const dir = args[0] ?? join(BENCH_DIR, 'corpora');
const { items } = loadCorpora(dir);
const score = directScorer(await loadDetectors());
const tallies = new Map();
const tally = (key, item, flagged) => {
  const t = tallies.get(key) ?? { tp: 0, fn: 0, fp: 0, tn: 0 };
  if (item.positive) flagged ? t.tp++ : t.fn++;
  else flagged ? t.fp++ : t.tn++;
  tallies.set(key, t);
};
for (const item of items) {
  if (item.family !== 'pii') continue;
  const flagged = score(item);
  if (flagged === null) continue;
  tally(`file ${item.file}`, item, flagged);
  if (!item.file.includes('-locales')) continue;
  const name = item.file.replace(/^pii\//, '').replace(/\.jsonl$/, '');
  const locale = /locale (\S+),/.exec(item.note ?? '')?.[1] ?? '?';
  const what = item.positive ? item.category : (/; ([^;]+)$/.exec(item.note ?? '')?.[1] ?? item.category).replace(/ grouped like .*/, ' grouped like a phone');
  tally(`${name} kind ${item.positive ? '+' : '-'}${what}`, item, flagged);
  tally(`${name} locale ${locale}`, item, flagged);
  if (item.category === 'phone' && item.positive) {
    tally(`${name} phone verdict ${/libphonenumber: (\w+)/.exec(item.note)?.[1]}`, item, flagged);
    tally(`${name} phone context ${/context ([^,]+),/.exec(item.note)?.[1]}`, item, flagged);
    tally(`${name} phone style ${/style (\w+( with \+CC)?)/.exec(item.note)?.[1]}`, item, flagged);
  }
  if (misses && item.file.includes(misses) && flagged !== item.positive)
    console.log(`${item.positive ? 'MISS' : 'FP  '} ${item.id} ${item.category} ${JSON.stringify(item.text)} — ${item.note}`);
}
const pct = (a, b) => (b === 0 ? '   –  ' : `${((100 * a) / b).toFixed(1).padStart(5)}%`);
const rows = [...tallies].sort(([a], [b]) => a.localeCompare(b));
for (const [key, t] of rows)
  console.log(`${key.padEnd(64)} recall ${pct(t.tp, t.tp + t.fn)} (${t.tp}/${t.tp + t.fn})  fp ${pct(t.fp, t.fp + t.tn)} (${t.fp}/${t.fp + t.tn})`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(Object.fromEntries(rows), null, 1));
