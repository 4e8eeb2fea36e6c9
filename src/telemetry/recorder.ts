import type { RequestRecord } from '../core/index.js';

/** Where the pipeline hands each finished call. Must never block or throw: implementations buffer and write in batches. */
export interface Recorder {
  record(entry: RequestRecord): void;
  /** Writes whatever is buffered (on shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
