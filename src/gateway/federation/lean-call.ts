import { SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { Agent, type Dispatcher, request } from 'undici';
import type { DynamicHeaders } from '../../core/index.js';
import type { TraceHeaders } from '../../telemetry/otel/tracer.js';

// The 2025 revisions: a tools/call is the bare JSON-RPC request, with the session and version in headers.
const LEGACY_REVISIONS: ReadonlySet<string> = new Set(['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05']);

// Keep-alive connections to upstream MCP servers, shared by every lean call.
const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 128 });

let nextId = 0;

/** What a lean call needs of a connected upstream session. */
export interface LeanSession {
  url: string;
  /** The negotiated revision; only the 2025 revisions are forwarded lean. */
  protocolVersion: string | undefined;
  sessionId: string | undefined;
  headers: Record<string, string>;
  dynamicHeaders?: () => Promise<DynamicHeaders>;
  /** Records the dynamic header values sent (for scrubbing). */
  sent(values: string[]): void;
  /** The upstream said its tools changed (a notification on the call's event stream). */
  toolsChanged(): void;
}

/** Whether a call on this session can skip the SDK client: a 2025-era session (no per-request envelope to build). */
export function leanable(session: Pick<LeanSession, 'protocolVersion'>): boolean {
  return session.protocolVersion !== undefined && LEGACY_REVISIONS.has(session.protocolVersion);
}

/**
 * One `tools/call` sent straight over a kept-alive connection: the JSON-RPC request the SDK client
 * would send, its JSON or event-stream answer read without the client's transport and schema
 * machinery. Failures are thrown as the SDK client throws them (an HTTP status as SdkHttpError, a
 * JSON-RPC error as an Error), so the pool treats both paths alike (a 404 is a forgotten session).
 */
export async function leanCallTool(session: LeanSession, name: string, args: Record<string, unknown>, trace: TraceHeaders | null, signal: AbortSignal): Promise<CallToolResult> {
  const id = `g${++nextId}`;
  const meta = trace?.traceparent ? { _meta: { traceparent: trace.traceparent, ...(trace.tracestate ? { tracestate: trace.tracestate } : {}) } } : {};
  const body = JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, ...meta } });
  const headers: Record<string, string> = {
    ...session.headers,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': session.protocolVersion ?? '',
    ...(session.sessionId ? { 'mcp-session-id': session.sessionId } : {}),
    ...(trace?.traceparent ? { traceparent: trace.traceparent, ...(trace.tracestate ? { tracestate: trace.tracestate } : {}) } : {}),
  };
  const send = async () => {
    if (!session.dynamicHeaders) return { res: await request(session.url, { method: 'POST', headers, body, signal, dispatcher }), refused: null };
    const dynamic = await session.dynamicHeaders();
    session.sent(Object.values(dynamic.headers).flatMap((v) => [v, v.replace(/^Bearer\s+/i, '')]));
    const res = await request(session.url, { method: 'POST', headers: { ...headers, ...dynamic.headers }, body, signal, dispatcher });
    return { res, refused: dynamic.refused };
  };
  let { res, refused } = await send();
  if (res.statusCode === 401 && refused) {
    // The cached token was refused: forget it and send once more with a new one.
    refused();
    await res.body.dump();
    ({ res } = await send());
  }
  if (res.statusCode < 200 || res.statusCode >= 300) {
    const text = await res.body.text().catch(() => '');
    throw new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, `Error POSTing to endpoint: ${text}`, { status: res.statusCode, statusText: '', text });
  }
  const type = String(res.headers['content-type'] ?? '').toLowerCase();
  const answer = type.startsWith('text/event-stream') ? await fromEventStream(res.body, id, session) : parseMessage(await res.body.text());
  return resultOf(answer, id);
}

function parseMessage(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('the upstream answered with invalid JSON');
  }
}

/** Reads server-sent events until the response to `id` arrives; a tools-changed notification on the way is passed on. */
function fromEventStream(body: Dispatcher.ResponseData['body'], id: string, session: LeanSession): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let data: string[] = [];
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (let end = buffered.indexOf('\n'); end !== -1; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end).replace(/\r$/, '');
        buffered = buffered.slice(end + 1);
        if (line.startsWith('data:')) data.push(line.slice(line[5] === ' ' ? 6 : 5));
        if (line !== '' || data.length === 0) continue;
        let message: unknown;
        try {
          message = parseMessage(data.join('\n'));
        } catch (err) {
          body.destroy();
          return reject(err);
        }
        data = [];
        if (isObject(message) && message.id === id && ('result' in message || 'error' in message)) {
          body.off('data', onData);
          // The upstream ends the stream after the response: read to its end in the background so the
          // connection is kept alive (a destroyed body closes it); a stream left open is cut.
          void body.dump({ limit: 65_536, signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
          return resolve(message);
        }
        if (isObject(message) && message.method === 'notifications/tools/list_changed') session.toolsChanged();
      }
    };
    body.on('data', onData);
    body.on('error', reject);
    body.on('end', () => reject(new SdkHttpError(SdkErrorCode.ConnectionClosed, 'The upstream closed its event stream before answering the call.', { status: 200, statusText: '' })));
  });
}

/** The call's result from a JSON-RPC response, shaped as a tool result, or the error it carries thrown. */
function resultOf(message: unknown, id: string): CallToolResult {
  if (!isObject(message) || message.jsonrpc !== '2.0' || message.id !== id) throw new Error('the upstream answered with something other than the JSON-RPC response to the call');
  if (isObject(message.error)) {
    const { code, message: text } = message.error;
    throw new Error(`MCP error ${typeof code === 'number' ? code : '?'}: ${typeof text === 'string' ? text : 'no message'}`);
  }
  const result = message.result;
  if (!isObject(result) || (result.content !== undefined && !Array.isArray(result.content))) throw new Error('the upstream answered the call with an invalid tool result');
  return (result.content === undefined ? { ...result, content: [] } : result) as CallToolResult;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
