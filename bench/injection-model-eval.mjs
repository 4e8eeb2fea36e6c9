#!/usr/bin/env node
/**
 * Reports the injection engine's rules, its learned tier and their fitted combination side by side on the
 * by-source validation written by scripts/train-injection-model.mjs (INJECTION_OOF: every training item
 * scored by a model trained without its source group): recall and benign blocked per source group, category
 * and language group. The combination itself is fitted by scripts/fit-injection-combination.mjs; on the groups it
 * was fitted on, its figures here are in-sample (the fitter prints the held-out ones).
 *
 *   npx tsc -p tsconfig.build.json && node scripts/train-injection-model.mjs && node bench/injection-model-eval.mjs
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inputOf, loadOof } from '../scripts/injection-oof.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { combineInjectionScores } = await import(join(root, 'dist/gateway/guardrails/injection/combination.js'));
const { items } = await loadOof();

function rates(list, block) {
  const pos = list.filter((i) => i.y === 1);
  const neg = list.filter((i) => i.y === 0);
  return {
    n1: pos.length,
    n0: neg.length,
    recall: pos.length ? pos.filter(block).length / pos.length : null,
    fp: neg.length ? neg.filter(block).length / neg.length : null,
  };
}
const pct = (x) => (x === null ? '     —' : `${(x * 100).toFixed(1).padStart(5)}%`);

const ways = {
  rules: (it) => it.r >= 0.5,
  model: (it) => it.m >= 0.5,
  shipped: (it) => combineInjectionScores(inputOf(it)) >= 0.5,
};
function table(title, key) {
  console.log(`\n${title}`);
  console.log(
    `${'slice'.padEnd(28)} ${'inj'.padStart(5)} ${'ben'.padStart(5)}  ${Object.keys(ways)
      .map((w) => `${w} rec / fp`.padStart(18))
      .join(' ')}`,
  );
  const keys = [...new Set(items.map(key))].sort();
  for (const k of [...keys, '*']) {
    const list = k === '*' ? items : items.filter((i) => key(i) === k);
    const cells = Object.values(ways).map((f) => {
      const r = rates(list, f);
      return `${pct(r.recall)} / ${pct(r.fp)}`.padStart(18);
    });
    const r = rates(list, ways.rules);
    console.log(`${String(k).padEnd(28)} ${String(r.n1).padStart(5)} ${String(r.n0).padStart(5)}  ${cells.join(' ')}`);
  }
}
table('By source group (each scored by a model that never saw it)', (i) => i.group);
table('By category', (i) => (i.y === 1 ? categoryOf(i.kind) : i.kind?.startsWith('benign') ? i.kind : 'benign_other'));
table('By language group', (i) => (i.lang === 'en' || !i.lang ? 'en' : 'non-en'));

/** The public sets' labels mapped onto the corpora's categories. */
function categoryOf(kind) {
  if (!kind) return 'other';
  if (kind.startsWith('code:')) return 'tool_coercion';
  return kind;
}
