import type { McpGuardrailRollupTable, McpRollupTable } from '../store/schema.js';
import { guardrailOutcomes } from './guardrail-outcomes.js';
import { HISTOGRAM_COLUMNS, latencyBucket } from './histogram.js';
import { RECORD_FIELDS, type RowBatch, scanRows } from './record-batch.js';
import { BUCKET_LENGTH } from './rollups.js';

/** Where a federated call ended: `ok`, or the origin of its failure. */
export type McpOutcome = 'ok' | 'gateway' | 'auth' | 'upstream';
export const MCP_OUTCOMES: readonly McpOutcome[] = ['ok', 'gateway', 'auth', 'upstream'];

export const MCP_ROLLUP_KEY = ['resolution', 'bucket', 'server', 'tool', 'subject', 'outcome', 'actor', 'method'] as const satisfies ReadonlyArray<
  keyof McpRollupTable
>;
export const MCP_COUNTER_COLUMNS = ['count', 'agent_calls', 'latency_sum_ms', 'tokens', ...HISTOGRAM_COLUMNS] as const satisfies ReadonlyArray<
  keyof McpRollupTable
>;
export const MCP_GUARDRAIL_KEY = ['resolution', 'bucket', 'server', 'tool', 'subject', 'actor', 'outcome', 'kind'] as const satisfies ReadonlyArray<
  keyof McpGuardrailRollupTable
>;

const CHANNEL = RECORD_FIELDS.indexOf('channel');
const TIME = RECORD_FIELDS.indexOf('time');
const PATH = RECORD_FIELDS.indexOf('path');
const STATUS = RECORD_FIELDS.indexOf('status');
const LATENCY = RECORD_FIELDS.indexOf('latencyMs');
const ERROR_CODE = RECORD_FIELDS.indexOf('errorCode');
const MCP_TOOL = RECORD_FIELDS.indexOf('mcpTool');
const SUBJECT = RECORD_FIELDS.indexOf('subject');
const ACTOR = RECORD_FIELDS.indexOf('actor');
const WORKFLOW = RECORD_FIELDS.indexOf('workflow');
const MCP_METHOD = RECORD_FIELDS.indexOf('mcpMethod');
const MCP_TOKENS = RECORD_FIELDS.indexOf('mcpTokens');
const MCP_SERVER = RECORD_FIELDS.indexOf('mcpServer');
const SERVER_PATH = /^\/mcp\/v\/([^/]+)/;
// Credentials on either side: the caller's token or access, or the gateway's upstream credential (a token it could not get, a consent missing).
const AUTH_CODE = /AUTH|TOKEN|CREDENTIAL|CERTIFICATE|FORBIDDEN|CONSENT/;
const UPSTREAM_CODE = /UPSTREAM/;

/**
 * The origin of a federated call's failure, from its error code: `auth` (the caller's or the
 * gateway's credentials), `upstream` (the upstream could not be reached, timed out, answered an
 * error, or its tool answered an `isError` result), else `gateway` (limits, withheld tools, bad
 * arguments, internal). `ok` when it did not fail.
 */
export function outcomeOf(status: number, errorCode: string | null): McpOutcome {
  if (errorCode === null) return status >= 400 ? 'gateway' : 'ok';
  if (AUTH_CODE.test(errorCode)) return 'auth';
  if (UPSTREAM_CODE.test(errorCode)) return 'upstream';
  return 'gateway';
}

/** The rollup rows a batch of raw calls adds: calls per MCP method, and guardrail outcomes. */
export interface McpRollupRows {
  calls: McpRollupTable[];
  guardrails: McpGuardrailRollupTable[];
}

const RESOLUTIONS = ['minute', 'hour', 'day'] as const;

/**
 * The mcp_rollups and mcp_guardrail_rollups rows a batch of raw calls adds: its requests to virtual
 * MCP servers counted per minute, hour and day × server × tool × subject × outcome × agent × MCP
 * method, and the guardrail outcomes of those calls, merged by key. Derived from the batch in the
 * writer, inside the transaction that stores it, so a replayed batch (skipped whole) never counts twice.
 */
export function mcpRollupRows(batch: RowBatch): McpRollupRows {
  // The channel is in the string table whenever a row has it: most batches hold no federated call.
  if (!batch.strings.includes('federation')) return { calls: [], guardrails: [] };
  const rows = new Map<string, McpRollupTable>();
  const guards = new Map<string, McpGuardrailRollupTable>();
  scanRows(batch, (row) => {
    if (row[CHANNEL] !== 'federation') return;
    // A REST tool's row has the REST path and names its server; older rows only have the server's path.
    const server = (row[MCP_SERVER] as string | null) ?? SERVER_PATH.exec(row[PATH] as string)?.[1];
    if (server === undefined) return;
    // mcpTool is `<shown> → <upstream>/<name>`: analytics go by the tool as the virtual server shows it.
    const tool = ((row[MCP_TOOL] as string | null) ?? '').split(' → ')[0] ?? '';
    const subject = (row[SUBJECT] as string | null) ?? '';
    const outcome = outcomeOf(row[STATUS] as number, row[ERROR_CODE] as string | null);
    const actor = (row[ACTOR] as string | null) ?? '';
    // Rows written before the method was recorded were all tool calls.
    const method = (row[MCP_METHOD] as string | null) ?? 'tools/call';
    const latency = row[LATENCY] as number;
    const bucketColumn = HISTOGRAM_COLUMNS[latencyBucket(latency)]!;
    const time = row[TIME] as string;
    // Not counted (older rows, other methods, the tokenizer still loading): adds nothing.
    const tokens = (row[MCP_TOKENS] as number | null | undefined) ?? 0;
    const guarded = guardrailOutcomes(row[WORKFLOW] as string | null);
    for (const resolution of RESOLUTIONS) {
      const bucket = time.slice(0, BUCKET_LENGTH[resolution]);
      const head = `${resolution}\u0000${bucket}\u0000${server}\u0000${tool}\u0000${subject}\u0000${actor}`;
      const key = `${head}\u0000${outcome}\u0000${method}`;
      let r = rows.get(key);
      if (!r) {
        r = { resolution, bucket, server, tool, subject, outcome, actor, method, count: 0, agent_calls: 0, latency_sum_ms: 0, tokens: 0, ...emptyHistogram() };
        rows.set(key, r);
      }
      r.count++;
      if (actor !== '') r.agent_calls++;
      r.latency_sum_ms += latency;
      r.tokens += Number.isNaN(tokens) ? 0 : tokens;
      r[bucketColumn]++;
      for (const g of guarded) {
        const add = (kind: string, n: number) => {
          const k = `${head}\u0000${g.outcome}\u0000${kind}`;
          let gr = guards.get(k);
          if (!gr) {
            gr = { resolution, bucket, server, tool, subject, actor, outcome: g.outcome, kind, count: 0 };
            guards.set(k, gr);
          }
          gr.count += n;
        };
        add('', 1);
        for (const [kind, n] of Object.entries(g.kinds)) add(kind.slice(0, 64), n);
      }
    }
  });
  return { calls: [...rows.values()], guardrails: [...guards.values()] };
}

function emptyHistogram() {
  return { h0: 0, h1: 0, h2: 0, h3: 0, h4: 0, h5: 0, h6: 0, h7: 0, h8: 0, h9: 0, h10: 0, h11: 0, h12: 0, h13: 0 };
}
