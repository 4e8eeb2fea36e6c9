import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import { GatehouseError, type RequestRecord, type UpstreamTarget, type VirtualTarget } from '../../core/index.js';
import { isoTime } from '../../telemetry/iso-time.js';
import { newLogId } from '../../telemetry/log-id.js';
import type { CallSpan, CallTracer, TraceHeaders } from '../../telemetry/otel/tracer.js';
import type { ToolSet } from '../kit/endpoint.js';
import { callUpstreamTool, listUpstreamTools } from './upstream.js';

/** Who made one request to a virtual server, for its request-log entries. */
export interface FederationCaller {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  record(entry: RequestRecord): void;
  /** Traces each tool call (a span, with a child for the upstream exchange); null when tracing is off. */
  tracer: CallTracer | null;
  /** The trace context the request carries (`_meta.traceparent` or headers). */
  trace: TraceHeaders | null;
}

interface Route {
  upstream: UpstreamTarget;
  /** The tool's name at the upstream. */
  name: string;
  description: string | undefined;
}

function errorResult(err: GatehouseError): CallToolResult {
  const error = { code: err.code, message: err.message };
  return { content: [{ type: 'text', text: JSON.stringify({ error }) }], structuredContent: { error }, isError: true };
}

/** A tool-name-safe form of an upstream's name, for the prefix that keeps composed upstreams apart. */
function prefixOf(upstream: UpstreamTarget): string {
  return `${upstream.name.toLowerCase().replace(/[^a-z0-9_-]+/g, '_')}__`;
}

/** Cuts the text of a result past `max` characters, saying so; structured content is dropped when cut, as it no longer matches. */
export function capResult(result: CallToolResult, max: number): CallToolResult {
  let left = max;
  let total = 0;
  let cut = false;
  const content = result.content.map((part) => {
    if (part.type !== 'text') return part;
    total += part.text.length;
    if (part.text.length <= left) {
      left -= part.text.length;
      return part;
    }
    cut = true;
    const kept = part.text.slice(0, left);
    left = 0;
    return { ...part, text: kept };
  });
  if (!cut) return result;
  content.push({ type: 'text', text: `[truncated by Gatehouse: ${total} characters of text in all, ${max} kept]` });
  const { structuredContent: _dropped, ...rest } = result;
  return { ...rest, content, _meta: { ...(result._meta ?? {}), 'gatehouse/truncated': true } };
}

/**
 * The curated tools of a virtual server: downstream name → upstream tool. Several upstreams are
 * prefixed `<upstream>__`; a tool outside the allowlist has no route, so it is neither listed nor callable.
 */
function routesOf(target: VirtualTarget): Map<string, Route> {
  const byId = new Map(target.upstreams.map((u) => [u.id, u]));
  const prefixed = target.upstreams.length > 1;
  const routes = new Map<string, Route>();
  for (const tool of target.tools) {
    const upstream = byId.get(tool.upstreamId);
    if (!upstream) continue;
    const shown = `${prefixed ? prefixOf(upstream) : ''}${tool.rename ?? tool.name}`;
    routes.set(shown, { upstream, name: tool.name, description: tool.description });
  }
  return routes;
}

/**
 * The tool set of a virtual server. `tools/list` needs the upstreams' definitions, fetched only
 * when asked for (`withList`); a call needs only the allowlist.
 */
export async function buildVirtualToolSet(target: VirtualTarget, withList: boolean): Promise<ToolSet<FederationCaller>> {
  const routes = routesOf(target);
  const tools: Tool[] = [];
  if (withList) {
    const defs = new Map<string, Map<string, Tool>>();
    await Promise.all(
      target.upstreams.map(async (u) => {
        if ([...routes.values()].some((r) => r.upstream === u)) defs.set(u.id, new Map((await listUpstreamTools(u)).map((t) => [t.name, t])));
      }),
    );
    for (const [shown, route] of routes) {
      const def = defs.get(route.upstream.id)?.get(route.name);
      // A curated tool the upstream no longer offers is not listed (a call would fail upstream).
      if (!def) continue;
      tools.push({ ...def, name: shown, ...(route.description !== undefined ? { description: route.description } : {}) });
    }
    tools.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return {
    tools,
    listJson: JSON.stringify({ tools }),
    has: (name) => routes.has(name),
    async call(caller, name, args) {
      const route = routes.get(name);
      if (!route) return errorResult(new GatehouseError('GATEHOUSE_NOT_FOUND', `No tool ${name.slice(0, 100)} on this server.`));
      const startedAt = Date.now();
      const started = performance.now();
      const span = caller.tracer === null ? null : startToolSpan(caller.tracer, caller, target, route, name);
      const upstream = span?.startUpstream(`tools/call ${route.name}`, upstreamAttributes(route)) ?? null;
      let result: CallToolResult;
      let failure: GatehouseError | null = null;
      try {
        result = capResult(await callUpstreamTool(route.upstream, route.name, args, upstream?.headers ?? null), route.upstream.maxResultChars);
      } catch (err) {
        if (!(err instanceof GatehouseError)) {
          upstream?.end({ error: 'GATEHOUSE_INTERNAL' });
          span?.end({ status: 500, errorCode: 'GATEHOUSE_INTERNAL' });
          throw err;
        }
        failure = err;
        result = errorResult(err);
      }
      const entry = entryOf(target, route, name, caller, { startedAt, latencyMs: performance.now() - started, failure, bytesIn: JSON.stringify(args).length, result });
      caller.record(entry);
      upstream?.end(failure ? { error: failure.code } : { status: 200 });
      span?.end({ status: entry.status, errorCode: entry.errorCode });
      return result;
    },
  };
}

/** The span of one federated tool call, continuing the caller's trace context. */
function startToolSpan(tracer: CallTracer, caller: FederationCaller, target: VirtualTarget, route: Route, shown: string): CallSpan {
  return tracer.startCall(`tools/call ${shown}`, caller.trace ?? {}, {
    'gatehouse.channel': 'federation',
    'gatehouse.request.id': caller.requestId,
    'url.path': `/mcp/v/${target.slug}`,
    'gatehouse.mcp.server': target.slug,
    'gatehouse.mcp.tool': shown,
    'gatehouse.mcp.upstream': route.upstream.name,
    ...(caller.ip !== null ? { 'client.address': caller.ip } : {}),
  });
}

function upstreamAttributes(route: Route): Record<string, string | number> {
  const url = new URL(route.upstream.url);
  return {
    'server.address': url.hostname,
    'server.port': url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
    'gatehouse.mcp.upstream': route.upstream.name,
    'gatehouse.mcp.tool': route.name,
  };
}

/** The request-log entry of one upstream call (channel `federation`): the virtual server's path, the tool as the caller named it. */
function entryOf(
  target: VirtualTarget,
  route: Route,
  shown: string,
  caller: FederationCaller,
  call: { startedAt: number; latencyMs: number; failure: GatehouseError | null; bytesIn: number; result: CallToolResult },
): RequestRecord {
  const latencyMs = Math.round(call.latencyMs * 1000) / 1000;
  return {
    id: newLogId(call.startedAt),
    requestId: caller.requestId,
    time: isoTime(call.startedAt),
    channel: 'federation',
    collectionId: null,
    proxyId: null,
    endpointId: null,
    clientId: null,
    profileId: null,
    method: 'POST',
    path: `/mcp/v/${target.slug}`,
    status: call.failure ? call.failure.status : 200,
    latencyMs,
    upstreamLatencyMs: call.failure ? null : latencyMs,
    bytesIn: call.bytesIn,
    bytesOut: JSON.stringify(call.result).length,
    ip: caller.ip,
    userAgent: caller.userAgent,
    errorCode: call.failure?.code ?? null,
    mcpClient: null,
    mcpTool: `${shown} → ${route.upstream.name}/${route.name}`,
    requestBody: null,
    responseBody: null,
    workflow: null,
  };
}
