import { describe, expect, it } from 'vitest';
import { DownstreamSessions, declaredCapabilities } from './downstream-session.js';

const key = Buffer.alloc(32, 7);

describe('downstream session ids', () => {
  it('carry what the client declared, in visible ASCII, readable by any node with the key', () => {
    const id = new DownstreamSessions(key).issue('user:ada', 'docs', declaredCapabilities({ sampling: {}, elicitation: { url: {} }, roots: {} }));
    expect(id).toMatch(/^[\x21-\x7e]+$/);
    expect(new DownstreamSessions(key).read(id, 'user:ada', 'docs')?.caps).toEqual({ sampling: true, elicitation: true, urlElicitation: true, roots: true });
  });

  it('are refused when forged, another caller’s or server’s, expired or ended', () => {
    let now = Date.now();
    const sessions = new DownstreamSessions(key, () => now);
    const id = sessions.issue('user:ada', 'docs', {});
    expect(new DownstreamSessions(Buffer.alloc(32, 8)).read(id, 'user:ada', 'docs')).toBeNull();
    const altered = Buffer.from(id, 'base64url');
    altered[20] = (altered[20] ?? 0) ^ 1;
    expect(sessions.read(altered.toString('base64url'), 'user:ada', 'docs')).toBeNull();
    expect(sessions.read('not-a-session', 'user:ada', 'docs')).toBeNull();
    expect(sessions.read(id, 'user:bob', 'docs')).toBeNull();
    expect(sessions.read(id, 'user:ada', 'other')).toBeNull();
    const session = sessions.read(id, 'user:ada', 'docs');
    expect(session).not.toBeNull();
    sessions.end(id, session!);
    expect(sessions.read(id, 'user:ada', 'docs')).toBeNull();
    expect(sessions.read(`${id}=`, 'user:ada', 'docs')).toBeNull();
    expect(sessions.read(`${id.slice(0, 10)}*${id.slice(10)}`, 'user:ada', 'docs')).toBeNull();
    const later = sessions.issue('user:ada', 'docs', {});
    now += 25 * 3600 * 1000;
    expect(sessions.read(later, 'user:ada', 'docs')).toBeNull();
  });

  it('are opaque: neither the caller, the server nor the capabilities can be read from them', () => {
    const id = new DownstreamSessions(key).issue('user:ada', 'docs', declaredCapabilities({ sampling: {} }));
    for (const decoded of [id, Buffer.from(id, 'base64url').toString('latin1'), Buffer.from(id, 'base64').toString('latin1')]) {
      expect(decoded).not.toMatch(/ada|docs|sampling/);
    }
    expect(new DownstreamSessions(key).issue('user:ada', 'docs', {})).not.toBe(new DownstreamSessions(key).issue('user:ada', 'docs', {}));
  });

  it('read only the relayable capabilities a client declared as objects', () => {
    expect(declaredCapabilities({ sampling: true, elicitation: {}, experimental: {} })).toEqual({ elicitation: true });
    expect(declaredCapabilities(null)).toEqual({});
  });
});
