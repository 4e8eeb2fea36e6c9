import { decompressed } from '../workflows/body-decoding.js';

/** Keeps the first `max` bytes of a body for the request log. */
export class BodyCapture {
  private readonly parts: Buffer[] = [];
  private size = 0;
  /** The body's content coding (`gzip`…), when it was sent encoded: the log shows it decoded. */
  private encoding: string | null = null;
  constructor(private readonly max: number) {}

  /** Says how the captured bytes are encoded (a Content-Encoding value; absent or `identity`: not at all). */
  encodedAs(encoding: string | string[] | undefined): void {
    const value = (Array.isArray(encoding) ? encoding.join(',') : (encoding ?? '')).trim().toLowerCase();
    this.encoding = value === '' || value === 'identity' ? null : value;
  }

  push(chunk: Buffer): void {
    if (this.size >= this.max) return;
    const take = Math.min(chunk.length, this.max - this.size);
    this.parts.push(take === chunk.length ? chunk : chunk.subarray(0, take));
    this.size += take;
  }

  /** Captures `body` in place of what was captured, unencoded: the body as a guardrail left it. */
  replaceWith(body: Buffer): void {
    this.parts.length = 0;
    this.size = 0;
    this.encoding = null;
    this.push(body);
  }

  /** The captured text with the named JSON fields redacted; an encoded body decoded (at most `max` bytes of it), or said to be encoded where it cannot be. */
  text(redactFields: readonly string[]): string {
    const raw = Buffer.concat(this.parts, this.size);
    if (this.encoding === null) return redactBody(raw.toString('utf8'), redactFields);
    try {
      // Its first `max` bytes are what the log keeps; decoded up to eight times that (so a bomb stops early), then cut.
      const decoded = decompressed(raw, this.encoding, Math.min(this.max * 8, 8 * 1_048_576), true)?.subarray(0, this.max);
      if (decoded === undefined) throw new Error('not a coding the log decodes');
      return redactBody(decoded.toString('utf8').replace(/\uFFFD+$/, ''), redactFields);
    } catch {
      // A coding it cannot read, or a body that decodes past `max` (a bomb's): its size and coding, not its bytes as text.
      return `[${this.size} bytes of a ${this.encoding.slice(0, 40)}-encoded body]`;
    }
  }
}

const REDACTED = '[REDACTED]';

function redactValue(value: unknown, fields: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => redactValue(v, fields));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fields.has(k) ? REDACTED : redactValue(v, fields);
    return out;
  }
  return value;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces the values of the named JSON fields; bodies cut off mid-JSON are masked by pattern. */
export function redactBody(text: string, fields: readonly string[]): string {
  if (fields.length === 0 || text === '') return text;
  try {
    return JSON.stringify(redactValue(JSON.parse(text), new Set(fields)));
  } catch {
    const names = fields.map(escapeRegExp).join('|');
    const pattern = new RegExp(`("(?:${names})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"?|[^,}\\]\\s]*)`, 'g');
    return text.replace(pattern, `$1"${REDACTED}"`);
  }
}
