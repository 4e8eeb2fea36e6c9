/**
 * Structured descriptions name their parts with tags (Neon's `<use_case>`, `<important_notes>`,
 * `<response_instructions>`): a part named for what it holds is a heading the reviewer sees, not a
 * block hidden from them. A bare block word (`<IMPORTANT>`, `<instructions>`, `<hidden>`) or two of
 * them joined (`<important_instructions>`, `<system-reminder>`) stays a tag for the rules to read —
 * but for `<instructions>` in a description of two tagged sections or more (Neon's
 * `<response_instructions><instructions>…`, dbt's `<instructions>…</instructions><examples>…`): one
 * part among its parts; and for a description that opens with it, its own frame.
 */

// The block words of the prompt_guard's hidden_block rule that a heading may qualify (the others — system, override,
// hidden, secret, admin, confidential — say who speaks or what is kept away, never what a section holds).
const HEADING_WORD = '(?:important|critical|priority|mandatory|instructions?)';
const BLOCK_WORD = /^(?:important|instructions?|admin|secret|hidden|critical|priority|mandatory|override|system|confidential)$/;
// Bounded words either side of the joiner: linear on any text.
const SECTION_TAG = new RegExp(`<\\/?(?:${HEADING_WORD}[_-]([a-z]{2,20})|([a-z]{2,20})[_-]${HEADING_WORD})>`, 'gi');

const INSTRUCTIONS_TAG = /<\/?instructions>/gi;
// A description that opens with `<instructions>` (dbt's get_metrics_compiled_sql: the whole text in it, a line of returns after) frames
// itself: nothing comes before the block for it to hide behind.
const OPENS_WITH_INSTRUCTIONS = /^\s*<instructions>/i;
// A lower-case section tag; at most this many distinct names are sought closed (one linear search each).
const SECTION_OPEN = /<([a-z][a-z_-]{1,30})>/g;
const MAX_NAMES = 16;

/**
 * How many distinct lower-case tags of a text are closed further on (sections), counted up to two; the last tag of
 * the text, on a line of its own and left open with no closing tag after it, is a part running to the end (dbt's `…</instructions>\n\n<examples>\n1. …`).
 */
function sections(text: string): number {
  const seen = new Set<string>();
  let closed = 0;
  let last: RegExpMatchArray | undefined;
  for (const m of text.matchAll(SECTION_OPEN)) {
    last = m;
    const name = m[1]!;
    if (seen.has(name)) continue;
    seen.add(name);
    if (text.includes(`</${name}>`, m.index + m[0].length) && ++closed >= 2) return closed;
    if (seen.size >= MAX_NAMES) break;
  }
  // On a line of its own, as a heading is: a tag inside a sentence (`pass <examples> as a list`) is a placeholder.
  const runsToEnd =
    last !== undefined &&
    !BLOCK_WORD.test(last[1]!) &&
    /\n[ \t]*$/.test(text.slice(Math.max(0, last.index! - 8), last.index)) &&
    text[last.index! + last[0].length] === '\n' &&
    !text.includes('</', last.index! + last[0].length);
  return closed + (runsToEnd ? 1 : 0);
}

/** A text with its section tags read as the headings they are (`<important_notes>` → `important notes:`). */
export function withSectionHeadings(text: string): string {
  if (!text.includes('<')) return text;
  const parts = sections(text);
  const read = text.replace(SECTION_TAG, (tag, after: string | undefined, before: string | undefined) => {
    const other = (after ?? before ?? '').toLowerCase();
    if (BLOCK_WORD.test(other)) return tag;
    return tag[1] === '/' ? ' ' : ` ${tag.slice(1, -1).replace(/[_-]/g, ' ').toLowerCase()}: `;
  });
  return parts >= 2 || OPENS_WITH_INSTRUCTIONS.test(text) ? read.replace(INSTRUCTIONS_TAG, (tag) => (tag[1] === '/' ? ' ' : ' instructions: ')) : read;
}
