import type { ProtobufWriter } from './protobuf-writer.js';

/**
 * One kind of record (a log record, a SERVER or a CLIENT span) written in full once and then
 * stamped out for the rows after it that have the same shape: the last full record's bytes are
 * copied whole and only its holes — the fields that change from call to call (ids, times, the
 * request id, the path, latencies) — are written again in place. A shape is what fixes every byte
 * outside the holes (string-table refs, status, flags, which optional fields are present); a hole
 * rewritten to another length (a longer path, a wider number) would move everything after it, so
 * the stamp is then abandoned and the record written in full. The bytes are those of a full write.
 */
export class Stamp {
  readonly #key: Float64Array;
  readonly #next: Float64Array;
  #keys = -1;
  #size = 0;
  #template: Uint8Array | null = null;
  readonly #open: Int32Array;
  readonly #close: Int32Array;
  readonly #ids: Int32Array;
  #holes = 0;
  #start = 0;

  constructor(keys: number, holes: number) {
    this.#key = new Float64Array(keys);
    this.#next = new Float64Array(keys);
    this.#open = new Int32Array(holes);
    this.#close = new Int32Array(holes);
    this.#ids = new Int32Array(holes);
  }

  /** Starts keying a row's shape. */
  shape(): void {
    this.#size = 0;
  }

  /** Adds one value of the row's shape. */
  key(value: number): void {
    this.#next[this.#size++] = value;
  }

  /** Forgets the template: a new batch's string-table refs name other strings. */
  clear(): void {
    this.#template = null;
  }

  /** Whether the template was written for the shape just keyed. */
  fits(): boolean {
    if (this.#template === null || this.#keys !== this.#size) return false;
    const key = this.#key;
    const next = this.#next;
    for (let i = 0; i < this.#size; i++) if (key[i] !== next[i]) return false;
    return true;
  }

  /** Copies the template at `w.pos`; returns where the stamped record starts (for `at`, `ended`, `done`). */
  copy(w: ProtobufWriter): number {
    const start = w.pos;
    w.raw(this.#template!);
    return start;
  }

  /** How many holes the template has. */
  get holes(): number {
    return this.#holes;
  }

  /** Moves `w` to hole `i` of the record stamped at `start`; returns what the hole holds (the id it was opened with). */
  at(w: ProtobufWriter, start: number, i: number): number {
    w.pos = start + this.#open[i]!;
    return this.#ids[i]!;
  }

  /** Whether hole `i`, just rewritten, ends where the template's did. */
  ended(w: ProtobufWriter, start: number, i: number): boolean {
    return w.pos === start + this.#close[i]!;
  }

  /** Moves `w` past the record stamped at `start`. */
  done(w: ProtobufWriter, start: number): void {
    w.pos = start + this.#template!.length;
  }

  /** Starts a full write at `w.pos`, whose holes are marked by `open` and `close`; the template is forgotten (its holes are overwritten) until `keep`. */
  begin(w: ProtobufWriter): void {
    this.#template = null;
    this.#start = w.pos;
    this.#holes = 0;
  }

  /** Marks where the next hole starts, and what it holds (an id the record's writer knows it by). */
  open(w: ProtobufWriter, id: number): void {
    this.#open[this.#holes] = w.pos;
    this.#ids[this.#holes] = id;
  }

  /** Marks where the hole last opened ends. */
  close(w: ProtobufWriter): void {
    this.#close[this.#holes++] = w.pos;
  }

  /** Marks a hole already written, from `from` to `to`. */
  mark(id: number, from: number, to: number): void {
    this.#open[this.#holes] = from;
    this.#ids[this.#holes] = id;
    this.#close[this.#holes++] = to;
  }

  /**
   * Ends a nested message begun at `mark` that holds holes (ProtobufWriter.end): a length that
   * needs more than its one reserved byte moves the message's body, and the holes in it with it.
   */
  end(w: ProtobufWriter, mark: number): void {
    const before = w.pos;
    w.end(mark);
    const moved = w.pos - before;
    if (moved === 0) return;
    for (let i = 0; i < this.#holes; i++) {
      if (this.#open[i]! > mark) this.#open[i] = this.#open[i]! + moved;
      if (this.#close[i]! > mark) this.#close[i] = this.#close[i]! + moved;
    }
  }

  /** Keeps the record just written in full as the template for the shape keyed before it. */
  keep(w: ProtobufWriter): void {
    this.#template = w.bytes.slice(this.#start, w.pos);
    for (let i = 0; i < this.#holes; i++) {
      this.#open[i] = this.#open[i]! - this.#start;
      this.#close[i] = this.#close[i]! - this.#start;
    }
    this.#key.set(this.#next);
    this.#keys = this.#size;
  }
}
