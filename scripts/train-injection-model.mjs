#!/usr/bin/env node
/**
 * Trains the learned tier of the injection engine (src/gateway/guardrails/injection/model.ts):
 * L2-regularised logistic regression over the hashed features of dist/'s chunkFeatures — the
 * very function the gateway runs — from bench/corpora/injection/tune-*.jsonl and nothing else
 * (holdout files are for choosing thresholds, never for fitting). Writes
 * src/gateway/guardrails/injection/model-weights.ts.
 *
 *   npx tsc -p tsconfig.build.json && node scripts/train-injection-model.mjs
 *
 * Deterministic: folds come from a seeded generator and full-batch Adam has no randomness, so the
 * same corpora give the same file (the date is SOURCE_DATE_EPOCH's when set, for byte-equal output).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
// The file the combination with the rules was chosen on (bench/injection-model-eval.mjs): never fitted to.
const SELECTION = 'tune-was-holdout.jsonl';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng } from './seeded-random.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { chunkFeatures, chunks, FEATURE_SPEC, HASH_BITS } = await import(join(root, 'dist/gateway/guardrails/injection/model.js'));
const corpusDir = join(root, 'bench/corpora/injection');
const out = join(root, 'src/gateway/guardrails/injection/model-weights.ts');

const HYPER = {
  lambdas: [1e-4, 3e-4, 1e-3, 3e-3, 1e-2],
  folds: 5,
  seed: 51,
  steps: 400,
  learningRate: 0.05,
  // Weights whose int8 value rounds to zero are dropped; this keeps the file small.
  quantBits: 8,
};

/** Items of the tune files: the only training material. */
function load() {
  const files = readdirSync(corpusDir)
    .filter((f) => /^tune-.*\.jsonl$/.test(f) && f !== SELECTION)
    .sort();
  const items = [];
  const hash = createHash('sha256');
  for (const f of files) {
    const body = readFileSync(join(corpusDir, f), 'utf8');
    hash.update(f).update('\0').update(body);
    for (const line of body.split('\n')) {
      if (line.trim() === '') continue;
      let item;
      try {
        item = JSON.parse(line);
      } catch {
        continue;
      }
      if (typeof item.text !== 'string' || (item.label !== 'injection' && item.label !== 'benign')) continue;
      items.push({ text: item.text, y: item.label === 'injection' ? 1 : 0 });
    }
  }
  return { files, items, digest: hash.digest('hex') };
}

/** An item's feature vector: counts of buckets over its chunks, scaled by 1/sqrt(total count) as at run time. */
function vectorize(text) {
  const counts = new Map();
  let n = 0;
  chunks(text, (chunk) => {
    chunkFeatures(chunk, (b) => {
      counts.set(b, (counts.get(b) ?? 0) + 1);
      n++;
    });
    return true;
  });
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const norm = 1 / Math.sqrt(Math.max(n, 1));
  return { keys, vals: keys.map((k) => counts.get(k) * norm) };
}

/** Full-batch Adam on class-balanced log loss + lambda/2 |w|^2 (bias not regularised), over compact indices. */
function train(rows, dim, lambda) {
  const w = new Float64Array(dim);
  let b = 0;
  const m = new Float64Array(dim);
  const v = new Float64Array(dim);
  let mb = 0;
  let vb = 0;
  const g = new Float64Array(dim);
  const pos = rows.filter((r) => r.y === 1).length;
  const neg = rows.length - pos;
  const cw = [rows.length / (2 * Math.max(neg, 1)), rows.length / (2 * Math.max(pos, 1))];
  const { steps, learningRate: lr } = HYPER;
  const b1 = 0.9;
  const b2 = 0.999;
  for (let t = 1; t <= steps; t++) {
    for (let j = 0; j < dim; j++) g[j] = lambda * w[j];
    let gb = 0;
    for (const r of rows) {
      let z = b;
      for (let k = 0; k < r.idx.length; k++) z += w[r.idx[k]] * r.vals[k];
      const p = 1 / (1 + Math.exp(-z));
      const e = ((p - r.y) * cw[r.y]) / rows.length;
      gb += e;
      for (let k = 0; k < r.idx.length; k++) g[r.idx[k]] += e * r.vals[k];
    }
    const c1 = 1 - b1 ** t;
    const c2 = 1 - b2 ** t;
    for (let j = 0; j < dim; j++) {
      m[j] = b1 * m[j] + (1 - b1) * g[j];
      v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j];
      w[j] -= (lr * (m[j] / c1)) / (Math.sqrt(v[j] / c2) + 1e-8);
    }
    mb = b1 * mb + (1 - b1) * gb;
    vb = b2 * vb + (1 - b2) * gb * gb;
    b -= (lr * (mb / c1)) / (Math.sqrt(vb / c2) + 1e-8);
  }
  return { w, b };
}

function predict(model, r) {
  let z = model.b;
  for (let k = 0; k < r.idx.length; k++) z += model.w[r.idx[k]] * r.vals[k];
  return 1 / (1 + Math.exp(-z));
}

/** Recall at the threshold that blocks at most 5 % of benign items, and the log loss. */
function judge(scored) {
  const benign = scored
    .filter((s) => s.y === 0)
    .map((s) => s.p)
    .sort((a, b) => b - a);
  const t = benign[Math.floor(benign.length * 0.05)] ?? 1;
  const inj = scored.filter((s) => s.y === 1);
  const recall = inj.filter((s) => s.p > t).length / Math.max(inj.length, 1);
  const loss = scored.reduce((a, s) => a - Math.log(Math.max(1e-12, s.y ? s.p : 1 - s.p)), 0) / scored.length;
  return { recall, loss };
}

const { files, items, digest } = load();
const vectors = items.map((it) => ({ ...vectorize(it.text), y: it.y }));
// Buckets seen in training, numbered compactly: the others keep weight 0 whatever lambda is.
const used = [...new Set(vectors.flatMap((r) => r.keys))].sort((a, b) => a - b);
const slot = new Map(used.map((b, i) => [b, i]));
const rows = vectors.map((r) => ({ idx: Int32Array.from(r.keys, (k) => slot.get(k)), vals: Float64Array.from(r.vals), y: r.y }));
console.log(`${items.length} items from ${files.join(', ')}: ${rows.filter((r) => r.y).length} injection, ${used.length} distinct buckets`);

// Lambda by cross-validation on the tune items only, folds stratified by label.
const random = rng(HYPER.seed);
const order = rows.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [order[i], order[j]] = [order[j], order[i]];
}
const fold = new Array(rows.length);
let seen = [0, 0];
for (const i of order) fold[i] = seen[rows[i].y]++ % HYPER.folds;
let best = null;
for (const lambda of HYPER.lambdas) {
  const scored = [];
  for (let f = 0; f < HYPER.folds; f++) {
    const model = train(
      rows.filter((_, i) => fold[i] !== f),
      used.length,
      lambda,
    );
    rows.forEach((r, i) => {
      if (fold[i] === f) scored.push({ y: r.y, p: predict(model, r) });
    });
  }
  const { recall, loss } = judge(scored);
  console.log(`lambda ${lambda}: cv log loss ${loss.toFixed(4)}, cv recall at 5 % FP ${(recall * 100).toFixed(1)} %`);
  if (best === null || loss < best.loss) best = { lambda, loss, recall };
}
seen = null;
const model = train(rows, used.length, best.lambda);

// Quantised to int8 with one scale; weights rounding to 0 are not shipped.
const maxAbs = model.w.reduce((a, x) => Math.max(a, Math.abs(x)), 0);
const scale = maxAbs / 127;
const index = [];
const values = [];
let last = 0;
for (let j = 0; j < used.length; j++) {
  const q = Math.round(model.w[j] / scale);
  if (q === 0) continue;
  let delta = used[j] - last;
  last = used[j];
  while (delta >= 0x80) {
    index.push((delta & 0x7f) | 0x80);
    delta >>>= 7;
  }
  index.push(delta);
  values.push(q & 0xff);
}
const date = process.env.SOURCE_DATE_EPOCH
  ? new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000).toISOString().slice(0, 10)
  : new Date().toISOString().slice(0, 10);
const meta = {
  trained: date,
  corpora: files.map((f) => `bench/corpora/injection/${f}`),
  corpusSha256: digest,
  items: rows.length,
  lambda: best.lambda,
  cvLogLoss: Number(best.loss.toFixed(4)),
  cvRecallAt5PctFp: Number(best.recall.toFixed(3)),
  steps: HYPER.steps,
  learningRate: HYPER.learningRate,
  optimizer: 'full-batch Adam, class-balanced log loss, L2 on weights',
  seed: HYPER.seed,
  weights: values.length,
};
const text = `/** Weights of the learned injection tier, written by scripts/train-injection-model.mjs from the tune corpora: do not edit. */
import type { ShippedWeights } from './model-format.js';

export const INJECTION_MODEL: ShippedWeights = {
  spec: ${FEATURE_SPEC},
  bits: ${HASH_BITS},
  bias: ${model.b},
  scale: ${scale},
  meta: {
${Object.entries(meta)
  .map(([k, v]) => `    ${k}: ${Array.isArray(v) ? `[${v.map((x) => `'${x}'`).join(', ')}]` : typeof v === 'string' ? `'${v}'` : v},`)
  .join('\n')}
  },
  index:
    '${Buffer.from(index).toString('base64')}',
  values:
    '${Buffer.from(values).toString('base64')}',
};
`;
writeFileSync(out, text);
console.log(`lambda ${best.lambda}: ${values.length} weights of ${used.length}, ${text.length} bytes to ${out}`);
