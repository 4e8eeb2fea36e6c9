// The request-log writer's database side, run in a worker thread so batch writes never block the event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { openLogStore } from './open-log-store.js';
import { toWireError, type WriterMessage, type WriterReply, type WriterWorkerData } from './writer-protocol.js';

const port = parentPort;
if (!port) throw new Error('writer-worker.js runs only as a worker thread');
const data = workerData as WriterWorkerData;
const store = openLogStore(data.database);
// A store that fails to open fails each request (counted on the main thread), not the worker.
store.catch(() => {});

async function handle({ id, req }: WriterMessage): Promise<WriterReply> {
  switch (req.kind) {
    case 'write':
      await (await store).write(req.batch, req.cells);
      return { id };
    case 'prune':
      return { id, deleted: await (await store).prune(req.before) };
    case 'close':
      await (await store).close();
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
