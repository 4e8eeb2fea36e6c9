import { SNAPSHOT_TYPES } from './load.js';

/** The parts of the snapshot an incremental pass reads again, beside the config resources (always compared by per-type summaries). */
export interface PassReach {
  /** Sealed backend-credential material. */
  readonly backendSecrets: boolean;
  /** Approval decisions in force. */
  readonly approvals: boolean;
  /** MCP servers' own sealed material (their rows, like every resource's, are compared by summaries and recompiled where changed). */
  readonly mcpSecrets: boolean;
  /** Credential rows changed since the last pass (found through the audit log). */
  readonly credentials: boolean;
}

const EVERYTHING: PassReach = { backendSecrets: true, approvals: true, mcpSecrets: true, credentials: true };
// Types whose reach is known; any other (a declarative apply's `config`, a feed resync `*`) reads everything.
const KNOWN = new Set([...SNAPSHOT_TYPES, 'approvals', 'credentials']);

/**
 * What a pass must read for changes of these resource types (null: unknown, read everything).
 * A policy create is by far the most frequent burst: it reaches none of these, so its pass reads
 * only the policy rows (each skipped part is ~1 query).
 */
export function passReach(types: ReadonlySet<string> | null): PassReach {
  if (types === null || [...types].some((t) => !KNOWN.has(t))) return EVERYTHING;
  return {
    backendSecrets: types.has('backend-credentials'),
    approvals: types.has('approvals'),
    // Written by the MCP server operations, audited as the server.
    mcpSecrets: types.has('mcp-servers'),
    credentials: types.has('credentials'),
  };
}
