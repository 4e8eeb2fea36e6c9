/**
 * The text a model reads, from the characters a body carries: every guardrail detector judges
 * this view, and redaction maps what it found back onto the original characters.
 */

/** A text as a model reads it, with the way back to the characters it came from. */
export interface NormalizedText {
  /** The normalized view every detector reads. */
  readonly text: string;
  /** False when the view is the original, character for character (then offsets are the same). */
  readonly changed: boolean;
  /**
   * The original range a range of the view came from: [start, end) of `text` to [start, end) of
   * the original. A match in a decoded wrapping (base64, hex) maps to the whole wrapped run.
   */
  toOriginal(start: number, end: number): [number, number];
}

/** Invisible format characters a model does not see (zero-width, bidi controls, BOM); ZWJ (U+200D) stays, emoji sequences use it. */
export function isInvisible(c: number): boolean {
  return (
    c === 0x200b ||
    c === 0x200c ||
    c === 0x200e ||
    c === 0x200f ||
    c === 0x00ad ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2064) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0xfeff
  );
}

/** A view that is the original itself. */
function unchanged(text: string): NormalizedText {
  return { text, changed: false, toOriginal: (start, end) => [start, end] };
}

/**
 * Normalizes a text for the detectors: Unicode NFKC (per character, so offsets map back) and
 * invisible characters removed. Linear in the text; printable ASCII is returned as it is.
 */
export function normalizeText(original: string): NormalizedText {
  let plain = true;
  for (let i = 0; i < original.length; i++) {
    if (original.charCodeAt(i) > 0x7e) {
      plain = false;
      break;
    }
  }
  if (plain) return unchanged(original);
  const parts: string[] = [];
  // starts[k], ends[k]: the original range of the view's k-th UTF-16 unit.
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < original.length; ) {
    const cp = original.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (!isInvisible(cp)) {
      const ch = original.slice(i, i + width);
      const out = cp < 0x80 ? ch : ch.normalize('NFKC');
      parts.push(out);
      for (let k = 0; k < out.length; k++) {
        starts.push(i);
        ends.push(i + width);
      }
    }
    i += width;
  }
  const text = parts.join('');
  if (text === original) return unchanged(original);
  return {
    text,
    changed: true,
    toOriginal(start, end) {
      if (text.length === 0) return [0, original.length];
      const s = starts[Math.min(start, text.length - 1)]!;
      const e = end <= 0 ? s : ends[Math.min(end, text.length) - 1]!;
      return [s, Math.max(s, e)];
    },
  };
}
