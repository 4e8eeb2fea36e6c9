/**
 * Structured descriptions name their parts with tags (Neon's `<use_case>`, `<important_notes>`,
 * `<response_instructions>`): a part named for what it holds is a heading the reviewer sees, not a
 * block hidden from them. A bare block word (`<IMPORTANT>`, `<instructions>`, `<hidden>`) or two of
 * them joined (`<important_instructions>`, `<system-reminder>`) stays a tag for the rules to read —
 * but for `<instructions>` inside a description headed so at least twice (Neon's
 * `<response_instructions><instructions>…`): one more part among its parts.
 */

// The block words of the prompt_guard's hidden_block rule that a heading may qualify (the others — system, override,
// hidden, secret, admin, confidential — say who speaks or what is kept away, never what a section holds).
const HEADING_WORD = '(?:important|critical|priority|mandatory|instructions?)';
const BLOCK_WORD = /^(?:important|instructions?|admin|secret|hidden|critical|priority|mandatory|override|system|confidential)$/;
// Bounded words either side of the joiner: linear on any text.
const SECTION_TAG = new RegExp(`<\\/?(?:${HEADING_WORD}[_-]([a-z]{2,20})|([a-z]{2,20})[_-]${HEADING_WORD})>`, 'gi');

const INSTRUCTIONS_TAG = /<\/?instructions>/gi;

/** A text with its section tags read as the headings they are (`<important_notes>` → `important notes:`). */
export function withSectionHeadings(text: string): string {
  if (!text.includes('<')) return text;
  const headings = new Set<string>();
  const read = text.replace(SECTION_TAG, (tag, after: string | undefined, before: string | undefined) => {
    const other = (after ?? before ?? '').toLowerCase();
    if (BLOCK_WORD.test(other)) return tag;
    const heading = tag.slice(1, -1).replace(/^\//, '').replace(/[_-]/g, ' ').toLowerCase();
    headings.add(heading);
    return tag[1] === '/' ? ' ' : ` ${heading}: `;
  });
  return headings.size >= 2 ? read.replace(INSTRUCTIONS_TAG, (tag) => (tag[1] === '/' ? ' ' : ' instructions: ')) : read;
}
