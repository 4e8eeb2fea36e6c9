/**
 * A minimal protobuf reader for the OTLP messages the receiver decodes (traces and logs), so the
 * gateway's default encoding (http/protobuf) is checked by what a collector would read, field by field.
 */

type Field = { no: number; wire: number; value: Buffer | number };

function varint(buf: Buffer, at: number): [number, number] {
  let result = 0;
  let shift = 0;
  let pos = at;
  for (;;) {
    const b = buf[pos++]!;
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7;
  }
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, next] = varint(buf, pos);
    pos = next;
    const no = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      const [v, after] = varint(buf, pos);
      out.push({ no, wire, value: v });
      pos = after;
    } else if (wire === 1) {
      out.push({ no, wire, value: buf.subarray(pos, pos + 8) });
      pos += 8;
    } else if (wire === 5) {
      out.push({ no, wire, value: buf.subarray(pos, pos + 4) });
      pos += 4;
    } else if (wire === 2) {
      const [len, after] = varint(buf, pos);
      out.push({ no, wire, value: buf.subarray(after, after + len) });
      pos = after + len;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

const all = (buf: Buffer, no: number) =>
  fields(buf)
    .filter((f) => f.no === no)
    .map((f) => f.value);
const one = (buf: Buffer, no: number) => fields(buf).find((f) => f.no === no)?.value;
const text = (v: Buffer | number | undefined) => (v === undefined ? undefined : (v as Buffer).toString('utf8'));
/** A fixed64 nanosecond time as epoch milliseconds (with fractions). */
const millis = (v: Buffer | number | undefined) => (v === undefined ? undefined : Number((v as Buffer).readBigUInt64LE(0)) / 1e6);
const hex = (v: Buffer | number | undefined) => (v === undefined || (v as Buffer).length === 0 ? undefined : (v as Buffer).toString('hex'));

/** AnyValue's int_value (field 3, the message's only field) as a signed int64: a negative one is a 10-byte two's-complement varint. */
function int64(buf: Buffer): number {
  let pos = varint(buf, 0)[1];
  let v = 0n;
  for (let shift = 0n; ; shift += 7n) {
    const b = buf[pos++]!;
    v |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
  }
  return Number(BigInt.asIntN(64, v));
}

function anyValue(buf: Buffer): unknown {
  const f = fields(buf)[0];
  if (!f) return undefined;
  if (f.no === 1) return text(f.value);
  if (f.no === 2) return f.value === 1;
  if (f.no === 3) return int64(buf);
  if (f.no === 4) return (f.value as Buffer).readDoubleLE(0);
  return undefined;
}

function attributes(buf: Buffer, no: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of all(buf, no) as Buffer[]) {
    const value = one(kv, 2);
    out[text(one(kv, 1))!] = value === undefined ? undefined : anyValue(value as Buffer);
  }
  return out;
}

/** The spans of an ExportTraceServiceRequest, in the receiver's flattened shape. */
export function decodeTraces(buf: Buffer) {
  const spans = [];
  for (const rs of all(buf, 1) as Buffer[]) {
    const resourceBuf = one(rs, 1) as Buffer | undefined;
    const resource = resourceBuf ? attributes(resourceBuf, 1) : {};
    for (const ss of all(rs, 2) as Buffer[]) {
      for (const s of all(ss, 2) as Buffer[]) {
        const status = one(s, 15) as Buffer | undefined;
        spans.push({
          name: text(one(s, 5))!,
          traceId: hex(one(s, 1))!,
          spanId: hex(one(s, 2))!,
          parentSpanId: hex(one(s, 4)),
          kind: (one(s, 6) as number | undefined) ?? 0,
          startMs: millis(one(s, 7)),
          endMs: millis(one(s, 8)),
          flags: (one(s, 16) as Buffer | undefined)?.readUInt32LE(0),
          status: status ? { code: one(status, 3) as number | undefined, message: text(one(status, 2)) } : undefined,
          attributes: attributes(s, 9),
          resource,
        });
      }
    }
  }
  return spans;
}

/** The log records of an ExportLogsServiceRequest, in the receiver's flattened shape. */
export function decodeLogs(buf: Buffer) {
  const logs = [];
  for (const rl of all(buf, 1) as Buffer[]) {
    const resourceBuf = one(rl, 1) as Buffer | undefined;
    const resource = resourceBuf ? attributes(resourceBuf, 1) : {};
    for (const sl of all(rl, 2) as Buffer[]) {
      const scope = one(sl, 1) as Buffer | undefined;
      for (const r of all(sl, 2) as Buffer[]) {
        const body = one(r, 5) as Buffer | undefined;
        logs.push({
          scope: scope ? text(one(scope, 1))! : '',
          body: body ? anyValue(body) : undefined,
          severityText: text(one(r, 3)),
          severityNumber: one(r, 2) as number | undefined,
          timeMs: millis(one(r, 1)),
          eventName: text(one(r, 12)),
          attributes: attributes(r, 6),
          resource,
        });
      }
    }
  }
  return logs;
}
