import type { AttributeValue } from '@opentelemetry/api';
import type { ProtobufWriter } from './protobuf-writer.js';

// OTLP fields both record encoders write (otlp-records.ts from record objects, row-records.ts from rows).

// SpanFlags: the low byte is the W3C trace flags; bit 8 says whether bit 9 (the parent is remote) is known.
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;
const STATUS_ERROR = 2;
const SEVERITY = { INFO: 9, WARN: 13, ERROR: 17 } as const;
export type Severity = keyof typeof SEVERITY;

/** One KeyValue (field `field` of its message); null and undefined values are left out. */
export function attribute(w: ProtobufWriter, field: number, key: string, value: AttributeValue | null | undefined): void {
  if (value === null || value === undefined) return;
  w.tag(field, 2);
  const kv = w.begin();
  w.constant(1, key);
  w.tag(2, 2);
  const any = w.begin();
  if (typeof value === 'string') {
    w.tag(1, 2);
    w.string(value);
  } else if (typeof value === 'number') {
    // int_value for whole non-negative numbers (ports, statuses, sizes), else double_value.
    if (Number.isSafeInteger(value) && value >= 0) {
      w.tag(3, 0);
      w.varint(value);
    } else {
      w.tag(4, 1);
      w.double(value);
    }
  } else if (typeof value === 'boolean') {
    w.tag(2, 0);
    w.varint(value ? 1 : 0);
  } else {
    // Arrays are not used by the gateway's attributes: written as their JSON text.
    w.tag(1, 2);
    w.string(JSON.stringify(value));
  }
  w.end(any);
  w.end(kv);
}

/** A span's last fields: its status when it failed (with the error's name), and its flags. */
export function writeSpanTail(w: ProtobufWriter, errorType: string | null, failed: boolean, traceFlags: number, parentRemote: boolean): void {
  if (failed) {
    w.tag(15, 2);
    const status = w.begin();
    if (errorType !== null) {
      w.tag(2, 2);
      w.string(errorType);
    }
    w.tag(3, 0);
    w.varint(STATUS_ERROR);
    w.end(status);
  }
  w.tag(16, 5);
  w.fixed32((traceFlags & 0xff) | HAS_IS_REMOTE | (parentRemote ? IS_REMOTE : 0));
}

/** A log record's times (when it happened, when the export observed it) and severity (fields 1, 11, 2, 3); its body and event name follow. */
export function writeLogStart(w: ProtobufWriter, timeMs: number, observedMs: number, severity: Severity): void {
  w.tag(1, 1);
  w.nanos(timeMs);
  w.tag(11, 1);
  w.nanos(observedMs);
  writeSeverity(w, severity);
}

/** writeLogStart with both times already encoded: the 8 bytes of their fixed64 nanoseconds, as ProtobufWriter.nanos writes them. */
export function writeLogStartEncoded(w: ProtobufWriter, time: Uint8Array, observed: Uint8Array, severity: Severity): void {
  w.tag(1, 1);
  w.raw(time);
  w.tag(11, 1);
  w.raw(observed);
  writeSeverity(w, severity);
}

function writeSeverity(w: ProtobufWriter, severity: Severity): void {
  w.tag(2, 0);
  w.varint(SEVERITY[severity]);
  w.constant(3, severity);
}
