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
