/**
 * A note to the model that keeps it to the user's word (MongoDB's `Note to LLM: Omit instance size
 * unless specified by the user.`, `Note to LLM: If provider and regions are not already known, ask
 * for the provider and desired locations together.`) restrains the model; hailed like an injected
 * order, it would read as one. Its label is cut before the rules read the note, which they still
 * read: an order in it that is not the user's (a secret asked for, a file read) keeps its weight.
 */

// "Never ask for confirmation" is the opposite of a deferral: a question to the user counts only when not forbidden.
const NOT_NEGATED = "(?<!(?:never|not|n't|no\\s+need\\s+to|without)\\s+(?:\\w+\\s+)?)";
// What keeps the model to the user: a value left out unless the user gives it, a question put to the user (not for their secrets).
const USERS_WORD = `(?:unless\\s+(?:it\\s+is\\s+|they\\s+are\\s+)?(?:explicitly\\s+)?(?:specified|requested|provided|given|asked for|mentioned|chosen)\\s+by\\s+the\\s+user|${NOT_NEGATED}ask\\s+(?:the\\s+user\\s+)?for\\s+(?!(?:the\\s+user'?s?\\s+|their\\s+|an?\\s+|any\\s+)?(?:passwords?|tokens?|keys?|secrets?|credentials?|api\\s+keys?|cookies?|session)(?![\\w-]))|${NOT_NEGATED}(?:confirm|check)\\s+with\\s+the\\s+user)`;
// The label, then (in the same sentence, bounded) the user's word: linear on any text, the look-ahead reading at most 200 characters per label.
const DEFERRING_LABEL = new RegExp(
  `(?<![\\w-])(?:note|notice|hint|reminder|message)\\s+(?:to|for)\\s+(?:the\\s+)?(?:llm|ai|model|assistant|agent)s?\\s*:\\s*(?=[^.!?\\n]{0,200}?(?<![\\w-])${USERS_WORD})`,
  'gi',
);

// A prohibition put to the model by name (CircleCI's `The LLM MUST NOT invoke other CircleCI tools until receiving clear instruction
// from the user`, `The assistant should NOT suggest trying different projects`) holds it back: the address is cut, "do not …" stays
// for the rules to read. Not when what is forbidden is to ask, tell or show the user (`The LLM must never ask for confirmation`):
// the model kept from the user is the order, and the address keeps its weight.
const HELD_BACK =
  /(?<![\w-])(?:the|any|an|every|all)\s+(?:ai\s+)?(?:assistant|model|llm|agent)s?\s+(?:must|should|shall)\s+(not|never)(?![\w-])(?!\s+(?:\w+\s+)?(?:ask|confirm|check|consult|tell|mention|reveal|inform|show|display|notify|warn|disclose|explain|report|alert|let)(?![\w-]))/gi;
// The model told by name to carry an id from this tool's own listing into later calls (CircleCI's `The LLM should extract and use the
// projectSlug (not the project name) from the selected project for subsequent tool calls`): usage of the result, its address cut the same way.
const CARRIES_RESULT =
  /(?<![\w-])(?:the|any|an|every|all)\s+(?:ai\s+)?(?:assistant|model|llm|agent)s?\s+(?:must|should|shall)\s+(?=(?:extract\s+and\s+)?(?:use|pass|reuse)\s+the\s+[\w-]{1,40}\s+(?:\([^)]{0,60}\)\s+)?from\s+the\s+(?:selected|returned|listed|chosen)\b)/gi;
// The user's choice that the held-back model waits through (`… until receiving clear instruction from the user, even if the user selects a
// project`) is the user's step, not an overruling: read as "once the user selects".
const UNTIL_USER = /\buntil\s+(?:receiving|you receive|it receives|getting|instructed)\b[^.!?\n]{0,80}?\b(?:the\s+)?user\b/i;
const EVEN_IF_USER_PICKS = /\beven if the user (?=(?:selects|chooses|picks)\b)/gi;

/** A text with the labels of notes that defer to the user cut (the notes themselves kept), and the model's name cut from prohibitions put to it. */
export function withoutDeferringLabels(text: string): string {
  let read = /(?:note|notice|hint|reminder|message)\s+(?:to|for)/i.test(text) ? text.replace(DEFERRING_LABEL, ' ') : text;
  if (/\b(?:must|should|shall)\s+(?:not|never)\b/i.test(read))
    read = read.replace(HELD_BACK, (_, no: string) => (no.toLowerCase() === 'never' ? 'never' : 'do not'));
  if (/\b(?:must|should|shall)\s+(?:extract|use|pass|reuse)\b/i.test(read)) read = read.replace(CARRIES_RESULT, '');
  if (UNTIL_USER.test(read)) read = read.replace(EVEN_IF_USER_PICKS, 'once the user ');
  return read;
}
