import type { IncomingMessage, ServerResponse } from 'node:http';
import { CLIENT_INFO_META_KEY } from '@modelcontextprotocol/server';
import { isPlain } from './protocol.js';

/** The MCP client's self-reported name and version. */
export interface ClientInfo {
  name: string;
  version: string;
}

function clean(v: unknown, max: number): string | null {
  return typeof v === 'string' && v.length > 0 ? v.replace(/[^\x20-\x7e]/g, '').slice(0, max) : null;
}

function infoOf(v: unknown): ClientInfo | null {
  if (!isPlain(v)) return null;
  const name = clean(v.name, 100);
  return name ? { name, version: clean(v.version, 50) ?? '' } : null;
}

/** The client's name and version: from the 2026 envelope, or a 2025 `initialize`. */
export function clientInfoOf(message: unknown): { info: ClientInfo | null; initialize: boolean } {
  if (!isPlain(message)) return { info: null, initialize: false };
  const params = isPlain(message.params) ? message.params : undefined;
  if (message.method === 'initialize') return { info: infoOf(params?.clientInfo), initialize: true };
  const meta = isPlain(params?._meta) ? params._meta : undefined;
  return { info: infoOf(meta?.[CLIENT_INFO_META_KEY]), initialize: false };
}

/**
 * 2025-era clients name themselves only in `initialize`, and these endpoints keep no session state.
 * The session id handed back *is* the client's self-reported name and version, so every later
 * request carries it to whichever node answers.
 */
export function sessionIdFor(prefix: string, info: ClientInfo): string {
  return prefix + Buffer.from(JSON.stringify([info.name, info.version])).toString('base64url');
}

/** The client a session id made by sessionIdFor names; null for any other value. */
export function infoFromSession(prefix: string, header: string | string[] | undefined): ClientInfo | null {
  const v = Array.isArray(header) ? header[0] : header;
  if (!v?.startsWith(prefix) || v.length > 400) return null;
  try {
    const [name, version] = JSON.parse(Buffer.from(v.slice(prefix.length), 'base64url').toString('utf8')) as unknown[];
    return infoOf({ name, version });
  } catch {
    return null;
  }
}

/** The MCP client of a request (from the message, or from the session id an earlier `initialize` got); answers `initialize` with that session id. */
export function clientOfRequest(req: IncomingMessage, res: ServerResponse, message: unknown, sessionPrefix: string): ClientInfo | null {
  const { info, initialize } = clientInfoOf(message);
  if (initialize && info) res.setHeader('mcp-session-id', sessionIdFor(sessionPrefix, info));
  return info ?? infoFromSession(sessionPrefix, req.headers['mcp-session-id']);
}
