import type { HeaderMap, OutgoingHeaders } from '../net/header-map.js';
import { BUDGET, type CallBudget, newCallBudget } from './budget.js';
import { compileSegment, matchSegment } from '../routing/segment.js';
import type { CallView } from './call-view.js';

/** What the variables are read from: the exchange, as it stands. */
export interface VariableSource {
  readonly ctx: CallView;
  readonly query: string;
  readonly requestHeaders: HeaderMap;
  readonly response: { status: number; headers: OutgoingHeaders } | null;
  requestJson(): unknown;
  responseJson(): unknown;
}

/** What CEL expressions and `{{…}}` templates read: the call as the workflow has shaped it so far. */
export interface CallVariables {
  request: {
    id: string;
    method: string;
    /** The path the caller called (with the proxy's base path). */
    path: string;
    /** Path parameters of the matched endpoint, by name. */
    params: Record<string, string>;
    query: Record<string, string>;
    /** Lower-case names; a repeated header's values joined with ", ". */
    headers: Record<string, string>;
    /** The parsed JSON body, when the body was buffered and is JSON; else null. */
    readonly body: unknown;
  };
  caller: {
    client: { id: string; name: string };
    profile: { id: string; name: string; authType: string };
    claims: Record<string, unknown>;
  };
  claims: Record<string, unknown>;
  ip: string;
  time: { iso: string; unix: number };
  /** The time of the call, as a CEL timestamp. */
  now: Date;
  response?: { status: number; headers: Record<string, string>; readonly body: unknown };
  /** A federated MCP call's tool, arguments (the request body), server, upstream and caller; its result once there is one. */
  mcp?: McpVariables;
  /** What the call may still spend on expressions and templates (a symbol: no expression can read it). */
  [BUDGET]?: CallBudget;
}

/** What a workflow on a virtual server reads of the MCP call (`mcp.…`). */
export interface McpVariables {
  method: string;
  server: string;
  tool: string;
  upstream: string;
  caller: { subject: string; actor: string | null };
  readonly arguments: unknown;
  /** The result (response phase): its text, structured content, resource contents and prompt messages. */
  readonly result?: McpResultView;
}

/** The parts of a tool result, resource read or prompt a workflow reads. */
export interface McpResultView {
  /** The text of its text parts, resource contents and prompt messages, joined by newlines. */
  text: string;
  structuredContent: unknown;
  contents: unknown[];
  messages: unknown[];
  isError: boolean;
}

function textOf(part: unknown): string | null {
  if (part === null || typeof part !== 'object') return null;
  const p = part as { type?: unknown; text?: unknown; content?: unknown };
  if (typeof p.text === 'string') return p.text;
  // A prompt message holds its part under `content`.
  if (p.content !== undefined) return textOf(p.content);
  return null;
}

/** What `mcp.result` shows of a result's JSON (any of a tool result, a resource read, a prompt). */
export function mcpResultView(json: unknown): McpResultView {
  const r = (json !== null && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const texts: string[] = [];
  for (const part of [...list(r.content), ...list(r.contents), ...list(r.messages)]) {
    const t = textOf(part);
    if (t !== null) texts.push(t);
  }
  return {
    text: texts.join('\n'),
    structuredContent: r.structuredContent ?? null,
    contents: list(r.contents),
    messages: list(r.messages),
    isError: r.isError === true,
  };
}

function mcpVariables(x: VariableSource): McpVariables | undefined {
  const m = x.ctx.mcp;
  if (!m) return undefined;
  return {
    method: m.method,
    server: m.server,
    tool: m.tool,
    upstream: m.upstream,
    caller: { subject: m.caller.subject, actor: m.caller.actor },
    get arguments() {
      return x.requestJson() ?? {};
    },
    get result() {
      return x.response === null ? undefined : mcpResultView(x.responseJson());
    },
  };
}

/** Credentials the gateway consumed: a workflow never reads (or so forwards) them through templates or CEL. */
const HIDDEN = new Set(['x-api-key', 'cookie']);

function flatHeaders(headers: HeaderMap, credentialHeader: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    if (HIDDEN.has(name) || name === credentialHeader) continue;
    const v = headers[name];
    if (v !== undefined) out[name] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function queryObject(query: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (query.length > 1) for (const [k, v] of new URLSearchParams(query.slice(1))) if (!(k in out)) out[k] = v;
  return out;
}

/** The values of an endpoint template's parameters (whole segments or inside one), read from the path below the proxy's base path. */
export function pathParams(template: string, rest: string): Record<string, string> {
  const out: Record<string, string> = {};
  const names = template.split('/');
  const values = rest.split('/');
  for (let i = 0; i < names.length; i++) {
    const n = names[i]!;
    if (!n.includes('{')) continue;
    const found = matchSegment(compileSegment(n), values[i] ?? '');
    if (found === null) continue;
    for (const [name, raw] of Object.entries(found)) {
      try {
        out[name] = decodeURIComponent(raw);
      } catch {
        out[name] = raw;
      }
    }
  }
  return out;
}

/** Builds the variables of a call once; the exchange keeps them in step with later edits. */
export function buildVariables(x: VariableSource): CallVariables {
  const ctx = x.ctx;
  const caller = ctx.caller;
  const claims = ctx.claims ?? {};
  const now = new Date(ctx.startedAt);
  const mcp = mcpVariables(x);
  return {
    ...(mcp ? { mcp } : {}),
    request: {
      id: ctx.requestId,
      method: ctx.method,
      path: ctx.path,
      params: ctx.endpoint ? pathParams(ctx.endpoint.path, ctx.rest) : {},
      query: queryObject(x.query),
      headers: flatHeaders(x.requestHeaders, x.ctx.credentialHeader),
      get body() {
        return x.requestJson();
      },
    },
    caller: {
      client: { id: caller?.client.id ?? '', name: caller?.client.name ?? '' },
      profile: { id: caller?.profile.id ?? '', name: caller?.profile.name ?? '', authType: caller?.profile.authType ?? 'anonymous' },
      claims,
    },
    claims,
    ip: ctx.ip ?? '',
    time: { iso: now.toISOString(), unix: Math.floor(ctx.startedAt / 1000) },
    now,
    [BUDGET]: newCallBudget(),
  };
}

/** Re-reads what request edits may have changed (headers, query). */
export function refreshRequest(vars: CallVariables, x: VariableSource): void {
  vars.request.headers = flatHeaders(x.requestHeaders, x.ctx.credentialHeader);
  vars.request.query = queryObject(x.query);
}

/** Adds the response once there is one. */
export function addResponse(vars: CallVariables, x: VariableSource): void {
  const res = x.response!;
  vars.response = {
    status: res.status,
    headers: flatHeaders(res.headers, null),
    get body() {
      return x.responseJson();
    },
  };
}
