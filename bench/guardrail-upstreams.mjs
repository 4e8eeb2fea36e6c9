// The upstreams of `--guardrails`, one process: plain HTTP on `/http/…` and an MCP server (the
// official SDK, stateless Streamable HTTP) on `/mcp`. HTTP: `POST /http/echo` answers the request
// body as it arrived (application/json), `POST /http/text` answers its JSON `text` field as
// text/plain, `POST /http/sse` streams it as a model API streams a completion (server-sent events,
// three characters an event, OpenAI's chunk shape), `POST /http/ndjson` as Ollama streams one
// (newline-delimited JSON, three characters a line, each with its own time), `POST /http/chat` answers it as
// OpenAI's API answers a chat completion (its ids, model name, role and finish reason beside it). MCP: per group named in argv, `<group>_args` and `<group>_result` echo their `text`
// argument as text content, `<group>_structured` as structured content (and its JSON as text).
// Usage: node bench/guardrail-upstreams.mjs PORT GROUP…
import { createServer } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

const [port, ...groups] = process.argv.slice(2);

function mcpServer() {
  const server = new McpServer({ name: 'guardrail-bench-upstream', version: '1' });
  const input = z.object({ text: z.string() });
  const echo = async ({ text }) => ({ content: [{ type: 'text', text }] });
  for (const g of groups) {
    server.registerTool(`${g}_args`, { description: 'Echoes its text', inputSchema: input }, echo);
    server.registerTool(`${g}_result`, { description: 'Echoes its text', inputSchema: input }, echo);
    server.registerTool(
      `${g}_structured`,
      { description: 'Echoes its text as structured content', inputSchema: input, outputSchema: z.object({ text: z.string() }) },
      async ({ text }) => ({ content: [{ type: 'text', text: JSON.stringify({ text }) }], structuredContent: { text } }),
    );
  }
  return server;
}

const mcp = toNodeHandler(createMcpHandler(mcpServer, { responseMode: 'json' }));

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

createServer(async (req, res) => {
  if (req.url?.startsWith('/mcp')) return void mcp(req, res);
  const body = await readBody(req);
  if (req.url?.endsWith('/sse')) {
    let text = '';
    try {
      text = JSON.parse(body.toString('utf8')).text ?? '';
    } catch {}
    const chunk = (delta, finish = null) =>
      `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', model: 'bench-1', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const events = [chunk({ role: 'assistant', content: '' })];
    const chars = Array.from(text);
    for (let i = 0; i < chars.length; i += 3) events.push(chunk({ content: chars.slice(i, i + 3).join('') }));
    events.push(chunk({}, 'stop'), 'data: [DONE]\n\n');
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const e of events) res.write(e);
    return void res.end();
  }
  if (req.url?.endsWith('/chat')) {
    let text = '';
    try {
      text = JSON.parse(body.toString('utf8')).text ?? '';
    } catch {}
    const out = Buffer.from(
      JSON.stringify({
        id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
        object: 'chat.completion',
        created: 1741569952,
        model: 'gpt-4.1-2025-04-14',
        choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 },
        service_tier: 'default',
        system_fingerprint: 'fp_3b0f9e9a62',
      }),
    );
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': out.length });
    return void res.end(out);
  }
  if (req.url?.endsWith('/ndjson')) {
    let text = '';
    try {
      text = JSON.parse(body.toString('utf8')).text ?? '';
    } catch {}
    const line = (content, done) =>
      `${JSON.stringify({ model: 'llama3.2', created_at: new Date().toISOString(), message: { role: 'assistant', content }, done })}\n`;
    const chars = Array.from(text);
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for (let i = 0; i < chars.length; i += 3) res.write(line(chars.slice(i, i + 3).join(''), false));
    return void res.end(line('', true));
  }
  if (req.url?.endsWith('/text')) {
    let text = '';
    try {
      text = JSON.parse(body.toString('utf8')).text ?? '';
    } catch {}
    const out = Buffer.from(text, 'utf8');
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': out.length });
    return void res.end(out);
  }
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}).listen(Number(port), '127.0.0.1', () => console.log('listening'));
