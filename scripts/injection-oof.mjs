/**
 * The by-source validation of the injection engine's learned tier, as the combination is fitted and
 * reported on: every training item scored by a model trained without its source group (INJECTION_OOF,
 * written by scripts/train-injection-model.mjs), with the rules' reading of it beside.
 *
 * INJECTION_UNTUNED names the groups the rules were written without (authors scored before any tuning):
 * the only ones where the rules' verdicts are as unseen as the model's. A group the rules have since been
 * tuned to is read with the rules as they were before, from a build of that commit
 * (INJECTION_RULES_AT=author3=/path/to/checkout-of-eb31d3fd, its dist/ built).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The OOF items ({ text, y, group, kind, lang, m, peak, chunks }, the rules' r, rules, about, prose and reach) and the untuned groups. */
export async function loadOof() {
  const { ABOUT_WORDS, createInjectionScorer, hasProse, subjectWords } = await import(join(root, 'dist/gateway/guardrails/injection.js'));
  const { reachWhereItMatters } = await import(join(root, 'dist/gateway/guardrails/injection/language-reach.js'));
  const oofFile = process.env.INJECTION_OOF ?? '/work/train-data/oof.jsonl';
  const rules = createInjectionScorer({ learned: false });
  // The rules' verdicts do not depend on the model: kept beside the OOF file, keyed by the rules' source digest.
  const rulesDigest = createHash('sha256')
    .update(readFileSync(join(root, 'dist/gateway/guardrails/injection.js')))
    .update(readFileSync(join(root, 'dist/gateway/guardrails/injection/directives.js')))
    .update('hit names')
    .digest('hex')
    .slice(0, 16);
  const cacheFile = `${oofFile}.rules-${rulesDigest}.json`;
  const cache = existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {};
  const read = (scorer, text) => {
    const r = scorer.scoreText(text);
    return { r: r.score, rules: r.hits.map((h) => h.rule), about: subjectWords(text) >= ABOUT_WORDS, prose: hasProse(text) };
  };
  const items = readFileSync(oofFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .map((it) => {
      cache[it.text] ??= read(rules, it.text);
      return { ...it, ...cache[it.text] };
    });
  writeFileSync(cacheFile, JSON.stringify(cache));
  const untuned = new Set((process.env.INJECTION_UNTUNED ?? '').split(',').filter(Boolean));
  for (const spec of (process.env.INJECTION_RULES_AT ?? '').split(',').filter(Boolean)) {
    const [group, checkout] = spec.split('=');
    const then = (await import(join(checkout, 'dist/gateway/guardrails/injection.js'))).createInjectionScorer({ learned: false });
    untuned.add(group);
    for (const it of items) if (it.group === group) Object.assign(it, read(then, it.text));
  }
  // Asked of the text the model read, as the engine asks it: only where no rule fired and the model's score is near a block.
  for (const it of items) it.reach = reachWhereItMatters(it.text, it.rules, it.m);
  return { items, untuned };
}

/** One item as the combination reads it. */
export const inputOf = (it) => ({
  reach: it.reach,
  ruleScore: it.r,
  rules: it.rules,
  score: it.m,
  peak: it.peak,
  // Absent in a validation written before the model reported it: the combination then reads `score`.
  language: it.language,
  chunks: it.chunks,
  about: it.about,
  prose: it.prose,
});
