// Diagnostic only (BENCH_DIAG=1): the Gatehouse data plane (createGateway over the same snapshot,
// limiter and listener settings as `gatehouse serve`) with a recorder that drops every record, so
// the gap between it and the real process is the request-log writer's share (SQLite batches,
// rollups, Prometheus). Usage: node bench/gateway-diag.mjs <port> <data-dir>
import { createGateway } from '../dist/gateway/gateway.js';
import { createMemoryLimiter } from '../dist/gateway/limits/memory.js';
import { createSnapshotHolder } from '../dist/gateway/snapshot/holder.js';
import { listen } from '../dist/http/listen.js';
import { createLocalChangeFeed } from '../dist/store/change-feed.js';
import { openDatabase } from '../dist/store/database.js';

const port = Number(process.argv[2]);
const database = openDatabase({ dataDir: process.argv[3] });
const snapshots = await createSnapshotHolder({ db: database.db, feed: createLocalChangeFeed() });
let records = 0;
const recorder = {
  record() {
    records++;
  },
  flush: async () => {},
  close: async () => {},
};
const gateway = createGateway({ snapshots, limiter: createMemoryLimiter(), recorder });
await listen((req, res) => (req.url === '/readyz' ? res.end('ok') : gateway.handle(req, res)), '127.0.0.1', port);
console.log(`listening ${port}`);
process.on('SIGTERM', () => {
  console.log(`records dropped: ${records}`);
  process.exit(0);
});
