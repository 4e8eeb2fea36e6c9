import { describe, expect, it } from 'vitest';
import { atLeast, callNotices, isLogLevel, noticesFor, tookNotice } from './call-notices.js';

describe('a call’s log messages', () => {
  it('reach a caller at its level and above, by MCP’s order of levels', () => {
    expect(atLeast('warning', 'info')).toBe(true);
    expect(atLeast('info', 'info')).toBe(true);
    expect(atLeast('debug', 'info')).toBe(false);
    expect(atLeast('emergency', 'alert')).toBe(true);
    // A level the caller cannot judge is passed on: the caller decides.
    expect(atLeast('verbose', 'error')).toBe(true);
    expect(isLogLevel('notice')).toBe(true);
    expect(isLogLevel('trace')).toBe(false);
  });

  it('belong to the call’s own tools/call only, not to a session opened or a stream read during it', () => {
    const heard: unknown[] = [];
    const notices = { level: 'info' as const, log: (p: Record<string, unknown>) => void heard.push(p) };
    callNotices.run(notices, () => {
      expect(noticesFor('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"}}')).toBe(notices);
      expect(noticesFor('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}')).toBeUndefined();
      expect(noticesFor(undefined)).toBeUndefined();
    });
    expect(noticesFor('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{}}')).toBeUndefined();
  });

  it('are taken from the answer (and go nowhere else), those below the level dropped; other messages are left alone', () => {
    const heard: unknown[] = [];
    const notices = { level: 'warning' as const, log: (p: Record<string, unknown>) => void heard.push(p.data) };
    expect(tookNotice(notices, { method: 'notifications/message', params: { level: 'error', data: 'kept' } })).toBe(true);
    expect(tookNotice(notices, { method: 'notifications/message', params: { level: 'info', data: 'dropped' } })).toBe(true);
    expect(tookNotice(notices, { method: 'notifications/progress', params: { progress: 1 } })).toBe(false);
    expect(tookNotice(undefined, { method: 'notifications/message', params: { level: 'error' } })).toBe(false);
    expect(heard).toEqual(['kept']);
  });
});
