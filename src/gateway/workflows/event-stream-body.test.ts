import { describe, expect, it } from 'vitest';
import { createPiiScanner } from '../guardrails/scanner.js';
import type { Match } from '../guardrails/match.js';
import { readEventStream, redactEventStream, type StreamFormat, streamValue } from './event-stream-body.js';

const scanner = createPiiScanner({ types: ['email', 'phone', 'card'] });

/** Redacts a stream as the detect_pii node does: the scan's matches written into the events. */
function redacted(body: string, format: StreamFormat = 'sse'): string {
  const stream = readEventStream(body, format)!;
  const matches = new Map<string, readonly Match[]>();
  scanner.scan(streamValue(stream), true, undefined, (text, found) => void matches.set(text, found));
  const edits = new Map<number, readonly Match[]>();
  stream.texts.forEach((t, i) => {
    const found = matches.get(t.text);
    if (found) edits.set(i, found);
  });
  return redactEventStream(stream, edits);
}

const anthropic = (pieces: string[]) =>
  [
    'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","role":"assistant"}}\n\n',
    ...pieces.map(
      (text) => `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })}\n\n`,
    ),
    'event: message_stop\ndata: {"type":"message_stop"}\n\n',
  ].join('');

describe('an event stream read as its reader reads it', () => {
  it('joins a text sent in pieces across events, and writes a redaction back into the pieces it spans', () => {
    const body = anthropic(['Mail ada', '@exam', 'ple.com or call +44 20 ', '7946 0958', ' today.']);
    const stream = readEventStream(body)!;
    expect(streamValue(stream)).toContainEqual({ text: 'Mail ada@example.com or call +44 20 7946 0958 today.' });
    const out = redactEventStream(stream, new Map());
    expect(out).toBe(body);
    const after = readEventStream(redacted(body))!;
    expect(streamValue(after)).toContainEqual({ text: 'Mail [EMAIL] or call [PHONE] today.' });
    // Only the events the findings touched changed; the others are the bytes that were sent.
    expect(redacted(body).startsWith(body.split('\n\n')[0]!)).toBe(true);
    expect(redacted(body).endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
  });

  it('reads a plain-text stream, data split over lines, CRLF, and a value every event repeats once', () => {
    const body = 'id: 1\r\ndata: card 4111 1111\r\n\r\nid: 2\r\ndata: 1111 1111\r\ndata: thanks\r\n\r\n';
    const stream = readEventStream(body)!;
    expect(streamValue(stream)).toEqual([{ data: 'card 4111 11111111 1111\nthanks' }]);
    const repeated = 'data: {"user":"ada@example.com","n":"1"}\n\ndata: {"user":"ada@example.com","n":"2"}\n\n';
    const s2 = readEventStream(repeated)!;
    expect(streamValue(s2)).toEqual([{ user: 'ada@example.com' }, { n: '12' }]);
    expect(redacted(repeated)).toBe('data: {"user":"[EMAIL]","n":"1"}\n\ndata: {"user":"[EMAIL]","n":"2"}\n\n');
  });

  it('keeps a `__proto__` key a key, and reads a body with no data as no stream', () => {
    const body = 'data: {"__proto__":{"x":"ada@"},"y":1}\n\ndata: {"__proto__":{"x":"example.com"},"y":2}\n\n';
    const out = redacted(body);
    const first = JSON.parse(out.split('\n\n')[0]!.slice(6));
    expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
    expect(Object.keys(first)).toEqual(['__proto__', 'y']);
    expect(readEventStream(': a comment only\n\n')).toBeNull();
  });
});

/** Ollama's streamed chat answer (`application/x-ndjson`): a JSON line a piece, each with its own time. */
const ollama = (pieces: string[]) =>
  [
    ...pieces.map(
      (content, i) =>
        `${JSON.stringify({ model: 'llama3.2', created_at: `2026-11-29T05:20:0${i}.12345${i}Z`, message: { role: 'assistant', content }, done: false })}\n`,
    ),
    `${JSON.stringify({ model: 'llama3.2', created_at: '2026-11-29T05:20:09.9Z', message: { role: 'assistant', content: '' }, done: true, total_duration: 5191566416 })}\n`,
  ].join('');

describe('newline-delimited JSON read as its reader reads it', () => {
  it('joins an answer streamed a line a piece, and writes a redaction back into the lines it spans; times and the rest kept', () => {
    const body = ollama(['Write to ada', '.lovelace@exa', 'mple.org or ring +44 20 7946', ' 0958.']);
    const stream = readEventStream(body, 'ndjson')!;
    expect(streamValue(stream)).toContainEqual({ content: 'Write to ada.lovelace@example.org or ring +44 20 7946 0958.' });
    expect(redactEventStream(stream, new Map())).toBe(body);
    const out = redacted(body, 'ndjson');
    expect(streamValue(readEventStream(out, 'ndjson')!)).toContainEqual({ content: 'Write to [EMAIL] or ring [PHONE].' });
    const lines = out.split('\n');
    // Every line is still one JSON value; the times of the lines were not read as numbers.
    for (const line of lines.filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.map((l) => (l ? (JSON.parse(l) as { created_at: string }).created_at : ''))).toEqual(
      body.split('\n').map((l) => (l ? (JSON.parse(l) as { created_at: string }).created_at : '')),
    );
    // The last line, which the findings never touched, is as it was sent.
    expect(lines.at(-2)).toBe(body.split('\n').at(-2));
  });

  it('reads a line that is not JSON as text, and a body of blank lines as no stream', () => {
    const stream = readEventStream('{"a":"x"}\nplain words\n\n', 'ndjson')!;
    expect(stream.data).toEqual([{ json: { a: 'x' } }, { text: 'plain words' }, null]);
    expect(readEventStream('\n\n', 'ndjson')).toBeNull();
  });
});
