import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer } from '@modelcontextprotocol/server';

/** An upstream MCP server whose `tools/list` can be made slow, with tool descriptions a test can change. */
export interface SlowUpstream {
  url: string;
  /** How long `tools/list` waits before answering (0: at once). */
  listDelayMs: number;
  /** Each tool's description, by name: change one and the next `tools/list` shows it. */
  descriptions: Map<string, string>;
  /** How many `tools/list` calls it has answered or is answering. */
  listCalls: number;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/** A stateless SDK McpServer on 127.0.0.1 (Streamable HTTP, JSON answers) offering `tools`, each echoing its name. */
export async function startSlowUpstream(tools: readonly string[]): Promise<SlowUpstream> {
  const state: SlowUpstream = {
    url: '',
    listDelayMs: 0,
    descriptions: new Map(tools.map((t) => [t, `The ${t} tool`])),
    listCalls: 0,
    close: async () => {},
  };
  const http = createServer((req, res) => {
    void (async () => {
      const body = req.method === 'POST' ? await readJson(req) : undefined;
      if ((body as { method?: string } | undefined)?.method === 'tools/list') {
        state.listCalls++;
        // The delay sits in front of the SDK's own tools/list handler: the answer itself is the SDK's.
        if (state.listDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.listDelayMs));
      }
      const server = new McpServer({ name: 'slow', version: '1' });
      for (const [name, description] of state.descriptions) {
        server.registerTool(name, { description }, async () => ({ content: [{ type: 'text', text: name }] }));
      }
      const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      await server.connect(transport);
      res.on('close', () => void server.close());
      await transport.handleRequest(req, res, body);
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  state.close = () =>
    new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    });
  return state;
}
