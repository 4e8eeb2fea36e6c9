/**
 * Where each of many sets of literals occurs in a text, found in one pass (an Aho–Corasick
 * automaton over all of them): the rules' "what must follow" checks (injection.ts) were one regex
 * search each over the text, ~15 full passes over a page of prose; one walk finds them all.
 */

const REGEX_SYNTAX = new Set(['.', '*', '+', '?', '^', '$', '{', '}', '(', ')', '[', ']', '/']);

/** The literals of an alternation of escaped literals (`a|b\.c`, as anyOf writes it), or null when the source is anything else. */
export function literalsOf(source: string): string[] | null {
  const out: string[] = [];
  let word = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1];
      // Only an escaped punctuation mark stands for itself (`\d`, `\s`, `\p{…}` are classes).
      if (next === undefined || /[\p{L}\p{N}]/u.test(next)) return null;
      word += next;
      i++;
    } else if (c === '|') {
      if (word === '') return null;
      out.push(word);
      word = '';
    } else if (REGEX_SYNTAX.has(c)) return null;
    else word += c;
  }
  if (word === '') return null;
  out.push(word);
  return out;
}

/** An automaton over sets of literals; `scan` a text, then `next` answers where a set next occurs. */
export interface LiteralSearch {
  /** Builds the tables now (a warm-up's step) rather than in the first scan. */
  prepare(): void;
  /** Finds every occurrence of every set's literals in `text` (overlaps included). */
  scan(text: string): void;
  /** The first index ≥ `from` where a literal of set `id` starts in the scanned text, or Infinity. */
  next(id: number, from: number): number;
  /**
   * The first index ≥ `from` where a literal of any set starts in `text` (-1: none), read from there only as far as
   * it must (a search, not a scan: the scanned text is left as it was).
   */
  first(text: string, from: number): number;
}

/** A search over `sets` (indexed by id; a null set is never searched). Its tables are built on the first scan. */
export function createLiteralSearch(sets: ReadonlyArray<readonly string[] | null>): LiteralSearch {
  let automaton: Automaton | undefined;
  const starts: number[][] = sets.map(() => []);
  return {
    prepare() {
      automaton ??= build(sets);
    },
    scan(text) {
      automaton ??= build(sets);
      for (const s of starts) s.length = 0;
      run(automaton, text, starts);
    },
    next(id, from) {
      const s = starts[id]!;
      let lo = 0;
      let hi = s.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (s[mid]! < from) lo = mid + 1;
        else hi = mid;
      }
      return lo < s.length ? s[lo]! : Number.POSITIVE_INFINITY;
    },
    first(text, from) {
      automaton ??= build(sets);
      return firstStart(automaton, text, from);
    },
  };
}

interface Automaton {
  /** Each ASCII code unit's column in `step` (0: no literal holds it, so it leads back to the start). */
  column: Uint8Array;
  columns: number;
  /**
   * The next state by state and column, filled as a scan first needs it (-1: not yet): a complete table took
   * ~100 ms to build for the rules' ~4,000 states, in code that runs once and so is never optimised.
   */
  step: Int32Array;
  /** The trie's edges, keyed by state × 65,536 + code unit. */
  edges: Map<number, number>;
  /** Which code units any literal holds (one that none holds leads back to the start at once). */
  held: Uint8Array;
  /** Transitions on the other code units, as `edges` keys them, remembered as a scan first needs them (up to MAX_REMEMBERED). */
  remembered: Map<number, number>;
  fail: Int32Array;
  /** The nearest state down the failure chain that ends a literal (0: none). */
  dict: Int32Array;
  /** The first state whose literals end where this state is reached: itself when it ends one, else dict (0: none); one read a character. */
  out: Int32Array;
  /** The longest literal's length: how far past a found start a literal that starts earlier may still end. */
  longest: number;
  /** The literals a state ends, as linked lists: first (-1: none), next, and each one's set and length. */
  ownFirst: Int32Array;
  ownNext: Int32Array;
  ownSet: Int32Array;
  ownLength: Int32Array;
}

function build(sets: ReadonlyArray<readonly string[] | null>): Automaton {
  const edges = new Map<number, number>();
  // The trie's children as linked lists, for the breadth-first walk.
  const firstChild = [-1];
  const sibling = [-1];
  const label = [0];
  const ownFirst = [-1];
  const ownNext: number[] = [];
  const ownSet: number[] = [];
  const ownLength: number[] = [];
  const column = new Uint8Array(128);
  const held = new Uint8Array(65_536);
  let columns = 1;
  sets.forEach((set, id) => {
    for (const literal of set ?? []) {
      let s = 0;
      for (let i = 0; i < literal.length; i++) {
        const c = literal.charCodeAt(i);
        held[c] = 1;
        if (c < 128 && column[c] === 0) column[c] = columns++;
        let t = edges.get(s * 65_536 + c);
        if (t === undefined) {
          t = firstChild.length;
          firstChild.push(-1);
          sibling.push(firstChild[s]!);
          label.push(c);
          ownFirst.push(-1);
          firstChild[s] = t;
          edges.set(s * 65_536 + c, t);
        }
        s = t;
      }
      ownNext.push(ownFirst[s]!);
      ownSet.push(id);
      ownLength.push(literal.length);
      ownFirst[s] = ownSet.length - 1;
    }
  });
  const n = firstChild.length;
  const fail = new Int32Array(n);
  const dict = new Int32Array(n);
  // Breadth first: a state's failure (a shorter suffix) is complete before the state is.
  const order = [0];
  for (let q = 0; q < order.length; q++) {
    const s = order[q]!;
    for (let t = firstChild[s]!; t >= 0; t = sibling[t]!) {
      if (s !== 0) {
        const c = label[t]!;
        let f = fail[s]!;
        while (f !== 0 && !edges.has(f * 65_536 + c)) f = fail[f]!;
        fail[t] = edges.get(f * 65_536 + c) ?? 0;
      }
      const f = fail[t]!;
      dict[t] = ownFirst[f]! >= 0 ? f : dict[f]!;
      order.push(t);
    }
  }
  const out = new Int32Array(n);
  for (let s = 0; s < n; s++) out[s] = ownFirst[s]! >= 0 ? s : dict[s]!;
  return {
    column,
    columns,
    out,
    longest: ownLength.reduce((a, b) => Math.max(a, b), 0),
    step: new Int32Array(n * columns).fill(-1),
    edges,
    held,
    remembered: new Map(),
    fail,
    dict,
    ownFirst: Int32Array.from(ownFirst),
    ownNext: Int32Array.from(ownNext),
    ownSet: Int32Array.from(ownSet),
    ownLength: Int32Array.from(ownLength),
  };
}

/** The state after `s` reads `c`: its edge, else its failure's, down to the start. */
function next(a: Automaton, s: number, c: number): number {
  let at = s;
  while (at !== 0 && !a.edges.has(at * 65_536 + c)) at = a.fail[at]!;
  return a.edges.get(at * 65_536 + c) ?? 0;
}

// Bounds the memory of remembered transitions beyond ASCII (a state and a code unit each: ~2 MiB at most).
const MAX_REMEMBERED = 65_536;

/**
 * The state after reading `c` in state `s`: ASCII through the cached table (filled on first use), a code unit no literal
 * holds straight to the start, the rest remembered as first walked (a Cyrillic page walked the failures at every letter).
 */
function advance(a: Automaton, s: number, c: number): number {
  if (c >= 128) {
    if (a.held[c] === 0) return 0;
    const key = s * 65_536 + c;
    let t = a.remembered.get(key);
    if (t === undefined) {
      t = next(a, s, c);
      if (a.remembered.size < MAX_REMEMBERED) a.remembered.set(key, t);
    }
    return t;
  }
  const col = a.column[c]!;
  if (col === 0) return 0;
  const cell = s * a.columns + col;
  let t = a.step[cell]!;
  if (t < 0) {
    t = next(a, s, c);
    a.step[cell] = t;
  }
  return t;
}

function run(a: Automaton, text: string, starts: number[][]): void {
  const { dict, out, ownFirst, ownNext, ownSet, ownLength } = a;
  let s = 0;
  for (let i = 0; i < text.length; i++) {
    s = advance(a, s, text.charCodeAt(i));
    // Every literal ending here: this state's own, then those of its suffixes.
    for (let d = out[s]!; d !== 0; d = dict[d]!)
      for (let o = ownFirst[d]!; o >= 0; o = ownNext[o]!) {
        // Reported at their ends: a longer literal ending here may start before a shorter one reported earlier.
        const list = starts[ownSet[o]!]!;
        const start = i - ownLength[o]! + 1;
        let j = list.length;
        list.push(start);
        for (; j > 0 && list[j - 1]! > start; j--) list[j] = list[j - 1]!;
        list[j] = start;
      }
  }
}

/**
 * The automaton started afresh at `from` finds every literal that starts there or later (one starting before is no
 * suffix of what it read). Literals are reported where they end, so the search goes on until none ending later could
 * start before the best start found.
 */
function firstStart(a: Automaton, text: string, from: number): number {
  const { dict, out, ownFirst, ownNext, ownLength, longest } = a;
  let s = 0;
  let best = -1;
  for (let i = from; i < text.length; i++) {
    if (best >= 0 && i - longest + 1 > best) break;
    s = advance(a, s, text.charCodeAt(i));
    for (let d = out[s]!; d !== 0; d = dict[d]!)
      for (let o = ownFirst[d]!; o >= 0; o = ownNext[o]!) {
        const start = i - ownLength[o]! + 1;
        if (best < 0 || start < best) best = start;
      }
  }
  return best;
}
