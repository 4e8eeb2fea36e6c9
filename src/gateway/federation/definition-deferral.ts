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

/** A text with the labels of notes that defer to the user cut (the notes themselves kept). */
export function withoutDeferringLabels(text: string): string {
  return /(?:note|notice|hint|reminder|message)\s+(?:to|for)/i.test(text) ? text.replace(DEFERRING_LABEL, ' ') : text;
}
