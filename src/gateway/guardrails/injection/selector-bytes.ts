/**
 * Text smuggled in variation selectors ("emoji smuggling"): each of the 256 selectors stands for a byte
 * (U+FE00–FE0F for 0–15, U+E0100–E01EF for 16–255), and a run of them after an emoji or a letter spells
 * UTF-8 text a person never sees and a model reads when told how. Honest text uses one selector after a
 * character (an emoji's presentation, an ideograph's variant), never two in a row: a run of two or more,
 * one of them from the supplement (every printable byte is), is read as the bytes it spells.
 */

// A supplementary selector is U+E0100–E01EF: high surrogate DB40, low DD00–DDEF.
const SUPPLEMENT_LOW_FIRST = 0xdd00;
const SUPPLEMENT_LOW_LAST = 0xddef;
/** Bytes decoded per text at most: what is past them is counted, not spelled. */
const MAX_BYTES = 65_536;

const utf8 = new TextDecoder('utf-8');

/** The selector at `i` as the byte it stands for, and its length in UTF-16 units; null when there is none. */
function selectorAt(text: string, i: number): { byte: number; units: number } | null {
  const c = text.charCodeAt(i);
  if (c >= 0xfe00 && c <= 0xfe0f) return { byte: c - 0xfe00, units: 1 };
  if (c === 0xdb40) {
    const d = text.charCodeAt(i + 1);
    if (d >= SUPPLEMENT_LOW_FIRST && d <= SUPPLEMENT_LOW_LAST) return { byte: d - SUPPLEMENT_LOW_FIRST + 16, units: 2 };
  }
  return null;
}

interface Run {
  start: number;
  end: number;
  selectors: number;
  bytes: number[];
}

/** The runs of two or more selectors holding a supplementary one, in order; bytes past `budget` over all runs are counted, not kept. */
function runsOf(text: string, budget: number): Run[] {
  const runs: Run[] = [];
  // Every run worth reading holds a supplementary selector, whose high surrogate is DB40 (shared with tag characters).
  for (let i = text.indexOf('\udb40'); i >= 0; i = text.indexOf('\udb40', i)) {
    // A run may begin with BMP selectors (bytes under 16) before the supplementary one found.
    let j = i;
    while (j > 0 && selectorAt(text, j - 1)?.units === 1) j--;
    const start = j;
    const bytes: number[] = [];
    let supplementary = 0;
    let n = 0;
    for (let s = selectorAt(text, j); s !== null; s = selectorAt(text, j)) {
      if (s.units === 2) supplementary++;
      if (budget > 0) {
        bytes.push(s.byte);
        budget--;
      }
      n++;
      j += s.units;
    }
    if (n >= 2 && supplementary >= 1) runs.push({ start, end: j, selectors: n, bytes });
    i = Math.max(j, i + 2);
  }
  return runs;
}

/** What runs of variation selectors spell: how many selectors stood in such runs, and the text their bytes decode to (empty when none). */
export function selectorBytes(text: string): { selectors: number; spelled: string } {
  if (!text.includes('\udb40')) return NOTHING;
  const runs = runsOf(text, MAX_BYTES);
  if (runs.length === 0) return NOTHING;
  let selectors = 0;
  for (const r of runs) selectors += r.selectors;
  return { selectors, spelled: runs.map((r) => utf8.decode(Uint8Array.from(r.bytes))).join('\n') };
}

/** The text with each run of selectors replaced by what it spells, set apart by spaces (as a model reads it). */
export function withSelectorsSpelled(text: string): string {
  if (!text.includes('\udb40')) return text;
  const runs = runsOf(text, MAX_BYTES);
  if (runs.length === 0) return text;
  let out = '';
  let from = 0;
  for (const r of runs) {
    out += `${text.slice(from, r.start)} ${utf8.decode(Uint8Array.from(r.bytes))} `;
    from = r.end;
  }
  return out + text.slice(from);
}

const NOTHING = { selectors: 0, spelled: '' };
