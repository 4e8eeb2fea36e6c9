import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { refuseUndeclaredTasks } from './tasks-gate.js';

function response() {
  const out: { status?: number; body?: string } = {};
  const res = {
    writeHead(status: number) {
      out.status = status;
      return res;
    },
    end(body: string) {
      out.body = body;
    },
  };
  return { res: res as unknown as ServerResponse, out };
}

const envelope = (capabilities: Record<string, unknown>) => ({
  _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': capabilities },
});

describe('tasks/* without the tasks extension', () => {
  it('is refused as a missing capability (-32021, HTTP 400) naming the extension to declare', () => {
    const { res, out } = response();
    expect(refuseUndeclaredTasks(res, { jsonrpc: '2.0', id: 7, method: 'tasks/get', params: { taskId: 'x', ...envelope({}) } })).toBe(true);
    expect(out.status).toBe(400);
    expect(JSON.parse(out.body!)).toMatchObject({
      id: 7,
      error: { code: -32021, data: { requiredCapabilities: { extensions: { 'io.modelcontextprotocol/tasks': {} } } } },
    });
  });

  it('is left to the SDK when the client declared the extension, for 2025 requests, notifications and other methods', () => {
    const { res, out } = response();
    const declared = envelope({ extensions: { 'io.modelcontextprotocol/tasks': {} } });
    expect(refuseUndeclaredTasks(res, { jsonrpc: '2.0', id: 1, method: 'tasks/cancel', params: { taskId: 'x', ...declared } })).toBe(false);
    expect(refuseUndeclaredTasks(res, { jsonrpc: '2.0', id: 2, method: 'tasks/get', params: { taskId: 'x' } })).toBe(false);
    expect(refuseUndeclaredTasks(res, { jsonrpc: '2.0', method: 'tasks/get', params: envelope({}) })).toBe(false);
    expect(refuseUndeclaredTasks(res, { jsonrpc: '2.0', id: 3, method: 'tools/list', params: envelope({}) })).toBe(false);
    expect(out.status).toBeUndefined();
  });
});
