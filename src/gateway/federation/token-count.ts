/**
 * Token counts of what a virtual server shows a model, with a real tokenizer: `o200k_base` (the
 * encoding of OpenAI's GPT-4o/4.1/5 and o-series models, from the `gpt-tokenizer` package). Other
 * vendors' tokenizers differ by some percent; one documented encoding keeps budgets comparable.
 * The encoding (a few MB of merge ranks) is loaded on first use, so a gateway without any budget
 * never loads it.
 */

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
    loaded = { countTokens: (t) => m.countTokens(t), encode: (t) => m.encode(t), decode: (t) => m.decode(t) };
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
