// The labelled corpora of `--guardrails` (format: bench/corpora/README.md) and the arithmetic on
// their outcomes: loading and checking every line, tallying TP/FN/FP/TN per family, category,
// split and channel, and judging the tallies against issue #51's targets. Pure: no gateway here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FAMILIES = ['pii', 'injection', 'definitions'];

/** Issue #51's targets per family: least recall, most false-positive rate (both fractions). */
export const TARGETS = {
  pii: { recall: 0.95, fpr: 0.02 },
  injection: { recall: 0.9, fpr: 0.05 },
  definitions: { recall: 1, fpr: 0 },
};

/** The CPU budget per detector and MiB of body (issue #51). */
export const CPU_MS_PER_MIB_TARGET = 50;

const POSITIVE = { pii: 'positive', injection: 'injection', definitions: 'poisoned' };
const NEGATIVE = { pii: 'negative', injection: 'benign', definitions: 'clean' };

/** The split a corpus file belongs to, from its name (`holdout-…`, `tune-…`, `sample-…`, `public-<source>…`: published material, one source a file). */
export function splitOf(file) {
  const m = /^(holdout|tune|sample|public)-[^/]+\.jsonl$/.exec(file);
  return m ? m[1] : null;
}

/** Why an item cannot be scored, or null when it is well formed. */
export function itemProblem(family, item) {
  if (typeof item.id !== 'string' || item.id === '') return 'no id';
  if (item.label !== POSITIVE[family] && item.label !== NEGATIVE[family]) return `label must be ${POSITIVE[family]} or ${NEGATIVE[family]}`;
  if (typeof item.category !== 'string' || item.category === '') return 'no category';
  if (family === 'definitions') {
    const def = item.tool ?? item.prompt ?? item.resource;
    return def !== null && typeof def === 'object' ? null : 'no tool, prompt or resource object';
  }
  if (typeof item.text !== 'string' || item.text === '') return 'no text';
  if (family === 'pii' && item.label === 'positive') {
    if (!Array.isArray(item.expect) || item.expect.length === 0) return 'a positive needs expect[]';
    for (const e of item.expect) if (typeof e?.value !== 'string' || !item.text.includes(e.value)) return `expected value not in text: ${e?.value}`;
  }
  return null;
}

/**
 * Every item of every corpus file under `dir` (`<family>/<split>-<name>.jsonl`), tagged with its
 * family, split and file; malformed lines are returned apart (reported, never scored).
 */
export function loadCorpora(dir) {
  const items = [];
  const problems = [];
  for (const family of FAMILIES) {
    let files;
    try {
      files = readdirSync(join(dir, family))
        .filter((f) => f.endsWith('.jsonl'))
        .sort();
    } catch {
      continue;
    }
    for (const file of files) {
      const split = splitOf(file);
      if (split === null) {
        problems.push(`${family}/${file}: not named <holdout|tune|sample|public>-<name>.jsonl`);
        continue;
      }
      const lines = readFileSync(join(dir, family, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (line.trim() === '') return;
        let item;
        try {
          item = JSON.parse(line);
        } catch (err) {
          problems.push(`${family}/${file}:${i + 1}: ${err.message}`);
          return;
        }
        const problem = itemProblem(family, item);
        if (problem) problems.push(`${family}/${file}:${i + 1}: ${problem}`);
        else items.push({ ...item, family, split, file: `${family}/${file}`, positive: item.label === POSITIVE[family] });
      });
    }
  }
  return { items, problems };
}

/** The category a PII/secret detector kind belongs to (`ipv6` → ip, `github_token` → secret). */
export function categoryOfKind(kind) {
  if (kind.startsWith('national_id:')) return 'national_id';
  if (kind === 'ipv4' || kind === 'ipv6' || kind === 'ip') return 'ip';
  if (['email', 'phone', 'card', 'iban', 'national_id'].includes(kind)) return kind;
  return 'secret';
}

/** Adds one outcome (`flagged`: the detector found/blocked/withheld it) to a tally. */
export function tallyInto(t, positive, flagged) {
  if (positive) flagged ? t.tp++ : t.fn++;
  else flagged ? t.fp++ : t.tn++;
}

/** Recall, precision and false-positive rate of a tally (null where undefined: no items). */
export function rates(t) {
  const pos = t.tp + t.fn;
  const neg = t.fp + t.tn;
  return {
    recall: pos > 0 ? t.tp / pos : null,
    precision: t.tp + t.fp > 0 ? t.tp / (t.tp + t.fp) : null,
    fpr: neg > 0 ? t.fp / neg : null,
  };
}

/** Whether the tally meets its family's targets: 'met', 'missed' or '—' when it has nothing to judge. */
export function verdict(family, t) {
  const r = rates(t);
  const target = TARGETS[family];
  const checks = [];
  if (r.recall !== null) checks.push(r.recall >= target.recall);
  if (r.fpr !== null) checks.push(r.fpr <= target.fpr);
  if (checks.length === 0) return '—';
  return checks.every(Boolean) ? 'met' : 'missed';
}

/**
 * Outcomes (`{item, channel, flagged}`) grouped into tallies: per family × category × split ×
 * channel, and the roll-ups `category: '*'` (all categories) and `split: 'all'`. A benign item's
 * category (benign_plain…) is its own row, and also counts in '*'.
 */
export function tabulate(outcomes) {
  const rows = new Map();
  const bump = (family, category, split, channel, positive, flagged) => {
    const key = `${family}\u0000${category}\u0000${split}\u0000${channel}`;
    let t = rows.get(key);
    if (!t) {
      t = { family, category, split, channel, tp: 0, fn: 0, fp: 0, tn: 0 };
      rows.set(key, t);
    }
    tallyInto(t, positive, flagged);
  };
  for (const { item, channel, flagged } of outcomes) {
    for (const category of [item.category, '*']) for (const split of [item.split, 'all']) bump(item.family, category, split, channel, item.positive, flagged);
  }
  return [...rows.values()]
    .map((t) => ({ ...t, ...rates(t), verdict: verdict(t.family, t) }))
    .sort((a, b) => `${a.family}${a.category}${a.split}${a.channel}`.localeCompare(`${b.family}${b.category}${b.split}${b.channel}`));
}
