// The upstream MCP server of `bench/federation.mjs`: the official SDK's McpServer over stateless
// Streamable HTTP on 127.0.0.1. `/small` offers one `echo` tool; `/big` offers `echo` and 500 more
// (for the curated tools/list). Usage: node bench/federation-upstream.mjs PORT
import { createServer } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

const port = Number(process.argv[2]);

function serverWith(extra) {
  return () => {
    const server = new McpServer({ name: 'bench-upstream', version: '1' });
    server.registerTool('echo', { description: 'Echoes its text', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
      content: [{ type: 'text', text }],
    }));
    for (let i = 0; i < extra; i++) {
      server.registerTool(
        `tool_${i}`,
        { description: `Tool number ${i}: does thing ${i} to a record`, inputSchema: z.object({ id: z.string(), limit: z.number().optional() }) },
        async ({ id }) => ({
          content: [{ type: 'text', text: id }],
        }),
      );
    }
    return server;
  };
}

const small = toNodeHandler(createMcpHandler(serverWith(0), { responseMode: 'json' }));
const big = toNodeHandler(createMcpHandler(serverWith(500), { responseMode: 'json' }));
createServer((req, res) => void (req.url?.startsWith('/big') ? big : small)(req, res)).listen(port, '127.0.0.1', () => console.log('listening'));
