import { describe, expect, it } from 'vitest';
import { InFlightCalls } from './in-flight.js';

const cancelled = (requestId: unknown) => ({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId, reason: 'no longer needed' } });

describe('InFlightCalls', () => {
  it('cancels the call a caller names, with its reason, once', () => {
    const calls = new InFlightCalls();
    const call = calls.start('user:a', 'session-1', 7);
    expect(calls.cancel('user:a', 'session-1', cancelled(7))).toBe(true);
    expect(call.signal.aborted).toBe(true);
    expect(call.signal.reason).toBe('no longer needed');
    expect(calls.cancel('user:a', 'session-1', cancelled(7))).toBe(false);
  });

  it('never cancels another caller’s or another session’s call of the same id, nor one that ended', () => {
    const calls = new InFlightCalls();
    const call = calls.start('user:a', 'session-1', 'x');
    expect(calls.cancel('user:b', 'session-1', cancelled('x'))).toBe(false);
    expect(calls.cancel('user:a', 'session-2', cancelled('x'))).toBe(false);
    // The id's type is part of it: 1 is not "1".
    calls.start('user:a', 'session-1', 1);
    expect(calls.cancel('user:a', 'session-1', cancelled('1'))).toBe(false);
    call.done();
    expect(calls.cancel('user:a', 'session-1', cancelled('x'))).toBe(false);
    expect(call.signal.aborted).toBe(false);
  });
});
