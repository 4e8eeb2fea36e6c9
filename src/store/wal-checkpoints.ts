import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// SQLite's own threshold for an automatic checkpoint: 1,000 pages of 4 KiB.
const WAL_BYTES = 1_000 * 4_096;
const EVERY_MS = 1_000;

// The checkpoint, run on a connection of its own in a thread of its own. PASSIVE: it copies what no
// reader still needs and never waits for (or blocks) a writer.
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.path, { fileMustExist: true });
try {
  db.pragma('busy_timeout = 1000');
  parentPort.postMessage(db.pragma('wal_checkpoint(PASSIVE)')[0]);
} finally {
  db.close();
}
`;

/** The background checkpoints of one SQLite file; `stop` waits for one that is running. */
export interface WalCheckpoints {
  stop(): Promise<void>;
}

/**
 * Checkpoints the WAL of an SQLite file off the main thread. The main connection runs with
 * `wal_autocheckpoint = 0`: otherwise the commit that crosses the threshold copies the whole WAL
 * into the database on the event loop (~370 ms after a 100,000-row apply). Instead, once a second,
 * a WAL that is past the threshold and was written since the last checkpoint is checkpointed by a
 * short-lived worker thread with its own connection; an idle or small WAL costs one stat.
 */
export function startWalCheckpoints(path: string): WalCheckpoints {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  let checkpointedAt = -1;
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = async () => {
    const wal = await stat(`${path}-wal`).catch(() => null);
    if (stopped || !wal || wal.size < WAL_BYTES || wal.mtimeMs === checkpointedAt) return;
    checkpointedAt = wal.mtimeMs;
    await new Promise<void>((resolve) => {
      const worker = new Worker(WORKER, { eval: true, workerData: { driver, path }, resourceLimits: { maxOldGenerationSizeMb: 16 } });
      // A failed checkpoint (the file is gone at shutdown, a lock) is tried again at the next write.
      worker.once('error', () => {
        checkpointedAt = -1;
      });
      // Frames a reader still needed stay in the WAL: try again in a second.
      worker.once('message', (r: { log: number; checkpointed: number }) => {
        if (r.checkpointed < r.log) checkpointedAt = -1;
      });
      worker.once('exit', () => resolve());
    });
  };
  const timer = setInterval(() => {
    running ??= tick().finally(() => {
      running = null;
    });
  }, EVERY_MS);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
