import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../../core/index.js';
import type { GatewayResponse } from '../../gateway/index.js';
import { restResult } from './rest-result.js';

function answer(status: number, type: string | null, body: string | Buffer, extra: Partial<GatewayResponse> = {}): GatewayResponse {
  return {
    status,
    headers: type === null ? {} : { 'content-type': type },
    body: Buffer.isBuffer(body) ? body : Buffer.from(body),
    truncated: false,
    requestId: 'req_1',
    errorCode: null,
    ...extra,
  };
}

describe('restResult', () => {
  it('answers a JSON object as structuredContent with its text twin and the HTTP status in _meta', () => {
    const r = restResult(answer(201, 'application/json; charset=utf-8', '{"id":"1"}'), 1_000, true);
    expect(r).toEqual({
      content: [{ type: 'text', text: '{"id":"1"}' }],
      structuredContent: { id: '1' },
      _meta: { 'io.gatehouse/rest': { status: 201, requestId: 'req_1' } },
    });
  });

  it('answers a JSON array, plain text and an empty body as text, and an image as an image', () => {
    expect(restResult(answer(200, 'application/json', '[1,2]'), 1_000, false).structuredContent).toBeUndefined();
    expect(restResult(answer(200, 'text/plain', 'hello'), 1_000, false).content).toEqual([{ type: 'text', text: 'hello' }]);
    expect(restResult(answer(204, null, ''), 1_000, false).content).toEqual([{ type: 'text', text: 'The API answered 204 with no content.' }]);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    expect(restResult(answer(200, 'image/png', png), 1_000, false).content).toEqual([{ type: 'image', data: png.toString('base64'), mimeType: 'image/png' }]);
  });

  it('cuts a long answer, says so, and gives no structuredContent for it', () => {
    const r = restResult(answer(200, 'application/json', JSON.stringify({ a: 'x'.repeat(500) })), 100, true);
    expect(r.structuredContent).toBeUndefined();
    expect((r.content[0] as { text: string }).text).toContain('[truncated by Gatehouse');
    expect(r._meta?.['gatehouse/truncated']).toBe(true);
  });

  it('makes the API’s own error status a tool error with its body, structured only for a tool without an output schema', () => {
    const bound = restResult(answer(404, 'application/json', '{"message":"no such order"}'), 1_000, true);
    expect(bound.isError).toBe(true);
    expect(bound.structuredContent).toBeUndefined();
    expect(JSON.parse((bound.content[0] as { text: string }).text)).toEqual({
      error: { code: 'GATEHOUSE_MCP_UPSTREAM_ERROR', message: 'The API answered 404.', status: 404, requestId: 'req_1' },
      body: { message: 'no such order' },
    });
    expect(bound._meta?.['io.gatehouse/error']).toMatchObject({ code: 'GATEHOUSE_MCP_UPSTREAM_ERROR' });
    expect(restResult(answer(500, 'text/plain', 'boom'), 1_000, false).structuredContent).toMatchObject({ body: 'boom' });
  });

  it('throws the gateway’s refusal with its code, message and details, for the virtual server to answer', () => {
    const refused = answer(
      429,
      'application/json',
      JSON.stringify({ error: { code: 'GATEHOUSE_RATE_LIMITED', message: 'Slow down.', details: { retryAfter: 3 } } }),
      {
        errorCode: 'GATEHOUSE_RATE_LIMITED',
      },
    );
    let thrown: unknown;
    try {
      restResult(refused, 1_000, true);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(GatehouseError);
    expect(thrown).toMatchObject({ code: 'GATEHOUSE_RATE_LIMITED', message: 'Slow down.', details: { retryAfter: 3 } });
  });
});
