import type { ServerResponse } from 'node:http';

/** A fast-path answer that turns into an event stream if something must reach the caller before the result. */
export interface LiveAnswer {
  /** Sends a notification on the answer's stream (the first one starts the stream). */
  notify(method: string, params: Record<string, unknown> | undefined): void;
  /** Whether the answer became an event stream: the result must then go as its last event (`finish`). */
  readonly started: boolean;
  /** Ends the stream with the JSON-RPC response. */
  finish(response: Record<string, unknown>): void;
}

/**
 * The answer of a 2025-era `tools/call` on the fast path: a JSON body unless the call's upstream
 * sends a notification first (a tool's log message on its own response stream), which then reaches
 * the caller on this answer's stream, before the result — where it would have reached a direct
 * caller of the upstream (Streamable HTTP lets a server answer a POST either way).
 */
export function liveAnswer(res: ServerResponse): LiveAnswer {
  let started = false;
  const write = (message: Record<string, unknown>) => res.write(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', ...message })}\n\n`);
  return {
    notify(method, params) {
      if (res.writableEnded || res.destroyed) return;
      if (!started) {
        started = true;
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform' });
      }
      write({ method, ...(params ? { params } : {}) });
    },
    get started() {
      return started;
    },
    finish(response) {
      write(response);
      res.end();
    },
  };
}
