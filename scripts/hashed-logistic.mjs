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
  return scaled(counts, n);
}

/** Each item's weight in the loss: every group alike per label ('group', capped, times `groupScale`), or the two labels alike ('label'). */
function itemWeights(rows, weighting, groupScale) {
  const per = new Map();
  for (const r of rows) per.set(`${r.group}:${r.y}`, (per.get(`${r.group}:${r.y}`) ?? 0) + 1);
  const cells = [0, 1].map((y) => [...per.keys()].filter((k) => k.endsWith(`:${y}`)).length);
  const labelCount = [rows.length - rows.filter((r) => r.y).length, rows.filter((r) => r.y).length];
  return weighting === 'label'
    ? rows.map((r) => rows.length / (2 * labelCount[r.y]))
    : rows.map((r) => Math.min(20, rows.length / (2 * cells[r.y] * per.get(`${r.group}:${r.y}`))) * (groupScale.get(r.group) ?? 1));
}

/** Fisher–Yates in place, from the seeded generator. */
function shuffle(order, random) {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
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
  const weight = itemWeights(rows, weighting, groupScale);
  const random = rng(seed);
  const order = rows.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, random);
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

/** The TypeScript module that ships packed weights: `doc` its comment, `constName` the export, `formatImport` where ShippedWeights is. */
export function weightsModule({ doc, constName, formatImport, spec, bits, packed, meta }) {
  const value = (v) => (Array.isArray(v) ? `[${v.map((x) => `'${x}'`).join(', ')}]` : typeof v === 'string' ? `'${v}'` : v);
  return `/** ${doc} */
import type { ShippedWeights } from '${formatImport}';

export const ${constName}: ShippedWeights = {
  spec: ${spec},
  bits: ${bits},
  bias: ${packed.bias},
  scale: ${packed.scale},
  meta: {
${Object.entries(meta)
  .map(([k, v]) => `    ${k}: ${value(v)},`)
  .join('\n')}
  },
  index:
    '${packed.index}',
  values:
    '${packed.values}',
};
`;
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

/**
 * An item as the gateway's reader scores it: each chunk alone and each with the one before it (a
 * sentence cut in two), each instance's counts scaled by 1/sqrt(its count), and the reader's
 * correction for the number of chunks read (log n off the best instance's log-odds).
 */
export function instancesOf({ chunks, chunkFeatures }, text, maxChunks = 512) {
  const instances = [];
  let prev = null;
  let read = 0;
  chunks(text, (chunk) => {
    const counts = new Map();
    let n = 0;
    chunkFeatures(chunk, (b) => {
      counts.set(b, (counts.get(b) ?? 0) + 1);
      n++;
    });
    read++;
    instances.push(scaled(counts, n));
    if (prev !== null) {
      const both = new Map(prev.counts);
      for (const [b, c] of counts) both.set(b, (both.get(b) ?? 0) + c);
      instances.push(scaled(both, n + prev.n));
    }
    prev = { counts, n };
    return read < maxChunks;
  });
  return { instances, offset: -Math.log(Math.max(read, 1)) };
}

/** Bucket counts as a sparse vector (sorted keys), scaled by 1/sqrt(their total) as the reader scales a chunk. */
function scaled(counts, n) {
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const norm = 1 / Math.sqrt(Math.max(n, 1));
  return { keys, vals: keys.map((k) => counts.get(k) * norm) };
}

/**
 * Logistic regression over bags of instances, trained as the reader scores (multiple-instance
 * learning): an item's log-odds is its best instance's less log n. A benign item's best instance
 * is pushed down (every chunk of an honest document must read honest); an injection's instances
 * share its gradient by their softmax (a smooth best), so the attack's own sentence takes the
 * weight and the honest text around a planted sentence is not learned as a sign of attack, as it
 * is when a long item is read as one bag of words. Weighting, optimiser and L2 as `train`.
 */
export function trainBags(rows, dim, { lambda, epochs, seed, learningRate, weighting = 'group', groupScale = new Map() }) {
  const w = new Float64Array(dim);
  const G = new Float64Array(dim).fill(1e-8);
  let b = 0;
  let Gb = 1e-8;
  const weight = itemWeights(rows, weighting, groupScale);
  const random = rng(seed);
  const order = rows.map((_, i) => i);
  const z = new Float64Array(Math.max(1, ...rows.map((r) => r.insts.length)));
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, random);
    for (const i of order) {
      const r = rows[i];
      if (r.insts.length === 0) continue;
      let best = Number.NEGATIVE_INFINITY;
      let arg = 0;
      for (let s = 0; s < r.insts.length; s++) {
        const inst = r.insts[s];
        let dot = 0;
        for (let k = 0; k < inst.idx.length; k++) dot += w[inst.idx[k]] * inst.vals[k];
        z[s] = dot;
        if (dot > best) {
          best = dot;
          arg = s;
        }
      }
      // The item reads as its best instance, as at run time; its gradient goes to the best alone for a benign
      // item, and is shared by a softmax for an injection (the best is not yet the attack early in training).
      let norm = 0;
      if (r.y === 1 && r.insts.length > 1) for (let s = 0; s < r.insts.length; s++) norm += Math.exp(z[s] - best);
      const e = (1 / (1 + Math.exp(-(b + best + r.offset))) - r.y) * weight[i];
      for (let s = 0; s < r.insts.length; s++) {
        const share = r.y === 1 && r.insts.length > 1 ? Math.exp(z[s] - best) / norm : s === arg ? 1 : 0;
        if (share < 1e-3) continue;
        const inst = r.insts[s];
        for (let k = 0; k < inst.idx.length; k++) {
          const j = inst.idx[k];
          const g = e * share * inst.vals[k] + lambda * w[j];
          G[j] += g * g;
          w[j] -= (learningRate * g) / Math.sqrt(G[j]);
        }
      }
      Gb += e * e;
      b -= (learningRate * e) / Math.sqrt(Gb);
    }
  }
  return { w, b };
}
