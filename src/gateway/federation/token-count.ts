/**
 * Token counts of what a virtual server shows a model, with a real tokenizer: `o200k_base` (the
 * encoding of OpenAI's GPT-4o/4.1/5 and o-series models, from the `gpt-tokenizer` package). Other
 * vendors' tokenizers differ by some percent; one documented encoding keeps budgets comparable.
 * The encoding (a few MB of merge ranks) is loaded on first use, so a gateway without any budget
 * never loads it.
 */
import { INLINE_CHARS, TokenCountThread } from './token-count-thread.js';
import { AS_PLAIN_TEXT } from './token-plain-text.js';

/** The encoding every count is in; documented (mcp-gateway-and-virtual-servers.md) and shown with the counts. */
export const TOKENIZER = 'o200k_base' as const;

interface Encoding {
  countTokens(text: string): number;
  encode(text: string): number[];
  decode(tokens: Iterable<number>): string;
}

let loading: Promise<Encoding> | undefined;
let loaded: Encoding | undefined;

/** The encoding, loaded once per process on first call. */
export function tokenizer(): Promise<Encoding> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then((m) => {
    loaded = { countTokens: (t) => m.countTokens(t, AS_PLAIN_TEXT), encode: (t) => m.encode(t, AS_PLAIN_TEXT), decode: (t) => m.decode(t) };
    return loaded;
  });
  return loading;
}

/** The encoding if it has been loaded already (a call path that must not wait checks this first), else undefined. */
export function loadedTokenizer(): Encoding | undefined {
  return loaded;
}

/** The tokens of a text. */
export async function countTokens(text: string): Promise<number> {
  return (await tokenizer()).countTokens(text);
}

/** Counts here: at once when the encoding is loaded, else once it has loaded; null if it cannot load. */
function countHere(text: string, then: (tokens: number | null) => void): void {
  if (loaded !== undefined) {
    then(loaded.countTokens(text));
    return;
  }
  tokenizer().then(
    (enc) => then(enc.countTokens(text)),
    () => then(null),
  );
}

const thread = new TokenCountThread(countHere);

/** Resolves once the counts handed to the token-count thread are back (their request-log rows handed on): for a graceful shutdown. */
export function countsSettled(): Promise<void> {
  return thread.settled();
}

/**
 * Hands `then` the exact tokens of a text, for the request log, metrics and traces, off the event
 * loop that serves calls: a tool result is counted on the token-count thread (~50 µs of CPU for
 * 1 KB of JSON, and its garbage, never on a call's path), a short text here when the encoding is
 * loaded. The count comes after the answer has gone (the first ones after a start wait ~1-2 s for
 * the tokenizer to load, never the answers); null if it cannot be counted.
 */
export function countThen(text: string, then: (tokens: number | null) => void): void {
  if (text.length <= INLINE_CHARS && loaded !== undefined) {
    then(loaded.countTokens(text));
    return;
  }
  thread.count(text, then);
}

/** Listing counts by the listing's JSON (the same string object while a listing is reused): counted once, not per tools/list. */
const listings = new Map<string, number>();
const LISTINGS_KEPT = 64;

/** As countThen for a tools/list listing's JSON, counted once per listing. */
export function listingCountThen(listJson: string, then: (tokens: number | null) => void): void {
  const found = listings.get(listJson);
  if (found !== undefined) {
    then(found);
    return;
  }
  countThen(listJson, (n) => {
    if (n !== null) {
      if (listings.size >= LISTINGS_KEPT) listings.clear();
      listings.set(listJson, n);
    }
    then(n);
  });
}

/**
 * The text a tool result shows a model, as counted: its text parts (a structured result's text twin
 * among them); its structured content only when no text says it. Images and resources are not text.
 */
export function resultText(result: unknown): string {
  if (result === null || typeof result !== 'object') return '';
  const { content, structuredContent } = result as { content?: unknown; structuredContent?: unknown };
  let text = '';
  if (Array.isArray(content)) for (const part of content) if (part?.type === 'text' && typeof part.text === 'string') text += part.text;
  return text === '' && structuredContent !== undefined ? JSON.stringify(structuredContent) : text;
}
