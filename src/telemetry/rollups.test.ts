import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../core/index.js';
import { ALL_CLIENTS, RollupAccumulator } from './rollups.js';

const base: RequestRecord = {
  id: 'r',
  requestId: null,
  time: '2026-03-10T10:15:30.000Z',
  channel: 'rest',
  collectionId: 'col_a',
  proxyId: null,
  endpointId: 'ep_a',
  clientId: 'cli_a',
  profileId: null,
  method: 'GET',
  path: '/a',
  status: 200,
  latencyMs: 3,
  upstreamLatencyMs: null,
  bytesIn: 10,
  bytesOut: 20,
  ip: null,
  userAgent: null,
  errorCode: null,
  mcpClient: null,
  mcpTool: null,
  requestBody: null,
  responseBody: null,
  workflow: null,
  subject: null,
  actor: null,
  mcpMethod: null,
};

describe('rollup accumulator', () => {
  it('keeps back-to-back calls apart when any key part differs, and starts fresh after takeCells', () => {
    const acc = new RollupAccumulator();
    const add = (over: Partial<RequestRecord>) => acc.add({ ...base, ...over }, over.time ?? base.time);
    add({});
    add({});
    add({ status: 404 });
    add({ time: '2026-03-10T10:16:00.000Z' });
    add({ clientId: null });
    add({ endpointId: 'ep_b' });
    add({ method: 'POST' });
    add({});
    const cells = acc.takeCells();
    const count = (pred: (c: (typeof cells)[number]) => boolean) => cells.filter(pred).reduce((n, c) => n + c.count, 0);
    expect(cells).toHaveLength(6);
    expect(count((c) => c.minute === '2026-03-10T10:15' && c.status === 200 && c.clientId === 'cli_a' && c.endpointId === 'ep_a' && c.method === 'GET')).toBe(
      3,
    );
    expect(count((c) => c.minute === '2026-03-10T10:16')).toBe(1);
    expect(count((c) => c.clientId === '')).toBe(1);
    add({});
    const next = acc.takeCells();
    expect(next).toHaveLength(1);
    expect(next[0]!.count).toBe(1);
    expect(count(() => true)).toBe(8);
  });

  it('expands minute cells into minute, hour and day rows, per client and for all clients', () => {
    const acc = new RollupAccumulator();
    const add = (over: Partial<RequestRecord>) => {
      const r = { ...base, ...over };
      acc.add(r, r.time);
    };
    add({});
    add({ latencyMs: 700 });
    add({ time: '2026-03-10T10:16:00.000Z', clientId: 'cli_b', status: 503 });
    add({ clientId: null, endpointId: null, collectionId: null, status: 404 });
    expect(acc.size).toBe(3);
    const { rollups: rows, totals } = acc.take();
    expect(acc.size).toBe(0);
    const find = (resolution: string, clientId: string, status = 200) =>
      rows.filter((r) => r.resolution === resolution && r.client_id === clientId && r.status === status);

    expect(find('minute', 'cli_a')).toMatchObject([{ bucket: '2026-03-10T10:15', count: 2, errors: 0, bytes_in: 20, h2: 1, h9: 1 }]);
    expect(find('hour', ALL_CLIENTS, 503)).toMatchObject([{ bucket: '2026-03-10T10', count: 1, errors: 1 }]);
    expect(find('day', '', 404)).toMatchObject([{ bucket: '2026-03-10', collection_id: '', endpoint_id: '', count: 1, errors: 1 }]);
    const total = (resolution: string, clientId?: string) =>
      rows.filter((r) => r.resolution === resolution && (clientId ? r.client_id === clientId : r.client_id !== ALL_CLIENTS)).reduce((a, r) => a + r.count, 0);
    for (const res of ['minute', 'hour', 'day']) {
      expect(total(res)).toBe(4);
      expect(total(res, ALL_CLIENTS)).toBe(4);
    }
    const byCollection = totals.filter((r) => r.resolution === 'hour' && r.client_id === ALL_CLIENTS);
    expect(byCollection).toMatchObject([
      { bucket: '2026-03-10T10', collection_id: 'col_a', count: 3, errors: 1, client_errors: 0, server_errors: 1, h2: 2, h9: 1 },
      { bucket: '2026-03-10T10', collection_id: '', count: 1, errors: 1, client_errors: 1, server_errors: 0 },
    ]);
    expect(totals.filter((r) => r.resolution === 'day').length).toBe(5);
  });
});
