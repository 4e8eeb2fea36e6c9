#!/usr/bin/env node
/**
 * An experiment for #51: does a learned tier trained on tool DEFINITIONS (the injection engine's hashed
 * features and reader, src/gateway/guardrails/injection/model.ts, read-only) add poisoned definitions
 * withheld on authors the rules never saw, without withholding clean real-server definitions?
 *
 * Data: every bench/corpora/definitions/*.jsonl but the judge-only holdout-blind* files (never opened).
 * A definition's text is what the scan reads (definition-texts.ts's definitionTexts: name, title,
 * descriptions at any depth, property names, enum/default/example values, annotations, `_meta`,
 * decoded and folded), without JSON Schema's own keywords and type names.
 * Validation: each source group held out in turn (every public-* file a group; tune files by author),
 * scored by the gateway's own reader (chunks, pairs, Bonferroni). Then, per threshold, what the model
 * would add to the rules where it withholds alone: extra poisoned and extra clean withheld per group.
 * For the author sets the rules were tuned to after they were scored once, DEF_PRETUNE_DIST names
 * builds of the rules as they stood before (`author3=/dir/dist,author4=…`): the model's gain over
 * those is its gain on a new author.
 *
 *   npx tsc -p tsconfig.build.json && node scripts/train-definition-model.mjs
 *
 * Deterministic (seeded shuffles). Writes out-of-source scores to DEF_OOF (default /tmp/def-oof.jsonl).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pack as packWith, train as trainWith, vectorize as vectorizeWith } from './hashed-logistic.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { chunkFeatures, chunks, createInjectionModel, FEATURE_SPEC, HASH_BITS } = await import(join(root, 'dist/gateway/guardrails/injection/model.js'));
const { definitionTexts } = await import(join(root, 'dist/gateway/federation/definition-texts.js'));
const corpusDir = join(root, 'bench/corpora/definitions');
const LONG_TOKEN = /[A-Za-z0-9+/=_-]{24,}/g;

const HYPER = {
  lambda: Number(process.env.TRAIN_LAMBDA ?? 3e-5),
  epochs: Number(process.env.TRAIN_EPOCHS ?? 15),
  seed: Number(process.env.TRAIN_SEED ?? 51),
  minItems: Number(process.env.TRAIN_MIN_ITEMS ?? 3),
  learningRate: 0.05,
  minQuant: 1,
};
const THRESHOLDS = [0.5, 0.8, 0.9, 0.95, 0.98, 0.99];

// Tune files by author: holding a group out tests text nobody in the rest wrote.
const TUNE_GROUP = {
  'tune-main.jsonl': 'tune-main/h/own',
  'tune-h.jsonl': 'tune-main/h/own',
  'tune-own.jsonl': 'tune-main/h/own',
  'tune-was-holdout-author3.jsonl': 'author3',
  'tune-was-holdout-author4.jsonl': 'author4',
  'tune-was-holdout-author11.jsonl': 'author11',
};
const AUTHORS = ['author3', 'author4', 'author11'];

// JSON Schema's own words: the same in every definition, clean or poisoned.
const SCHEMA_WORDS = new Set(
  'type properties required items additional properties input schema output schema schema annotations description title enum default format string number integer boolean object array null any of one of all of defs definitions ref minimum maximum min length max length min items max items pattern const examples example read only hint destructive hint idempotent hint open world hint execution task support'.split(
    ' ',
  ),
);
const isSchemaWord = (s) => s.split(/\s+/).every((w) => SCHEMA_WORDS.has(w)) || /^https?:\/\/json-schema\.org/.test(s);

/** The text of a definition as the scan reads it, one text a line. */
function definitionText(item) {
  const def = item.tool ?? item.prompt ?? item.resource;
  const { name, ...rest } = def;
  const read = definitionTexts({ name, ...rest });
  return read
    .map((t) => t.read.trim())
    .filter((s) => s !== '' && !isSchemaWord(s))
    .join('\n');
}

function load() {
  const items = [];
  const files = readdirSync(corpusDir)
    .filter((f) => f.endsWith('.jsonl') && !f.startsWith('holdout-blind'))
    .sort();
  for (const f of files) {
    for (const line of readFileSync(join(corpusDir, f), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const item = JSON.parse(line);
      if (item.label !== 'poisoned' && item.label !== 'clean') continue;
      items.push({
        item,
        id: item.id,
        file: f.replace(/\.jsonl$/, ''),
        group: TUNE_GROUP[f] ?? f.replace(/\.jsonl$/, ''),
        y: item.label === 'poisoned' ? 1 : 0,
        text: definitionText(item),
      });
    }
  }
  return items;
}

const vectorize = (text) => vectorizeWith({ chunks, chunkFeatures }, text);
const train = (rows, dim) => trainWith(rows, dim, HYPER);
const pack = (model, used) => packWith(model, used, { spec: FEATURE_SPEC, bits: HASH_BITS, minQuant: HYPER.minQuant });

/** Whether a build's scan withholds an item. */
function withholdBy(guard) {
  return (item) =>
    (item.tool ? guard.definitionFindings(item.tool) : item.prompt ? guard.promptFindings(item.prompt) : guard.resourceFindings(item.resource)) !== null;
}

function auc(pos, neg) {
  if (pos.length === 0 || neg.length === 0) return null;
  const all = [...pos.map((s) => [s, 1]), ...neg.map((s) => [s, 0])].sort((a, b) => a[0] - b[0]);
  let sumPos = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j][0] === all[i][0]) j++;
    const mid = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (all[k][1]) sumPos += mid;
    i = j;
  }
  return (sumPos - (pos.length * (pos.length + 1)) / 2) / (pos.length * neg.length);
}

const items = load();
const vectors = items.map((it) => vectorize(it.text));
const groups = [...new Set(items.map((it) => it.group))].sort();
console.log(`${items.length} definitions (${items.filter((it) => it.y).length} poisoned) in ${groups.length} groups`);

const oof = new Float64Array(items.length);
const t0 = Date.now();
for (const g of groups) {
  const train_ = items.map((_, i) => i).filter((i) => items[i].group !== g);
  // Buckets seen in at least minItems training items; the others keep weight 0.
  const seenIn = new Map();
  for (const i of train_) for (const k of vectors[i].keys) seenIn.set(k, (seenIn.get(k) ?? 0) + 1);
  const used = [...seenIn.keys()].filter((k) => seenIn.get(k) >= HYPER.minItems).sort((a, b) => a - b);
  const slot = new Map(used.map((b, i) => [b, i]));
  const rows = train_.map((i) => {
    const keep = vectors[i].keys.map((k, j) => [slot.get(k), vectors[i].vals[j]]).filter(([s]) => s !== undefined);
    return { idx: Int32Array.from(keep, ([s]) => s), vals: Float64Array.from(keep, ([, v]) => v), y: items[i].y, group: items[i].group };
  });
  const reader = createInjectionModel(pack(train(rows, used.length), used));
  items.forEach((it, i) => {
    if (it.group === g) oof[i] = reader.read(it.text.replace(LONG_TOKEN, ' ')).score;
  });
}
console.log(`validation: ${groups.length} folds in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

const current = withholdBy(await import(join(root, 'dist/gateway/federation/definition-guard.js')));
const rules = items.map((it) => current(it.item));
const pretune = new Map();
for (const spec of (process.env.DEF_PRETUNE_DIST ?? '').split(',').filter(Boolean)) {
  const [group, dist] = spec.split('=');
  const before = withholdBy(await import(join(dist, 'gateway/federation/definition-guard.js')));
  pretune.set(
    group,
    items.map((it) => (it.group === group ? before(it.item) : null)),
  );
}
writeFileSync(
  process.env.DEF_OOF ?? '/tmp/def-oof.jsonl',
  `${items.map((it, i) => JSON.stringify({ id: it.id, file: it.file, group: it.group, y: it.y, m: oof[i], rules: rules[i], pretune: pretune.get(it.group)?.[i] ?? null })).join('\n')}\n`,
);

const pct = (n, d) => (d === 0 ? '—' : `${((n / d) * 100).toFixed(1)}%`);
const idx = (f) => items.map((_, i) => i).filter(f);
const all = idx(() => true);
console.log(
  `\nout-of-source AUC: all ${auc(
    all.filter((i) => items[i].y).map((i) => oof[i]),
    all.filter((i) => !items[i].y).map((i) => oof[i]),
  ).toFixed(3)}`,
);
for (const g of [...AUTHORS, 'holdout-written', 'tune-paraphrase', 'tune-written', 'tune-structure', 'tune-defpii', 'tune-main/h/own']) {
  const mine = idx((i) => items[i].group === g);
  const a = auc(
    mine.filter((i) => items[i].y).map((i) => oof[i]),
    mine.filter((i) => !items[i].y).map((i) => oof[i]),
  );
  console.log(`  ${g}: AUC ${a === null ? '—' : a.toFixed(3)}`);
}
const pub = idx((i) => items[i].file.startsWith('public-'));
const pubAuc = auc(
  pub.filter((i) => items[i].y).map((i) => oof[i]),
  pub.filter((i) => !items[i].y).map((i) => oof[i]),
);
console.log(`  public-* (all files): AUC ${pubAuc?.toFixed(3)}`);

for (const t of THRESHOLDS) {
  console.log(`\n-- model withholds alone at ${t}`);
  for (const g of AUTHORS) {
    const mine = idx((i) => items[i].group === g);
    const before = pretune.get(g);
    const base = before ? (i) => before[i] : (i) => rules[i];
    const pos = mine.filter((i) => items[i].y);
    const neg = mine.filter((i) => !items[i].y);
    const basePos = pos.filter(base).length;
    const gainPos = pos.filter((i) => !base(i) && oof[i] >= t).length;
    const gainNeg = neg.filter((i) => !base(i) && oof[i] >= t).length;
    console.log(
      `  ${g} (${before ? 'rules before tuning' : 'current rules'}): poisoned ${pct(basePos, pos.length)} → ${pct(basePos + gainPos, pos.length)} (+${gainPos} of ${pos.length}, +${((gainPos / pos.length) * 100).toFixed(1)} pts); clean +${gainNeg} of ${neg.length} (base ${neg.filter(base).length})`,
    );
  }
  // Against the current rules, every group: extra clean on public-* (the budget is 0–1) and on tune files.
  let pubClean = 0;
  let pubCleanN = 0;
  let pubPois = 0;
  const lines = [];
  for (const g of groups) {
    const mine = idx((i) => items[i].group === g);
    const pos = mine.filter((i) => items[i].y);
    const neg = mine.filter((i) => !items[i].y);
    const gp = pos.filter((i) => !rules[i] && oof[i] >= t).length;
    const gn = neg.filter((i) => !rules[i] && oof[i] >= t);
    if (g.startsWith('public-')) {
      pubClean += gn.length;
      pubCleanN += neg.length;
      pubPois += gp;
    }
    if (gp > 0 || gn.length > 0) lines.push(`${g} +${gp}p/+${gn.length}c${gn.length ? ` [${gn.map((i) => items[i].id).join(' ')}]` : ''}`);
  }
  console.log(`  public-*: +${pubClean} clean withheld of ${pubCleanN}; +${pubPois} poisoned`);
  console.log(`  per group (current rules): ${lines.join('; ') || 'none'}`);
}

// The operating point most favourable to the model (chosen on these very scores, so optimistic): the
// lowest threshold at which it withholds at most one clean public-* definition the rules pass.
const pubAlone = pub
  .filter((i) => !items[i].y && !rules[i])
  .map((i) => oof[i])
  .sort((a, b) => b - a);
const best = (pubAlone[1] ?? 0) + 1e-9;
const authorPos = idx((i) => AUTHORS.includes(items[i].group) && items[i].y);
const baseOf = (i) => pretune.get(items[i].group)?.[i] ?? rules[i];
const gained = authorPos.filter((i) => !baseOf(i) && oof[i] >= best).length;
const tuneClean = idx((i) => !items[i].file.startsWith('public-') && !items[i].y && !rules[i] && oof[i] >= best).length;
console.log(
  `\nmost favourable threshold ${best.toFixed(4)} (≤ 1 extra clean on public-*): author groups +${gained} of ${authorPos.length} poisoned (+${((gained / authorPos.length) * 100).toFixed(1)} pts) over the rules before tuning; ${tuneClean} extra clean on tune/holdout files`,
);
