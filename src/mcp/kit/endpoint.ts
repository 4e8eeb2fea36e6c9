import type { IncomingMessage, ServerResponse } from 'node:http';
import { type NodeMcpRequestHandler, toNodeHandler } from '@modelcontextprotocol/node';
import {
  type CallToolResult,
  createMcpHandler,
  type GetPromptResult,
  type Prompt,
  ProtocolError,
  type ReadResourceResult,
  type Resource,
  Server,
  type Tool,
} from '@modelcontextprotocol/server';
import { type FastCall, fastCall, resultWriter } from './fast-call.js';
import { type McpLog, report } from './log.js';
import type { Page } from './page.js';
import type { ServerInfo } from './protocol.js';
import { refuseUndeclaredTasks } from './tasks-gate.js';

/** The tools a caller sees and can call: built once and shared by every request of callers like it. */
export interface ToolSet<S> {
  readonly tools: readonly Tool[];
  /** The `tools/list` result, `{"tools":[…]}`, serialized once. */
  readonly listJson: string;
  /** Whether a tool of this name can be called (it may be unlisted: the call is then refused, and audited, further in). */
  has(name: string): boolean;
  /** Runs one call; failures are `isError` results, never thrown. */
  call(state: S, name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  /** Prompts and resources served besides the tools, when the endpoint has any. */
  readonly extras?: PromptsAndResources;
}

/**
 * Prompts and resources an endpoint serves besides its tools (a virtual MCP server's curated
 * ones), listed a page at a time. Unknown names, URIs and cursors throw a ProtocolError; so do
 * upstream failures.
 */
export interface PromptsAndResources {
  listPrompts(cursor: string | undefined): Promise<Page<Prompt>>;
  getPrompt(name: string, args: Record<string, string> | undefined): Promise<GetPromptResult>;
  listResources(cursor: string | undefined): Promise<Page<Resource>>;
  readResource(uri: string): Promise<ReadResourceResult>;
}

export interface ToolEndpointOptions {
  serverInfo: ServerInfo;
  instructions?: string;
  maxBodyBytes: number;
  log: McpLog;
}

/** An MCP endpoint over tool sets: both protocol eras, no session state, no per-request server on the hot path. */
export interface ToolEndpoint<S> {
  /**
   * Answers one authenticated request whose body the adapter has read and parsed: `tools/list`
   * and `tools/call` straight from the tool set, everything else (initialize, discover, ping,
   * malformed requests) through the SDK with a server built for the request.
   */
  serve(req: IncomingMessage, res: ServerResponse, parsed: unknown, tools: ToolSet<S>, state: S, clientId: string): Promise<void>;
  close(): Promise<void>;
}

interface RequestTools<S> {
  tools: ToolSet<S>;
  state: S;
}

/** Builds the endpoint; the tool sets and per-request state come with each request. */
const JSON_MODE_WARNING = "responseMode: 'json'";

/**
 * Builds an SDK handler without the SDK's console warning about JSON response mode, printed for every
 * handler built: the gateway chose that mode on purpose (each answer is one JSON body, which any node
 * can give; nothing is sent before a result), so the line says nothing an operator can act on.
 */
function withoutJsonModeWarning<T>(build: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith(JSON_MODE_WARNING)) return;
    warn(...args);
  };
  try {
    return build();
  } finally {
    console.warn = warn;
  }
}

export function createToolEndpoint<S>(opts: ToolEndpointOptions): ToolEndpoint<S> {
  const writeResult = resultWriter(opts.serverInfo);
  const writeError = (res: ServerResponse, call: FastCall, err: ProtocolError) => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: call.id, error: { code: err.code, message: err.message, ...(err.data !== undefined ? { data: err.data } : {}) } });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const factory = (ctx: { authInfo?: { extra?: Record<string, unknown> } }) => {
    const request = ctx.authInfo?.extra?.request as RequestTools<S> | undefined;
    if (request === undefined) throw new Error('the MCP endpoint was called without its request state');
    const { tools, state } = request;
    const extras = tools.extras;
    const server = new Server(opts.serverInfo, {
      capabilities: { tools: { listChanged: false }, ...(extras ? { prompts: { listChanged: false }, resources: { listChanged: false } } : {}) },
      ...(opts.instructions ? { instructions: opts.instructions } : {}),
    });
    server.setRequestHandler('tools/list', () => ({ tools: [...tools.tools] }));
    server.setRequestHandler('tools/call', async (request) => {
      const name = request.params.name;
      // An unknown tool is a protocol error (-32602), as the specification says.
      if (!tools.has(name)) throw new ProtocolError(-32602, `Unknown tool: ${name.slice(0, 100)}`);
      return tools.call(state, name, (request.params.arguments ?? {}) as Record<string, unknown>);
    });
    if (extras) {
      server.setRequestHandler('prompts/list', async (request) => {
        const { items, nextCursor } = await extras.listPrompts(request.params?.cursor);
        return { prompts: items, ...(nextCursor ? { nextCursor } : {}) };
      });
      server.setRequestHandler('prompts/get', (request) => extras.getPrompt(request.params.name, request.params.arguments));
      server.setRequestHandler('resources/list', async (request) => {
        const { items, nextCursor } = await extras.listResources(request.params?.cursor);
        return { resources: items, ...(nextCursor ? { nextCursor } : {}) };
      });
      server.setRequestHandler('resources/read', (request) => extras.readResource(request.params.uri));
    }
    return server;
  };
  const mcp = withoutJsonModeWarning(() =>
    createMcpHandler(factory, {
      responseMode: 'json',
      maxRequestBodySize: opts.maxBodyBytes,
      onerror: (err) => report(opts.log, `${opts.serverInfo.name} MCP error`, err),
    }),
  );
  const node: NodeMcpRequestHandler = toNodeHandler(mcp, {
    maxRequestBodySize: opts.maxBodyBytes,
    onerror: (err) => report(opts.log, `${opts.serverInfo.name} MCP adapter error`, err),
  });
  return {
    async serve(req, res, parsed, tools, state, clientId) {
      const fast = fastCall(req, parsed, (name) => tools.has(name));
      if (fast) {
        if (fast.method === 'tools/list') return writeResult(res, fast, tools.listJson);
        let result: CallToolResult;
        try {
          result = await tools.call(state, fast.name, fast.args);
        } catch (err) {
          if (err instanceof ProtocolError) return writeError(res, fast, err);
          throw err;
        }
        return writeResult(res, fast, JSON.stringify(result));
      }
      if (refuseUndeclaredTasks(res, parsed)) return;
      const request: RequestTools<S> = { tools, state };
      (req as IncomingMessage & { auth?: unknown }).auth = { token: '', clientId, scopes: [], extra: { request } };
      await node(req, res, parsed);
    },
    close: () => mcp.close(),
  };
}
