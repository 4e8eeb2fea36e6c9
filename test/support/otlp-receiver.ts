import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeLogs, decodeTraces } from './otlp-protobuf.js';

type AnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
type KeyValue = { key: string; value: AnyValue };

/** One OTLP log record as received, its attributes flattened. */
export interface ReceivedLog {
  scope: string;
  body: unknown;
  severityText?: string;
  severityNumber?: number | undefined;
  eventName?: string;
  /** Epoch milliseconds. */
  timeMs?: number | undefined;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

/** One OTLP span as received, its attributes flattened. */
export interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  kind: number;
  /** Epoch milliseconds. */
  startMs?: number | undefined;
  endMs?: number | undefined;
  /** SpanFlags: the trace flags, and whether the parent is remote (0x100 known, 0x200 remote). */
  flags?: number | undefined;
  status?: { code?: number; message?: string };
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

function flat(list: KeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of list ?? []) {
    out[key] = value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : (value.doubleValue ?? value.boolValue));
  }
  return out;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A real OTLP/HTTP receiver (protobuf and JSON encodings) on a loopback port: decodes what exporters post to
 * /v1/logs and /v1/traces. `mode` makes it fail (503) or never answer, to test a collector in trouble.
 */
export async function startOtlpReceiver() {
  const logs: ReceivedLog[] = [];
  const spans: ReceivedSpan[] = [];
  const requests: Array<{ path: string; contentType: string | undefined; headers: IncomingMessage['headers'] }> = [];
  const state = { mode: 'ok' as 'ok' | 'fail' | 'hang' };
  const hanging = new Set<() => void>();
  const server = createServer(async (req, res) => {
    const raw = await body(req);
    requests.push({ path: req.url ?? '', contentType: req.headers['content-type'], headers: req.headers });
    if (state.mode === 'hang') {
      hanging.add(() => res.destroy());
      return;
    }
    if (state.mode === 'fail') {
      res.writeHead(503).end();
      return;
    }
    if (req.headers['content-type']?.startsWith('application/x-protobuf')) {
      if (req.url === '/v1/logs') logs.push(...decodeLogs(raw));
      else if (req.url === '/v1/traces') spans.push(...decodeTraces(raw));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      return;
    }
    const payload = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    if (req.url === '/v1/logs') {
      for (const rl of (payload.resourceLogs as Array<Record<string, any>>) ?? []) {
        const resource = flat(rl.resource?.attributes);
        for (const sl of rl.scopeLogs ?? []) {
          for (const r of sl.logRecords ?? []) {
            logs.push({
              scope: sl.scope?.name,
              body: r.body?.stringValue,
              severityText: r.severityText,
              severityNumber: r.severityNumber,
              eventName: r.eventName,
              timeMs: r.timeUnixNano === undefined ? undefined : Number(BigInt(r.timeUnixNano)) / 1e6,
              attributes: flat(r.attributes),
              resource,
            });
          }
        }
      }
    } else if (req.url === '/v1/traces') {
      for (const rs of (payload.resourceSpans as Array<Record<string, any>>) ?? []) {
        const resource = flat(rs.resource?.attributes);
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            spans.push({
              name: s.name,
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId || undefined,
              kind: s.kind,
              startMs: Number(BigInt(s.startTimeUnixNano)) / 1e6,
              endMs: Number(BigInt(s.endTimeUnixNano)) / 1e6,
              flags: s.flags,
              status: s.status,
              attributes: flat(s.attributes),
              resource,
            });
          }
        }
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    logs,
    spans,
    requests,
    state,
    async close() {
      for (const h of hanging) h();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
