import type { Match } from '../guardrails/match.js';
import { labelOf } from '../guardrails/pii.js';

/**
 * A streamed body (a model's streamed answer, buffered for the response phase) read as what its
 * reader reads: each event's data, and a text sent in pieces across events (a completion's
 * `choices[0].delta.content`, a message's `delta.text`, Ollama's `message.content`) joined into one —
 * an address streamed as `ada`, `@`, `example.com` is one address. What a guardrail changes in a
 * joined text is written back into the events it came from; every other event stays as it was sent,
 * byte for byte. `sse` is `text/event-stream` (events end with a blank line, their data on `data:`
 * lines); `ndjson` is newline-delimited JSON (`application/x-ndjson`, JSON Lines: a line an event).
 */
export type StreamFormat = 'sse' | 'ndjson';

/** A streamed body cut into its events (see StreamFormat). */
export interface EventStream {
  readonly format: StreamFormat;
  /** The body cut into blocks (an event and the blank line after it; a line and its end). */
  readonly blocks: string[];
  /** Each block's data: its parsed JSON, or its text; null for a block without data. */
  readonly data: ({ json: unknown } | { text: string } | null)[];
  /** The texts a reader reads, each from its pieces. */
  readonly texts: StreamText[];
}

/** One text of a stream: a field's values across events, joined in order (or one value every event repeats). */
export interface StreamText {
  /** The field's name (its last key), for the detectors that read a value after its name. */
  readonly field: string;
  readonly text: string;
  /** Where each piece stands in `text` (the same range for every piece of a repeated value). */
  readonly pieces: readonly Piece[];
}

interface Piece {
  readonly block: number;
  readonly path: readonly (string | number)[];
  readonly start: number;
  readonly end: number;
}

const MAX_DEPTH = 32;
const STAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
const BLOCK_ENDS: Record<StreamFormat, RegExp> = { sse: /\r?\n\r?\n/g, ndjson: /\n/g };

/** The event stream a body holds, or null when it holds no event with data. */
export function readEventStream(body: string, format: StreamFormat = 'sse'): EventStream | null {
  const blocks: string[] = [];
  let at = 0;
  const end = BLOCK_ENDS[format];
  end.lastIndex = 0;
  for (let m = end.exec(body); m !== null; m = end.exec(body)) {
    blocks.push(body.slice(at, m.index + m[0].length));
    at = m.index + m[0].length;
  }
  if (at < body.length) blocks.push(body.slice(at));
  const data = blocks.map(format === 'sse' ? dataOf : lineData);
  if (data.every((d) => d === null)) return null;
  // Each field's values by path (keyed by its segments joined), in event order (a text stream's pieces under the path `[]`).
  const groups = new Map<string, { field: string; values: { block: number; path: (string | number)[]; value: string }[] }>();
  const add = (block: number, path: (string | number)[], key: string, value: string) => {
    let group = groups.get(key);
    if (group === undefined) {
      let field = 'data';
      for (let i = path.length - 1; i >= 0; i--)
        if (typeof path[i] === 'string') {
          field = path[i] as string;
          break;
        }
      group = { field, values: [] };
      groups.set(key, group);
    }
    group.values.push({ block, path: path.slice(), value });
  };
  const path: (string | number)[] = [];
  data.forEach((d, block) => {
    if (d === null) return;
    if ('text' in d) add(block, path, '', d.text);
    else leaves(d.json, path, '', (at, key, value) => add(block, at, key, value));
  });
  const texts: StreamText[] = [];
  for (const { field, values } of groups.values()) {
    // A value every event repeats (an id, a model's name, a type) is read once, not run together with itself.
    if (values.every((v) => v.value === values[0]!.value)) {
      const text = values[0]!.value;
      texts.push({ field, text, pieces: values.map((v) => ({ block: v.block, path: v.path, start: 0, end: text.length })) });
      continue;
    }
    // A time each event stamps itself with (Ollama's `created_at`) is no piece of a text: each read alone.
    if (values.every((v) => STAMP.test(v.value))) {
      for (const v of values) texts.push({ field, text: v.value, pieces: [{ block: v.block, path: v.path, start: 0, end: v.value.length }] });
      continue;
    }
    const pieces: Piece[] = [];
    let text = '';
    for (const v of values) {
      pieces.push({ block: v.block, path: v.path, start: text.length, end: text.length + v.value.length });
      text += v.value;
    }
    texts.push({ field, text, pieces });
  }
  return { format, blocks, data, texts };
}

/** What a guardrail scans of a stream: each text after its field's name. */
export function streamValue(stream: EventStream): Record<string, string>[] {
  return stream.texts.map((t) => ({ [t.field]: t.text }));
}

/**
 * The body with the texts' findings redacted in the events they came from: a finding's label is
 * written in the first piece it touches, and the rest of it taken out of the pieces after. `found`
 * holds each text's matches (by its index in `texts`); a text mapped to a string is replaced whole
 * (its first piece becomes that string, the others empty).
 */
export function redactEventStream(stream: EventStream, found: Map<number, readonly Match[] | string>): string {
  const edits = new Map<Piece, { from: number; to: number; put: string }[]>();
  const edit = (piece: Piece, from: number, to: number, put: string) => {
    const list = edits.get(piece) ?? [];
    list.push({ from, to, put });
    edits.set(piece, list);
  };
  for (const [index, matches] of found) {
    const text = stream.texts[index]!;
    const whole: readonly Match[] = typeof matches === 'string' ? [{ kind: '', start: 0, end: text.text.length, replacement: matches }] : matches;
    const repeated = text.pieces.every((p) => p.start === 0 && p.end === text.text.length);
    for (const m of whole) {
      const put = m.replacement ?? labelOf(m.kind);
      let first = true;
      for (const piece of text.pieces) {
        if (piece.end <= m.start || piece.start >= m.end) continue;
        edit(piece, Math.max(m.start, piece.start) - piece.start, Math.min(m.end, piece.end) - piece.start, first || repeated ? put : '');
        first = false;
      }
    }
  }
  const changed = new Map<number, { json: unknown } | { text: string }>();
  for (const [piece, list] of edits) {
    const d = changed.get(piece.block) ?? structuredClone(stream.data[piece.block]!);
    changed.set(piece.block, d);
    const before = 'text' in d ? d.text : (valueAt(d.json, piece.path) as string);
    let after = '';
    let at = 0;
    for (const e of list.sort((a, b) => a.from - b.from)) {
      after += before.slice(at, e.from) + e.put;
      at = e.to;
    }
    after += before.slice(at);
    if ('text' in d) (d as { text: string }).text = after;
    else setAt(d.json, piece.path, after);
  }
  const written = stream.format === 'sse' ? withData : withLine;
  return stream.blocks.map((block, i) => (changed.has(i) ? written(block, changed.get(i)!) : block)).join('');
}

/** A block's data: its `data:` lines joined by newlines, parsed when they are a JSON object or array. */
function dataOf(block: string): { json: unknown } | { text: string } | null {
  let text: string | null = null;
  for (let at = 0; at < block.length; ) {
    let end = block.indexOf('\n', at);
    if (end < 0) end = block.length;
    const stop = end > at && block.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (block.startsWith('data:', at)) {
      const line = block.slice(at + (block.charCodeAt(at + 5) === 32 ? 6 : 5), stop);
      text = text === null ? line : `${text}\n${line}`;
    }
    at = end + 1;
  }
  return text === null ? null : parsed(text);
}

/** A line's data (newline-delimited JSON): its JSON, or its text when it is none (still read); null for a blank line. */
function lineData(block: string): { json: unknown } | { text: string } | null {
  const line = block.replace(/\r?\n$/, '');
  return line.trim() === '' ? null : parsed(line);
}

/** Data parsed when it is a JSON object or array (nested at most MAX_DEPTH), else its text. */
function parsed(text: string): { json: unknown } | { text: string } {
  const head = text.trimStart()[0];
  if (head === '{' || head === '[') {
    try {
      const json: unknown = JSON.parse(text);
      if (depthWithin(json, MAX_DEPTH)) return { json };
    } catch {
      // Not JSON: read as the text it is.
    }
  }
  return { text };
}

/** A line written anew with its data, its end kept. */
function withLine(block: string, data: { json: unknown } | { text: string }): string {
  return ('text' in data ? data.text : JSON.stringify(data.json)) + (block.match(/\r?\n$/)?.[0] ?? '');
}

/** The block with its data lines replaced by one line of the new data, where the first stood. */
function withData(block: string, data: { json: unknown } | { text: string }): string {
  const written = 'text' in data ? data.text : JSON.stringify(data.json);
  const ending = block.match(/\r?\n\r?\n$/)?.[0] ?? '';
  const lines = block.slice(0, block.length - ending.length).split(/\r?\n/);
  const out: string[] = [];
  let put = false;
  for (const line of lines) {
    if (!line.startsWith('data:')) out.push(line);
    else if (!put) {
      for (const part of written.split('\n')) out.push(`data: ${part}`);
      put = true;
    }
  }
  return out.join('\n') + ending;
}

/** Each string of a JSON value with its path (the shared `path`, as it stands at the string) and the path's key. */
function leaves(value: unknown, path: (string | number)[], key: string, each: (path: (string | number)[], key: string, value: string) => void): void {
  if (typeof value === 'string') each(path, key, value);
  else if (Array.isArray(value))
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      leaves(value[i], path, `${key}\u0001${i}`, each);
      path.pop();
    }
  else if (value !== null && typeof value === 'object')
    for (const k of Object.keys(value)) {
      path.push(k);
      leaves((value as Record<string, unknown>)[k], path, `${key}\u0002${k}`, each);
      path.pop();
    }
}

/** Whether a JSON value nests at most `depth` deep. */
function depthWithin(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (depth === 0) return false;
  if (Array.isArray(value)) return value.every((v) => depthWithin(v, depth - 1));
  for (const k in value) if (!depthWithin((value as Record<string, unknown>)[k], depth - 1)) return false;
  return true;
}

/** The value at a path. */
function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value as Record<string | number, unknown>;
  for (const p of path) v = v[p] as Record<string | number, unknown>;
  return v;
}

/** Sets the string at a path. */
function setAt(value: unknown, path: readonly (string | number)[], next: string): void {
  const parent = valueAt(value, path.slice(0, -1)) as object;
  // Defined, not assigned: a key `__proto__` (own, as JSON.parse makes it) stays a key.
  Object.defineProperty(parent, path[path.length - 1]!, { value: next, writable: true, enumerable: true, configurable: true });
}
