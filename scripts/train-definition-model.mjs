#!/usr/bin/env node
/**
 * Trains the definitions' learned tier (src/gateway/federation/definition-learned.ts): the injection
 * engine's reader (dist/'s chunkFeatures, chunk by chunk) with weights of its own, fitted on tool,
 * prompt and resource definitions as the scan reads them (definition-model-text.ts), from the
 * definitions tune corpora (poisoned and clean, by author) and the published servers' definitions
 * (public-*.jsonl: the clean ones are the strongest negatives — real descriptions of credentials,
 * files and other tools). The holdout files are never read.
 *
 *   npx tsc -p tsconfig.build.json && node scripts/train-definition-model.mjs
 *
 * Every source file (an author, a published server, a scanner's test set) is held out in turn and
 * scored by the gateway's reader: those out-of-source scores (DEFINITION_OOF, with the rules' verdict
 * beside each) are what the tier's threshold is chosen on. Deterministic (seeded shuffles;
 * SOURCE_DATE_EPOCH's date when set).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { instancesOf, pack as packWith, trainBags, weightsModule } from './hashed-logistic.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(join(root, 'dist', p));
const { chunkFeatures, chunks, createInjectionModel, FEATURE_SPEC, HASH_BITS } = await dist('gateway/guardrails/injection/model.js');
const { definitionModelText } = await dist('gateway/federation/definition-model-text.js');
const guard = await dist('gateway/federation/definition-guard.js');
const corpusDir = join(root, 'bench/corpora/definitions');
const out = process.env.DEFINITION_WEIGHTS_OUT ?? join(root, 'src/gateway/federation/definition-model-weights.ts');

const HYPER = {
  lambda: Number(process.env.TRAIN_LAMBDA ?? 3e-5),
  epochs: Number(process.env.TRAIN_EPOCHS ?? 40),
  seed: Number(process.env.TRAIN_SEED ?? 57),
  minItems: Number(process.env.TRAIN_MIN_ITEMS ?? 3),
  weighting: 'group',
  // A published server's clean definitions weigh this many times an author's clean ones: what a gateway fronts.
  publicScale: Number(process.env.TRAIN_PUBLIC_WEIGHT ?? 5),
  learningRate: 0.05,
  minQuant: Number(process.env.TRAIN_MIN_QUANT ?? 3),
};

/** The parts of a corpus item the scan reads: its name apart, the rest as fields. */
function partsOf(item) {
  const value = item.tool ?? item.prompt ?? item.resource;
  const { name = '', ...rest } = value;
  return { name: String(name), rest };
}

/** The rules' verdict on an item, as the scan gives it (before any learned tier). */
function rulesScore(item) {
  const rulesOnly = { learned: false };
  const found = item.tool
    ? guard.definitionFindings(item.tool, rulesOnly)
    : item.prompt
      ? guard.promptFindings(item.prompt, rulesOnly)
      : guard.resourceFindings(item.resource, rulesOnly);
  return found?.score ?? 0;
}

// Files by author: holding a group out tests text nobody in the rest wrote.
const GROUP_OF = { 'tune-main.jsonl': 'tune-main', 'tune-h.jsonl': 'tune-main', 'tune-own.jsonl': 'tune-main', 'sample-bench.jsonl': 'tune-main' };

function load() {
  const items = [];
  const hash = createHash('sha256');
  const files = readdirSync(corpusDir)
    .filter((f) => /^(?:tune|public|sample)-.*\.jsonl$/.test(f))
    .sort();
  for (const f of files) {
    const body = readFileSync(join(corpusDir, f), 'utf8');
    hash.update(f).update('\0').update(body);
    for (const line of body.split('\n')) {
      if (line.trim() === '') continue;
      const item = JSON.parse(line);
      if (item.label !== 'poisoned' && item.label !== 'clean') continue;
      const { name, rest } = partsOf(item);
      items.push({
        id: item.id,
        file: f,
        group: GROUP_OF[f] ?? f.replace(/\.jsonl$/, ''),
        y: item.label === 'poisoned' ? 1 : 0,
        text: definitionModelText(name, rest),
        item,
      });
    }
  }
  return { items, digest: hash.digest('hex') };
}

const pack = (model, used) => packWith(model, used, { spec: FEATURE_SPEC, bits: HASH_BITS, minQuant: HYPER.minQuant });

const { items, digest } = load();
const bags = items.map((it) => instancesOf({ chunks, chunkFeatures }, it.text));
const seenIn = new Map();
for (const bag of bags) {
  const here = new Set();
  for (const inst of bag.instances) for (const k of inst.keys) here.add(k);
  for (const k of here) seenIn.set(k, (seenIn.get(k) ?? 0) + 1);
}
const used = [...seenIn.keys()].filter((k) => seenIn.get(k) >= HYPER.minItems).sort((a, b) => a - b);
const slot = new Map(used.map((b, i) => [b, i]));
const compact = (r) => {
  const keep = r.keys.map((k, i) => [slot.get(k), r.vals[i]]).filter(([j]) => j !== undefined);
  return { idx: Int32Array.from(keep, ([j]) => j), vals: Float64Array.from(keep, ([, v]) => v) };
};
const rows = items.map((it, i) => ({ insts: bags[i].instances.map(compact), offset: bags[i].offset, y: it.y, group: it.group }));
const groups = [...new Set(rows.map((r) => r.group))].sort();
const groupScale = new Map(groups.filter((g) => g.startsWith('public-')).map((g) => [g, HYPER.publicScale]));
const train = (subset) => trainBags(subset, used.length, { ...HYPER, groupScale });
console.log(`${items.length} definitions (${rows.filter((r) => r.y).length} poisoned) in ${groups.length} groups; ${used.length} distinct buckets`);

if (process.env.TRAIN_SKIP_VALIDATION !== '1') {
  const oof = [];
  for (const g of groups) {
    const reader = createInjectionModel(pack(train(rows.filter((r) => r.group !== g)), used));
    items.forEach((it, i) => {
      if (rows[i].group === g) oof.push({ id: it.id, file: it.file, group: g, y: it.y, m: reader.read(it.text).score, rules: rulesScore(it.item) });
    });
    const mine = oof.filter((o) => o.group === g);
    const pos = mine.filter((o) => o.y === 1);
    const neg = mine.filter((o) => o.y === 0);
    const pct = (xs, f) => (xs.length ? ((xs.filter(f).length / xs.length) * 100).toFixed(1) : '—');
    console.log(`held out ${g}: ${pos.length} poisoned, @0.5 ${pct(pos, (o) => o.m >= 0.5)} %; ${neg.length} clean, @0.5 ${pct(neg, (o) => o.m >= 0.5)} %`);
  }
  writeFileSync(process.env.DEFINITION_OOF ?? '/work/train/definition-oof.jsonl', `${oof.map((o) => JSON.stringify(o)).join('\n')}\n`);
}

const packed = pack(train(rows), used);
const date = process.env.SOURCE_DATE_EPOCH
  ? new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000).toISOString().slice(0, 10)
  : new Date().toISOString().slice(0, 10);
const meta = {
  trained: date,
  sourceGroups: groups.length,
  corpusSha256: digest,
  items: rows.length,
  poisoned: rows.filter((r) => r.y === 1).length,
  lambda: HYPER.lambda,
  epochs: HYPER.epochs,
  seed: HYPER.seed,
  minItems: HYPER.minItems,
  minQuant: HYPER.minQuant,
  learningRate: HYPER.learningRate,
  optimizer: `AdaGrad over seeded shuffles, log loss weighted equal per source file and label (published servers ×${HYPER.publicScale}), L2 on touched weights; each definition read chunk by chunk as the reader scores it`,
  validation: 'leave-one-source-file-out (scripts/train-definition-model.mjs); figures in docs/benchmarks.md',
  weights: packed.count,
};
const text = weightsModule({
  doc: "Weights of the definitions' learned tier, written by scripts/train-definition-model.mjs from the corpora in meta: do not edit.",
  constName: 'DEFINITION_MODEL',
  formatImport: '../guardrails/injection/model-format.js',
  spec: FEATURE_SPEC,
  bits: HASH_BITS,
  packed,
  meta,
});
writeFileSync(out, text);
console.log(`${packed.count} weights of ${used.length}, ${text.length} bytes to ${out}`);
