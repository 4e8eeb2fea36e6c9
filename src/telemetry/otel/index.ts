export type { DropReason, OnDrop, OnSignalDrop } from './budget.js';
export { type OtelExport, startOtelExport } from './export.js';
export { createOtelLogs, type OtelLogs } from './logs.js';
export { OTEL_DEFAULTS, type OtelSettings } from './settings.js';
export { type CallSpan, type CallTracer, createCallTracer, type TraceHeaders, type UpstreamSpan } from './tracer.js';
