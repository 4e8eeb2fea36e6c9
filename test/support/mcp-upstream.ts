import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer } from '@modelcontextprotocol/server';

/** An upstream MCP server for federation tests, with what it saw. */
export interface TestUpstream {
  url: string;
  /** JSON-RPC methods received, in order. */
  methods: string[];
  /** The Authorization header of every request. */
  authorizations: (string | undefined)[];
  /** Forgets every session, as a restarted upstream does: the next request on one gets 404. */
  forgetSessions(): void;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/**
 * A 2025-era stateful upstream MCP server (SDK v2 McpServer, Streamable HTTP, `Mcp-Session-Id`)
 * on 127.0.0.1. `register` runs for each new session, so a test can change the tools it offers.
 * `authorize`, when given, refuses requests whose Authorization header it does not accept (401).
 * `instructions`, when given, are what each new session's `initialize` answers with. `streamed`:
 * a request's answer is an event stream (where a tool's log messages and progress go while it runs,
 * the session declaring `logging`) rather than a JSON body.
 */
export async function startStatefulUpstream(
  name: string,
  register: (server: McpServer) => void,
  {
    authorize,
    instructions,
    streamed = false,
  }: { authorize?: (authorization: string | undefined) => boolean; instructions?: () => string; streamed?: boolean } = {},
): Promise<TestUpstream> {
  const sessions = new Map<string, NodeStreamableHTTPServerTransport>();
  const methods: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const http: HttpServer = createServer((req, res) => {
    void (async () => {
      authorizations.push(req.headers.authorization);
      if (authorize && !authorize(req.headers.authorization)) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
        return;
      }
      const body = req.method === 'POST' ? await readJson(req) : undefined;
      for (const m of Array.isArray(body) ? body : [body]) if (m && typeof m === 'object' && 'method' in m) methods.push(String(m.method));
      const sessionId = req.headers['mcp-session-id'] as string | undefined;
      let transport = sessionId ? sessions.get(sessionId) : undefined;
      if (!transport) {
        if (sessionId || req.method !== 'POST' || (body as { method?: string })?.method !== 'initialize') {
          res.writeHead(sessionId ? 404 : 400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } }));
          return;
        }
        const created = new NodeStreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          enableJsonResponse: !streamed,
          onsessioninitialized: (id) => void sessions.set(id, created),
        });
        const server = new McpServer(
          { name, version: '1' },
          { capabilities: { tools: { listChanged: true }, ...(streamed ? { logging: {} } : {}) }, ...(instructions ? { instructions: instructions() } : {}) },
        );
        register(server);
        await server.connect(created);
        transport = created;
      }
      await transport.handleRequest(req, res, body);
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    methods,
    authorizations,
    forgetSessions: () => sessions.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
