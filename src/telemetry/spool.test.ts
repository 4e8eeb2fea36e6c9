import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rec } from '../../test/integration/telemetry-fixtures.js';
import { forEachRow, RECORD_FIELDS, RecordBatch, SEGMENT_FORMAT } from './record-batch.js';
import { RequestLogSpool } from './spool.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A spool frame as writers wrote them before frames named their format: no `format` in the head. */
function legacyFrame(head: object, bytes: Uint8Array): Buffer {
  const text = Buffer.from(JSON.stringify(head));
  const lengths = Buffer.alloc(8);
  lengths.writeUInt32LE(text.length, 0);
  lengths.writeUInt32LE(bytes.length, 4);
  return Buffer.concat([lengths, text, bytes]);
}

describe('RequestLogSpool', () => {
  it('names each frame’s row format, and reads a frame without one as format 2 (written before subject and actor)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-spool-unit-'));
    dirs.push(dir);
    const batch = new RecordBatch(2);
    batch.push(rec({ path: '/old' }), '2026-11-21T10:00:00.000Z');
    const { rows, bytes, strings } = batch.take();
    // A format-2 row lacks the last five columns (subject, actor and MCP method tags, 4 bytes each; the MCP tokens, 8; the MCP server's tag, 4).
    writeFileSync(join(dir, 'left-1-aa.log'), legacyFrame({ id: 'b1', rows, strings, cells: [] }, bytes.subarray(0, bytes.length - 24)));
    const spool = new RequestLogSpool(dir, 1_048_576);
    const [old] = spool.recover();
    expect(old?.batch.format).toBe(2);
    const decoded: Record<string, unknown>[] = [];
    forEachRow(old!.batch, (row) => decoded.push(Object.fromEntries(RECORD_FIELDS.map((c, i) => [c, row[i]]))));
    expect(decoded[0]).toMatchObject({ path: '/old', subject: null, actor: null, mcpMethod: null });

    const current = new RecordBatch(2);
    current.push(rec({ subject: 'user:usr_1' }), '2026-11-21T10:00:00.000Z');
    spool.append({ batch: { ...current.take(), id: 'b2' }, cells: [] });
    spool.close();
    const next = new RequestLogSpool(dir, 1_048_576);
    expect(next.recover().map((e) => e.batch.format)).toEqual([2, SEGMENT_FORMAT]);
    next.clear();
    next.close();
  });
});

describe('RequestLogSpool.clear', () => {
  it('empties the file in place: later frames start at offset 0 and replay alone, with no hole before them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-spool-clear-'));
    dirs.push(dir);
    const spool = new RequestLogSpool(dir, 1_048_576);
    const first = new RecordBatch(2);
    first.push(rec({ path: '/first' }), '2026-11-21T10:00:00.000Z');
    first.push(rec({ path: '/first-2' }), '2026-11-21T10:00:00.000Z');
    expect(spool.append({ batch: { ...first.take(), id: 'b1' }, cells: [] })).toBe(true);
    const full = spool.bytes;
    spool.clear();
    expect(spool.bytes).toBe(0);
    const second = new RecordBatch(2);
    second.push(rec({ path: '/second' }), '2026-11-21T10:00:01.000Z');
    expect(spool.append({ batch: { ...second.take(), id: 'b2' }, cells: [] })).toBe(true);
    const kept = spool.bytes;
    expect(kept).toBeLessThan(full);
    spool.close();
    const [left] = readdirSync(dir);
    expect(statSync(join(dir, left!)).size).toBe(kept);
    const next = new RequestLogSpool(dir, 1_048_576);
    const replayed = next.recover();
    expect(replayed.map((e) => e.batch.id)).toEqual(['b2']);
    const paths: unknown[] = [];
    forEachRow(replayed[0]!.batch, (row) => paths.push(row[RECORD_FIELDS.indexOf('path')]));
    expect(paths).toEqual(['/second']);
    next.clear();
    next.close();
  });
});
