/** The current MCP revision: stateless, each request carrying its envelope in `_meta`. */
export const MODERN_REVISION = '2026-07-28';

/** The 2025 revisions, served statelessly on the same URL. */
export const LEGACY_REVISIONS: ReadonlySet<string> = new Set(['2025-11-25', '2025-06-18', '2025-03-26']);

/** The keys a 2026-07-28 request envelope (`params._meta`) may carry. */
export const ENVELOPE_KEYS: ReadonlySet<string> = new Set([
  'io.modelcontextprotocol/protocolVersion',
  'io.modelcontextprotocol/clientInfo',
  'io.modelcontextprotocol/clientCapabilities',
]);

/** What a surface calls itself in `serverInfo`. */
export interface ServerInfo {
  name: string;
  version: string;
}

export function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
