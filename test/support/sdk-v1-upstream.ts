import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { InteropUpstream } from './interop.js';

/** The server itself: a few tools of each answer kind, a prompt and a resource; `count` is per session. */
function build(): McpServer {
  const server = new McpServer({ name: 'interop-sdk-v1', version: '1' }, { capabilities: { logging: {} } });
  let count = 0;
  server.registerTool(
    'add',
    { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() }, outputSchema: { sum: z.number() } },
    async ({ a, b }) => ({
      content: [{ type: 'text', text: String(a + b) }],
      structuredContent: { sum: a + b },
    }),
  );
  server.registerTool('count', { description: 'Counts calls in this session', inputSchema: {} }, async () => ({
    content: [{ type: 'text', text: String(++count) }],
  }));
  server.registerTool(
    'notify-then-answer',
    { description: 'Logs and reports progress before answering', inputSchema: { text: z.string() } },
    async ({ text }, extra) => {
      await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data: `working on ${text}` } });
      return { content: [{ type: 'text', text: `done: ${text}` }] };
    },
  );
  server.registerTool('image', { description: 'A tiny image', inputSchema: {} }, async () => ({
    content: [
      { type: 'image', data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', mimeType: 'image/png' },
    ],
  }));
  server.registerTool('fail', { description: 'Always a tool error', inputSchema: { reason: z.string() } }, async ({ reason }) => ({
    content: [{ type: 'text', text: `failed: ${reason}` }],
    isError: true,
  }));
  server.registerPrompt('greet', { description: 'A greeting', argsSchema: { name: z.string() } }, ({ name }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Say hello to ${name}.` } }],
  }));
  server.registerResource('readme', 'memo://readme', { mimeType: 'text/plain' }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Read me.' }],
  }));
  return server;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/**
 * An SDK v1 (`@modelcontextprotocol/sdk`) stateful server over Streamable HTTP, written as the SDK's
 * own example is: a transport per `Mcp-Session-Id`, event-stream answers, and `400 No valid session
 * ID provided` for an id it does not know. `restart` closes it and serves again on the same port
 * with no sessions, as a restarted process would.
 */
export async function startSdkV1Upstream(make: () => McpServer = build): Promise<InteropUpstream> {
  let sessions = new Map<string, StreamableHTTPServerTransport>();
  const handler = (req: IncomingMessage, res: import('node:http').ServerResponse) => {
    void (async () => {
      const body = req.method === 'POST' ? await readJson(req) : undefined;
      const sessionId = req.headers['mcp-session-id'] as string | undefined;
      let transport = sessionId ? sessions.get(sessionId) : undefined;
      if (!transport) {
        if (sessionId || req.method !== 'POST' || !isInitializeRequest(body)) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: No valid session ID provided' }, id: null }));
          return;
        }
        const mine = sessions;
        const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => void mine.set(id, created),
        });
        created.onclose = () => {
          if (created.sessionId) mine.delete(created.sessionId);
        };
        await make().connect(created);
        transport = created;
      }
      await transport.handleRequest(req, res, body);
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  };
  let http: Server = createServer(handler);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const stop = () =>
    new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    });
  return {
    name: 'sdk-v1',
    url: `http://127.0.0.1:${port}/mcp`,
    restart: async () => {
      await stop();
      sessions = new Map();
      http = createServer(handler);
      await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
    },
    close: stop,
  };
}
