import type { Recorder } from '../recorder.js';
import type { OtelLogs } from './logs.js';

/** A recorder that also hands each call to OpenTelemetry; both stay O(1) and never block the call. */
export function withOtelLogs(recorder: Recorder, logs: OtelLogs): Recorder {
  return {
    record(entry) {
      recorder.record(entry);
      logs.emitRequestLog(entry);
    },
    flush: async () => {
      await recorder.flush();
      await logs.flush().catch(() => {});
    },
    close: () => recorder.close(),
  };
}
