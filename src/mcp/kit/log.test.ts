import { ProtocolError, ProtocolErrorCode, UnsupportedProtocolVersionError } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { isClientMistake, report } from './log.js';

describe('MCP error levels', () => {
  it('calls refused requests and departed clients client mistakes', () => {
    expect(isClientMistake(new Error('Not Acceptable: Client must accept text/event-stream'))).toBe(true);
    expect(isClientMistake(new Error('Rejected inbound request (x): bad header'))).toBe(true);
    expect(isClientMistake(new ProtocolError(ProtocolErrorCode.InvalidParams, 'bad'))).toBe(true);
    expect(isClientMistake(new UnsupportedProtocolVersionError({ supported: ['2026-07-28'], requested: '1999-01-01' }))).toBe(true);
    expect(isClientMistake(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isClientMistake(new Error('aborted'))).toBe(true);
  });

  it('calls everything else a fault of ours', () => {
    expect(isClientMistake(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
    expect(isClientMistake(new ProtocolError(ProtocolErrorCode.InternalError, 'oops'))).toBe(false);
    expect(isClientMistake('a string')).toBe(false);
  });

  it('logs a mistake at warn as one line and a fault at error with the error', () => {
    const lines: unknown[][] = [];
    const log = {
      error: (msg: string, err: unknown) => lines.push(['error', msg, err]),
      warn: (msg: string, d: { reason: string }) => lines.push(['warn', msg, d]),
    };
    const fault = new TypeError('boom');
    report(log, 'm', new Error('Parse error: x'));
    report(log, 'm', fault);
    expect(lines).toEqual([
      ['warn', 'm', { reason: 'Parse error: x' }],
      ['error', 'm', fault],
    ]);
  });
});
