// The request-log writer's database side, run in a worker thread so batch writes never block the event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/database.js';
import { writeBatch } from './log-store.js';
import { pruneRequestLogs } from './retention.js';
import { toWireError, type WriterMessage, type WriterReply, type WriterWorkerData } from './writer-protocol.js';

const port = parentPort;
if (!port) throw new Error('writer-worker.js runs only as a worker thread');
const data = workerData as WriterWorkerData;
// Writes are serial, so a second pooled connection (for PostgreSQL) is all this thread can use.
const database = openDatabase({ ...data.database, poolSize: 2 });

async function handle({ id, req }: WriterMessage): Promise<WriterReply> {
  switch (req.kind) {
    case 'write':
      await writeBatch(database, req.batch, req.cells);
      return { id };
    case 'prune':
      return { id, deleted: await pruneRequestLogs(database.db, req.before) };
    case 'close':
      await database.close();
      return { id };
  }
}

// One request at a time, in order: a flush's reply then means everything posted before it is written.
let queue: Promise<void> = Promise.resolve();
port.on('message', (msg: WriterMessage) => {
  queue = queue.then(async () => {
    let reply: WriterReply;
    try {
      reply = await handle(msg);
    } catch (err) {
      reply = { id: msg.id, error: toWireError(err) };
    }
    port.postMessage(reply);
    if (msg.req.kind === 'close') port.close();
  });
});
