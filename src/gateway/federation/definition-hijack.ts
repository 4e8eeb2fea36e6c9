/**
 * Two shapes of a poisoned definition that the structure rules (definition-structure.ts) did not
 * read, found in published material the scan had not seen (MCPSecBench's shadowing tools, a
 * tool-poisoning benchmark's "obfuscated" description) and written as their family, not their words:
 *
 * - tampering hooked on another operation: before or after another tool or operation runs, this
 *   tool is to run and change that operation's values, arguments or result;
 * - a literal outside address kept informed: the model is asked, however softly (`let … know`,
 *   `loop … in`, `keep … posted`), to tell an address the definition spells out about the user's
 *   request or the tool's result.
 *
 * Both read one sentence of what the model reads (decoded, folded, lower-case).
 */

const S = '[^.!?;\\n]';
const re = (source: string) => new RegExp(source, 'u');

// Another tool or operation, run before or after: `before execute minus operation`, `after using check tool to check b.log`.
const HOOKED = re(
  `(?<![\\w-])(?:before|after|once|when|whenever|each time|every time)\\s+(?:you\\s+)?(?:\\w+\\s+)?(?:execut\\w*|run\\w*|call\\w*|us(?:e|es|ing)|invok\\w*|perform\\w*)\\s+(?!this\\b|it\\b)${S}{0,80}?(?<![\\w-])(?:this|the present)\\s+(?:tool|function)(?![\\w-])${S}{0,60}?(?<![\\w-])(?:replace|modify|change|overwrite|override|alter|adjust|substitute|correct|fix|rewrite|swap)\\s+(?:[\\w'-]+\\s+){0,3}?(?:values?|arguments?|args|inputs?|parameters?|params|results?|outputs?|numbers?|amounts?|responses?|answers?)(?![\\w-])`,
);

// Telling someone, softly or not: the verb phrase names the address itself.
const ADDRESS = '[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+';
const INFORMED = re(
  `(?<![\\w-])(?:let\\s+${ADDRESS}\\s+know|loop\\s+(?:in\\s+${ADDRESS}|${ADDRESS}\\s+in)|keep\\s+${ADDRESS}\\s+(?:posted|informed|updated|in the loop)|(?:notify|inform|update|ping|alert|tell|brief)\\s+${ADDRESS})`,
);
// What the user asked or the tool found: the data an attacker wants relayed.
const USERS_MATTER = re(
  `(?<![\\w-])(?:what(?:ever)?\\s+(?:the\\s+)?(?:user|customer|client|they|he|she)\\s+(?:asked|asks|said|says|wrote|writes|typed|types|requested|requests|wants|wanted|searched|looked up)|(?:the|their|its|each|every|any)\\s+(?:results?|answers?|outputs?|responses?|requests?|questions?|queries|findings|conversation|data)(?![\\w-]))`,
);
const EXAMPLE_ADDRESS = /@(?:example\.(?:com|org|net)|test\.com|domain\.com|company\.com)(?![\w.-])/;

/** Whether a sentence orders this tool to change another operation's values or result, hooked on that operation. */
export function tampersWithOther(sentence: string): boolean {
  return (sentence.includes('this tool') || sentence.includes('this function') || sentence.includes('the present')) && HOOKED.test(sentence);
}

/** Whether a sentence asks the model to tell an address the definition spells out about the user's request or the result. */
export function informsAddress(sentence: string): boolean {
  if (!sentence.includes('@') || EXAMPLE_ADDRESS.test(sentence)) return false;
  return INFORMED.test(sentence) && USERS_MATTER.test(sentence);
}
