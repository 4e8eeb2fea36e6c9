import type { OutgoingHeaders } from '../net/header-map.js';
import type { CompiledWorkflow } from '../workflows/compile.js';
import type { Exchange } from '../workflows/exchange.js';
import { jsonJudge } from '../workflows/judge-json.js';

/**
 * The response headers a model reads (execute_call shows them beside the body) that carry text the
 * upstream chose: addresses, whose path or query can hold an address or a name. The others it shows
 * are numbers, dates, media types, opaque tags or the gateway's own request id.
 */
const SHOWN_ADDRESSES = ['location', 'content-location', 'link'] as const;

/**
 * For a call whose answer a model reads (the Gateway MCP's execute_call), `headers` with the
 * address headers it will read judged by the response side's `detect_pii` and `prompt_guard`, as
 * the body was: a copy with them redacted, or their refusal thrown. A REST client's headers are
 * left as sent: its software follows them, and a redacted `Location` would break it.
 */
export async function shownHeaders(wf: CompiledWorkflow, x: Exchange, headers: OutgoingHeaders): Promise<OutgoingHeaders> {
  const shown: Record<string, string> = {};
  for (const name of SHOWN_ADDRESSES) {
    const value = headers[name];
    if (value !== undefined) shown[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  if (Object.keys(shown).length === 0) return headers;
  const judge = jsonJudge(wf, x, 'response');
  if (judge === null) return headers;
  const judged = await judge('headers', shown);
  const out = { ...headers };
  for (const [name, value] of Object.entries(judged)) if (typeof value === 'string') out[name] = value;
  return out;
}
