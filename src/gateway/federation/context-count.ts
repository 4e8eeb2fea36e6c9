import { TOKENIZER, tokenizer } from './token-count.js';

/** A tool as listed: only what its count needs. */
interface Listed {
  name: string;
}

/** What one virtual server shows a client, in tokens (see token-count.ts for the encoding). */
export interface ContextCounts {
  tokenizer: typeof TOKENIZER;
  /** The whole `tools/list` result as sent (its JSON). */
  listingTokens: number;
  /** Each tool's definition (its JSON), in listing order. */
  tools: Array<{ name: string; tokens: number }>;
  /** The `initialize` instructions, 0 when there are none. */
  instructionsTokens: number;
}

/**
 * Counts a listing: the JSON the client receives, each definition on its own (what dropping that
 * tool would save, near enough: the list's brackets and commas are the difference), and the
 * instructions. Pure apart from loading the encoding; callers cache the result with the listing.
 */
export async function countContext(tools: readonly Listed[], listJson: string, instructions: string | undefined): Promise<ContextCounts> {
  const enc = await tokenizer();
  return {
    tokenizer: TOKENIZER,
    listingTokens: enc.countTokens(listJson),
    tools: tools.map((t) => ({ name: t.name, tokens: enc.countTokens(JSON.stringify(t)) })),
    instructionsTokens: instructions ? enc.countTokens(instructions) : 0,
  };
}
