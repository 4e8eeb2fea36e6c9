import { randomBytes } from 'node:crypto';
import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync, writevSync } from 'node:fs';
import { join } from 'node:path';
import { type RowBatch, SEGMENT_FORMAT } from './record-batch.js';
import type { RollupCell } from './rollups.js';

/** One batch as the spool keeps it until the database has it. */
export interface SpooledBatch {
  batch: RowBatch;
  cells: RollupCell[];
}

// A running writer's file (its process id and a tag of its own), and one a writer left behind on close.
const LIVE = /^spool-(\d+)-[0-9a-f]+\.log$/;
const LEFT = /^left-\d+-[0-9a-f]+\.log$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A batch's frame as its three parts (lengths, JSON head, row bytes), written together with one writev. */
function frame(entry: SpooledBatch): Buffer[] {
  const { batch, cells } = entry;
  const head = Buffer.from(JSON.stringify({ id: batch.id, rows: batch.rows, strings: batch.strings, format: batch.format ?? SEGMENT_FORMAT, cells }));
  const bytes = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  const lengths = Buffer.alloc(8);
  lengths.writeUInt32LE(head.length, 0);
  lengths.writeUInt32LE(bytes.length, 4);
  return [lengths, head, bytes];
}

/** The whole frames of a spool file; a frame cut off by a crash mid-write is left out. */
function frames(file: Buffer): SpooledBatch[] {
  const out: SpooledBatch[] = [];
  let at = 0;
  while (at + 8 <= file.length) {
    const headLength = file.readUInt32LE(at);
    const bytesLength = file.readUInt32LE(at + 4);
    const end = at + 8 + headLength + bytesLength;
    if (end > file.length) break;
    try {
      const head = JSON.parse(file.subarray(at + 8, at + 8 + headLength).toString('utf8')) as Omit<RowBatch, 'bytes'> & { cells: RollupCell[] };
      const bytes = new Uint8Array(file.subarray(at + 8 + headLength, end));
      // A frame without a format was spooled before frames named theirs, in the format of that time (2).
      out.push({ batch: { id: head.id, rows: head.rows, strings: head.strings, format: head.format ?? 2, bytes }, cells: head.cells });
    } catch {
      break;
    }
    at = end;
  }
  return out;
}

/**
 * The request-log spool: every batch is appended to a local file before the database write and
 * the file is emptied once the database has everything, so a process killed mid-write (or a
 * database that is down) loses nothing that reached the writer. Each process spools into a file
 * of its own; at start, the files of processes no longer running are taken over and replayed
 * (the store skips batches it already has, by id).
 */
export class RequestLogSpool {
  readonly #tag: string;
  readonly #file: string;
  readonly #fd: number;
  #bytes = 0;

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.#tag = `${process.pid}-${randomBytes(6).toString('hex')}`;
    this.#file = join(dir, `spool-${this.#tag}.log`);
    this.#fd = openSync(this.#file, 'w', 0o600);
  }

  /** Bytes waiting in this process's spool. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The batches earlier writers left behind (they are moved into this spool, oldest first). */
  recover(): SpooledBatch[] {
    const out: SpooledBatch[] = [];
    const orphans = readdirSync(this.dir)
      .filter((name) => LEFT.test(name) || (LIVE.test(name) && !alive(Number(LIVE.exec(name)![1]))))
      .map((name) => ({ name, mtime: statSync(join(this.dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
      .sort((a, b) => a.mtime - b.mtime);
    for (const { name } of orphans) {
      // Claimed by renaming, so two writers starting together never replay the same file twice.
      const claimed = join(this.dir, `claimed-${this.#tag}-${name}`);
      try {
        renameSync(join(this.dir, name), claimed);
      } catch {
        continue;
      }
      for (const entry of frames(readFileSync(claimed))) if (this.append(entry)) out.push(entry);
      rmSync(claimed, { force: true });
    }
    return out;
  }

  /** Appends a batch; false when the spool is full (the batch is then lost, and counted by the caller). */
  append(entry: SpooledBatch): boolean {
    const parts = frame(entry);
    const length = parts[0]!.length + parts[1]!.length + parts[2]!.length;
    if (this.#bytes + length > this.maxBytes) return false;
    // At an explicit offset: clear() truncates without moving the descriptor's own position.
    const written = writevSync(this.#fd, parts, this.#bytes);
    // A short write (rare on a local file) is finished from where it stopped.
    if (written < length) writeSync(this.#fd, Buffer.concat(parts).subarray(written), 0, length - written, this.#bytes + written);
    this.#bytes += length;
    return true;
  }

  /** The database has every spooled batch: start empty (truncated in place; reopening the file cost ~50 µs a batch). */
  clear(): void {
    if (this.#bytes === 0) return;
    ftruncateSync(this.#fd, 0);
    this.#bytes = 0;
  }

  /** Closes the file: removed when empty, else left for the next writer to replay (even one in this same process). */
  close(): void {
    closeSync(this.#fd);
    if (this.#bytes === 0) rmSync(this.#file, { force: true });
    else renameSync(this.#file, join(this.dir, `left-${this.#tag}.log`));
  }
}
