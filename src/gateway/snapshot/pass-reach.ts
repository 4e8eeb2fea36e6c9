import { MCP_CHANGE_TYPES } from './compile-mcp.js';
import { SNAPSHOT_TYPES } from './load.js';

/** The parts of the snapshot an incremental pass reads again, beside the config resources (always compared by per-type summaries). */
export interface PassReach {
  /** Sealed backend-credential material. */
  readonly backendSecrets: boolean;
  /** Approval decisions in force. */
  readonly approvals: boolean;
  /** The MCP part (virtual servers, upstreams, sign-ins, role holders), compiled whole. */
  readonly mcp: boolean;
  /** Credential rows changed since the last pass (found through the audit log). */
  readonly credentials: boolean;
}

const EVERYTHING: PassReach = { backendSecrets: true, approvals: true, mcp: true, credentials: true };
const MCP = new Set(MCP_CHANGE_TYPES);
// Types whose reach is known; any other (a declarative apply's `config`, a feed resync `*`) reads everything.
const KNOWN = new Set([...SNAPSHOT_TYPES, ...MCP_CHANGE_TYPES, 'backend-credentials', 'approvals', 'credentials']);

/**
 * What a pass must read for changes of these resource types (null: unknown, read everything).
 * A policy create is by far the most frequent burst: it reaches none of these, so its pass reads
 * only the policy rows (each skipped part is ~1 query and, for the MCP part, a recompile).
 */
export function passReach(types: ReadonlySet<string> | null): PassReach {
  if (types === null || [...types].some((t) => !KNOWN.has(t))) return EVERYTHING;
  return {
    backendSecrets: types.has('backend-credentials'),
    approvals: types.has('approvals'),
    mcp: [...types].some((t) => MCP.has(t)),
    credentials: types.has('credentials'),
  };
}
