import type { Client } from '@modelcontextprotocol/client';
import type { Tool } from '@modelcontextprotocol/server';
import { definitionPin } from './pin.js';
import { scrubSecrets } from './scrub-secrets.js';

/** An upstream's tools as last fetched, with the pin of each definition. */
export interface UpstreamTools {
  readonly byName: ReadonlyMap<string, Tool>;
  readonly pins: ReadonlyMap<string, string>;
}

/** Every page of the upstream's tools, with the secrets sent to it (`secrets()`, read once they are known) cut from the definitions. */
export async function fetchTools(client: Client, signal: AbortSignal, secrets: () => string[]): Promise<UpstreamTools> {
  let tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : {}, { signal });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  tools = scrubSecrets(tools, secrets());
  return { byName: new Map(tools.map((t) => [t.name, t])), pins: new Map(tools.map((t) => [t.name, definitionPin(t)])) };
}
