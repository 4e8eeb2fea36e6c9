/**
 * Labels that set a text up as orders for the model, in the shape scanners' test servers and
 * role-override write-ups use them: a bracketed header naming a directive, an instruction, an
 * override or the system (`[SYSTEM DIRECTIVE]:`, `[HIDDEN INSTRUCTION]:`, `[CONFIGURATION
 * DIRECTIVE]:`), or a line led by `ACT AS:`. An honest description heads its parts otherwise
 * (`Args:`, `Returns:`, `[optional]`, `> [!NOTE]`): none of ~2,500 clean definitions on the corpora has one.
 */

// Words either side bounded (two words, letters only): linear on any text.
const DIRECTIVE_LABEL = /\[(?:[a-z]{1,20} ){0,2}(?:directive|instructions?|override|system)(?: [a-z]{1,20}){0,2}\]|(?:^|\n)[ \t]{0,20}act as[ \t]{0,4}:/;

/** Whether a definition's text (as the model reads it: folded, lower-case) carries a label of orders for the model. */
export function labelsOrders(read: string): boolean {
  return DIRECTIVE_LABEL.test(read);
}
