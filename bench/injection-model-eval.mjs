#!/usr/bin/env node
/**
 * Chooses how the injection engine's rules and its learned tier combine, on the by-source validation
 * written by scripts/train-injection-model.mjs (INJECTION_OOF: every training item scored by a model
 * trained without its source group), and prints recall and benign blocked per source group, category
 * and language group for the rules alone, the model alone and the chosen combination.
 *
 *   npx tsc -p tsconfig.build.json && node scripts/train-injection-model.mjs && node bench/injection-model-eval.mjs
 *
 * The choice: the best recall whose benign blocked rate is ≤ 5 % in every source group with benign
 * items (in a group whose benign texts the rules alone block past 5 %, at most 5 points past the rules)
 * and ≤ 3 % over all of them. Groups the rules were written from (own-tune) take part in the
 * recall but the rules' figures there are optimistic.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { ABOUT_WORDS, createInjectionScorer, subjectWords } = await import(join(root, 'dist/gateway/guardrails/injection.js'));
const { combineInjectionScores, HARD_RULES, PHRASE_RULES, ROLE_RULES, COMBINATION } = await import(join(root, 'dist/gateway/guardrails/injection/model.js'));
const oofFile = process.env.INJECTION_OOF ?? '/work/train-data/oof.jsonl';
const GROUP_FP_CAP = 0.05;
const ALL_FP_CAP = 0.03;

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
const items = readFileSync(oofFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l))
  .map((it) => {
    cache[it.text] ??= (() => {
      const r = rules.scoreText(it.text);
      return { r: r.score, rules: r.hits.map((h) => h.rule), about: subjectWords(it.text) >= ABOUT_WORDS };
    })();
    return { ...it, ...cache[it.text] };
  });
writeFileSync(cacheFile, JSON.stringify(cache));
// Groups the rules were written without (INJECTION_UNTUNED=author6,author7): the only ones where the rules'
// verdicts are as unseen as the model's, so the choice is made on them. A group the rules have since
// been tuned to is read with the rules as they were before, from a build of that commit
// (INJECTION_RULES_AT=author3=/path/to/checkout-of-eb31d3fd, its dist/ built).
const untuned = new Set((process.env.INJECTION_UNTUNED ?? '').split(',').filter(Boolean));
for (const spec of (process.env.INJECTION_RULES_AT ?? '').split(',').filter(Boolean)) {
  const [group, checkout] = spec.split('=');
  const then = (await import(join(checkout, 'dist/gateway/guardrails/injection.js'))).createInjectionScorer({ learned: false });
  untuned.add(group);
  for (const it of items) {
    if (it.group !== group) continue;
    const r = then.scoreText(it.text);
    Object.assign(it, { r: r.score, rules: r.hits.map((h) => h.rule), about: subjectWords(it.text) >= ABOUT_WORDS });
  }
}

/** The engine's decision (injection.ts): a hard rule block stands, else the rules' score and the model's combine. */
function decide(it, t) {
  const hard = it.rules.some((r) => HARD_RULES.has(r));
  if (it.r >= 0.5 && hard) return true;
  const ruled = it.r >= 0.5 || !it.rules.every((r) => r === 'link_with_query') ? it.r : 0;
  return (
    Math.max(
      it.r >= 0.5 ? 0 : it.r,
      combineInjectionScores(ruled, it.m, it.chunks, {
        peak: it.peak,
        hard,
        role: it.rules.some((r) => ROLE_RULES.has(r)),
        about: it.about,
        phrase: it.rules.every((r) => PHRASE_RULES.has(r)),
        combination: t,
      }),
    ) >= 0.5
  );
}

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

const groups = [...new Set(items.map((i) => i.group))].sort();
// Where the rules alone pass the cap (tune-coverage's benign near-misses quote the injections'
// phrases: 9.8 %), no candidate that lets every rule block stand could keep to it; there the model may
// add what it may add elsewhere, 5 points.
const groupCap = new Map(
  groups.map((g) => {
    const ruled =
      rates(
        items.filter((i) => i.group === g),
        (i) => i.r >= 0.5,
      ).fp ?? 0;
    return [g, ruled > GROUP_FP_CAP ? ruled + GROUP_FP_CAP : GROUP_FP_CAP];
  }),
);
const byGroup = new Map(groups.map((g) => [g, items.filter((i) => i.group === g)]));
const aboutItems = items.filter((i) => i.kind === 'benign_about_injection');
const freshItems = items.filter((i) => untuned.has(i.group));
// What the rules alone catch per group: a candidate may not lose more than a point of it anywhere (the classics
// the rules were written for are what a model trained without them reads least surely).
const ruledRecall = new Map(groups.map((g) => [g, rates(byGroup.get(g), (i) => i.r >= 0.5).recall]));
const candidates = [];
// A confirm past 1 never confirms: the model then adds only by blocking alone.
for (const sure of [0, 0.05, 0.1, 0.15, 0.2, 0.3])
  for (const veto of [0, 0.2, 0.4, 0.6, 0.8])
    for (const block of [0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.96])
      for (const confirm of [0.6, 0.7, 0.8, 0.9, 1.1])
        for (const hint of [0.1, 0.3]) {
          const t = { ...COMBINATION, sure, veto, block, confirm, hint };
          const f = (it) => decide(it, t);
          const all = rates(items, f);
          const per = groups.map((g) => [g, rates(byGroup.get(g), f)]);
          // The worst group's benign blocked rate over its cap: ≤ 0 where every group keeps to its cap.
          const worst = Math.max(...per.map(([g, r]) => (r.fp ?? 0) - groupCap.get(g)));
          const lost = Math.max(...per.map(([g, r]) => (r.recall === null ? 0 : ruledRecall.get(g) - r.recall)));
          const about = rates(aboutItems, f).fp;
          const fresh = rates(freshItems, f);
          candidates.push({ t, recall: all.recall, fp: all.fp, worst, lost, about, fresh });
        }
// With untuned groups: the candidate with the most injections caught less twice the benign texts blocked there (a
// near-miss blocked counts as two attacks missed: no candidate reaches 5 % blocked on these authors without giving
// up most of what the learned tier adds), texts about injection (the groups the rules were tuned to) kept to the cap
// over all, no group losing more than a point of what the rules alone catch. Without: the best recall at ≤ 5 %
// benign blocked in every group and ≤ 3 % over all.
const freshRuled = rates(
  items.filter((i) => untuned.has(i.group)),
  (i) => i.r >= 0.5,
);
const ok = untuned.size ? candidates.filter((c) => c.about <= ALL_FP_CAP && c.lost <= 0.01) : candidates.filter((c) => c.worst <= 1e-9 && c.fp <= ALL_FP_CAP);
if (untuned.size) ok.sort((a, b) => b.fresh.recall - 2 * b.fresh.fp - (a.fresh.recall - 2 * a.fresh.fp) || b.recall - a.recall);
else ok.sort((a, b) => b.recall - a.recall || a.fp - b.fp);
const chosen = ok[0] ?? candidates.sort((a, b) => a.worst - b.worst)[0];
console.log(
  `chosen: ${JSON.stringify(chosen.t)} recall ${pct(chosen.recall)} benign blocked ${pct(chosen.fp)} worst group over its cap ${pct(chosen.worst)} about-injection ${pct(chosen.about)}`,
);
console.log(`shipped: ${JSON.stringify(COMBINATION)}`);
if (untuned.size)
  console.log(
    `on the untuned groups (${[...untuned].join(', ')}): chosen recall ${pct(chosen.fresh.recall)} benign blocked ${pct(chosen.fresh.fp)} (the rules alone there: ${pct(freshRuled.recall)} caught, ${pct(freshRuled.fp)} blocked)`,
  );
// The trade a veto makes: the best admissible candidate at each veto threshold.
for (const veto of [...new Set(candidates.map((c) => c.t.veto))]) {
  const best = ok.find((c) => c.t.veto === veto);
  if (best)
    console.log(
      `  veto ${veto}: recall ${pct(best.recall)} benign blocked ${pct(best.fp)} about-injection blocked ${pct(best.about)} (${JSON.stringify(best.t)})`,
    );
}

const ways = {
  rules: (it) => it.r >= 0.5,
  model: (it) => it.m >= 0.5,
  shipped: (it) => decide(it, COMBINATION),
  chosen: (it) => decide(it, chosen.t),
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
