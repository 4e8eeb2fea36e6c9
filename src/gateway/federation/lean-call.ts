import type { SdkHttpError } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { type Dispatcher, request } from 'undici';
import type { DynamicHeaders } from '../../core/index.js';
import type { TraceHeaders } from '../../telemetry/otel/tracer.js';
import { OutboundClient } from '../net/outbound/outbound-client.js';
import { beneath, type CallHeaders } from './call-headers.js';
import { type CallNotices, noticesFor, tookNotice } from './call-notices.js';
import { clientSdk, loadClientSdk, loadedClientSdk } from './client-sdk.js';
import { AnswerFormatError, answerFailure, EventStreamDecoder, isResponseTo, type JsonRpcMessage, jsonAnswer, MAX_MESSAGE_CHARS } from './mcp-answer.js';

// The 2025 revisions: a tools/call is the bare JSON-RPC request, with the session and version in headers.
const LEGACY_REVISIONS: ReadonlySet<string> = new Set(['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05']);

// Keep-alive connections to upstream MCP servers, shared by every lean call: one pool per answer of the
// private-network rule (see mayReachPrivateNetwork), the lookup vetted and pinned in both. undici's own
// 300 s limits stay (a call's signal carries its timeout), and an answer, event stream included, is cut
// at four times the largest message.
const dispatcherFor = (allowPrivateNetworks: boolean) =>
  new OutboundClient({ allowPrivateNetworks, timeoutMs: 300_000, maxBytes: 4 * MAX_MESSAGE_CHARS, connections: 128, keepAliveTimeoutMs: 10_000 }).dispatcher;
const dispatchers = { anyAddress: dispatcherFor(true), publicOnly: dispatcherFor(false) };
const dispatcherOf = (session: Pick<LeanSession, 'allowPrivateNetwork'>): Dispatcher =>
  session.allowPrivateNetwork ? dispatchers.anyAddress : dispatchers.publicOnly;

let nextId = 0;

/** What a lean call needs of a connected upstream session. */
export interface LeanSession {
  url: string;
  /** Whether `url` may be at a loopback, private or link-local address (the session was opened under the same rule). */
  allowPrivateNetwork: boolean;
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
export async function leanCallTool(
  session: LeanSession,
  name: string,
  args: Record<string, unknown>,
  trace: TraceHeaders | null,
  signal: AbortSignal,
  extra: CallHeaders | null = null,
): Promise<CallToolResult> {
  // Its failures are the SDK's errors; once loaded, this costs nothing.
  const { SdkErrorCode, SdkHttpError } = loadedClientSdk() ?? (await loadClientSdk());
  const id = `g${++nextId}`;
  const dispatcher = dispatcherOf(session);
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
  // The headers last sent: an answer to a request of the upstream's goes with the same credentials.
  let sentHeaders = extra === null ? headers : { ...beneath(extra, headers), ...headers };
  // An abandoned call (its caller cancelled, or it ran out of time) is cancelled upstream too, as the
  // SDK client does: on the 2025 revisions closing the POST is not a cancellation.
  const cancel = () => void tellCancelled(session.url, sentHeaders, id, signal.reason, dispatcher);
  signal.addEventListener('abort', cancel, { once: true });
  try {
    const send = async () => {
      if (!session.dynamicHeaders)
        return { res: await request(session.url, { method: 'POST', headers: sentHeaders, body, signal, dispatcher }), refused: null };
      const dynamic = await session.dynamicHeaders();
      session.sent(Object.values(dynamic.headers).flatMap((v) => [v, v.replace(/^Bearer\s+/i, '')]));
      const own = { ...headers, ...dynamic.headers };
      sentHeaders = extra === null ? own : { ...beneath(extra, own), ...own };
      const res = await request(session.url, { method: 'POST', headers: sentHeaders, body, signal, dispatcher });
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
    let answer: JsonRpcMessage;
    try {
      answer = type.startsWith('text/event-stream')
        ? await resumable(res.body, id, session, sentHeaders, signal, noticesFor(body))
        : fromJson(await readCapped(res.body), id, session);
    } catch (err) {
      if (!(err instanceof AnswerFormatError)) throw err;
      answer = answerFailure(id, err);
    }
    return resultOf(answer, id);
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

/** Sends `notifications/cancelled` for request `id` in the session the call was sent in; a failure to is only a lost courtesy. */
async function tellCancelled(url: string, headers: Record<string, string>, id: string, reason: unknown, dispatcher: Dispatcher): Promise<void> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    method: 'notifications/cancelled',
    params: { requestId: id, reason: typeof reason === 'string' ? reason : 'cancelled by the gateway' },
  });
  try {
    const res = await request(url, { method: 'POST', headers, body, dispatcher, signal: AbortSignal.timeout(10_000) });
    await res.body.dump();
  } catch {
    // The upstream is gone or slow: the call has ended on the gateway's side anyway.
  }
}

/** How many times a call's event stream is resumed (the upstream closed it before answering, as SSE polling does) before the call fails. */
const MAX_RESUMES = 10;

/**
 * The response from the call's event stream; when the upstream ends the stream before answering
 * after giving its events ids (a priming event), the stream is resumed as the transport
 * specification says: a GET with `Last-Event-ID`, after the `retry:` delay it asked for (at most 5 s).
 */
async function resumable(
  first: Dispatcher.ResponseData['body'],
  id: string,
  session: LeanSession,
  headers: Record<string, string>,
  signal: AbortSignal,
  notices: CallNotices | undefined,
): Promise<JsonRpcMessage> {
  let body = first;
  let lastEventId: string | undefined;
  for (let resumed = 0; ; resumed++) {
    try {
      return await fromEventStream(body, id, session, headers, notices);
    } catch (err) {
      if (!(err instanceof StreamEnded)) throw err;
      lastEventId = err.lastEventId ?? lastEventId;
      if (lastEventId === undefined || session.sessionId === undefined || resumed === MAX_RESUMES) throw err.failure();
      await sleep(Math.min(err.retryMs ?? 1_000, 5_000), signal);
      const { 'content-type': _type, ...rest } = headers;
      const res = await request(session.url, {
        method: 'GET',
        headers: { ...rest, accept: 'text/event-stream', 'last-event-id': lastEventId },
        signal,
        dispatcher: dispatcherOf(session),
      });
      if (res.statusCode !== 200 || !String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        await res.body.dump().catch(() => undefined);
        throw err.failure();
      }
      body = res.body;
    }
  }
}

/** An event stream that ended before the response: where it got to, to resume it. */
class StreamEnded extends Error {
  constructor(
    readonly lastEventId: string | undefined,
    readonly retryMs: number | undefined,
  ) {
    super('The upstream closed its event stream before answering the call.');
  }

  failure(): SdkHttpError {
    const { SdkErrorCode, SdkHttpError } = clientSdk();
    return new SdkHttpError(SdkErrorCode.ConnectionClosed, this.message, { status: 200, statusText: '' });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The response to `id` in a JSON answer (a batch may carry notifications beside it). */
function fromJson(text: string, id: string, session: LeanSession): JsonRpcMessage {
  const messages = jsonAnswer(text);
  for (const m of messages) if (m.method === 'notifications/tools/list_changed') session.toolsChanged();
  const response = messages.find((m) => isResponseTo(m, id));
  if (!response) throw new AnswerFormatError('the upstream answered with something other than the JSON-RPC response to the call');
  return response;
}

/** A JSON body, read to its end unless it outgrows what a message may be. */
async function readCapped(body: Dispatcher.ResponseData['body']): Promise<string> {
  const utf8 = new TextDecoder();
  let text = '';
  for await (const chunk of body as AsyncIterable<Buffer>) {
    text += utf8.decode(chunk, { stream: true });
    if (text.length > MAX_MESSAGE_CHARS) {
      body.destroy();
      throw new AnswerFormatError(`the upstream answered more than ${MAX_MESSAGE_CHARS} characters`);
    }
  }
  return text + utf8.decode();
}

/** Reads server-sent events (see EventStreamDecoder) until the response to `id` arrives; a tools-changed notification on the way is passed on. */
function fromEventStream(
  body: Dispatcher.ResponseData['body'],
  id: string,
  session: LeanSession,
  headers: Record<string, string>,
  notices: CallNotices | undefined,
): Promise<JsonRpcMessage> {
  return new Promise((resolve, reject) => {
    let answered = false;
    let retryMs: number | undefined;
    const decoder = new EventStreamDecoder({
      retry: (ms) => {
        retryMs = ms;
      },
      message: (message) => {
        if (answered) return;
        if (isResponseTo(message, id)) {
          answered = true;
          body.off('data', onData);
          // The upstream ends the stream after the response: read to its end in the background so the
          // connection is kept alive (a destroyed body closes it); a stream left open is cut. A plain
          // timer, not AbortSignal.timeout: that one fires (and builds a DOMException) for every call.
          const cut = setTimeout(() => body.destroy(), 10_000);
          cut.unref();
          void body
            .dump({ limit: 65_536 })
            .catch(() => undefined)
            .finally(() => clearTimeout(cut));
          resolve(message);
        } else if (message.method === 'notifications/tools/list_changed') session.toolsChanged();
        else if (tookNotice(notices, message)) return;
        else if (typeof message.method === 'string' && (typeof message.id === 'string' || typeof message.id === 'number'))
          void answerServerRequest(session, message, headers);
      },
    });
    const utf8 = new TextDecoder();
    const onData = (chunk: Buffer) => {
      try {
        decoder.push(utf8.decode(chunk, { stream: true }));
      } catch (err) {
        body.destroy();
        reject(err);
      }
    };
    body.on('data', onData);
    body.on('error', reject);
    body.on('end', () => {
      try {
        decoder.push(utf8.decode());
        decoder.finish();
      } catch (err) {
        return reject(err);
      }
      if (!answered) reject(new StreamEnded(decoder.lastEventId, retryMs));
    });
  });
}

/**
 * Answers a request the upstream sent on the call's stream as the SDK client does for a client that
 * declares no capabilities: a ping with an empty result, anything else (sampling, elicitation, roots)
 * with "method not found", so the upstream goes on instead of waiting for an answer that never comes.
 */
async function answerServerRequest(session: LeanSession, asked: JsonRpcMessage, headers: Record<string, string>): Promise<void> {
  const answer =
    asked.method === 'ping'
      ? { jsonrpc: '2.0', id: asked.id, result: {} }
      : { jsonrpc: '2.0', id: asked.id, error: { code: -32601, message: `Method not found: ${String(asked.method)}` } };
  const res = await request(session.url, {
    method: 'POST',
    headers,
    body: JSON.stringify(answer),
    dispatcher: dispatcherOf(session),
    signal: AbortSignal.timeout(10_000),
  }).catch(() => null);
  await res?.body.dump().catch(() => undefined);
}

/** The call's result from a JSON-RPC response, shaped as a tool result, or the error it carries thrown. */
function resultOf(message: JsonRpcMessage, id: string): CallToolResult {
  if (message.id !== id) throw new Error('the upstream answered with something other than the JSON-RPC response to the call');
  if (isObject(message.error)) {
    // As the SDK client throws it, so both paths report an upstream's error alike.
    const { code, message: text, data } = message.error;
    throw clientSdk().ProtocolError.fromError(typeof code === 'number' ? code : -32603, typeof text === 'string' ? text : 'no message', data);
  }
  const result = message.result;
  if (!isObject(result) || (result.content !== undefined && !Array.isArray(result.content)))
    throw new Error('the upstream answered the call with an invalid tool result');
  return (result.content === undefined ? { ...result, content: [] } : result) as CallToolResult;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
