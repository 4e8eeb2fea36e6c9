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
  /** Finds every occurrence of every set's literals in `text` (overlaps included). */
  scan(text: string): void;
  /** The first index ≥ `from` where a literal of set `id` starts in the scanned text, or Infinity. */
  next(id: number, from: number): number;
}

/** A search over `sets` (indexed by id; a null set is never searched). Its tables are built on the first scan. */
export function createLiteralSearch(sets: ReadonlyArray<readonly string[] | null>): LiteralSearch {
  let automaton: Automaton | undefined;
  const starts: number[][] = sets.map(() => []);
  return {
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
  };
}

interface Automaton {
  /** The next state for an ASCII code unit: states × 128, failures resolved. */
  ascii: Int32Array;
  /** Other code units: each state's own edges, failures walked at run time. */
  other: Array<Map<number, number> | undefined>;
  fail: Int32Array;
  /** Each state's outputs (its own literals and its suffixes'): [outAt[s], outAt[s + 1]) in outSet and outLength. */
  outAt: Int32Array;
  outSet: Int32Array;
  outLength: Int32Array;
}

function build(sets: ReadonlyArray<readonly string[] | null>): Automaton {
  const edges: Array<Map<number, number>> = [new Map()];
  const own: Array<Array<[number, number]>> = [[]];
  sets.forEach((set, id) => {
    for (const literal of set ?? []) {
      let s = 0;
      for (let i = 0; i < literal.length; i++) {
        const c = literal.charCodeAt(i);
        let t = edges[s]!.get(c);
        if (t === undefined) {
          t = edges.length;
          edges.push(new Map());
          own.push([]);
          edges[s]!.set(c, t);
        }
        s = t;
      }
      own[s]!.push([id, literal.length]);
    }
  });
  const n = edges.length;
  const fail = new Int32Array(n);
  const ascii = new Int32Array(n * 128);
  const other: Array<Map<number, number> | undefined> = new Array(n);
  const outs: Array<Array<[number, number]>> = new Array(n);
  // Breadth first: a state's failure (a shorter suffix) is complete before the state is.
  const order = [0];
  outs[0] = own[0]!;
  for (let q = 0; q < order.length; q++) {
    const s = order[q]!;
    for (const [c, t] of edges[s]!) {
      if (s !== 0) {
        let f = fail[s]!;
        while (f !== 0 && !edges[f]!.has(c)) f = fail[f]!;
        fail[t] = edges[f]!.get(c) ?? 0;
      }
      outs[t] = [...own[t]!, ...outs[fail[t]!]!];
      order.push(t);
    }
    for (let c = 0; c < 128; c++) ascii[s * 128 + c] = edges[s]!.get(c) ?? (s === 0 ? 0 : ascii[fail[s]! * 128 + c]!);
    for (const [c, t] of edges[s]!) {
      if (c < 128) continue;
      other[s] ??= new Map();
      other[s].set(c, t);
    }
  }
  const outAt = new Int32Array(n + 1);
  for (let s = 0; s < n; s++) outAt[s + 1] = outAt[s]! + outs[s]!.length;
  const outSet = new Int32Array(outAt[n]!);
  const outLength = new Int32Array(outAt[n]!);
  for (let s = 0; s < n; s++)
    outs[s]!.forEach(([id, length], k) => {
      outSet[outAt[s]! + k] = id;
      outLength[outAt[s]! + k] = length;
    });
  return { ascii, other, fail, outAt, outSet, outLength };
}

function run(a: Automaton, text: string, starts: number[][]): void {
  const { ascii, other, fail, outAt, outSet, outLength } = a;
  let s = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) s = ascii[s * 128 + c]!;
    else {
      let t = other[s]?.get(c);
      while (t === undefined && s !== 0) {
        s = fail[s]!;
        t = other[s]?.get(c);
      }
      s = t ?? 0;
    }
    for (let k = outAt[s]!, end = outAt[s + 1]!; k < end; k++) {
      // Reported at their ends: a longer literal ending here may start before a shorter one reported earlier.
      const list = starts[outSet[k]!]!;
      const start = i - outLength[k]! + 1;
      let j = list.length;
      list.push(start);
      for (; j > 0 && list[j - 1]! > start; j--) list[j] = list[j - 1]!;
      list[j] = start;
    }
  }
}
