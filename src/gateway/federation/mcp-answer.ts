/** One JSON-RPC message an upstream sent: the response, or a notification or request of its own before it. */
export type JsonRpcMessage = Record<string, unknown>;

/** The largest single message (an event's data, or a JSON body) read from an upstream, in characters. */
export const MAX_MESSAGE_CHARS = 16 * 1024 * 1024;

/** An answer no compliant MCP server sends; the message carries a short excerpt of what arrived, to show. */
export class AnswerFormatError extends Error {}

/** What a decoder reports, in stream order. */
export interface EventStreamHandlers {
  /** A JSON-RPC message; `eventId` is its event's id (the point to resume after). */
  message(message: JsonRpcMessage, eventId: string | undefined): void;
  /** An event that carries only an id (a priming event, which lets a client resume before any message). */
  primed?(eventId: string): void;
  /** The server's reconnection delay (`retry:`). */
  retry?(ms: number): void;
}

/**
 * The one reader of MCP event streams (`text/event-stream` answers), used by the lean call and, through
 * canonicalAnswers, by the SDK client: both see the same messages for every stream. Decodes as the
 * HTML standard says — CRLF, LF or CR line ends, `:` comments, multi-line `data`, `id`, `retry`, a
 * leading BOM; an event without data (a priming event) or of another type than `message` carries no
 * message — and reads each event's data as one JSON-RPC message or a batch of them.
 */
export class EventStreamDecoder {
  readonly #on: EventStreamHandlers;
  readonly #max: number;
  #pending = '';
  #started = false;
  #afterCr = false;
  #data: string[] = [];
  #dataChars = 0;
  #event = '';
  #id: string | undefined;
  #lastId: string | undefined;

  constructor(on: EventStreamHandlers, maxMessageChars = MAX_MESSAGE_CHARS) {
    this.#on = on;
    this.#max = maxMessageChars;
  }

  /** The id of the last event seen (what `Last-Event-ID` carries on a resumed stream). */
  get lastEventId(): string | undefined {
    return this.#lastId;
  }

  /** Feeds decoded text; complete events are reported before it returns. Throws AnswerFormatError. */
  push(text: string): void {
    let from = 0;
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) from = 1;
    }
    // The LF of a CRLF split across chunks: the CR already ended the line.
    if (this.#afterCr && text.charCodeAt(from) === 10) from++;
    this.#afterCr = false;
    // Only the new text is scanned (a long line arriving in many chunks costs its length once).
    let start = from;
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.#line(this.#pending + text.slice(start, i));
      this.#pending = '';
      if (c === 13) {
        if (i + 1 === text.length) this.#afterCr = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    if (start < text.length) this.#pending += text.slice(start);
    if (this.#pending.length > this.#max) throw new AnswerFormatError(`the upstream sent an event line longer than ${this.#max} characters`);
  }

  /**
   * The stream ended. Leniently, a last line without its line end and a last event without its blank
   * line are still read (the standard drops them): a server that ends the stream right after the
   * response's data has still answered.
   */
  finish(): void {
    const last = this.#pending;
    this.#pending = '';
    if (last !== '') this.#line(last);
    this.#dispatch();
  }

  #line(line: string): void {
    if (line === '') {
      this.#dispatch();
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ':' a comment (a keep-alive)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(line.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1);
    if (field === 'data') {
      this.#dataChars += value.length + 1;
      if (this.#dataChars > this.#max) throw new AnswerFormatError(`the upstream sent an event larger than ${this.#max} characters`);
      this.#data.push(value);
    } else if (field === 'event') this.#event = value;
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.#on.retry?.(Number(value));
  }

  #dispatch(): void {
    const id = this.#id;
    const data = this.#data.join('\n');
    const type = this.#event;
    const hadData = this.#data.length > 0;
    this.#data = [];
    this.#dataChars = 0;
    this.#event = '';
    this.#id = undefined;
    if (id !== undefined) this.#lastId = id;
    if (!hadData && id === undefined) return;
    if (data === '') {
      if (id !== undefined) this.#on.primed?.(id);
      return;
    }
    if (type !== '' && type !== 'message') return;
    for (const message of messagesOf(data, 'an event')) this.#on.message(message, id ?? this.#lastId);
  }
}

/** The messages of a JSON answer (`application/json`): one JSON-RPC message or a batch. Throws AnswerFormatError. */
export function jsonAnswer(text: string, maxMessageChars = MAX_MESSAGE_CHARS): JsonRpcMessage[] {
  if (text.length > maxMessageChars) throw new AnswerFormatError(`the upstream answered more than ${maxMessageChars} characters`);
  return messagesOf(text, 'an answer');
}

function messagesOf(text: string, what: string): JsonRpcMessage[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AnswerFormatError(`the upstream sent ${what} that is not JSON: ${excerpt(text)}`);
  }
  const all = Array.isArray(parsed) ? parsed : [parsed];
  if (all.length === 0 || !all.every(isJsonRpc)) throw new AnswerFormatError(`the upstream sent ${what} that is not a JSON-RPC message: ${excerpt(text)}`);
  return all as JsonRpcMessage[];
}

function isJsonRpc(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { jsonrpc?: unknown }).jsonrpc === '2.0';
}

function excerpt(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** Whether a message is the response to request `id` (a result or an error). */
export function isResponseTo(message: JsonRpcMessage, id: string | number): boolean {
  return message.id === id && ('result' in message || 'error' in message) && !('method' in message);
}

/**
 * The JSON-RPC error response both call paths turn an unreadable answer into: the SDK client then
 * fails the request with it, and the lean call throws it the same way, so both report one message.
 */
export function answerFailure(id: string | number, err: AnswerFormatError): JsonRpcMessage {
  return { jsonrpc: '2.0', id, error: { code: -32603, message: err.message } };
}
