import { once } from 'node:events';
import { createServer, get, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type FastCall, resultWriter } from './fast-call.js';
import { JsonText, type TwinResult } from './json-text.js';

const writer = resultWriter({ name: 'test', version: '1' });
// A contract-sized value (~600 KB as JSON): several of the writer's buffers, quotes, backslashes and non-ASCII text.
const value = {
  id: 'ep_1',
  schema: {
    type: 'object',
    properties: Object.fromEntries(
      Array.from({ length: 3_000 }, (_, i) => [`field${i}`, { type: 'string', description: `Field ${i}: "quoted", a \\ path, été 😀`, pattern: '^\\d+$' }]),
    ),
  },
};

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  close = async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  };
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('resultWriter.twin', () => {
  it('writes a structured result and its text twin as the same body JSON.stringify gives, with its length, in both eras', async () => {
    for (const era of ['legacy', 'modern'] as const) {
      for (const isError of [false, true]) {
        const call: FastCall = { era, id: 7, method: 'tools/call', name: 'inspect', args: {} };
        const extra = isError ? { isError: true } : {};
        const twin = { content: [new JsonText(value)], structuredContent: value, ...extra } as TwinResult;
        const plain = { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value, ...extra };
        const url = await listen((req, res) => {
          if (req.url === '/twin') void writer.twin(res, call, twin);
          else writer(res, call, JSON.stringify(plain));
        });
        const [a, b] = await Promise.all([fetch(`${url}/twin`), fetch(`${url}/plain`)]);
        const [twinBody, plainBody] = await Promise.all([a.text(), b.text()]);
        expect(twinBody).toBe(plainBody);
        expect(a.headers.get('content-length')).toBe(String(Buffer.byteLength(plainBody)));
        expect(JSON.parse(twinBody).result.content[0].text).toBe(JSON.stringify(value));
        await close?.();
        close = undefined;
      }
    }
  });

  it('stops writing once the caller has gone', async () => {
    const call: FastCall = { era: 'legacy', id: 1, method: 'tools/call', name: 'inspect', args: {} };
    const big = { parts: Array.from({ length: 40 }, () => value) };
    let written: Promise<void> | undefined;
    const url = await listen((_req, res) => {
      written = writer.twin(res, call, { content: [new JsonText(big)], structuredContent: big } as TwinResult);
    });
    await new Promise<void>((resolve) => {
      const req = get(`${url}/`, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
    });
    // Resolves rather than waiting for a drain that never comes.
    await expect(written).resolves.toBeUndefined();
  });
});

describe('resultWriter on 2026-07-28', () => {
  const SERVER_INFO = 'io.modelcontextprotocol/serverInfo';
  /** The body a writer gives for this result, parsed. */
  async function written(call: FastCall, result: Record<string, unknown>, twin = false): Promise<{ result: Record<string, unknown> }> {
    const url = await listen((_req, res) => {
      if (twin) void writer.twin(res, call, { ...result, content: [new JsonText(result.structuredContent)] } as TwinResult);
      else writer(res, call, JSON.stringify(result));
    });
    const text = await (await fetch(url)).text();
    await close?.();
    close = undefined;
    return JSON.parse(text);
  }

  it('stamps the server info into a result’s own _meta instead of replacing it (a tool’s _meta.ui, a list’s unavailable upstreams)', async () => {
    const call: FastCall = { era: 'modern', id: 3, method: 'tools/call', name: 'view', args: {} };
    const own = { ui: { resourceUri: 'ui://weather/view.html' } };
    const plain = await written(call, { content: [{ type: 'text', text: 'ok' }], _meta: own });
    expect(plain.result._meta).toEqual({ [SERVER_INFO]: { name: 'test', version: '1' }, ...own });
    expect(plain.result.resultType).toBe('complete');
    const twin = await written(call, { content: [], structuredContent: { a: 1 }, _meta: own }, true);
    expect(twin.result._meta).toEqual(plain.result._meta);

    const list: FastCall = { era: 'modern', id: 4, method: 'tools/list', name: '', args: {} };
    const listed = await written(list, { tools: [{ name: 't', _meta: own }], _meta: { 'io.gatehouse/unavailable': [{ upstream: 'b' }] } });
    expect(listed.result._meta).toEqual({ [SERVER_INFO]: { name: 'test', version: '1' }, 'io.gatehouse/unavailable': [{ upstream: 'b' }] });
    expect(listed.result.tools).toEqual([{ name: 't', _meta: own }]);
    expect(listed.result.cacheScope).toBe('private');
    // Nothing of its own: the server info alone, the body as before.
    const bare = await written(list, { tools: [] });
    expect(bare.result._meta).toEqual({ [SERVER_INFO]: { name: 'test', version: '1' } });
  });
});

describe('resultWriter.result', () => {
  it('writes a result object as its JSON text is written, its own _meta beside the server info, in both eras', async () => {
    const results = [
      { content: [{ type: 'text', text: '{"id":7}' }], structuredContent: { id: 7 }, _meta: { 'io.gatehouse/rest': { status: 200, requestId: 'r1' } } },
      { content: [{ type: 'text', text: 'no meta' }] },
      { _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'own', version: '2' } }, content: [] },
    ];
    for (const era of ['legacy', 'modern'] as const) {
      for (const result of results) {
        const call: FastCall = { era, id: 'x', method: 'tools/call', name: 'get_item', args: {} };
        const url = await listen((req, res) => {
          if (req.url === '/object') writer.result(res, call, result, false);
          else writer(res, call, JSON.stringify(result));
        });
        const [a, b] = await Promise.all([fetch(`${url}/object`), fetch(`${url}/text`)]);
        const [objectBody, textBody] = await Promise.all([a.text(), b.text()]);
        expect(JSON.parse(objectBody)).toEqual(JSON.parse(textBody));
        expect(a.headers.get('content-length')).toBe(String(Buffer.byteLength(objectBody)));
        await close?.();
        close = undefined;
      }
    }
  });
});
