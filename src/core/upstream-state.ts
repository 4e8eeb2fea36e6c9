import type { McpServerHealth } from './mcp-federation.js';

/**
 * What the federation shares across a cluster through the store: upstream sessions any node can
 * continue, and each node's view of an upstream's health. The interfaces live here, not in the
 * gateway, so the store implements them importing only core.
 */

/** An upstream MCP session as any node can continue it: the id the upstream gave and the revision negotiated. */
export interface UpstreamSessionBinding {
  sessionId: string;
  protocolVersion: string;
}

/** Where one upstream session is remembered: by key, for one upstream version. */
export interface UpstreamSessionKey {
  key: string;
  upstreamId: string;
  upstreamVersion: number;
}

/**
 * The upstream sessions a cluster shares (the store): a user's next call, on whichever node it
 * lands, continues the session their last call used instead of opening one whose state is empty.
 */
export interface UpstreamSessionStore {
  get(key: string): Promise<UpstreamSessionBinding | null>;
  /** Records a binding unless another node recorded one first; returns the binding that holds. */
  putOnce(at: UpstreamSessionKey, binding: UpstreamSessionBinding): Promise<UpstreamSessionBinding>;
  /** Forgets a binding if it still names this session (the upstream has forgotten it). */
  forget(key: string, sessionId: string): Promise<void>;
}

/** An upstream's health as one node saw it, keyed by server id (every version of its settings). */
export interface UpstreamHealthRow extends McpServerHealth {
  serverId: string;
  /** The server's name, for metrics labels. */
  name: string;
}

/** Where a node writes what it saw, so every node's reads show it (the store); a write may fail, and is tried again with the next. */
export interface UpstreamHealthStore {
  save(rows: readonly UpstreamHealthRow[]): Promise<void>;
}
