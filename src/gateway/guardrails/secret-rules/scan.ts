import type { RE2JS } from 're2js';
import { compileRegex } from '../../workflows/regex.js';
import { isAlnum, type Match } from '../match.js';
import { SECRET_RULES, type SecretRule } from './rules.js';

interface Compiled {
  rule: SecretRule;
  /** Compiled on the rule's first run, or ahead of it by warmRules. */
  re?: RE2JS;
}

let byLead: Map<number, Compiled[]> | undefined;

/** A keyword's first two characters as one number: the lookup per keyword hit allocates no string. */
function leadAt(text: string, at: number): number {
  return text.charCodeAt(at) * 65_536 + text.charCodeAt(at + 1);
}

/**
 * The rules by their keyword's first two characters, each compiled with RE2 (linear time) when first
 * run: a gateway scanning no secrets never loads RE2, and compiling them all at once held the event
 * loop ~0.1 s — the first call's, when its workflow was compiled.
 */
function rulesByLead(): Map<number, Compiled[]> {
  if (byLead) return byLead;
  byLead = new Map();
  for (const rule of SECRET_RULES) {
    const lead = leadAt(rule.keyword, 0);
    byLead.set(lead, [...(byLead.get(lead) ?? []), { rule }]);
  }
  return byLead;
}

function patternOf(entry: Compiled): RE2JS {
  if (entry.re) return entry.re;
  const re = compileRegex(entry.rule.pattern);
  if ('problem' in re) throw new Error(`secret rule ${entry.rule.kind} (${entry.rule.rule}): ${re.problem}`);
  entry.re = re;
  return re;
}

let warming = false;

/**
 * Compiles every rule ahead of the first body that needs it, one rule per turn of the event loop
 * (about a millisecond each), so neither that body nor anything meanwhile waits for all of them.
 * A scanner for secrets starts it when it is built; later calls do nothing.
 */
export function warmRules(): void {
  if (warming) return;
  warming = true;
  const pending = [...rulesByLead().values()].flat();
  const next = (): void => {
    const entry = pending.pop();
    if (entry === undefined) return;
    patternOf(entry);
    setImmediate(next).unref();
  };
  setImmediate(next).unref();
}

/** Every rule compiled now: for a caller that must know the rule set is valid (tests). */
export function compileAllRules(): number {
  let n = 0;
  for (const entries of rulesByLead().values()) for (const entry of entries) n += patternOf(entry) ? 1 : 0;
  return n;
}

/** Every keyword a provider key contains: a body holding none of them skips the rules. */
export const RULE_KEYWORDS: readonly string[] = [...new Set(SECRET_RULES.map((r) => r.keyword))];

// One pass over the text finds every keyword: an alternation of fixed literals (the rule set's,
// never user input), longest first, so a position costs at most one keyword's length of work.
const KEYWORDS = new RegExp(
  [...RULE_KEYWORDS]
    .sort((a, b) => b.length - a.length)
    .map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('|'),
  'g',
);

/** Whether a text holds any rule's keyword anywhere (one linear pass): a body without one needs no rule run. */
export function holdsKeyword(text: string): boolean {
  KEYWORDS.lastIndex = 0;
  const found = KEYWORDS.test(text);
  KEYWORDS.lastIndex = 0;
  return found;
}

/** A character a key can continue with: a match followed by one is part of something longer. */
function continuesKey(c: number): boolean {
  return isAlnum(c) || c === 95 || c === 45;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
}

function isKeyClass(c: number): boolean {
  return isAlnum(c) || c === 95 || c === 126 || c === 46;
}

/** Where a key whose keyword is at `at` starts: the keyword itself, or up to `back.max` hex digits or digits before it. */
function startOf(text: string, at: number, rule: SecretRule): number {
  if (!rule.back) return at;
  const ok = rule.back.chars === 'hex' ? isHex : rule.back.chars === 'key' ? isKeyClass : (c: number) => c >= 48 && c <= 57;
  let s = at;
  while (s > 0 && at - s < rule.back.max && ok(text.charCodeAt(s - 1))) s--;
  return s;
}

/** Characters a key is made of (and its separators): a keyword followed by fewer than 16 of them starts no key. */
function keyChar(c: number): boolean {
  return isAlnum(c) || c === 95 || c === 45 || c === 46 || c === 43 || c === 47 || c === 58 || c === 61 || c === 126;
}

/** Fewer distinct characters than this in a match is a placeholder (`ghp_xxxxxxxx…`, `AKIAAAAA…`), not a key. */
const MIN_DISTINCT = 8;

function distinctAtLeast(text: string, s: number, e: number, want: number): boolean {
  const seen = new Set<number>();
  for (let i = s; i < e && seen.size < want; i++) seen.add(text.charCodeAt(i));
  return seen.size >= want;
}
const MIN_KEY = 16;

// Documentation keys carry a marker word a random key never holds (AWS's `AKIAIOSFODNN7EXAMPLE` and
// `…/bPxRfiCYEXAMPLEKEY`, `sk_test_…PLACEHOLDER`): seven letters or more, so the chance a real key spells one is nil.
const PLACEHOLDER_MARK = /EXAMPLE|PLACEHOLDER|REDACTED|YOUR_?KEY|YOUR_?TOKEN/i;

/** Whether a key-shaped match is a documentation placeholder (a marker word inside it). */
export function placeholderMarked(text: string, s: number, e: number): boolean {
  return PLACEHOLDER_MARK.test(text.slice(s, e));
}

function mixesLettersAndDigits(text: string, s: number, e: number): boolean {
  let letters = false;
  let digits = false;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits = true;
    else if (isAlnum(c)) letters = true;
  }
  return letters && digits;
}

/**
 * Provider keys by the rule set: one pass finds the rules' keywords (a text without any costs one
 * search), and only where a keyword starts a word and a long enough run is that rule's RE2 pattern
 * run, on a slice no longer than the longest key — so the scan stays linear in the text.
 */
export function findRuleMatches(text: string, out: Match[]): void {
  KEYWORDS.lastIndex = 0;
  let rules: Map<number, Compiled[]> | undefined;
  for (let hit = KEYWORDS.exec(text); hit !== null; hit = KEYWORDS.exec(text)) {
    const at = hit.index;
    KEYWORDS.lastIndex = at + 1;
    rules ??= rulesByLead();
    // A keyword inside a longer word starts no key, unless the rule's key begins before its keyword.
    const inWord = at > 0 && continuesKey(text.charCodeAt(at - 1));
    for (const entry of rules.get(leadAt(text, at)) ?? []) {
      const rule = entry.rule;
      if ((inWord && !rule.back) || !text.startsWith(rule.keyword, at)) continue;
      const s = startOf(text, at, rule);
      if (s > 0 && continuesKey(text.charCodeAt(s - 1))) continue;
      let run = s;
      while (run < text.length && run - s < MIN_KEY && keyChar(text.charCodeAt(run))) run++;
      if (run - s < MIN_KEY) continue;
      const m = patternOf(entry).matcher(text.slice(s, s + rule.max + 1));
      if (!m.lookingAt()) continue;
      const e = s + m.end();
      if (e < text.length && continuesKey(text.charCodeAt(e))) continue;
      if (rule.mixed && !mixesLettersAndDigits(text, s, e)) continue;
      if (!distinctAtLeast(text, s, e, MIN_DISTINCT) || placeholderMarked(text, s, e)) continue;
      out.push({ kind: rule.kind, start: s, end: e });
      KEYWORDS.lastIndex = e;
      break;
    }
  }
}
