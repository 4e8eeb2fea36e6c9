import { definitionScan } from '../../gateway/federation/index.js';

/** The most of one upstream's instructions passed on; past it they are cut, saying so. */
const MAX_CHARS = 8_000;

function capped(text: string): string {
  return text.length <= MAX_CHARS ? text : `${text.slice(0, MAX_CHARS)}\n[cut by Gatehouse: ${text.length} characters in all]`;
}

/**
 * A virtual server's `instructions`: its one upstream's as given, or with several, each upstream's
 * under a heading naming it (in the order the server lists its upstreams), so a model can tell
 * whose advice it is. Undefined when no upstream gave any.
 */
export function composeInstructions(upstreams: readonly { name: string; prefix: string; instructions: string | undefined }[]): string | undefined {
  const given = upstreams.filter(
    (u): u is { name: string; prefix: string; instructions: string } => typeof u.instructions === 'string' && u.instructions.trim() !== '',
  );
  if (given.length === 0) return undefined;
  if (upstreams.length === 1) return capped(given[0]!.instructions);
  const parts = given.map(
    (u) => `## From the upstream MCP server "${u.name}" (its tools and prompts are prefixed ${u.prefix})\n\n${capped(u.instructions.trim())}`,
  );
  return `This virtual MCP server combines several upstream servers; each one's instructions follow.\n\n${parts.join('\n\n')}`;
}

/**
 * An upstream's instructions as the caller gets them: a client puts them before its model, so they
 * are read as a definition is (what the model is shown of them, see instructionsFindings), and when
 * the scan flags them they are withheld, the note in their place naming the rules, never the text.
 */
export async function judgedInstructions(text: string): Promise<string> {
  const found = await definitionScan.instructionsFindings(text.slice(0, MAX_CHARS));
  if (found === null) return text;
  const rules = [...new Set(found.rules.map((r) => r.rule))].join(', ');
  return `[Gatehouse withheld this server's instructions: its guardrail scan found ${rules} in them. An admin can read them at the upstream.]`;
}
