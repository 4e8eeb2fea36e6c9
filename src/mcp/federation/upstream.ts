import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import { GatehouseError, type UpstreamTarget } from '../../core/index.js';
import type { TraceHeaders } from '../../telemetry/otel/tracer.js';

const CLIENT_INFO = { name: 'gatehouse-federation', version: '1' };

/**
 * The text with the upstream's sealed header values cut out: an upstream that echoes the
 * credential it was sent (in an error or a result) must not hand it to the caller or the log.
 */
export function scrub(text: string, target: UpstreamTarget): string {
  let out = text;
  for (const value of Object.values(target.headers)) if (value.length >= 4) out = out.split(value).join('[redacted]');
  return out;
}

/** Whether a failure happened before the upstream answered at all (refused, reset, DNS). */
function unreachable(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) return true;
    if (e.message === 'fetch failed') return true;
  }
  return false;
}

/** The gateway's error for an upstream failure; the message names the upstream, never its headers. */
function upstreamError(target: UpstreamTarget, err: unknown, timedOut: boolean): GatehouseError {
  if (timedOut) return new GatehouseError('GATEHOUSE_UPSTREAM_TIMEOUT', `The upstream MCP server ${target.name} did not answer within ${target.timeoutMs} ms.`);
  if (unreachable(err)) return new GatehouseError('GATEHOUSE_UPSTREAM_UNREACHABLE', `The upstream MCP server ${target.name} could not be reached.`);
  const detail = err instanceof Error ? scrub(err.message, target).slice(0, 300) : 'unknown error';
  return new GatehouseError('GATEHOUSE_MCP_UPSTREAM_ERROR', `The upstream MCP server ${target.name} failed: ${detail}`);
}

/**
 * Runs one exchange with an upstream through the official client over Streamable HTTP: connect,
 * the work, close — all within the upstream's timeout. No session outlives the call, so any node
 * can serve the next one.
 */
async function withClient<T>(target: UpstreamTarget, work: (client: Client, signal: AbortSignal) => Promise<T>, trace: TraceHeaders | null = null): Promise<T> {
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, target.timeoutMs);
  const headers: Record<string, string> = { ...target.headers };
  if (trace?.traceparent) headers.traceparent = trace.traceparent;
  if (trace?.tracestate) headers.tracestate = trace.tracestate;
  const transport = new StreamableHTTPClientTransport(new URL(target.url), { requestInit: { headers, signal: abort.signal } });
  const client = new Client(CLIENT_INFO, { capabilities: {} });
  try {
    await client.connect(transport, { signal: abort.signal });
    return await work(client, abort.signal);
  } catch (err) {
    throw upstreamError(target, err, timedOut);
  } finally {
    clearTimeout(timer);
    await client.close().catch(() => undefined);
  }
}

/** Every tool the upstream offers (all pages). */
export function listUpstreamTools(target: UpstreamTarget): Promise<Tool[]> {
  return withClient(target, async (client, signal) => {
    const tools: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : {}, { signal });
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  });
}

/**
 * Calls one tool at the upstream; a tool error the upstream reports comes back as its `isError`
 * result. Sealed header values are cut from its text (structured content that held one is dropped).
 * A trace context goes both in the HTTP headers and in the call's `_meta`, where MCP servers read it.
 */
export async function callUpstreamTool(target: UpstreamTarget, name: string, args: Record<string, unknown>, trace: TraceHeaders | null = null): Promise<CallToolResult> {
  const meta = trace?.traceparent ? { _meta: { traceparent: trace.traceparent, ...(trace.tracestate ? { tracestate: trace.tracestate } : {}) } } : {};
  const result = await withClient(
    target,
    async (client, signal) => (await client.callTool({ name, arguments: args, ...meta }, { signal, timeout: target.timeoutMs })) as CallToolResult,
    trace,
  );
  if (Object.keys(target.headers).length === 0) return result;
  const content = result.content.map((part) => (part.type === 'text' ? { ...part, text: scrub(part.text, target) } : part));
  const structured = result.structuredContent === undefined ? undefined : JSON.stringify(result.structuredContent);
  const { structuredContent: _s, ...rest } = result;
  return { ...rest, content, ...(structured !== undefined && scrub(structured, target) === structured ? { structuredContent: result.structuredContent } : {}) };
}
