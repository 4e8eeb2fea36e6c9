/**
 * How every count and encoding reads a special token's text (`<|endoftext|>`, `<|im_start|>`): as the plain text it is.
 * A tool result or argument holding one is shown to a model as text, never as a control token; and gpt-tokenizer's
 * default throws on it, which, in a count made after the answer has gone, stopped the process.
 */
export const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };
