import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/core/index.js';
import { newLogId } from '../../src/telemetry/log-id.js';
import { openLogStore } from '../../src/telemetry/open-log-store.js';
import { RECORD_FIELDS, RecordBatch } from '../../src/telemetry/record-batch.js';
import { runCli } from '../support/cli.js';
import { dialects } from '../support/databases.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

const CALLS = 20_000;
const start = Date.parse('2026-11-20T00:00:00.000Z');

function record(i: number): RequestRecord {
  const ms = start + i * 1000;
  return {
    id: newLogId(ms),
    requestId: `req-${i}`,
    time: new Date(ms).toISOString(),
    channel: i % 10 === 0 ? 'mcp' : 'rest',
    collectionId: 'col_a',
    proxyId: 'prx_a',
    endpointId: 'ep_a',
    clientId: i % 4 === 0 ? 'cli_special' : 'cli_other',
    profileId: 'prf_a',
    method: i % 3 === 0 ? 'POST' : 'GET',
    // A path and user agent that CSV must quote.
    path: i === 7 ? '/orders/"quoted",and,commas' : `/orders/${i}`,
    status: i % 50 === 0 ? 503 : 200,
    latencyMs: i % 100,
    upstreamLatencyMs: null,
    bytesIn: 0,
    bytesOut: 10,
    ip: '127.0.0.1',
    userAgent: i === 7 ? 'line one\nline two' : 'test',
    errorCode: i % 50 === 0 ? 'GATEHOUSE_UPSTREAM_UNREACHABLE' : null,
    mcpClient: null,
    mcpTool: i % 10 === 0 ? 'execute_call' : null,
    requestBody: null,
    responseBody: null,
    workflow: null,
    subject: null,
    actor: null,
    mcpMethod: null,
    mcpTokens: null,
    mcpServer: null,
  };
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

for (const dialect of await dialects()) {
  describe(`log exports on ${dialect}`, { timeout: 120_000 }, () => {
    let t: TestGatehouse;
    let viewer: string;

    beforeAll(async () => {
      t = await startTestGatehouse(dialect);
      const store = await openLogStore({
        dataDir: t.db.dataDir,
        ...(dialect === 'postgres' ? { url: t.db.env.GATEHOUSE_DATABASE_URL, pgSchema: t.db.env.GATEHOUSE_DATABASE_SCHEMA } : {}),
      });
      let batch = new RecordBatch(500);
      for (let i = 0; i < CALLS; i++) {
        const r = record(i);
        batch.push(r, r.time);
        if (batch.length === 500) {
          await store.write(batch.take(), []);
          batch = new RecordBatch(500);
        }
      }
      await store.close();
      viewer = (await t.serviceAccount('viewer')).token;
    });
    afterAll(async () => {
      await t?.close();
    });

    it('streams every request log as NDJSON, oldest first, in many chunks', async () => {
      const res = await fetch(`${t.api}/request-logs/export`, { headers: { authorization: `Bearer ${viewer}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/x-ndjson');
      expect(res.headers.get('content-disposition')).toContain('request-logs.ndjson');
      let chunks = 0;
      let text = '';
      const decoder = new TextDecoder();
      for await (const chunk of res.body!) {
        chunks++;
        text += decoder.decode(chunk, { stream: true });
      }
      const lines = text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as RequestRecord);
      expect(lines).toHaveLength(CALLS);
      expect(chunks).toBeGreaterThan(10);
      expect(lines[0]).toEqual({ ...record(0), id: lines[0]!.id });
      expect(lines.map((l) => l.requestId)).toEqual(Array.from({ length: CALLS }, (_, i) => `req-${i}`));
      expect(lines[7]!.path).toBe('/orders/"quoted",and,commas');
    });

    it('applies the same filters as the search, and CSV quotes what it must', async () => {
      const query = 'clientId=cli_special&status=503&method=POST';
      const res = await fetch(`${t.api}/request-logs/export?format=csv&${query}`, { headers: { authorization: `Bearer ${viewer}` } });
      expect(res.headers.get('content-type')).toContain('text/csv');
      const rows = parseCsv(await res.text());
      expect(rows[0]).toEqual([...RECORD_FIELDS]);
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: RequestRecord[]; nextCursor: string | null } } = await call(
          t.api,
          viewer,
          'GET',
          `/request-logs?limit=500&${query}${cursor ? `&cursor=${cursor}` : ''}`,
        );
        ids.push(...page.body.items.map((r) => r.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(ids.length).toBeGreaterThan(50);
      expect(
        rows
          .slice(1)
          .map((r) => r[0])
          .sort(),
      ).toEqual(ids.sort());

      const tricky = parseCsv(
        await (await fetch(`${t.api}/request-logs/export?format=csv&requestId=req-7`, { headers: { authorization: `Bearer ${viewer}` } })).text(),
      );
      expect(tricky).toHaveLength(2);
      const row = Object.fromEntries(RECORD_FIELDS.map((f, i) => [f, tricky[1]![i]]));
      expect(row).toMatchObject({ path: '/orders/"quoted",and,commas', userAgent: 'line one\nline two', upstreamLatencyMs: '', status: '200' });
    });

    it('exports the audit trail oldest first with its filters; refuses bad input and missing tokens', async () => {
      for (const name of ['one', 'two']) await call(t.api, t.adminToken, 'POST', '/policies', { name });
      const nd = await (await fetch(`${t.api}/audit-logs/export?action=policies.create`, { headers: { authorization: `Bearer ${viewer}` } })).text();
      const entries = nd
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(entries.map((e) => e.diff.after.name)).toEqual(['one', 'two']);
      expect(entries[0].seq).toBeLessThan(entries[1].seq);
      const csv = parseCsv(
        await (await fetch(`${t.api}/audit-logs/export?format=csv&action=policies.create`, { headers: { authorization: `Bearer ${viewer}` } })).text(),
      );
      expect(csv[0]!.slice(0, 5)).toEqual(['seq', 'id', 'time', 'actorSubject', 'actorName']);
      expect(JSON.parse(csv[1]![16]!)).toMatchObject({ after: { name: 'one' } });

      expect((await fetch(`${t.api}/request-logs/export`)).status).toBe(401);
      const bad = await call(t.api, viewer, 'GET', '/request-logs/export?format=xml');
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('GATEHOUSE_VALIDATION_FAILED');
      expect((await call(t.api, viewer, 'GET', '/audit-logs/export?outcome=maybe')).status).toBe(400);
    });

    it('gatehouse logs export and audit export write files and report progress on stderr', async () => {
      const sa = await t.serviceAccount('viewer');
      const env = {
        XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'gh-logs-')),
        GATEHOUSE_SERVER: t.gh.urls.admin,
        GATEHOUSE_CLIENT_ID: sa.clientId,
        GATEHOUSE_CLIENT_SECRET: sa.clientSecret,
      };
      const dir = mkdtempSync(join(tmpdir(), 'gh-export-'));
      const logs = await runCli(['logs', 'export', '--format', 'csv', '--status', '503', '-o', join(dir, 'errors.csv')], env);
      expect(logs.code, logs.stderr).toBe(0);
      expect(logs.stderr).toMatch(/request logs: 401 lines, [\d.]+ MB in [\d.]+ s/);
      expect(parseCsv(readFileSync(join(dir, 'errors.csv'), 'utf8'))).toHaveLength(CALLS / 50 + 1);
      const audit = await runCli(['audit', 'export', '--action', 'policies.create'], env);
      expect(audit.code).toBe(0);
      expect(audit.stdout.trimEnd().split('\n')).toHaveLength(2);
      const refused = await runCli(['logs', 'export', '--format', 'xml'], env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('format');
    });
  });
}
