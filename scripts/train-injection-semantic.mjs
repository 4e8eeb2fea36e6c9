#!/usr/bin/env node
/**
 * Trains a logistic head over the distilled static sentence vectors (scripts/distill-use-static.mjs)
 * and writes by-source out-of-fold scores in bench/injection-model-eval.mjs's format, so the
 * semantic tier is judged exactly as the hashed model was: every source group held out in turn.
 *
 *   SEMANTIC_PACKAGES=/tmp/sem/node_modules node scripts/train-injection-semantic.mjs \
 *     /work/train-data/use-static /work/train-data/oof-baseline.jsonl /work/train-data/oof-semantic
 *
 * Items and groups are read from the hashed model's OOF file (scripts/train-injection-model.mjs), so
 * both tiers see the same material. Writes <out>.jsonl (the semantic head alone, one window per item)
 * and <out>-mix.jsonl (the head's and the hashed model's log-odds averaged). It prints the held-out
 * figures per group and the pooled AUC. Packages: as scripts/distill-use-static.mjs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [tablePrefix, itemsFile, outPrefix] = process.argv.slice(2);
const require = createRequire(join(process.env.SEMANTIC_PACKAGES ?? '/tmp/sem/node_modules', 'x.js'));
const DIM = 512;
const table = new Float32Array(readFileSync(`${tablePrefix}.f32`).buffer.slice(0));
const vocab = JSON.parse(readFileSync(`${tablePrefix}.vocab.json`, 'utf8'));
// The package's own sentencepiece tokenizer (unigram Viterbi over the shipped vocabulary).
const { EmbeddingsModel } = require('@energetic-ai/embeddings');
const tokenizer = new EmbeddingsModel({ vocabulary: vocab, model: null }).tokenizer;
// Static rows share one large common direction (every single-piece input reads alike to the encoder):
// it is removed, and frequent pieces weigh less (SIF, a / (a + p)), as model2vec does with its PCA and Zipf weights.
const center = new Float64Array(DIM);
for (let id = 6; id < vocab.length; id++) for (let k = 0; k < DIM; k++) center[k] += table[id * DIM + k] / (vocab.length - 6);
const SIF = vocab.map(([, logp]) => 1e-3 / (1e-3 + Math.exp(logp)));
const LAMBDA = Number(process.env.TRAIN_LAMBDA ?? 1e-3);
const EPOCHS = Number(process.env.TRAIN_EPOCHS ?? 300);

/** A text's vector: the mean of its pieces' distilled rows, L2-normalised, with a bias term. */
function vectorize(text) {
  const v = new Float64Array(DIM + 1);
  for (const id of tokenizer.encode(text.slice(0, 2000))) {
    if (id < 6) continue;
    const base = id * DIM;
    const a = process.env.SEMANTIC_PLAIN ? 1 : SIF[id];
    for (let k = 0; k < DIM; k++) v[k] += a * (table[base + k] - (process.env.SEMANTIC_PLAIN ? 0 : center[k]));
  }
  let norm = 0;
  for (let k = 0; k < DIM; k++) norm += v[k] * v[k];
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < DIM; k++) v[k] /= norm;
  v[DIM] = 1;
  return v;
}

const all = readFileSync(itemsFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
// SEMANTIC_SAMPLE: a file of `{ i, v }` lines (item index, the full encoder's vector) restricts the
// run to those items; with SEMANTIC_FULL=1 the head reads the encoder's vectors instead of the table's,
// which compares the two on the same items.
const sample = process.env.SEMANTIC_SAMPLE
  ? readFileSync(process.env.SEMANTIC_SAMPLE, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  : null;
const items = sample ? sample.map((r) => all[r.i]) : all;
const t0 = process.cpuUsage();
const X = sample && process.env.SEMANTIC_FULL === '1' ? sample.map((r) => Float64Array.from([...r.v, 1])) : items.map((it) => vectorize(it.text));
const tv = process.cpuUsage(t0);
const chars = items.reduce((s, it) => s + Math.min(2000, it.text.length), 0);
console.log(
  `${items.length} items vectorised: ${((tv.user + tv.system) / items.length).toFixed(1)} µs each, ${((tv.user + tv.system) / 1000 / (chars / 1048576)).toFixed(1)} ms per MiB`,
);

/** Weights as the hashed model's: every source group carries the same total per label. */
function weights(rows) {
  const per = new Map();
  for (const r of rows) per.set(`${r.group}:${r.y}`, (per.get(`${r.group}:${r.y}`) ?? 0) + 1);
  const cells = [0, 1].map((y) => new Set(rows.filter((r) => r.y === y).map((r) => r.group)).size);
  return rows.map((r) => Math.min(20, rows.length / (2 * cells[r.y] * per.get(`${r.group}:${r.y}`))));
}

/** Weighted, L2-regularised logistic regression by full-batch Adam. */
function trainHead(idx) {
  const rows = idx.map((i) => items[i]);
  const w = weights(rows);
  const theta = new Float64Array(DIM + 1);
  const m = new Float64Array(DIM + 1);
  const s = new Float64Array(DIM + 1);
  const wsum = w.reduce((a, b) => a + b, 0);
  for (let e = 1; e <= EPOCHS; e++) {
    const g = new Float64Array(DIM + 1);
    idx.forEach((i, r) => {
      const x = X[i];
      let z = 0;
      for (let k = 0; k <= DIM; k++) z += theta[k] * x[k];
      const d = (w[r] * (1 / (1 + Math.exp(-z)) - items[i].y)) / wsum;
      for (let k = 0; k <= DIM; k++) g[k] += d * x[k];
    });
    for (let k = 0; k < DIM; k++) g[k] += LAMBDA * theta[k];
    for (let k = 0; k <= DIM; k++) {
      m[k] = 0.9 * m[k] + 0.1 * g[k];
      s[k] = 0.999 * s[k] + 0.001 * g[k] * g[k];
      theta[k] -= (0.05 * (m[k] / (1 - 0.9 ** e))) / (Math.sqrt(s[k] / (1 - 0.999 ** e)) + 1e-8);
    }
  }
  return theta;
}
const score = (theta, x) => 1 / (1 + Math.exp(-x.reduce((z, xk, k) => z + xk * theta[k], 0)));

const groups = [...new Set(items.map((i) => i.group))].sort();
const oof = new Array(items.length);
for (const g of groups) {
  const train = items.map((_, i) => i).filter((i) => items[i].group !== g);
  const theta = trainHead(train);
  const held = items.map((_, i) => i).filter((i) => items[i].group === g);
  for (const i of held) oof[i] = score(theta, X[i]);
  const pos = held.filter((i) => items[i].y === 1);
  const neg = held.filter((i) => items[i].y === 0);
  const pct = (list) => (list.length ? `${((100 * list.filter((i) => oof[i] >= 0.5).length) / list.length).toFixed(1)} %` : '—');
  console.log(`held out ${g}: ${pos.length} injections, recall@0.5 ${pct(pos)}; ${neg.length} benign, blocked@0.5 ${pct(neg)}`);
}
const logit = (p) => Math.log(Math.max(1e-6, p) / Math.max(1e-6, 1 - p));
const alone = items.map((it, i) => ({ ...it, m: oof[i], peak: oof[i], chunks: 1 }));
const mix = items.map((it, i) => {
  const p = 1 / (1 + Math.exp(-(logit(oof[i]) + logit(it.m)) / 2));
  return { ...it, m: p, peak: p };
});
writeFileSync(`${outPrefix}.jsonl`, alone.map((o) => JSON.stringify(o)).join('\n') + '\n');
writeFileSync(`${outPrefix}-mix.jsonl`, mix.map((o) => JSON.stringify(o)).join('\n') + '\n');

// Threshold-free summary of the pooled out-of-source scores: AUC, and the recall where 5 % of benign items block.
const order = items.map((it, i) => ({ y: it.y, s: oof[i] })).sort((a, b) => a.s - b.s);
const npos = order.filter((o) => o.y === 1).length;
let rankSum = 0;
order.forEach((o, r) => {
  if (o.y === 1) rankSum += r + 1;
});
const auc = (rankSum - (npos * (npos + 1)) / 2) / (npos * (order.length - npos));
const benignScores = order.filter((o) => o.y === 0).map((o) => o.s);
const cut = benignScores[Math.floor(benignScores.length * 0.95)];
const recallAt5 = order.filter((o) => o.y === 1 && o.s > cut).length / npos;
console.log(`pooled out-of-source: AUC ${auc.toFixed(3)}, recall ${(100 * recallAt5).toFixed(1)} % at 5 % benign blocked (threshold ${cut.toFixed(3)})`);
