import type { McpRollupTable } from '../store/schema.js';
import { HISTOGRAM_COLUMNS, latencyBucket } from './histogram.js';
import { RECORD_FIELDS, type RowBatch, scanRows } from './record-batch.js';
import { BUCKET_LENGTH } from './rollups.js';

/** Where a federated call ended: `ok`, or the origin of its failure. */
export type McpOutcome = 'ok' | 'gateway' | 'auth' | 'upstream';
export const MCP_OUTCOMES: readonly McpOutcome[] = ['ok', 'gateway', 'auth', 'upstream'];

export const MCP_ROLLUP_KEY = ['resolution', 'bucket', 'server', 'tool', 'subject', 'outcome', 'actor'] as const satisfies ReadonlyArray<keyof McpRollupTable>;
export const MCP_COUNTER_COLUMNS = ['count', 'agent_calls', 'latency_sum_ms', ...HISTOGRAM_COLUMNS] as const satisfies ReadonlyArray<keyof McpRollupTable>;

const CHANNEL = RECORD_FIELDS.indexOf('channel');
const TIME = RECORD_FIELDS.indexOf('time');
const PATH = RECORD_FIELDS.indexOf('path');
const STATUS = RECORD_FIELDS.indexOf('status');
const LATENCY = RECORD_FIELDS.indexOf('latencyMs');
const ERROR_CODE = RECORD_FIELDS.indexOf('errorCode');
const MCP_TOOL = RECORD_FIELDS.indexOf('mcpTool');
const SUBJECT = RECORD_FIELDS.indexOf('subject');
const ACTOR = RECORD_FIELDS.indexOf('actor');
const SERVER_PATH = /^\/mcp\/v\/([^/]+)/;
// Credentials on either side: the caller's token or access, or the gateway's upstream credential (a token it could not get, a consent missing).
const AUTH_CODE = /AUTH|TOKEN|CREDENTIAL|CERTIFICATE|FORBIDDEN|CONSENT/;
const UPSTREAM_CODE = /UPSTREAM/;

/**
 * The origin of a federated call's failure, from its error code: `auth` (the caller's or the
 * gateway's credentials), `upstream` (the upstream could not be reached, timed out or answered an
 * error), else `gateway` (limits, withheld tools, bad arguments, internal). `ok` when it did not fail.
 */
export function outcomeOf(status: number, errorCode: string | null): McpOutcome {
  if (errorCode === null) return status >= 400 ? 'gateway' : 'ok';
  if (AUTH_CODE.test(errorCode)) return 'auth';
  if (UPSTREAM_CODE.test(errorCode)) return 'upstream';
  return 'gateway';
}

/**
 * The mcp_rollups rows a batch of raw calls adds: its federated calls counted per minute, hour and
 * day × virtual server × tool × subject × outcome × agent, merged by key. Derived from the batch in the
 * writer, inside the transaction that stores it, so a replayed batch (skipped whole) never counts twice.
 */
export function mcpRollupRows(batch: RowBatch): McpRollupTable[] {
  // The channel is in the string table whenever a row has it: most batches hold no federated call.
  if (!batch.strings.includes('federation')) return [];
  const rows = new Map<string, McpRollupTable>();
  scanRows(batch, (row) => {
    if (row[CHANNEL] !== 'federation') return;
    const server = SERVER_PATH.exec(row[PATH] as string)?.[1];
    if (server === undefined) return;
    // mcpTool is `<shown> → <upstream>/<name>`: analytics go by the tool as the virtual server shows it.
    const tool = ((row[MCP_TOOL] as string | null) ?? '').split(' → ')[0] ?? '';
    const subject = (row[SUBJECT] as string | null) ?? '';
    const outcome = outcomeOf(row[STATUS] as number, row[ERROR_CODE] as string | null);
    const actor = (row[ACTOR] as string | null) ?? '';
    const latency = row[LATENCY] as number;
    const bucketColumn = HISTOGRAM_COLUMNS[latencyBucket(latency)]!;
    const time = row[TIME] as string;
    for (const resolution of ['minute', 'hour', 'day'] as const) {
      const bucket = time.slice(0, BUCKET_LENGTH[resolution]);
      const key = `${resolution}\u0000${bucket}\u0000${server}\u0000${tool}\u0000${subject}\u0000${outcome}\u0000${actor}`;
      let r = rows.get(key);
      if (!r) {
        r = {
          resolution,
          bucket,
          server,
          tool,
          subject,
          outcome,
          actor,
          count: 0,
          agent_calls: 0,
          latency_sum_ms: 0,
          h0: 0,
          h1: 0,
          h2: 0,
          h3: 0,
          h4: 0,
          h5: 0,
          h6: 0,
          h7: 0,
          h8: 0,
          h9: 0,
          h10: 0,
          h11: 0,
          h12: 0,
          h13: 0,
        };
        rows.set(key, r);
      }
      r.count++;
      if (actor !== '') r.agent_calls++;
      r.latency_sum_ms += latency;
      r[bucketColumn]++;
    }
  });
  return [...rows.values()];
}
