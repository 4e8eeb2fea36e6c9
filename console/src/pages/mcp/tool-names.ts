import type { Curated } from './types';

/** The gateway's tool-name-safe form of an upstream's name, as it prefixes composed upstreams' tools (see `src/mcp/federation/prefix.ts`). */
const prefixOf = (upstreamName: string) => `${upstreamName.toLowerCase().replace(/[^a-z0-9_-]+/g, '_')}__`;

/** The name clients list one curated tool by: its new name or its own, prefixed by its upstream when the server composes several. */
export function servedName(tool: Pick<Curated, 'name' | 'rename'>, upstreamName: string, composed: boolean): string {
  return `${composed ? prefixOf(upstreamName) : ''}${tool.rename ?? tool.name}`;
}

/** The names a virtual server shows its curated tools by: renamed, and prefixed by their upstream when it composes several. */
export function shownToolNames(tools: Iterable<Curated>, upstreamIds: readonly string[], upstreamName: (id: string) => string): string[] {
  const composed = upstreamIds.length > 1;
  const names: string[] = [];
  for (const t of tools) {
    if (upstreamIds.includes(t.upstreamId)) names.push(servedName(t, upstreamName(t.upstreamId), composed));
  }
  return names.sort();
}
