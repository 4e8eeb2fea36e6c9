import type { IncomingMessage, ServerResponse } from 'node:http';
import { isInputRequired } from './held-call.js';
import { escapedJsonBytes, jsonBytes } from './json-bytes.js';
import type { TwinResult } from './json-text.js';
import { ENVELOPE_KEYS, isPlain, LEGACY_REVISIONS, MODERN_REVISION, type ServerInfo } from './protocol.js';

/** A `tools/list` or `tools/call` the fast path answers itself. */
export interface FastCall {
  era: 'modern' | 'legacy';
  id: string | number;
  method: 'tools/list' | 'tools/call';
  name: string;
  args: Record<string, unknown>;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? undefined : v;
}

/**
 * The hot path: a well-formed `tools/list` or `tools/call` of a known tool, in either era, whose
 * envelope and headers agree exactly. Such a request is answered without a per-request server
 * (the same handlers, the same result shapes); anything else — initialize, discover, ping, any
 * mismatch or oddity — goes to the SDK's handler, which owns every protocol error answer.
 */
export function fastCall(req: IncomingMessage, message: unknown, isTool: (name: string) => boolean): FastCall | null {
  if (!isPlain(message) || message.jsonrpc !== '2.0') return null;
  const id = message.id;
  if (typeof id !== 'string' && !(typeof id === 'number' && Number.isInteger(id))) return null;
  const method = message.method;
  if (method !== 'tools/list' && method !== 'tools/call') return null;
  const contentType = header(req, 'content-type');
  const accept = header(req, 'accept');
  if (!contentType?.toLowerCase().startsWith('application/json') || !accept?.includes('application/json')) return null;
  const params = message.params;
  if (params !== undefined && !isPlain(params)) return null;
  for (const k in message) if (k !== 'jsonrpc' && k !== 'id' && k !== 'method' && k !== 'params') return null;
  const meta = params?._meta;
  const protocolHeader = header(req, 'mcp-protocol-version');
  let era: FastCall['era'];
  if (meta === undefined) {
    if (protocolHeader !== undefined && !LEGACY_REVISIONS.has(protocolHeader)) return null;
    if (req.headers['mcp-method'] !== undefined || req.headers['mcp-name'] !== undefined) return null;
    era = 'legacy';
  } else {
    if (!isPlain(meta) || meta['io.modelcontextprotocol/protocolVersion'] !== MODERN_REVISION || protocolHeader !== MODERN_REVISION) return null;
    if (!isPlain(meta['io.modelcontextprotocol/clientCapabilities'])) return null;
    const info = meta['io.modelcontextprotocol/clientInfo'];
    if (info !== undefined && !(isPlain(info) && typeof info.name === 'string' && typeof info.version === 'string')) return null;
    // A W3C trace context beside the envelope keeps the fast path (the adapter reads it from the message).
    for (const k in meta) if (!ENVELOPE_KEYS.has(k) && k !== 'traceparent' && k !== 'tracestate') return null;
    if (header(req, 'mcp-method') !== method) return null;
    era = 'modern';
  }
  if (method === 'tools/list') {
    if (params) for (const k in params) if (k !== '_meta') return null;
    if (era === 'modern' && req.headers['mcp-name'] !== undefined) return null;
    return { era, id, method, name: '', args: {} };
  }
  const name = params?.name;
  if (typeof name !== 'string' || !isTool(name)) return null;
  const args = params!.arguments;
  if (args !== undefined && !isPlain(args)) return null;
  for (const k in params) if (k !== '_meta' && k !== 'name' && k !== 'arguments') return null;
  if (era === 'modern' && header(req, 'mcp-name') !== name) return null;
  return { era, id, method, name, args: (args as Record<string, unknown> | undefined) ?? {} };
}

/** How a fast-path result is written: from its JSON text, or (`twin`) a large result from its structured content. */
export interface ResultWriter {
  (res: ServerResponse, call: FastCall, resultJson: string, asks?: boolean): void;
  /**
   * Writes a result whose text block is the JSON of its structured content (a contract, a page of
   * endpoints): the content is serialized once into pooled buffers outside V8's heap (json-bytes),
   * the text block is those bytes escaped, and both go out as buffers, waiting for the socket to
   * drain between them. The buffers return to the pool once the response is finished or closed.
   * Resolves once written, or once the caller is gone.
   */
  twin(res: ServerResponse, call: FastCall, result: TwinResult): Promise<void>;
  /**
   * Writes a tool's result object: a 2026-07-28 result's own `_meta` is taken off the object before
   * it is serialized, so the JSON is built once and never parsed back (see splitMeta, for JSON text).
   */
  result(res: ServerResponse, call: FastCall, result: Record<string, unknown>, asks: boolean): void;
}

/** Resolves true once the response can take more, false when it closed first. */
function drained(res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (more: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(more);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/**
 * A 2026-07-28 result's JSON split from its own top-level `_meta`, when it has one: the server
 * info is stamped into that `_meta`, not beside it (a second `_meta` key would replace the
 * result's own — an MCP App tool's `_meta.ui`, a list's unavailable upstreams — in every parser).
 * Only JSON that holds `"_meta"` at all is parsed; lists are reused, so their split is kept.
 */
const splitCache = new Map<string, { body: string; meta: Record<string, unknown> } | null>();
function splitMeta(resultJson: string, reused: boolean): { body: string; meta: Record<string, unknown> } | null {
  if (!resultJson.includes('"_meta"')) return null;
  const cached = reused ? splitCache.get(resultJson) : undefined;
  if (cached !== undefined) return cached;
  const parsed = JSON.parse(resultJson) as Record<string, unknown>;
  let split: { body: string; meta: Record<string, unknown> } | null = null;
  if (isPlain(parsed._meta)) {
    const { _meta: meta, ...rest } = parsed;
    split = { body: JSON.stringify(rest), meta: meta as Record<string, unknown> };
  }
  if (reused) {
    if (splitCache.size >= 64) splitCache.clear();
    splitCache.set(resultJson, split);
  }
  return split;
}

/** Writes fast-path results as the SDK would: a 2026-07-28 result gains its result type (unless it `asks`: input_required), list caching hints and the server info. */
export function resultWriter(serverInfo: ServerInfo): ResultWriter {
  const stamp = { 'io.modelcontextprotocol/serverInfo': serverInfo };
  const meta = JSON.stringify(stamp);
  /** The result's `_meta` with the server info stamped in (a value the result carries itself wins, as in the SDK). */
  const metaWith = (own: Record<string, unknown> | undefined) => (own === undefined ? meta : JSON.stringify({ ...stamp, ...own }));
  // Tool lists depend on who asks, so caches must keep them private. A call that asks its caller
  // for input first (input_required) carries its own result type.
  const tailOf = (call: FastCall, asks: boolean, own: Record<string, unknown> | undefined) =>
    call.method === 'tools/list'
      ? `,"resultType":"complete","ttlMs":0,"cacheScope":"private","_meta":${metaWith(own)}}`
      : asks
        ? `,"_meta":${metaWith(own)}}`
        : `,"resultType":"complete","_meta":${metaWith(own)}}`;
  /** The end of the body from the last piece of the result's JSON (which ends with the result's closing brace, and has no `_meta` of its own when `own` is given). */
  const close = (call: FastCall, last: string, asks: boolean, own?: Record<string, unknown>) => {
    if (call.era !== 'modern') return `${last},"jsonrpc":"2.0","id":${JSON.stringify(call.id)}}`;
    // An empty object's brace has no member before it: no comma to follow.
    const head = last.slice(0, -1);
    const tail = tailOf(call, asks, own);
    return `${head.endsWith('{') ? head + tail.slice(1) : head + tail},"jsonrpc":"2.0","id":${JSON.stringify(call.id)}}`;
  };
  const send = (res: ServerResponse, body: string) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const write: ResultWriter = (res, call, resultJson, asks = false) => {
    const split = call.era === 'modern' ? splitMeta(resultJson, call.method === 'tools/list') : null;
    send(res, `{"result":${split ? close(call, split.body, asks, split.meta) : close(call, resultJson, asks)}`);
  };
  write.result = (res, call, result, asks) => {
    const own = result._meta;
    if (call.era !== 'modern' || !isPlain(own)) return send(res, `{"result":${close(call, JSON.stringify(result), asks)}`);
    const { _meta: _own, ...rest } = result;
    send(res, `{"result":${close(call, JSON.stringify(rest), asks, own as Record<string, unknown>)}`);
  };
  write.twin = async (res, call, result) => {
    const { content: _text, structuredContent, ...all } = result;
    // A 2026-07-28 result's own `_meta` goes with the stamped server info (see splitMeta).
    const { _meta: own, ...others } = all;
    const ownMeta = call.era === 'modern' && isPlain(own) ? (own as Record<string, unknown>) : undefined;
    const rest = ownMeta ? others : all;
    const json = jsonBytes(structuredContent);
    const text = escapedJsonBytes(json);
    const head = '{"result":{"content":[{"type":"text","text":"';
    const middle = '"}],"structuredContent":';
    const restJson = JSON.stringify(rest);
    const end = close(call, restJson === '{}' ? '}' : `,${restJson.slice(1)}`, isInputRequired(result), ownMeta);
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': head.length + text.length + middle.length + json.length + Buffer.byteLength(end),
    });
    res.once('close', () => {
      json.release();
      text.release();
    });
    for (const piece of [head, ...text.pieces(), middle, ...json.pieces()]) if (!res.write(piece) && !(await drained(res))) return;
    res.end(end);
  };
  return write;
}

/**
 * A 2025-era `tools/call` of a known tool with a `task` (2025-11-25 tasks), well formed: the call to
 * start as a task. Null for anything else.
 */
export function legacyTaskCall(
  req: IncomingMessage,
  message: unknown,
  isTool: (name: string) => boolean,
): (FastCall & { task: Record<string, unknown> }) | null {
  if (!isPlain(message) || message.jsonrpc !== '2.0' || message.method !== 'tools/call' || !isPlain(message.params)) return null;
  const id = message.id;
  if (typeof id !== 'string' && !(typeof id === 'number' && Number.isInteger(id))) return null;
  const { name, arguments: args, task, _meta: meta } = message.params;
  if (!isPlain(task) || typeof name !== 'string' || !isTool(name) || (args !== undefined && !isPlain(args))) return null;
  const protocolHeader = header(req, 'mcp-protocol-version');
  if (
    (protocolHeader !== undefined && !LEGACY_REVISIONS.has(protocolHeader)) ||
    (isPlain(meta) && meta['io.modelcontextprotocol/protocolVersion'] !== undefined)
  )
    return null;
  return { era: 'legacy', id, method: 'tools/call', name, args: (args as Record<string, unknown> | undefined) ?? {}, task };
}
