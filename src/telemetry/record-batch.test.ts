import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../core/index.js';
import { rec } from '../../test/integration/telemetry-fixtures.js';
import { forEachRow, RecordBatch, RECORD_FIELDS, scanRows } from './record-batch.js';

function record(over: Partial<RequestRecord> = {}): RequestRecord {
  return rec({ id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', requestId: 'req-1', upstreamLatencyMs: 0.75, latencyMs: 1.25, bytesOut: 1024, ...over });
}

function decoded(batch: RecordBatch): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  forEachRow(batch.take(), (row) => out.push(Object.fromEntries(RECORD_FIELDS.map((c, i) => [c, row[i]]))));
  return out;
}

describe('RecordBatch', () => {
  it('round-trips every column, nulls, numbers and non-ASCII text', () => {
    const batch = new RecordBatch(10);
    batch.push(record(), '2026-11-21T10:00:00.000Z');
    batch.push(
      record({
        requestId: null,
        clientId: null,
        upstreamLatencyMs: null,
        errorCode: 'GATEHOUSE_UPSTREAM_TIMEOUT',
        status: 504,
        path: '/städte/日本/🚀',
        requestBody: '{"a":"ü"}',
      }),
      '2026-11-21T10:00:01.000Z',
    );
    const [a, b] = decoded(batch);
    expect(a).toMatchObject({
      id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      requestId: 'req-1',
      channel: 'rest',
      status: 200,
      latencyMs: 1.25,
      upstreamLatencyMs: 0.75,
      bytesOut: 1024,
      errorCode: null,
      responseBody: null,
    });
    expect(b).toMatchObject({
      requestId: null,
      clientId: null,
      upstreamLatencyMs: null,
      errorCode: 'GATEHOUSE_UPSTREAM_TIMEOUT',
      status: 504,
      path: '/städte/日本/🚀',
      requestBody: '{"a":"ü"}',
      time: '2026-11-21T10:00:01.000Z',
    });
  });

  it('grows past its first buffer for large captured bodies', () => {
    const batch = new RecordBatch(2);
    const body = 'x'.repeat(300_000);
    batch.push(record({ responseBody: body }), '2026-11-21T10:00:00.000Z');
    batch.push(record({ requestBody: body }), '2026-11-21T10:00:00.000Z');
    expect(batch.byteLength).toBeGreaterThan(600_000);
    const rows = decoded(batch);
    expect(rows.map((r) => [String(r.requestBody).length, String(r.responseBody).length])).toEqual([
      [4, 300_000],
      [300_000, 4],
    ]);
  });

  it('drops a row that fails half-way without corrupting the batch', () => {
    const batch = new RecordBatch(10);
    batch.push(record({ path: '/first' }), '2026-11-21T10:00:00.000Z');
    expect(() => batch.push(record({ path: 42 as unknown as string }), '2026-11-21T10:00:00.000Z')).toThrow();
    batch.push(record({ path: '/third' }), '2026-11-21T10:00:00.000Z');
    expect(batch.length).toBe(2);
    expect(decoded(batch).map((r) => r.path)).toEqual(['/first', '/third']);
  });

  it('starts empty on a fresh buffer after take, so the taken bytes can be transferred', () => {
    const batch = new RecordBatch(10);
    batch.push(record({ path: '/one' }), '2026-11-21T10:00:00.000Z');
    const first = batch.take();
    structuredClone(first, { transfer: [first.bytes.buffer as ArrayBuffer] });
    expect(first.bytes.byteLength).toBe(0);
    batch.push(record({ path: '/two' }), '2026-11-21T10:00:00.000Z');
    const [row] = decoded(batch);
    expect(row?.path).toBe('/two');
    expect(batch.take()).toEqual({ rows: 0, bytes: new Uint8Array(0), strings: [] });
  });

  it('writes repeated text once per batch in its string table, and starts a new table after take', () => {
    const batch = new RecordBatch(100);
    for (let i = 0; i < 50; i++) batch.push(record({ id: `id-${i}`, requestId: `req-${i}`, path: i % 2 ? '/a' : '/b' }), '2026-11-21T10:00:00.000Z');
    const { strings, bytes, rows } = batch.take();
    // One entry per distinct value; log ids are inline, request ids in the table (a search filters on them).
    expect(strings).toContain('/a');
    expect(strings.filter((x) => x === '/a')).toHaveLength(1);
    expect(strings.some((x) => x.startsWith('id-'))).toBe(false);
    expect(strings).toContain('req-7');
    const seen: unknown[][] = [];
    forEachRow({ rows, bytes, strings }, (row) => seen.push([row[0], row[1], row[RECORD_FIELDS.indexOf('path')]]));
    expect(seen[7]).toEqual(['id-7', 'req-7', '/a']);
    expect(seen[8]).toEqual(['id-8', 'req-8', '/b']);
    batch.push(record({ path: '/c' }), '2026-11-21T10:00:00.000Z');
    const next = batch.take();
    expect(next.strings).not.toContain('/a');
    expect(next.strings).toContain('/c');
  });

  it('decodes values repeated from the previous row, across columns and after take, each where it was written', () => {
    const batch = new RecordBatch(10);
    const time = '2026-11-21T10:00:00.000Z';
    const rows: Partial<RequestRecord>[] = [
      { requestId: 'same', path: '/a', clientId: 'cli_1', userAgent: '/a' },
      { requestId: 'same', path: '/a', clientId: 'cli_1', userAgent: '/b' },
      { requestId: 'other', path: '/b', clientId: null, userAgent: '/b' },
      // Equal text in a new string object: the comparison is by value.
      { requestId: 'same', path: ['/', 'a'].join(''), clientId: 'cli_1', userAgent: null },
    ];
    for (const r of rows) batch.push(record(r), time);
    expect(() => batch.push(record({ path: '/half', clientId: 9 as unknown as string }), time)).toThrow(TypeError);
    batch.push(record({ path: '/half', clientId: 'cli_1' }), time);
    const pick = (r: Record<string, unknown>) => [r.requestId, r.path, r.clientId, r.userAgent];
    expect(decoded(batch).map(pick)).toEqual([
      ['same', '/a', 'cli_1', '/a'],
      ['same', '/a', 'cli_1', '/b'],
      ['other', '/b', null, '/b'],
      ['same', '/a', 'cli_1', null],
      ['req-1', '/half', 'cli_1', 'test'],
    ]);
    // The previous batch's table is gone: the same values must be written into the new one.
    batch.push(record({ path: '/half', clientId: 'cli_1' }), time);
    const next = batch.take();
    expect(next.strings).toEqual(expect.arrayContaining(['/half', 'cli_1']));
    const again: unknown[] = [];
    forEachRow(next, (row) => again.push(row[RECORD_FIELDS.indexOf('path')], row[RECORD_FIELDS.indexOf('clientId')]));
    expect(again).toEqual(['/half', 'cli_1']);
  });

  it('refuses a non-string in a text column, in the string table or inline', () => {
    const batch = new RecordBatch(10);
    expect(() => batch.push(record({ clientId: 7 as unknown as string }), '2026-11-21T10:00:00.000Z')).toThrow(TypeError);
    expect(() => batch.push(record({ requestId: {} as unknown as string }), '2026-11-21T10:00:00.000Z')).toThrow(TypeError);
    expect(batch.length).toBe(0);
    expect(batch.byteLength).toBe(0);
  });

  it('scans rows without reading inline text: present as empty, absent as null', () => {
    const batch = new RecordBatch(10);
    batch.push(record({ requestBody: 'secret', status: 201 }), '2026-11-21T10:00:00.000Z');
    const rows: unknown[][] = [];
    scanRows(batch.take(), (row) => rows.push([...row]));
    const col = (c: (typeof RECORD_FIELDS)[number]) => rows[0]![RECORD_FIELDS.indexOf(c)];
    expect([col('id'), col('requestBody'), col('responseBody')]).toEqual(['', '', null]);
    expect([col('time'), col('status'), col('path'), col('requestId')]).toEqual(['2026-11-21T10:00:00.000Z', 201, '/a/v1/items', 'req-1']);
  });

  it('keeps who made a call and the agent acting for them; a format-2 row (before them) decodes with both null', () => {
    const batch = new RecordBatch(10);
    batch.push(record({ channel: 'federation', subject: 'user:usr_1', actor: 'service:sa_agent' }), '2026-11-21T10:00:00.000Z');
    expect(decoded(batch)[0]).toMatchObject({ subject: 'user:usr_1', actor: 'service:sa_agent' });
    batch.push(record({ path: '/old' }), '2026-11-21T10:00:00.000Z');
    const { rows, bytes, strings } = batch.take();
    // The last five columns of a one-row batch are the subject, actor and MCP method tags, 4 bytes each, the MCP tokens, 8, and the MCP server's tag, 4.
    const old: Record<string, unknown>[] = [];
    forEachRow({ rows, bytes: bytes.subarray(0, bytes.length - 24), strings, format: 2 }, (row) =>
      old.push(Object.fromEntries(RECORD_FIELDS.map((c, i) => [c, row[i]]))),
    );
    expect(old[0]).toMatchObject({ path: '/old', subject: null, actor: null, mcpMethod: null });
  });

  it('keeps the MCP method of a call; a format-3 row (before it) decodes with it null', () => {
    const batch = new RecordBatch(10);
    batch.push(record({ channel: 'federation', mcpMethod: 'prompts/get', subject: 'user:usr_1' }), '2026-11-21T10:00:00.000Z');
    const { rows, bytes, strings } = batch.take();
    const all: Record<string, unknown>[] = [];
    forEachRow({ rows, bytes, strings }, (row) => all.push(Object.fromEntries(RECORD_FIELDS.map((c, i) => [c, row[i]]))));
    expect(all[0]).toMatchObject({ mcpMethod: 'prompts/get', subject: 'user:usr_1' });
    const old: Record<string, unknown>[] = [];
    forEachRow({ rows, bytes: bytes.subarray(0, bytes.length - 16), strings, format: 3 }, (row) =>
      old.push(Object.fromEntries(RECORD_FIELDS.map((c, i) => [c, row[i]]))),
    );
    expect(old[0]).toMatchObject({ subject: 'user:usr_1', mcpMethod: null, mcpTokens: null });
  });

  it('keeps the MCP tokens of a call; a format-4 row (before them) decodes with them null', () => {
    const batch = new RecordBatch(10);
    batch.push(record({ channel: 'federation', mcpMethod: 'tools/call', mcpTokens: 1234 }), '2026-11-21T10:00:00.000Z');
    const { rows, bytes, strings } = batch.take();
    const all: Record<string, unknown>[] = [];
    forEachRow({ rows, bytes, strings }, (row) => all.push(Object.fromEntries(RECORD_FIELDS.map((c, i) => [c, row[i]]))));
    expect(all[0]).toMatchObject({ mcpMethod: 'tools/call', mcpTokens: 1234 });
    const old: Record<string, unknown>[] = [];
    forEachRow({ rows, bytes: bytes.subarray(0, bytes.length - 12), strings, format: 4 }, (row) =>
      old.push(Object.fromEntries(RECORD_FIELDS.map((c, i) => [c, row[i]]))),
    );
    expect(old[0]).toMatchObject({ mcpMethod: 'tools/call', mcpTokens: null });
  });

  it('keeps the virtual MCP server a call came through; a format-5 row (before it) decodes with it null', () => {
    const batch = new RecordBatch(10);
    batch.push(
      record({ channel: 'federation', path: '/shop/v1/orders/1', mcpMethod: 'tools/call', mcpTokens: 12, mcpServer: 'team' }),
      '2026-11-21T10:00:00.000Z',
    );
    const { rows, bytes, strings } = batch.take();
    const all: Record<string, unknown>[] = [];
    forEachRow({ rows, bytes, strings }, (row) => all.push(Object.fromEntries(RECORD_FIELDS.map((c, i) => [c, row[i]]))));
    expect(all[0]).toMatchObject({ path: '/shop/v1/orders/1', mcpTokens: 12, mcpServer: 'team' });
    const old: Record<string, unknown>[] = [];
    forEachRow({ rows, bytes: bytes.subarray(0, bytes.length - 4), strings, format: 5 }, (row) =>
      old.push(Object.fromEntries(RECORD_FIELDS.map((c, i) => [c, row[i]]))),
    );
    expect(old[0]).toMatchObject({ mcpTokens: 12, mcpServer: null });
  });

  it('refuses a truncated batch instead of writing garbage', () => {
    const batch = new RecordBatch(10);
    batch.push(record(), '2026-11-21T10:00:00.000Z');
    const { rows, bytes, strings } = batch.take();
    expect(() => forEachRow({ rows: rows + 1, bytes, strings }, () => {})).toThrow(/malformed/);
    expect(() => forEachRow({ rows, bytes: bytes.subarray(0, bytes.length - 3), strings }, () => {})).toThrow(/malformed/);
    expect(() => forEachRow({ rows, bytes, strings: strings.slice(0, 2) }, () => {})).toThrow(/refers to string/);
  });
});
