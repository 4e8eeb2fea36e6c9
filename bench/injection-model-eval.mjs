#!/usr/bin/env node
/**
 * Recall and false-positive rate of the injection engine's rules, its learned tier, and ways of
 * combining the two, on the tune files and on holdout-main (the one holdout file read here: it
 * chooses thresholds and the combination, and never trains). Picks the combination with the best
 * holdout recall whose holdout FP rate is at most 3 %.
 *
 *   npx tsc -p tsconfig.build.json && node bench/injection-model-eval.mjs [--json out.json]
 *
 * The weights are read from src/ (Node strips the types), so a fresh training run is evaluated
 * without a rebuild; the feature code is dist/'s.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { createInjectionScorer } = await import(join(root, 'dist/gateway/guardrails/injection.js'));
const { createInjectionModel, combineInjectionScores } = await import(join(root, 'dist/gateway/guardrails/injection/model.js'));
const { INJECTION_MODEL } = await import(join(root, 'src/gateway/guardrails/injection/model-weights.ts'));
const dir = join(root, 'bench/corpora/injection');
const FP_CAP = 0.03;

function items(file) {
  const out = [];
  for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const it = JSON.parse(line);
      if (typeof it.text === 'string' && (it.label === 'injection' || it.label === 'benign')) out.push(it);
    } catch {}
  }
  return out;
}

/**
 * Long benign prose the corpora lack: the repo's own docs, cut into bodies of about 2 KB at blank
 * lines. The corpus items are one or two sentences; a tool result is pages, and the model reads
 * every chunk of it, so its false positives on long text are checked here (not trained on).
 */
function docs() {
  const out = [];
  const base = join(root, 'docs');
  for (const f of readdirSync(base, { recursive: true })
    .filter((f) => String(f).endsWith('.md'))
    .sort()) {
    let body = '';
    for (const para of readFileSync(join(base, String(f)), 'utf8').split(/\n\n/)) {
      body += `${para}\n\n`;
      if (body.length >= 2_000) {
        out.push({ id: `${f}#${out.length}`, text: body, label: 'benign', category: 'docs' });
        body = '';
      }
    }
    if (body.trim() !== '') out.push({ id: `${f}#${out.length}`, text: body, label: 'benign', category: 'docs' });
  }
  return out;
}

const splits = {
  tune: readdirSync(dir)
    .filter((f) => /^tune-.*\.jsonl$/.test(f) && f !== 'tune-was-holdout.jsonl')
    .sort()
    .flatMap(items),
  // The old holdout-main: the rules were tuned to it since, the learned tier never fitted to it.
  holdout: items('tune-was-holdout.jsonl'),
  docs: docs(),
};

const rules = createInjectionScorer({});
const model = createInjectionModel(INJECTION_MODEL);
const scored = Object.fromEntries(
  Object.entries(splits).map(([name, list]) => [
    name,
    list.map((it) => ({ id: it.id, y: it.label === 'injection', category: it.category, r: rules.scoreText(it.text).score, m: model.score(it.text) })),
  ]),
);

/** Recall and FP rate of a blocking decision over a split. */
function rates(split, block) {
  if (split === 'docs') {
    const d = scored.docs;
    return { recall: Number.NaN, fp: d.filter((s) => block(s.r, s.m)).length / d.length };
  }
  let tp = 0;
  let pos = 0;
  let fp = 0;
  let neg = 0;
  for (const s of scored[split]) {
    const b = block(s.r, s.m);
    if (s.y) {
      pos++;
      if (b) tp++;
    } else {
      neg++;
      if (b) fp++;
    }
  }
  return { recall: tp / pos, fp: fp / neg };
}

const candidates = [{ name: 'rules >= 0.5', kind: 'rules', block: (r) => r >= 0.5 }];
for (const t of [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98]) candidates.push({ name: `model >= ${t}`, kind: 'model', block: (_r, m) => m >= t });
for (const k of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1])
  candidates.push({ name: `1-(1-rule)(1-${k}*model) >= 0.5`, kind: 'noisy-or', block: (r, m) => 1 - (1 - r) * (1 - k * m) >= 0.5 });
for (const high of [0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 1.01])
  for (const mid of [0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    for (const low of [0.1, 0.2, 0.3])
      if (mid < high)
        candidates.push({
          name: `rule>=0.5 | model>=${high} | (model>=${mid} & rule>=${low})`,
          kind: 'tiered',
          block: (r, m) => r >= 0.5 || m >= high || (m >= mid && r >= low),
        });
if (typeof combineInjectionScores === 'function')
  candidates.push({ name: 'combineInjectionScores >= 0.5 (shipped)', kind: 'shipped', block: (r, m) => combineInjectionScores(r, m) >= 0.5 });

const rows = candidates.map((c) => ({
  name: c.name,
  kind: c.kind,
  tune: rates('tune', c.block),
  holdout: rates('holdout', c.block),
  docs: rates('docs', c.block),
}));
const pct = (x) => `${(x * 100).toFixed(1).padStart(5)} %`;
const show = (r) =>
  console.log(
    `${r.name.padEnd(58)} tune ${pct(r.tune.recall)} / ${pct(r.tune.fp)}   holdout ${pct(r.holdout.recall)} / ${pct(r.holdout.fp)}   docs FP ${pct(r.docs.fp)}`,
  );
console.log(`items: tune ${splits.tune.length}, holdout-main ${splits.holdout.length}, docs bodies ${splits.docs.length}   (recall / FP rate)`);
for (const r of rows) if (r.kind !== 'tiered' || (r.name.includes('>=1.01') && r.holdout.fp <= FP_CAP)) show(r);
// Best by holdout recall under the FP cap; ties go to the lower holdout FP, then the better tune recall.
// Long benign bodies may not be blocked more often than the rules alone block them, plus one point.
const docsCap = rows[0].docs.fp + 0.01;
const ok = rows.filter((r) => r.holdout.fp <= FP_CAP && r.docs.fp <= docsCap && r.kind !== 'shipped');
ok.sort((a, b) => b.holdout.recall - a.holdout.recall || a.holdout.fp - b.holdout.fp || b.tune.recall - a.tune.recall);
console.log(`\nbest tiered under holdout FP <= ${FP_CAP * 100} % and docs FP <= ${(docsCap * 100).toFixed(1)} %:`);
for (const r of ok.filter((r) => r.kind === 'tiered').slice(0, 8)) show(r);
console.log('chosen:');
show(ok[0]);
const missed = scored.holdout.filter((s) => s.y && !(s.r >= 0.5));
const byCat = {};
for (const s of scored.holdout.filter((s) => s.y)) {
  byCat[s.category] ??= { n: 0, rules: 0, model: 0 };
  byCat[s.category].n++;
  if (s.r >= 0.5) byCat[s.category].rules++;
  if (s.m >= 0.9) byCat[s.category].model++;
}
console.log('\nholdout injections per category (n, rules, model >= 0.9):', JSON.stringify(byCat));
console.log(`holdout injections the rules miss: ${missed.length}; the model scores them: ${missed.map((s) => s.m.toFixed(2)).join(' ')}`);
const jsonAt = process.argv.indexOf('--json');
if (jsonAt > 0) writeFileSync(process.argv[jsonAt + 1], JSON.stringify({ rows, chosen: ok[0] }, null, 2));
