import type { CallToolResult } from '@modelcontextprotocol/server';
import { TOKENIZER, tokenizer } from '../../gateway/federation/index.js';

/** The `_meta` key marking a result cut by tokens (as `gatehouse/truncated` marks one cut by characters). */
export const TOKEN_CUT_META_KEY = 'gatehouse/truncatedTokens';

/**
 * Cuts a tool result's text past `max` tokens (o200k_base), ending it with a note a model can act
 * on: how much there was, and to narrow the request. Structured content is kept whole when it fits
 * in `max` on its own (a client validates it against the tool's output schema, so it is never cut
 * in the middle), and dropped otherwise. Non-text parts (images, resources) pass as they are.
 */
export async function capResultTokens(result: CallToolResult, max: number): Promise<CallToolResult> {
  // A leg that asks the caller something (input_required) has no content yet.
  if (!Array.isArray(result.content)) return result;
  // Cheap exit first: a token is at least one character, so text no longer than `max` characters fits.
  const chars = result.content.reduce((n, p) => n + (p.type === 'text' ? p.text.length : 0), 0);
  const structured = result.structuredContent === undefined ? '' : JSON.stringify(result.structuredContent);
  if (chars <= max && structured.length <= max) return result;
  const enc = await tokenizer();
  let left = max;
  let total = 0;
  let cut = false;
  const content = result.content.map((part) => {
    if (part.type !== 'text') return part;
    const tokens = enc.encode(part.text);
    total += tokens.length;
    if (tokens.length <= left) {
      left -= tokens.length;
      return part;
    }
    cut = true;
    const kept = enc.decode(tokens.slice(0, left));
    left = 0;
    return { ...part, text: kept };
  });
  const keepStructured = structured === '' || enc.countTokens(structured) <= max;
  if (!cut && keepStructured) return result;
  const narrow = 'narrow the request — fewer items, a smaller range, a filter or specific fields — to see the rest';
  if (cut) content.push({ type: 'text', text: `[result cut at ${max} tokens by Gatehouse (${total} ${TOKENIZER} tokens of text in all); ${narrow}]` });
  else content.push({ type: 'text', text: `[structured result over ${max} tokens left out by Gatehouse; ${narrow}]` });
  const { structuredContent, ...rest } = result;
  return {
    ...rest,
    ...(keepStructured && structuredContent !== undefined ? { structuredContent } : {}),
    content,
    _meta: { ...(result._meta ?? {}), [TOKEN_CUT_META_KEY]: true },
  };
}
