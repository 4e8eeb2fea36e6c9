import type { RequestRecord } from '../../src/core/index.js';
import type { DatabaseOptions } from '../../src/store/database.js';
import { isError } from '../../src/telemetry/index.js';

let seq = 0;

/** A request record with plausible defaults; ids sort in creation order. */
export function rec(over: Partial<RequestRecord> = {}): RequestRecord {
  seq++;
  return {
    id: `req_${String(seq).padStart(8, '0')}`,
    requestId: `rid_${seq}`,
    time: new Date().toISOString(),
    channel: 'rest',
    collectionId: 'col_a',
    proxyId: 'prx_a',
    endpointId: 'ep_a1',
    clientId: 'cli_a',
    profileId: 'prf_a',
    method: 'GET',
    path: '/a/v1/items',
    status: 200,
    latencyMs: 12,
    upstreamLatencyMs: 10,
    bytesIn: 100,
    bytesOut: 1000,
    ip: '10.0.0.1',
    userAgent: 'test',
    errorCode: null,
    mcpClient: null,
    mcpTool: null,
    requestBody: null,
    responseBody: null,
    workflow: null,
    subject: null,
    actor: null,
    mcpMethod: null,
    mcpTokens: null,
    mcpServer: null,
    ...over,
  };
}

/** A deterministic pseudo-random generator (mulberry32), so failures reproduce. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENDPOINTS = [
  { endpointId: 'ep_a1', collectionId: 'col_a', method: 'GET', path: '/a/v1/items' },
  { endpointId: 'ep_a2', collectionId: 'col_a', method: 'POST', path: '/a/v1/items' },
  { endpointId: 'ep_b1', collectionId: 'col_b', method: 'GET', path: '/b/v2/orders/42' },
  { endpointId: 'ep_b2', collectionId: 'col_b', method: 'DELETE', path: '/b/v2/orders/7' },
  { endpointId: null, collectionId: null, method: 'GET', path: '/nowhere/50%_off' },
] as const;
const STATUSES = [200, 200, 200, 200, 200, 201, 204, 400, 401, 404, 429, 500, 502, 503];
const CLIENTS = ['cli_a', 'cli_b', 'cli_c', null];

/** `n` varied records spread over [fromMs, fromMs + spanMs). */
export function dataset(n: number, fromMs: number, spanMs: number, seed = 1): RequestRecord[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const ep = pick(ENDPOINTS);
    // From the index, not the generator: the other fields stay what they were for a given seed.
    const channel = i % 5 === 3 ? 'mcp' : i % 7 === 4 ? 'federation' : 'rest';
    const status = ep.endpointId === null ? 404 : pick(STATUSES);
    const clientId = pick(CLIENTS);
    const withBody = rnd() < 0.2;
    return rec({
      ...ep,
      channel,
      time: new Date(fromMs + Math.floor(rnd() * spanMs)).toISOString(),
      clientId,
      profileId: clientId ? clientId.replace('cli', 'prf') : null,
      status,
      latencyMs: Math.round(Math.exp(rnd() * 9.5) * 100) / 100,
      bytesIn: Math.floor(rnd() * 5000),
      bytesOut: Math.floor(rnd() * 50000),
      errorCode: status >= 500 ? 'GATEHOUSE_UPSTREAM_UNREACHABLE' : rnd() < 0.02 ? 'CLIENT_ABORTED' : null,
      requestBody: withBody ? `{"note":"Order ${Math.floor(rnd() * 100)} for ACME"}` : null,
      responseBody: withBody && rnd() < 0.5 ? '{"ok":true,"token":"100%_real"}' : null,
    });
  });
}

export interface Filter {
  from: string;
  to: string;
  collectionId?: string;
  clientId?: string;
  channel?: RequestRecord['channel'];
}

/** What the rollups must answer for a filter: records whose minute lies in the minute-aligned range. */
export function select(records: RequestRecord[], f: Filter): RequestRecord[] {
  const from = new Date(Math.floor(Date.parse(f.from) / 60_000) * 60_000).toISOString().slice(0, 16);
  const to = new Date(Math.ceil(Date.parse(f.to) / 60_000) * 60_000).toISOString().slice(0, 16);
  return records.filter((r) => {
    const m = r.time.slice(0, 16);
    return (
      m >= from &&
      m < to &&
      (f.collectionId === undefined || r.collectionId === f.collectionId) &&
      (f.channel === undefined || r.channel === f.channel) &&
      (f.clientId === undefined || r.clientId === f.clientId)
    );
  });
}

/** Counts by a key, as a plain object. */
export function countBy(records: RequestRecord[], key: (r: RequestRecord) => string | number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) out[key(r)] = (out[key(r)] ?? 0) + 1;
  return out;
}

/** The nearest-rank percentile of the records' latencies. */
export function exactPercentile(records: RequestRecord[], p: number): number {
  const sorted = records.map((r) => r.latencyMs).sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

export const errorsOf = (records: RequestRecord[]): number => records.filter(isError).length;

/** The `openDatabase` options of a test database, which the request-log writer's worker opens its own connection with. */
export function databaseOptions(t: { dataDir: string; env: Record<string, string> }): DatabaseOptions {
  const { GATEHOUSE_DATABASE_URL: url, GATEHOUSE_DATABASE_SCHEMA: pgSchema } = t.env;
  return { dataDir: t.dataDir, ...(url ? { url } : {}), ...(pgSchema ? { pgSchema } : {}) };
}
