import { afterEach, describe, expect, it } from 'vitest';
import { approvalIndex } from '../../src/gateway/snapshot/compile.js';
import { migrate } from '../../src/store/migrate.js';
import { foundation } from '../../src/store/migrations/001_foundation.js';
import { telemetry } from '../../src/store/migrations/002_telemetry.js';
import { requestId } from '../../src/store/migrations/003_request_id.js';
import { requestLogSegments } from '../../src/store/migrations/004_request_log_segments.js';
import { segmentFormat } from '../../src/store/migrations/005_segment_format.js';
import { rollupChannel } from '../../src/store/migrations/006_rollup_channel.js';
import { mcpUpstreamSessions } from '../../src/store/migrations/007_mcp_upstream_sessions.js';
import { mcpRollups } from '../../src/store/migrations/008_mcp_rollups.js';
import { mcpConnections } from '../../src/store/migrations/009_mcp_connections.js';
import { approvals } from '../../src/store/migrations/010_approvals.js';
import { mcpUpstreamHealth } from '../../src/store/migrations/012_mcp_upstream_health.js';
import { mcpDefinitionsAndAgents } from '../../src/store/migrations/016_mcp_definitions_and_agents.js';
import { mcpCapabilitiesAndGuardrails } from '../../src/store/migrations/017_mcp_capabilities_and_guardrails.js';
import { resourceStamps } from '../../src/store/migrations/020_resource_stamps.js';
import { approvalOf, decideApproval, getApproval, listApprovals, liveDecisions } from '../../src/store/repositories/approvals.js';
import { dialects, freshDatabaseAt, type TestDatabase } from '../support/databases.js';

/** A database as it was before approvals were bound to the concrete call (schema 020). */
async function at020(dialect: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  return freshDatabaseAt(dialect, {
    '001_foundation': foundation,
    '002_telemetry': telemetry,
    '003_request_id': requestId,
    '004_request_log_segments': requestLogSegments,
    '005_segment_format': segmentFormat,
    '006_rollup_channel': rollupChannel,
    '007_mcp_upstream_sessions': mcpUpstreamSessions,
    '008_mcp_rollups': mcpRollups,
    '009_mcp_connections': mcpConnections,
    '010_approvals': approvals,
    '012_mcp_upstream_health': mcpUpstreamHealth,
    '016_mcp_definitions_and_agents': mcpDefinitionsAndAgents,
    '017_mcp_capabilities_and_guardrails': mcpCapabilitiesAndGuardrails,
    '020_resource_stamps': resourceStamps,
  });
}

const oldRow = (id: string, status: string) => ({
  id,
  digest: `${id}-template-digest`,
  status,
  caller: 'client:cli_1/profile:prf_1',
  client_id: 'cli_1',
  target: 'DELETE /payments/v1/accounts/{id} (ep_1)',
  arguments_preview: '{"body":null,"query":""}',
  reason: 'payments are reviewed',
  workflow: 'wf_1@1',
  node: 'review',
  requested_at: '2026-11-25T08:00:00.000Z',
  expires_at: '2099-01-01T00:00:00.000Z',
  decided_at: null,
  decided_by: null,
  decision_reason: null,
  used_at: null,
});

for (const dialect of await dialects()) {
  describe(`migration 021: approvals bound to the call (${dialect})`, () => {
    let t: TestDatabase | undefined;
    afterEach(async () => {
      await t?.drop();
    });

    it('keeps approvals opened before it readable and decidable; they name no concrete call', async () => {
      t = await at020(dialect);
      const db = t.db as any;
      await db
        .insertInto('approvals')
        .values([oldRow('apr_old1', 'pending'), oldRow('apr_old2', 'pending')])
        .execute();
      expect(await migrate(t)).toEqual([
        '021_approval_calls',
        '022_id_jag_replays',
        '024_jobs',
        '025_approval_bound_headers',
        '026_mcp_tokens',
        '027_sign_in_groups',
      ]);

      const now = '2026-11-25T09:00:00.000Z';
      const shown = approvalOf((await getApproval(t.db, 'apr_old1'))!, now);
      expect(shown).toMatchObject({
        status: 'pending',
        method: null,
        path: null,
        query: null,
        bodySha256: null,
        mcp: null,
        headers: null,
        upstream: null,
        call: '{"body":null,"query":""}',
      });
      expect((await listApprovals(t.db, { status: 'pending', limit: 10 }, now)).map((r) => r.id).sort()).toEqual(['apr_old1', 'apr_old2']);
      expect(await decideApproval(t.db, 'apr_old1', { status: 'approved', at: now, by: 'usr_1', reason: null })).toBe(true);
      expect(await decideApproval(t.db, 'apr_old2', { status: 'denied', at: now, by: 'usr_1', reason: 'no' })).toBe(true);
      // The data plane indexes them under their old digest, which no call digests to any more.
      const index = approvalIndex(await liveDecisions(t.db, now));
      expect([...index.keys()].sort()).toEqual(['apr_old1-template-digest', 'apr_old2-template-digest']);
    });
  });
}
