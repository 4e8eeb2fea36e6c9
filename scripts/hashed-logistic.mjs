/**
 * The learned tiers' training pieces, shared by scripts/train-injection-model.mjs and
 * scripts/train-definition-model.mjs: an item read into hashed features exactly as the gateway reads
 * it, a logistic regression by AdaGrad, and the shipped weight format (src/gateway/guardrails/injection/model-format.ts).
 */
import { rng } from './seeded-random.mjs';

/** An item's feature vector: counts of buckets over its chunks, scaled by 1/sqrt(total count) as at run time. */
export function vectorize({ chunks, chunkFeatures }, text) {
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

/**
 * Logistic regression by AdaGrad over shuffled items (seeded), log loss + lambda/2 |w|^2 applied to the
 * weights an item touches, over compact indices: ten passes converge where full-batch descent needs
 * hundreds. With `weighting` 'group' each item weighs so that every group carries the same total per
 * label (a source of 3,000 items does not outvote one of 300; a cap keeps one item of a tiny group
 * from dominating); with 'label' the two labels weigh alike. `groupScale` multiplies a named group's weight.
 */
export function train(rows, dim, { lambda, epochs, seed, learningRate, weighting = 'group', groupScale = new Map() }) {
  const w = new Float64Array(dim);
  const G = new Float64Array(dim).fill(1e-8);
  let b = 0;
  let Gb = 1e-8;
  const per = new Map();
  for (const r of rows) per.set(`${r.group}:${r.y}`, (per.get(`${r.group}:${r.y}`) ?? 0) + 1);
  const cells = [0, 1].map((y) => [...per.keys()].filter((k) => k.endsWith(`:${y}`)).length);
  const labelCount = [rows.length - rows.filter((r) => r.y).length, rows.filter((r) => r.y).length];
  const weight =
    weighting === 'label'
      ? rows.map((r) => rows.length / (2 * labelCount[r.y]))
      : rows.map((r) => Math.min(20, rows.length / (2 * cells[r.y] * per.get(`${r.group}:${r.y}`))) * (groupScale.get(r.group) ?? 1));
  const random = rng(seed);
  const order = rows.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const i of order) {
      const r = rows[i];
      let z = b;
      for (let k = 0; k < r.idx.length; k++) z += w[r.idx[k]] * r.vals[k];
      const e = (1 / (1 + Math.exp(-z)) - r.y) * weight[i];
      for (let k = 0; k < r.idx.length; k++) {
        const j = r.idx[k];
        const g = e * r.vals[k] + lambda * w[j];
        G[j] += g * g;
        w[j] -= (learningRate * g) / Math.sqrt(G[j]);
      }
      Gb += e * e;
      b -= (learningRate * e) / Math.sqrt(Gb);
    }
  }
  return { w, b };
}

/** Quantised to int8 with one scale, in the shipped format; weights under `minQuant` steps are not shipped. */
export function pack(model, used, { spec, bits, minQuant }) {
  const maxAbs = model.w.reduce((a, x) => Math.max(a, Math.abs(x)), 0) || 1;
  const scale = maxAbs / 127;
  const index = [];
  const values = [];
  let last = 0;
  for (let j = 0; j < used.length; j++) {
    const q = Math.round(model.w[j] / scale);
    if (Math.abs(q) < minQuant) continue;
    let delta = used[j] - last;
    last = used[j];
    while (delta >= 0x80) {
      index.push((delta & 0x7f) | 0x80);
      delta >>>= 7;
    }
    index.push(delta);
    values.push(q & 0xff);
  }
  return {
    spec,
    bits,
    bias: model.b,
    scale,
    index: Buffer.from(index).toString('base64'),
    values: Buffer.from(values).toString('base64'),
    count: values.length,
  };
}
