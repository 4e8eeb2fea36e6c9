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
 * An author writes a poisoned definition and its clean ones alike, and a reader fitted on them alone
 * learns the author's hosts as much as the poison. So each fit runs twice: the first reader picks each
 * poisoned definition's most poison-like chunk, and the second is fitted with those chunks also set
 * into clean definitions of other authors and servers (TRAIN_AUGMENT per poisoned one, a group of
 * their own weighing TRAIN_AUGMENT_WEIGHT) — poison the reader must find in any host.
 *
 * The source files (an author, a published server, a scanner's test set) are split into TRAIN_FOLDS
 * folds, each held out in turn and scored by the gateway's reader: those out-of-source scores
 * (DEFINITION_OOF, with the rules' verdict beside each) are what the tier's thresholds are chosen on.
 * Deterministic (seeded shuffles; SOURCE_DATE_EPOCH's date when set).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { instancesOf, pack as packWith, trainBags, weightsModule } from './hashed-logistic.mjs';
import { rng } from './seeded-random.mjs';

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
  // Poisoned definitions made per poisoned one by moving its poison into clean hosts, and their group's weight (see above).
  augment: Number(process.env.TRAIN_AUGMENT ?? 2),
  augmentWeight: Number(process.env.TRAIN_AUGMENT_WEIGHT ?? 15),
  folds: Number(process.env.TRAIN_FOLDS ?? 10),
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
const reading = { chunks, chunkFeatures };
const bags = items.map((it) => instancesOf(reading, it.text));
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
const rowOf = (bag, y, group) => ({ insts: bag.instances.map(compact), offset: bag.offset, y, group });
const rows = items.map((it, i) => rowOf(bags[i], it.y, it.group));
const groups = [...new Set(rows.map((r) => r.group))].sort();
const AUGMENTED = ['augmented-english', 'augmented-other'];
const groupScale = new Map([
  ...groups.filter((g) => g.startsWith('public-')).map((g) => [g, HYPER.publicScale]),
  ...AUGMENTED.map((g) => [g, HYPER.augmentWeight]),
]);
const train = (subset) => trainBags(subset, used.length, { ...HYPER, groupScale });

/** The chunk of a text its reader finds most poison-like. */
function mostPoisonLike(reader, text) {
  let best = -1;
  let found = '';
  chunks(text, (chunk) => {
    const score = reader.score(chunk);
    if (score > best) [best, found] = [score, chunk];
    return true;
  });
  return found;
}

/**
 * Poisoned definitions made of the clean ones among `members` (indices into items): each poisoned
 * member's most poison-like chunk (by `reader`) set in as a line of HYPER.augment clean hosts drawn
 * at random, among their first lines, where a description's notes stand.
 */
function augmentedRows(reader, members, seed) {
  const random = rng(seed);
  const hosts = members.filter((i) => items[i].y === 0);
  const out = [];
  for (const i of members) {
    if (items[i].y !== 1 || hosts.length === 0) continue;
    const poison = mostPoisonLike(reader, items[i].text);
    if (poison === '') continue;
    const group = items[i].item.lang && items[i].item.lang !== 'en' ? AUGMENTED[1] : AUGMENTED[0];
    for (let k = 0; k < HYPER.augment; k++) {
      const lines = items[hosts[Math.floor(random() * hosts.length)]].text.split('\n');
      lines.splice(1 + Math.floor(random() * Math.max(1, Math.min(lines.length - 1, 4))), 0, poison);
      out.push(rowOf(instancesOf(reading, lines.join('\n')), 1, group));
    }
  }
  return out;
}

/** Weights fitted on `members` (indices into items): once as they are, then with their poison moved into clean hosts. */
function fitted(members, seed) {
  const own = members.map((i) => rows[i]);
  const first = train(own);
  if (HYPER.augment === 0) return first;
  return train([...own, ...augmentedRows(createInjectionModel(pack(first, used)), members, seed)]);
}

console.log(`${items.length} definitions (${rows.filter((r) => r.y).length} poisoned) in ${groups.length} groups; ${used.length} distinct buckets`);

if (process.env.TRAIN_SKIP_VALIDATION !== '1') {
  // Folds by source file, dealt by a hash of its name: a file's definitions are all held out together.
  const foldOf = (g) => createHash('sha256').update(g).digest().readUInt32BE(0) % HYPER.folds;
  const oof = [];
  for (let fold = 0; fold < HYPER.folds; fold++) {
    const inFold = (i) => foldOf(items[i].group) === fold;
    const all = items.map((_, i) => i);
    if (!all.some(inFold)) continue;
    const reader = createInjectionModel(
      pack(
        fitted(
          all.filter((i) => !inFold(i)),
          HYPER.seed + fold,
        ),
        used,
      ),
    );
    const mine = all.filter(inFold).map((i) => {
      const it = items[i];
      return { id: it.id, file: it.file, group: it.group, y: it.y, m: reader.read(it.text).score, rules: rulesScore(it.item) };
    });
    oof.push(...mine);
    const pos = mine.filter((o) => o.y === 1);
    const neg = mine.filter((o) => o.y === 0);
    const pct = (xs, f) => (xs.length ? ((xs.filter(f).length / xs.length) * 100).toFixed(1) : '—');
    console.log(
      `held out fold ${fold} (${new Set(mine.map((o) => o.group)).size} files): ${pos.length} poisoned, @0.5 ${pct(pos, (o) => o.m >= 0.5)} %; ${neg.length} clean, @0.5 ${pct(neg, (o) => o.m >= 0.5)} %`,
    );
  }
  writeFileSync(process.env.DEFINITION_OOF ?? '/work/train/definition-oof.jsonl', `${oof.map((o) => JSON.stringify(o)).join('\n')}\n`);
}

const packed = pack(
  fitted(
    items.map((_, i) => i),
    HYPER.seed,
  ),
  used,
);
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
  augment: HYPER.augment,
  augmentWeight: HYPER.augmentWeight,
  optimizer: `AdaGrad over seeded shuffles, log loss weighted equal per source file and label (published servers ×${HYPER.publicScale}), L2 on touched weights; each definition read chunk by chunk as the reader scores it; fitted twice, the second time with the most poison-like chunk of each poisoned definition set into ${HYPER.augment} clean ones (×${HYPER.augmentWeight})`,
  validation: `${HYPER.folds} folds of source files (scripts/train-definition-model.mjs); figures in docs/benchmarks.md`,
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
