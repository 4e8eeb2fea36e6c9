import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestChannel, RequestRecord } from '../core/index.js';
import { isoTime } from '../telemetry/iso-time.js';
import { newLogId } from '../telemetry/log-id.js';
import type { Recorder } from '../telemetry/recorder.js';

/** Refusals kept while the request log is not open yet; beyond this they are counted, not kept. */
const MAX_HELD = 1_000;

/**
 * The request log's entries for calls the node refused before its pipeline could take them (503
 * GATEHOUSE_NOT_READY while starting): held until the log opens (bounded), then written with the rest.
 */
export class RefusalLog {
  #recorder: Recorder | null = null;
  readonly #held: RequestRecord[] = [];
  #dropped = 0;

  /** Records one refused call; `res` has been answered. */
  record(req: IncomingMessage, res: ServerResponse, channel: RequestChannel, path: string, requestId: string, startedAt: number): void {
    const entry: RequestRecord = {
      id: newLogId(startedAt),
      requestId,
      time: isoTime(startedAt),
      channel,
      collectionId: null,
      proxyId: null,
      endpointId: null,
      clientId: null,
      profileId: null,
      method: req.method ?? 'GET',
      mcpMethod: null,
      path,
      status: res.statusCode,
      latencyMs: Date.now() - startedAt,
      upstreamLatencyMs: null,
      bytesIn: Number(req.headers['content-length'] ?? 0) || 0,
      bytesOut: Number(res.getHeader('content-length') ?? 0) || 0,
      ip: req.socket.remoteAddress ?? null,
      userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
      errorCode: 'GATEHOUSE_NOT_READY',
      mcpClient: null,
      mcpTool: null,
      requestBody: null,
      responseBody: null,
      workflow: null,
      subject: null,
      actor: null,
    };
    if (this.#recorder) this.#recorder.record(entry);
    else if (this.#held.length < MAX_HELD) this.#held.push(entry);
    else this.#dropped++;
  }

  /** From now on refusals go to `recorder`; those held so far are written first. Returns how many could not be held. */
  open(recorder: Recorder): number {
    this.#recorder = recorder;
    for (const entry of this.#held.splice(0)) recorder.record(entry);
    return this.#dropped;
  }

  /** Stops writing (the recorder is closing); later refusals are held, and lost with the process. */
  close(): void {
    this.#recorder = null;
  }
}
