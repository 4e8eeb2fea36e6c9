import { describe, expect, it } from 'vitest';
import { callHeaders, withCallHeaders } from './call-headers.js';

/** What the wrapped fetch sent, per request. */
function recorder() {
  const sent: Headers[] = [];
  const send = withCallHeaders(async (_url, init) => {
    sent.push(new Headers(init?.headers));
    return new Response('{}');
  });
  return { sent, send };
}

const body = (method: string) => JSON.stringify({ method, params: { name: 'x', arguments: { method: 'tools/call' } }, jsonrpc: '2.0', id: 1 });

describe('withCallHeaders', () => {
  it("adds a call's headers to its own request, beneath those the request sets", async () => {
    const { sent, send } = recorder();
    await callHeaders.run({ 'x-tenant': 'acme', 'x-team': 'workflow' }, () =>
      send('http://up/mcp', { method: 'POST', body: body('tools/call'), headers: { 'X-Team': 'configured' } }),
    );
    expect(sent[0]?.get('x-tenant')).toBe('acme');
    expect(sent[0]?.get('x-team')).toBe('configured');
    for (const method of ['prompts/get', 'resources/read']) {
      await callHeaders.run({ 'x-tenant': 'acme' }, () => send('http://up/mcp', { method: 'POST', body: body(method) }));
      expect(sent.at(-1)?.get('x-tenant')).toBe('acme');
    }
  });

  it("never adds them to a session's initialize, its event stream or other requests made inside the call", async () => {
    const { sent, send } = recorder();
    await callHeaders.run({ 'x-tenant': 'acme' }, async () => {
      await send('http://up/mcp', { method: 'POST', body: body('initialize') });
      await send('http://up/mcp', { method: 'POST', body: JSON.stringify({ method: 'notifications/initialized', jsonrpc: '2.0' }) });
      await send('http://up/mcp', { method: 'GET' });
      // A nested `method` (in the arguments) is not the request's.
      await send('http://up/mcp', { method: 'POST', body: JSON.stringify({ params: { method: 'tools/call' }, method: 'tools/list', jsonrpc: '2.0', id: 2 }) });
    });
    expect(sent.map((h) => h.get('x-tenant'))).toEqual([null, null, null, null]);
    // Outside a call: nothing.
    await send('http://up/mcp', { method: 'POST', body: body('tools/call') });
    expect(sent.at(-1)?.get('x-tenant')).toBeNull();
  });
});
