/** Keeps the first `max` bytes of a body for the request log. */
export class BodyCapture {
  private readonly parts: Buffer[] = [];
  private size = 0;
  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    if (this.size >= this.max) return;
    const take = Math.min(chunk.length, this.max - this.size);
    this.parts.push(take === chunk.length ? chunk : chunk.subarray(0, take));
    this.size += take;
  }

  /** Captures `body` in place of what was captured: the body as a guardrail left it. */
  replaceWith(body: Buffer): void {
    this.parts.length = 0;
    this.size = 0;
    this.push(body);
  }

  /** The captured text with the named JSON fields redacted. */
  text(redactFields: readonly string[]): string {
    return redactBody(Buffer.concat(this.parts, this.size).toString('utf8'), redactFields);
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
