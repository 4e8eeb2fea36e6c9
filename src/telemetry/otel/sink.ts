import type { OnSignalDrop } from './budget.js';
import { createLibrarySink } from './library-sink.js';
import type { OtelSink } from './otel-sink.js';
import { createRowSink } from './row-sink.js';
import type { OtelSettings } from './settings.js';

/**
 * The OTLP export of one thread: the request-log writer's (the gateway's calls, from the batches it
 * writes) or the caller's own (`startOtelExport`). Two implementations behind this one interface,
 * chosen by the fast-paths switch: the row encoder (row-sink.ts; `http/protobuf` with fast paths on,
 * the default) and the OTel SDK's processors and exporters (library-sink.ts; every protocol with
 * GATEHOUSE_FAST_PATHS=off, and always for `http/json`, which the row encoder does not write).
 */
export function createOtelSink(settings: OtelSettings, onDrop: OnSignalDrop = () => {}): OtelSink {
  const fast = settings.fastPaths !== false && (settings.protocol ?? 'http/protobuf') === 'http/protobuf';
  return fast ? createRowSink(settings, onDrop) : createLibrarySink(settings, onDrop);
}
