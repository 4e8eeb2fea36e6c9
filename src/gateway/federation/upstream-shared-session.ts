import type { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { UpstreamSessionBinding, UpstreamSessionStore } from '../../core/index.js';
import type { HttpEntry } from './upstream-entry.js';

/**
 * Connects a scoped entry to the session the cluster shares for it: the recorded one, continued
 * without a new handshake, or a new one, recorded for the next call on any node. When another
 * node recorded one first, that one is continued and ours is ended.
 */
export async function openShared(
  entry: HttpEntry,
  sessions: UpstreamSessionStore,
  newClient: () => Client,
  transportFor: (session?: UpstreamSessionBinding) => StreamableHTTPClientTransport,
): Promise<Client> {
  const resume = async (session: UpstreamSessionBinding) => {
    entry.session = session.sessionId;
    // The 2025 revisions: a session id is what a stateful upstream gives, and a resumed client skips initialize.
    await entry.client.connect(transportFor(session), { prior: { kind: 'legacy' } });
    return entry.client;
  };
  // The store out of reach costs sharing, not the call: the session is then this node's alone.
  const recorded = await sessions.get(entry.key).catch(() => null);
  if (recorded) return resume(recorded);
  const transport = transportFor();
  await entry.client.connect(transport);
  const sessionId = transport.sessionId;
  // A stateless upstream: nothing to continue.
  if (sessionId === undefined) return entry.client;
  const binding = { sessionId, protocolVersion: entry.client.getNegotiatedProtocolVersion() ?? transport.protocolVersion ?? '' };
  const held = await sessions.putOnce({ key: entry.key, upstreamId: entry.target.id, upstreamVersion: entry.target.version }, binding).catch(() => binding);
  if (held.sessionId === sessionId) {
    entry.session = sessionId;
    return entry.client;
  }
  const lost = entry.client;
  lost.onclose = undefined;
  void transport
    .terminateSession()
    .catch(() => undefined)
    .finally(() => lost.close().catch(() => undefined));
  entry.client = newClient();
  return resume(held);
}
