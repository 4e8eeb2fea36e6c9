#!/usr/bin/env node
/**
 * Prints the candidates for the definitions' learned tier's two thresholds (src/gateway/federation/definition-learned.ts)
 * on its out-of-source scores (DEFINITION_OOF, written by scripts/train-definition-model.mjs), among the definitions
 * the rules pass and that say enough for the tier to read them (MIN_TEXT):
 *
 * - English: per threshold, the clean definitions withheld of published servers (public-* files with no poisoned
 *   definition), of scanners' test sets (public-* files with some), of authors, and the authors' poisoned ones caught.
 *   The rule: the lowest threshold that withholds none published.
 * - Other languages (franc: not English): the authors' and translated clean ones withheld, and the poisoned caught.
 *   The rule: the lowest threshold that withholds at most 2 % of those clean ones.
 *
 *   npx tsc -p tsconfig.build.json && DEFINITION_OOF=/work/train/definition-oof.jsonl node scripts/choose-definition-thresholds.mjs
 *
 * The holdout files are never read: the OOF file holds only tune, sample and public files.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { definitionModelText } = await import(join(root, 'dist/gateway/federation/definition-model-text.js'));
const { definitionTextSize, MIN_DEFINITION_TEXT, readsAsEnglish } = await import(join(root, 'dist/gateway/federation/definition-learned.js'));
const corpusDir = join(root, 'bench/corpora/definitions');
// Candidates by hundredths: the bar moves with every retraining, and a coarse grid would round it up by a step's worth of recall.
const grid = (from, to) => Array.from({ length: Math.round((to - from) * 100) + 1 }, (_, i) => Math.round((from + i / 100) * 100) / 100);
const ENGLISH = grid(0.85, 0.98);
const OTHER = grid(0.8, 0.95);
const OTHER_CAP = 0.02;

const oof = readFileSync(process.env.DEFINITION_OOF ?? '/work/train/definition-oof.jsonl', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const files = new Map();
function itemOf(file, id) {
  if (!files.has(file)) {
    const lines = readFileSync(join(corpusDir, file), 'utf8').split('\n').filter(Boolean);
    files.set(file, new Map(lines.map((l) => JSON.parse(l)).map((it) => [it.id, it])));
  }
  return files.get(file).get(id);
}

const withPoison = new Set(oof.filter((o) => o.y === 1).map((o) => o.file));
const kindOf = (file) =>
  file.startsWith('public-') ? (withPoison.has(file) ? 'scanner' : 'published') : file.startsWith('tune-translated-') ? 'translated' : 'author';
const rows = [];
for (const o of oof) {
  if (o.rules > 0) continue;
  const item = itemOf(o.file, o.id);
  const { name = '', ...rest } = item.tool ?? item.prompt ?? item.resource;
  const text = definitionModelText(String(name), rest);
  const said = text.slice(text.indexOf('\n') + 1);
  if (definitionTextSize(said) < MIN_DEFINITION_TEXT) continue;
  rows.push({ m: o.m, y: o.y, kind: kindOf(o.file), english: readsAsEnglish(said) });
}

const count = (list, f) => list.filter(f).length;
console.log('English: threshold | published clean | scanners clean | authors clean | authors poisoned caught');
let english = null;
for (const t of ENGLISH) {
  const published = count(rows, (r) => r.kind === 'published' && r.y === 0 && r.m >= t);
  if (english === null && published === 0) english = t;
  const authors = rows.filter((r) => r.kind === 'author');
  console.log(
    `${t} | ${published} | ${count(rows, (r) => r.kind === 'scanner' && r.y === 0 && r.m >= t)} | ${count(authors, (r) => r.y === 0 && r.m >= t)} | ${count(authors, (r) => r.y === 1 && r.m >= t)} of ${count(authors, (r) => r.y === 1)}`,
  );
}
const other = rows.filter((r) => !r.english && (r.kind === 'author' || r.kind === 'translated'));
const clean = count(other, (r) => r.y === 0);
console.log(`Other languages (${clean} clean): threshold | clean withheld | authors clean | authors poisoned caught | translated poisoned caught`);
let foreign = null;
for (const t of OTHER) {
  const held = count(other, (r) => r.y === 0 && r.m >= t);
  if (foreign === null && held <= OTHER_CAP * clean) foreign = t;
  console.log(
    `${t} | ${held} (${((100 * held) / clean).toFixed(2)} %) | ${count(other, (r) => r.kind === 'author' && r.y === 0 && r.m >= t)} | ${count(other, (r) => r.kind === 'author' && r.y === 1 && r.m >= t)} | ${count(other, (r) => r.kind === 'translated' && r.y === 1 && r.m >= t)}`,
  );
}
console.log(`by the rules: English ${english}, other languages ${foreign}`);
