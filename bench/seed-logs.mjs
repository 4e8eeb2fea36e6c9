// Writes N synthetic request logs into a data directory through the writer's own store (segments
// of 500 calls, as under load), spread evenly over `days` up to now. Shared by the log benches.
import { openDatabase } from '../dist/store/database.js';
import { migrate } from '../dist/store/migrate.js';
import { newLogId } from '../dist/telemetry/log-id.js';
import { openLogStore } from '../dist/telemetry/open-log-store.js';
import { RecordBatch } from '../dist/telemetry/record-batch.js';

const SEGMENT = 500;
/** The client and endpoint ids the logs spread over. */
export const clients = Array.from({ length: 50 }, (_, i) => `cli_${String(i).padStart(20, '0')}`);
export const endpoints = Array.from({ length: 20 }, (_, i) => ({ id: `ep_${String(i).padStart(20, '0')}`, path: `/api/v1/resource-${i}/items` }));

/** Writes `calls` logs; calls `onRecord(record, i)` for each (to keep a probe). */
export async function seedRequestLogs(dir, calls, days, onRecord = () => {}) {
  let seed = 7;
  const rnd = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const status = () => {
    const x = rnd();
    return x < 0.9 ? 200 : x < 0.97 ? 404 : x < 0.995 ? 500 : 503;
  };
  const database = openDatabase({ dataDir: dir });
  await migrate(database);
  await database.close();
  const store = await openLogStore({ dataDir: dir });
  const start = Date.now() - days * 86_400_000;
  const step = (days * 86_400_000) / calls;
  let batch = new RecordBatch(SEGMENT);
  for (let i = 0; i < calls; i++) {
    const ms = start + i * step;
    const time = new Date(ms).toISOString();
    const ep = endpoints[Math.floor(rnd() * endpoints.length)];
    const r = {
      id: newLogId(ms),
      requestId: `req-${i.toString(16).padStart(12, '0')}`,
      time,
      channel: 'rest',
      collectionId: 'col_00000000000000000001',
      proxyId: 'prx_00000000000000000001',
      endpointId: ep.id,
      clientId: clients[Math.floor(rnd() * clients.length)],
      profileId: 'prf_00000000000000000001',
      method: 'GET',
      path: ep.path,
      status: status(),
      latencyMs: Math.round(Math.exp(rnd() * 7) * 100) / 100,
      upstreamLatencyMs: 1,
      bytesIn: 0,
      bytesOut: 1024,
      ip: '10.0.0.1',
      userAgent: 'bench',
      errorCode: null,
      mcpClient: null,
      mcpTool: null,
      requestBody: null,
      responseBody: null,
      workflow: null,
    };
    onRecord(r, i);
    batch.push(r, time);
    if (batch.length === SEGMENT) {
      await store.write(batch.take(), []);
      batch = new RecordBatch(SEGMENT);
    }
  }
  if (batch.length > 0) await store.write(batch.take(), []);
  await store.close();
}
