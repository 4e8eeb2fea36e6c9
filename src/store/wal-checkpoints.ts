import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// SQLite's own threshold for an automatic checkpoint: 1,000 pages of 4 KiB.
const WAL_BYTES = 1_000 * 4_096;
const EVERY_MS = 1_000;

// The checkpointer: a connection of its own in a thread of its own, kept for the life of the store
// (starting a thread and loading the driver costs ~40 ms of CPU, every second during a burst of
// writes when each checkpoint had a thread of its own). PASSIVE: it copies what no reader still
// needs and never waits for (or blocks) a writer.
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage(db.pragma('wal_checkpoint(PASSIVE)')[0]);
  } catch {
    parentPort.postMessage(null);
  }
});
`;

/** What one checkpoint did, in WAL frames; null when it failed. */
export type CheckpointOutcome = { log: number; checkpointed: number } | null;

/** Runs one PASSIVE checkpoint of the file on a connection of its own, off the main thread. */
type RunCheckpoint = () => Promise<CheckpointOutcome>;

/** The background checkpoints of one SQLite file; `stop` waits for one that is running. */
export interface WalCheckpoints {
  /**
   * Hands the checkpoints to a thread that already holds a connection to the file (`serve`'s
   * request-log writer): a second thread, with its own V8 heap and driver, would cost ~9 MB of RSS
   * for one pragma a second. A thread of their own that was started before is ended.
   */
  runIn(run: RunCheckpoint): void;
  stop(): Promise<void>;
}

/**
 * Checkpoints the WAL of an SQLite file off the main thread. The main connection runs with
 * `wal_autocheckpoint = 0`: otherwise the commit that crosses the threshold copies the whole WAL
 * into the database on the event loop (~370 ms after a 100,000-row apply). Instead, once a second,
 * a WAL that is past the threshold and was written since the last checkpoint is checkpointed by a
 * worker thread with its own connection, started at the first such WAL and kept, or by the thread
 * they were handed to (`runIn`); an idle or small WAL costs one stat.
 */
export function startWalCheckpoints(path: string): WalCheckpoints {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  let checkpointedAt = -1;
  let running: Promise<void> | null = null;
  let stopped = false;
  let worker: Worker | null = null;
  let handedTo: RunCheckpoint | null = null;
  let answer: ((outcome: CheckpointOutcome) => void) | null = null;
  const settle = (outcome: CheckpointOutcome) => {
    const waiting = answer;
    answer = null;
    waiting?.(outcome);
  };
  const checkpointer = (): Worker => {
    if (worker) return worker;
    const w = new Worker(WORKER, { eval: true, workerData: { driver, path }, resourceLimits: { maxOldGenerationSizeMb: 16 } });
    // It never keeps the process alive; a thread that failed (the file gone at shutdown) is started again at the next checkpoint.
    w.unref();
    const gone = () => {
      if (worker === w) worker = null;
      settle(null);
    };
    w.on('message', settle);
    w.on('error', gone);
    w.on('exit', gone);
    worker = w;
    return w;
  };
  const checkpoint = (): Promise<CheckpointOutcome> =>
    handedTo
      ? handedTo().catch(() => null)
      : new Promise<CheckpointOutcome>((resolve) => {
          answer = resolve;
          checkpointer().postMessage('checkpoint');
        });
  // Its connection closes before the main one, so the main one's close is the last and empties the WAL.
  const endThread = async () => {
    const w = worker;
    if (!w) return;
    worker = null;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.postMessage('close');
    const late = setTimeout(() => void w.terminate(), 2_000);
    await exited;
    clearTimeout(late);
  };
  const tick = async () => {
    const wal = await stat(`${path}-wal`).catch(() => null);
    if (stopped || !wal || wal.size < WAL_BYTES || wal.mtimeMs === checkpointedAt) return;
    checkpointedAt = wal.mtimeMs;
    const outcome = await checkpoint();
    // A failed checkpoint (a lock), or frames a reader still needed: try again in a second.
    if (outcome === null || outcome.checkpointed < outcome.log) checkpointedAt = -1;
  };
  const timer = setInterval(() => {
    running ??= tick().finally(() => {
      running = null;
    });
  }, EVERY_MS);
  timer.unref();
  return {
    runIn(run) {
      handedTo = run;
      // After a checkpoint it may be running: the thread answers it before it reads the close.
      void endThread();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await endThread();
    },
  };
}
