import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/core/index.js';
import { migrate } from '../../src/store/migrate.js';
import { foundation } from '../../src/store/migrations/001_foundation.js';
import { telemetry } from '../../src/store/migrations/002_telemetry.js';
import { requestId } from '../../src/store/migrations/003_request_id.js';
import { getRequestLog, searchRequestLogs } from '../../src/telemetry/index.js';
import { dialects, freshDatabaseAt, type TestDatabase } from '../support/databases.js';
import { dataset } from './telemetry-fixtures.js';

/** A database at schema version 003, when raw logs were one row per call. */
async function atVersion003(dialect: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  return freshDatabaseAt(dialect, { '001_foundation': foundation, '002_telemetry': telemetry, '003_request_id': requestId });
}

function oldRow(r: RequestRecord): Record<string, unknown> {
  return {
    id: r.id,
    request_id: r.requestId,
    time: r.time,
    channel: r.channel,
    collection_id: r.collectionId,
    proxy_id: r.proxyId,
    endpoint_id: r.endpointId,
    client_id: r.clientId,
    profile_id: r.profileId,
    method: r.method,
    path: r.path,
    status: r.status,
    latency_ms: r.latencyMs,
    upstream_latency_ms: r.upstreamLatencyMs,
    bytes_in: r.bytesIn,
    bytes_out: r.bytesOut,
    ip: r.ip,
    user_agent: r.userAgent,
    error_code: r.errorCode,
    mcp_client: r.mcpClient,
    mcp_tool: r.mcpTool,
    request_body: r.requestBody,
    response_body: r.responseBody,
  };
}

for (const dialect of await dialects()) {
  describe(`migration 004: raw logs into segments (${dialect})`, () => {
    let drop: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await drop?.();
    });

    it('carries every existing call over, searchable and retrievable as before, and drops the old table', async () => {
      const database = await atVersion003(dialect);
      drop = database.drop;
      const records = dataset(1_234, Date.parse('2026-03-09T00:00:00Z'), 86_400_000, 4);
      const untyped = database.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
      for (let i = 0; i < records.length; i += 200) {
        await untyped
          .insertInto('request_logs')
          .values(records.slice(i, i + 200).map(oldRow))
          .execute();
      }

      expect(await migrate(database)).toEqual([
        '004_request_log_segments',
        '005_segment_format',
        '006_rollup_channel',
        '007_mcp_upstream_sessions',
        '008_mcp_rollups',
        '009_mcp_connections',
        '010_approvals',
        '012_mcp_upstream_health',
        '016_mcp_definitions_and_agents',
        '017_mcp_capabilities_and_guardrails',
        '020_resource_stamps',
        '021_approval_calls',
        '022_id_jag_replays',
        '024_jobs',
        '025_approval_bound_headers',
        '026_mcp_tokens',
        '027_sign_in_groups',
      ]);

      const segments = await database.db.selectFrom('request_log_segments').select(['row_count']).execute();
      expect(segments.map((s) => Number(s.row_count)).reduce((a, b) => a + b, 0)).toBe(records.length);
      expect(segments.length).toBe(Math.ceil(records.length / 500));
      const page = await searchRequestLogs(database.db, { limit: 500, clientId: 'cli_b', status: 404 });
      const expected = records
        .filter((r) => r.clientId === 'cli_b' && r.status === 404)
        .sort((a, b) => (a.time === b.time ? (a.id < b.id ? 1 : -1) : a.time < b.time ? 1 : -1));
      expect(page.items).toEqual(expected);
      expect(await getRequestLog(database.db, records[777]!.id)).toEqual(records[777]);
      const leftover =
        dialect === 'postgres'
          ? await sql<{
              n: number;
            }>`select count(*) as n from information_schema.tables where table_schema = current_schema() and table_name = 'request_logs'`.execute(database.db)
          : await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = 'request_logs'`.execute(database.db);
      expect(Number(leftover.rows[0]!.n)).toBe(0);
    });
  });
}
