import { describe, expect, it } from 'vitest';
import { StoredHit } from './stored-hit.js';

const body = Buffer.from('{"ok":true}');

describe('a stored hit', () => {
  it('serializes the stored header lines once, replacing the ones a hit sets itself', () => {
    const hit = StoredHit.of(
      { status: 200, headers: { 'content-type': 'application/json', 'content-length': '999', vary: ['accept', 'origin'], 'x-cache': 'MISS' }, body },
      'gatehouse; hit; ttl=5',
    )!;
    expect(hit.head).toBe('content-type: application/json\r\nvary: accept\r\nvary: origin\r\nx-cache: HIT\r\ncache-status: gatehouse; hit; ttl=5\r\n');
    expect(hit.framing).toEqual(['content-length', String(body.length)]);
  });

  it('leaves the headers node:http acts on to node:http', () => {
    const hit = StoredHit.of({ status: 200, headers: { connection: 'close', 'content-type': 'text/plain' }, body }, 's')!;
    expect(hit.framing).toEqual(['content-length', String(body.length), 'connection', 'close']);
    expect(hit.head).not.toContain('connection');
  });

  it('refuses an entry with a header node:http would not send', () => {
    expect(StoredHit.of({ status: 200, headers: { 'x-bad': 'a\r\nx-injected: 1' }, body }, 's')).toBeNull();
    expect(StoredHit.of({ status: 200, headers: { 'bad name': 'a' }, body }, 's')).toBeNull();
  });

  it('gives every other path a response of its own to change', () => {
    const hit = StoredHit.of({ status: 200, headers: { 'content-type': 'text/plain' }, body }, 's')!;
    const a = hit.response();
    a.headers['x-changed'] = '1';
    expect(hit.response().headers).toEqual({ 'content-type': 'text/plain', 'x-cache': 'HIT', 'cache-status': 's', 'content-length': String(body.length) });
  });
});
