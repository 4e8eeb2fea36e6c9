/**
 * Labels that set a text up as orders for the model, in the shape scanners' test servers and
 * role-override write-ups use them: a bracketed header naming a directive, an instruction, an
 * override or the system (`[SYSTEM DIRECTIVE]:`, `[HIDDEN INSTRUCTION]:`, `[CONFIGURATION
 * DIRECTIVE]:`), or a line led by `ACT AS:`. An honest description heads its parts otherwise
 * (`Args:`, `Returns:`, `[optional]`, `> [!NOTE]`): none of the ~2,350 clean definitions on the corpora has one.
 *
 * Text fenced by a made-up tag in capitals (`<IMPORTANT>…</IMPORTANT>`, `<GLOBAL>Hijack all email
 * communications</GLOBAL>`) is marked out for the model the same way: markup in descriptions is
 * lower-case HTML (`<code>`) or lower-case sections (`<use_case>`), placeholders are never closed.
 */

// Words either side bounded (two words, letters only): linear on any text.
const DIRECTIVE_LABEL = /\[(?:[a-z]{1,20} ){0,2}(?:directive|instructions?|override|system)(?: [a-z]{1,20}){0,2}\]|(?:^|\n)[ \t]{0,20}act as[ \t]{0,4}:/;

/** Whether a definition's text (as the model reads it: folded, lower-case) carries a label of orders for the model. */
export function labelsOrders(read: string): boolean {
  return DIRECTIVE_LABEL.test(read);
}

// A capitalised tag (four letters or more: HTML's old upper-case elements are named apart), and how many distinct names are
// looked up: each is sought closed once from its first opening, so a text costs at most that many linear searches.
const CAPITAL_OPEN = /<([A-Z][A-Z_-]{3,30})>/g;
const MAX_NAMES = 16;
const HTML_ELEMENT =
  /^(?:BODY|HTML|HEAD|TITLE|CODE|SPAN|TABLE|THEAD|TBODY|TFOOT|FORM|LABEL|STRONG|SMALL|FONT|CENTER|SCRIPT|STYLE|BUTTON|SELECT|OPTION|TEXTAREA|CAPTION|SECTION|ARTICLE|HEADER|FOOTER|ASIDE|DETAILS|SUMMARY|FIGURE|QUOTE|BLOCKQUOTE|ABBR|CITE|MARK|NAV)$/;

/** Whether a definition's text (as written: case kept) fences text with a made-up tag in capitals. */
export function fencesInCapitals(raw: string): boolean {
  if (!raw.includes('</')) return false;
  const seen = new Set<string>();
  for (const m of raw.matchAll(CAPITAL_OPEN)) {
    const name = m[1]!;
    if (seen.has(name) || HTML_ELEMENT.test(name)) continue;
    if (raw.includes(`</${name}>`, m.index + m[0].length)) return true;
    seen.add(name);
    if (seen.size >= MAX_NAMES) return false;
  }
  return false;
}
