import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { canonicalAnswers } from './canonical-answers.js';
import { leanCallTool } from './lean-call.js';
import { AnswerFormatError, EventStreamDecoder, type JsonRpcMessage, jsonAnswer } from './mcp-answer.js';

/**
 * One table of raw answers to a tools/call, each read by the decoder alone, and by both call paths
 * against a real HTTP server sending it byte for byte: the lean call and the SDK client (through
 * canonicalAnswers) must give the same result, or fail with the same message.
 */

const result = (id: unknown, text = 'héllo ✓') => ({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text }] } });
const progress = { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1, total: 2 } };
const log = { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'working' } };
const j = (v: unknown) => JSON.stringify(v);

interface Row {
  name: string;
  type: 'json' | 'sse';
  body: (id: unknown) => string;
  /** Written in pieces of this many bytes (splitting CRLFs and UTF-8 sequences). */
  chunk?: number;
  /** The message both paths fail with, for an answer that cannot be read. */
  fails?: string;
  /** What a GET resuming the stream (with `Last-Event-ID`) is answered with. */
  resumed?: (id: unknown, lastEventId: string) => string;
}

const ROWS: Row[] = [
  { name: 'a JSON response', type: 'json', body: (id) => j(result(id)) },
  { name: 'a JSON batch: a notification, then the response', type: 'json', body: (id) => j([log, result(id)]) },
  { name: 'one message event', type: 'sse', body: (id) => `event: message\ndata: ${j(result(id))}\n\n` },
  {
    name: 'a priming event (an id and empty data) first, as server-everything sends',
    type: 'sse',
    body: (id) => `id: p-1\ndata: \n\nevent: message\nid: e-2\ndata: ${j(result(id))}\n\n`,
  },
  { name: 'a priming event with bare `data:` and `retry:`', type: 'sse', body: (id) => `id: 0\nretry: 1500\ndata:\n\ndata: ${j(result(id))}\n\n` },
  { name: 'comments (keep-alives) between events', type: 'sse', body: (id) => `: open\n\n:ping\n\ndata: ${j(result(id))}\n: trailing\n\n` },
  { name: 'multi-line data (pretty-printed JSON)', type: 'sse', body: (id) => `data: ${JSON.stringify(result(id), null, 2).split('\n').join('\ndata: ')}\n\n` },
  { name: 'notifications interleaved before the response', type: 'sse', body: (id) => `data: ${j(progress)}\n\ndata: ${j(log)}\n\ndata: ${j(result(id))}\n\n` },
  {
    name: 'a server request (ping) before the response',
    type: 'sse',
    body: (id) => `data: ${j({ jsonrpc: '2.0', id: 'srv-1', method: 'ping' })}\n\ndata: ${j(result(id))}\n\n`,
  },
  { name: 'CRLF line ends', type: 'sse', body: (id) => `id: a\r\ndata: \r\n\r\nevent: message\r\ndata: ${j(result(id))}\r\n\r\n` },
  { name: 'CR line ends', type: 'sse', body: (id) => `: hi\r\rdata: ${j(result(id))}\r\r` },
  { name: 'no space after the colon', type: 'sse', body: (id) => `event:message\ndata:${j(result(id))}\n\n` },
  { name: 'a leading byte-order mark', type: 'sse', body: (id) => `\ufeffdata: ${j(result(id))}\n\n` },
  { name: 'an event of another type is not a message', type: 'sse', body: (id) => `event: heartbeat\ndata: {"x":1}\n\ndata: ${j(result(id))}\n\n` },
  { name: 'a batch in one event', type: 'sse', body: (id) => `data: ${j([progress, result(id)])}\n\n` },
  { name: 'the stream ends without the last blank line', type: 'sse', body: (id) => `data: ${j(result(id))}` },
  {
    name: 'written a byte at a time (CRLFs and UTF-8 split)',
    type: 'sse',
    chunk: 1,
    body: (id) => `id: p\r\ndata: \r\n\r\ndata: ${j(result(id, 'ünïcødé 🎉'))}\r\n\r\n`,
  },
  {
    name: 'the stream closed after a priming event and `retry:` (SSE polling): the response on the resumed stream',
    type: 'sse',
    body: () => 'id: poll-1\nretry: 20\ndata: \n\n',
    resumed: (id, lastEventId) => (lastEventId === 'poll-1' ? `id: poll-2\ndata: ${j(result(id, 'after resuming'))}\n\n` : ''),
  },
  { name: 'an event that is not JSON', type: 'sse', body: () => 'data: {not json\n\n', fails: 'the upstream sent an event that is not JSON: "{not json"' },
  {
    name: 'an event that is not JSON-RPC',
    type: 'sse',
    body: () => 'data: {"hello":1}\n\n',
    fails: 'the upstream sent an event that is not a JSON-RPC message',
  },
  {
    name: 'a JSON body that is not JSON',
    type: 'json',
    body: () => '<html>oops</html>',
    fails: 'the upstream sent an answer that is not JSON: "<html>oops</html>"',
  },
];

describe('EventStreamDecoder', () => {
  const decode = (text: string, pieces = text.length) => {
    const messages: JsonRpcMessage[] = [];
    const primed: string[] = [];
    const retries: number[] = [];
    const decoder = new EventStreamDecoder({ message: (m) => messages.push(m), primed: (id) => primed.push(id), retry: (ms) => retries.push(ms) });
    for (let i = 0; i < text.length; i += pieces) decoder.push(text.slice(i, i + pieces));
    decoder.finish();
    return { messages, primed, retries, lastEventId: decoder.lastEventId };
  };

  it.each(ROWS.filter((r) => r.type === 'sse' && !r.fails && !r.resumed))('$name', (row) => {
    for (const pieces of [row.body('x').length, 3, 1]) {
      const out = decode(row.body('x'), pieces);
      expect(out.messages.filter((m) => m.id === 'x')).toHaveLength(1);
      expect(out.messages.at(-1)).toMatchObject({ id: 'x', result: { content: [{ type: 'text', text: expect.stringMatching(/./) }] } });
    }
  });

  it('reports priming ids, retry delays and the last event id', () => {
    const out = decode('id: p-1\ndata: \n\nretry: 2500\n\nid: e-2\ndata: {"jsonrpc":"2.0","method":"n"}\n\n');
    expect(out).toMatchObject({ primed: ['p-1'], retries: [2500], lastEventId: 'e-2', messages: [{ method: 'n' }] });
  });

  it('refuses an event larger than its bound', () => {
    const decoder = new EventStreamDecoder({ message: () => undefined }, 100);
    expect(() => decoder.push(`data: ${'x'.repeat(200)}\n`)).toThrow(AnswerFormatError);
    expect(() => new EventStreamDecoder({ message: () => undefined }, 100).push('x'.repeat(200))).toThrow(/longer than 100/);
    expect(() => jsonAnswer('[]')).toThrow(AnswerFormatError);
  });
});

describe('the lean call and the SDK client read every answer alike', () => {
  let server: Server;
  let url: string;
  let row: Row;
  let lastCallId: unknown;
  const serverRequestAnswers: unknown[] = [];

  const write = async (res: ServerResponse, text: string, chunk: number | undefined) => {
    const bytes = Buffer.from(text);
    if (!chunk) return void res.end(bytes);
    for (let i = 0; i < bytes.length; i += chunk) {
      res.write(bytes.subarray(i, i + chunk));
      await new Promise((r) => setImmediate(r));
    }
    res.end();
  };

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const parts: Buffer[] = [];
      for await (const c of req) parts.push(c as Buffer);
      const lastEventId = req.headers['last-event-id'];
      if (req.method === 'GET' && row.resumed && typeof lastEventId === 'string') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        return void res.end(row.resumed(lastCallId, lastEventId));
      }
      if (req.method !== 'POST') return void res.writeHead(405).end();
      const body = JSON.parse(Buffer.concat(parts).toString()) as JsonRpcMessage;
      if (body.method === 'initialize') {
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'sess-1' });
        return void res.end(
          j({ jsonrpc: '2.0', id: body.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'raw', version: '1' } } }),
        );
      }
      if (body.method === undefined) {
        serverRequestAnswers.push(body);
        return void res.writeHead(202).end();
      }
      if (body.method !== 'tools/call') return void res.writeHead(202).end();
      lastCallId = body.id;
      res.writeHead(200, { 'content-type': row.type === 'json' ? 'application/json' : 'text/event-stream' });
      await write(res, row.body(body.id), row.chunk);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  });

  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const lean = () =>
    leanCallTool(
      { url, allowPrivateNetwork: true, protocolVersion: '2025-11-25', sessionId: 'sess-1', headers: {}, sent: () => undefined, toolsChanged: () => undefined },
      't',
      {},
      null,
      AbortSignal.timeout(5_000),
    );

  let client: Client;
  const sdk = async () => {
    client = new Client({ name: 'table', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: canonicalAnswers(fetch) }));
    return client.callTool({ name: 't', arguments: {} }, { timeout: 5_000 });
  };

  const outcome = (p: Promise<unknown>) =>
    p.then(
      (value) => ({ value }),
      (err: Error) => ({ error: err.message }),
    );

  it.each(ROWS)('$name', async (r) => {
    row = r;
    serverRequestAnswers.length = 0;
    const viaLean = await outcome(lean());
    const viaSdk = await outcome(sdk());
    onTestFinished(() => client.close());
    if (r.fails) {
      expect(viaLean).toEqual({ error: expect.stringContaining(r.fails) });
      expect(viaSdk).toEqual({ error: expect.stringContaining(r.fails) });
      expect((viaSdk as { error: string }).error).toBe((viaLean as { error: string }).error);
      return;
    }
    expect(viaLean).toEqual({ value: { content: [{ type: 'text', text: expect.any(String) }] } });
    expect(viaSdk).toEqual(viaLean);
    // The upstream's own request was answered (by both paths), not left waiting.
    if (r.name.includes('server request'))
      await expect
        .poll(() => serverRequestAnswers)
        .toEqual([
          { jsonrpc: '2.0', id: 'srv-1', result: {} },
          { jsonrpc: '2.0', id: 'srv-1', result: {} },
        ]);
  });
});

describe('EventStreamDecoder cost', () => {
  // Linear, this takes milliseconds (npm run bench -- --timing-bounds prints it); a decoder that
  // re-copied its buffer per chunk would copy ~8 GB and run past the test's timeout.
  it('reads a 4 MB event arriving in 1 KB chunks', () => {
    const big = JSON.stringify(result('big', 'x'.repeat(4 * 1024 * 1024)));
    const stream = `id: p\ndata: \n\ndata: ${big}\n\n`;
    const messages: JsonRpcMessage[] = [];
    const decoder = new EventStreamDecoder({ message: (m) => messages.push(m) });
    for (let i = 0; i < stream.length; i += 1024) decoder.push(stream.slice(i, i + 1024));
    decoder.finish();
    expect(messages).toHaveLength(1);
    expect(JSON.stringify(messages[0])).toBe(big);
  });
});
