// The request-log writer's database side, run in a worker thread so batch writes never block the event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { isStoreUnavailable } from '../store/unavailable.js';
import { openLogStore } from './open-log-store.js';
import { RequestLogSpool, type SpooledBatch } from './spool.js';
import { toWireError, type WriterMessage, type WriterReply, type WriterWorkerData } from './writer-protocol.js';

const port = parentPort;
if (!port) throw new Error('writer-worker.js runs only as a worker thread');
const data = workerData as WriterWorkerData;
const store = openLogStore(data.database);
// A store that fails to open fails each request (counted on the main thread), not the worker.
store.catch(() => {});
// OpenTelemetry from the batches this thread receives anyway: the main thread builds no span and encodes
// nothing. Loaded only when on, so a writer without it loads none of the OTel SDK. (Messages posted
// meanwhile wait in the port until the listener below is attached.)
const otel = data.otel ? (await import('./otel/batch-export.js')).createBatchExport(data.otel) : null;
const spool = data.spool ? new RequestLogSpool(data.spool.dir, data.spool.maxBytes) : null;
// Batches not yet in the database, oldest first: what an earlier process left, then this one's.
const pending: SpooledBatch[] = spool ? spool.recover() : [];
const MAX_RETRY_MS = 5_000;
let failures = 0;
let retry: NodeJS.Timeout | null = null;
// Batches the database refused for what they are (not for being down): dropped, so one cannot wedge the rest.
const refused = new WeakMap<SpooledBatch, unknown>();
// Batches whose own write request will report their fate; the others (left by an earlier process)
// are reported in bulk.
const awaited = new WeakSet<SpooledBatch>();
// Rows of recovered batches refused while draining, reported with the next reply.
let refusedRows = 0;

/** Writes every pending batch in order; throws the first outage (that batch and the rest stay pending). */
async function drain(): Promise<void> {
  const s = await store;
  while (pending.length > 0) {
    const entry = pending[0]!;
    try {
      await s.write(entry.batch, entry.cells);
    } catch (err) {
      if (isStoreUnavailable(err)) throw err;
      refused.set(entry, err);
      if (!awaited.has(entry)) refusedRows += entry.batch.rows;
    }
    pending.shift();
  }
  spool?.clear();
}

/** Tries to drain; on failure retries later with a growing pause, so a database that comes back gets the backlog. */
async function tryDrain(): Promise<unknown> {
  try {
    await drain();
    failures = 0;
    return null;
  } catch (err) {
    failures++;
    retry ??= setTimeout(
      () => {
        retry = null;
        queue = queue.then(async () => {
          await tryDrain();
        });
      },
      Math.min(MAX_RETRY_MS, 100 * 2 ** failures),
    );
    return err;
  }
}

async function write(id: number, entry: SpooledBatch, spooled: boolean): Promise<WriterReply> {
  if (spool === null) {
    await (await store).write(entry.batch, entry.cells);
    return { id };
  }
  if (!spooled) return { id, error: { name: 'Error', message: `the request-log spool is full (${spool.bytes} bytes)` }, spoolBytes: spool.bytes };
  const err = await tryDrain();
  const own = refused.get(entry);
  const droppedRows = refusedRows;
  refusedRows = 0;
  const common = { id, spoolBytes: spool.bytes, ...(droppedRows > 0 ? { droppedRows } : {}) };
  if (own !== undefined) return { ...common, error: toWireError(own) };
  return err === null || !pending.includes(entry) ? common : { ...common, error: toWireError(err), spooled: true };
}

async function handle({ id, req }: WriterMessage, entry: SpooledBatch | null): Promise<WriterReply> {
  switch (req.kind) {
    case 'write':
      // Only OpenTelemetry items (spans, audit entries) and nothing to store.
      if (req.batch.rows === 0 && req.cells.length === 0) return { id, spoolBytes: spool?.bytes ?? 0 };
      return write(id, entry ?? { batch: req.batch, cells: req.cells }, entry !== null);
    case 'drain': {
      const err = pending.length > 0 ? await tryDrain() : null;
      return err === null ? { id, spoolBytes: spool?.bytes ?? 0 } : { id, error: toWireError(err), spooled: true, spoolBytes: spool?.bytes ?? 0 };
    }
    case 'prune':
      return { id, deleted: await (await store).prune(req.before) };
    case 'checkpoint': {
      const s = await store;
      return { id, checkpoint: s.checkpoint ? s.checkpoint() : null };
    }
    case 'close': {
      if (retry) clearTimeout(retry);
      // A last try; what the database still cannot take stays in the spool for the next start.
      if (pending.length > 0) await tryDrain();
      if (retry) clearTimeout(retry);
      await otel?.shutdown();
      spool?.close();
      await (await store).close();
      return { id };
    }
  }
}

// One request at a time, in order: a flush's reply then means everything posted before it is written (or spooled).
let queue: Promise<void> = Promise.resolve();
if (pending.length > 0)
  queue = queue.then(async () => {
    await tryDrain();
  });
port.on('message', (msg: WriterMessage) => {
  // On disk the moment it arrives, not when its turn comes: batches queued behind a slow write
  // survive a kill -9 too.
  let entry: SpooledBatch | null = null;
  if (spool !== null && msg.req.kind === 'write' && (msg.req.batch.rows > 0 || msg.req.cells.length > 0)) {
    const received = { batch: msg.req.batch, cells: msg.req.cells };
    try {
      if (spool.append(received)) entry = received;
    } catch {
      entry = null;
    }
    // Pending from now on: an earlier batch's drain writes it too, and the spool is never emptied under it.
    if (entry) {
      awaited.add(entry);
      pending.push(entry);
    }
  }
  if (otel !== null && msg.req.kind === 'write') otel.add(msg.req.batch, msg.req.otel);
  queue = queue.then(async () => {
    let reply: WriterReply;
    try {
      reply = await handle(msg, entry);
    } catch (err) {
      reply = { id: msg.id, error: toWireError(err) };
    }
    const otelDropped = otel?.takeDrops();
    if (otelDropped) reply.otelDropped = otelDropped;
    port.postMessage(reply);
    if (msg.req.kind === 'close') port.close();
  });
});
