import type { FetchLike } from '@modelcontextprotocol/client';
import { type CallNotices, noticesFor, tookNotice } from './call-notices.js';
import { AnswerFormatError, answerFailure, EventStreamDecoder, jsonAnswer, MAX_MESSAGE_CHARS } from './mcp-answer.js';

/**
 * A fetch for the SDK client's transport whose answers have been read by the gateway's own parser
 * (mcp-answer.ts), so the SDK path and the lean call agree on every answer shape. An event stream
 * reaches the client re-written in one form — each message its own `event: message` with one line of
 * data and its event id, priming events and `retry:` kept (the client resumes with them), comments,
 * other event types and empty events gone, a batch split into its messages. An answer that cannot be
 * read becomes the JSON-RPC error response to the request it answers, as the lean call reports it,
 * instead of an event the client would drop while the call waits out its timeout.
 */
export function canonicalAnswers(send: FetchLike): FetchLike {
  return async (url, init) => {
    const res = await send(url, init);
    if (!res.ok || !res.body) return res;
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const requestId = requestIdOf(init?.body);
    // A call whose log messages its caller hears on the call's own stream (see CallNotices).
    const notices = noticesFor(init?.body);
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    const rebuilt = (body: string | ReadableStream<Uint8Array>) => new Response(body, { status: res.status, statusText: res.statusText, headers });
    if (type === 'text/event-stream') return rebuilt(canonicalStream(res.body, requestId, notices));
    if (type !== 'application/json') return res;
    try {
      const text = await readCapped(res.body);
      jsonAnswer(text);
      return rebuilt(text);
    } catch (err) {
      if (!(err instanceof AnswerFormatError)) throw err;
      if (requestId === undefined) return rebuilt(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32603, message: err.message } }));
      return rebuilt(JSON.stringify(answerFailure(requestId, err)));
    }
  };
}

/** A JSON body, read unless it outgrows what a message may be (the rest is not read). */
async function readCapped(body: ReadableStream<Uint8Array>): Promise<string> {
  const utf8 = new TextDecoder();
  const reader = body.getReader();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + utf8.decode();
    text += utf8.decode(value, { stream: true });
    if (text.length > MAX_MESSAGE_CHARS) {
      await reader.cancel().catch(() => undefined);
      throw new AnswerFormatError(`the upstream answered more than ${MAX_MESSAGE_CHARS} characters`);
    }
  }
}

function canonicalStream(body: ReadableStream<Uint8Array>, requestId: string | number | undefined, notices?: CallNotices): ReadableStream<Uint8Array> {
  let out: TransformStreamDefaultController<string> | undefined;
  const decoder = new EventStreamDecoder({
    message: (message, eventId) =>
      tookNotice(notices, message) || out?.enqueue(`${eventId !== undefined ? `id: ${eventId}\n` : ''}event: message\ndata: ${JSON.stringify(message)}\n\n`),
    primed: (eventId) => out?.enqueue(`id: ${eventId}\ndata: \n\n`),
    retry: (ms) => out?.enqueue(`retry: ${ms}\n\n`),
  });
  const fail = (controller: TransformStreamDefaultController<string>, err: unknown) => {
    if (!(err instanceof AnswerFormatError)) throw err;
    if (requestId !== undefined) controller.enqueue(`event: message\ndata: ${JSON.stringify(answerFailure(requestId, err))}\n\n`);
    // The rest of an unreadable stream is not read: ending here closes the upstream connection.
    controller.terminate();
  };
  const rewrite = new TransformStream<string, string>({
    transform(chunk, controller) {
      out = controller;
      try {
        decoder.push(chunk);
      } catch (err) {
        fail(controller, err);
      }
    },
    flush(controller) {
      out = controller;
      try {
        decoder.finish();
      } catch (err) {
        fail(controller, err);
      }
    },
  });
  return body.pipeThrough(new TextDecoderStream()).pipeThrough(rewrite).pipeThrough(new TextEncoderStream());
}

/** The id of the single JSON-RPC request a POST carries, if it is one. */
function requestIdOf(body: unknown): string | number | undefined {
  if (typeof body !== 'string' || !body.includes('"id"')) return undefined;
  try {
    const message = JSON.parse(body) as { id?: unknown; method?: unknown };
    return typeof message.method === 'string' && (typeof message.id === 'string' || typeof message.id === 'number') ? message.id : undefined;
  } catch {
    return undefined;
  }
}
