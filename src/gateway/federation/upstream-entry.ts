import type { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { UpstreamTarget } from '../../core/index.js';
import { type LeanSession, leanable } from './lean-call.js';
import type { UpstreamTools } from './upstream-definitions.js';

/** One pooled session with an upstream (of one version and session scope) and what the pool keeps of it. */
export interface Entry {
  key: string;
  target: UpstreamTarget;
  /** The pool's own client of an HTTP upstream; a stdio upstream's belongs to its child (`ready` gives it). */
  client?: Client;
  /** The connected client: what every exchange runs on. */
  ready: Promise<Client>;
  lastUsed: number;
  /** The dynamic header values last sent (an OAuth token), to cut from what the upstream echoes. */
  sent: string[];
  tools: { at: number; value: Promise<UpstreamTools>; done?: UpstreamTools } | null;
  closed: boolean;
  /** The upstream session this entry continues, when the cluster shares it (a scoped entry). */
  session?: string;
  /** The client's transport: its session id and negotiated revision let a call skip the client (see leanCallTool). */
  transport?: StreamableHTTPClientTransport;
  /** Whether its session is connected (with or without an upstream session id). */
  state: 'connecting' | 'open' | 'stateless';
  /** A stdio upstream's client belongs to its child (StdioSupervisor): dropping the entry leaves it running. */
  shared?: true;
  /** A caller's own stdio child (see #stdioSessionEntry): dropping the entry stops it. */
  release?: () => void;
}

/** An entry of an HTTP upstream: the pool's own client. */
export type HttpEntry = Entry & { client: Client };

/** The revision and capabilities a session negotiated; undefined for a continued session (it saw no handshake). */
export function shapeOf(client: Client): string | undefined {
  const capabilities = client.getServerCapabilities();
  return capabilities === undefined ? undefined : `${client.getNegotiatedProtocolVersion() ?? ''} ${JSON.stringify(capabilities)}`;
}

/** What a lean call needs of a connected entry, or null when its session is not a 2025-era one. */
export function leanSessionOf(entry: Entry, client: Client): LeanSession | null {
  const transport = entry.transport;
  if (!transport) return null;
  const protocolVersion = client.getNegotiatedProtocolVersion() ?? transport.protocolVersion;
  const session: LeanSession = {
    url: entry.target.url,
    allowPrivateNetwork: entry.target.allowPrivateNetwork,
    protocolVersion,
    sessionId: transport.sessionId,
    headers: entry.target.headers,
    sent: (values) => {
      entry.sent = values;
    },
    toolsChanged: () => {
      entry.tools = null;
    },
    ...(entry.target.dynamicHeaders ? { dynamicHeaders: entry.target.dynamicHeaders } : {}),
  };
  return leanable(session) ? session : null;
}
