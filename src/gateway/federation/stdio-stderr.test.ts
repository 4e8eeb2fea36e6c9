import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { logStderr } from './stdio-stderr.js';

function capture() {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg: string }> = [];
  return {
    lines,
    log: {
      info: (obj: object, msg: string) => lines.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
      warn: (obj: object, msg: string) => lines.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
    },
  };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('a stdio child stderr in the log', () => {
  it('logs whole lines across chunks, with secrets cut out', async () => {
    const { lines, log } = capture();
    const stream = new PassThrough();
    logStderr(stream, log, { upstream: 'probe' }, ['hunter22'], { maxLineChars: 100, linesPerSecond: 100 });
    stream.write('starting with hun');
    stream.write('ter22\r\nsecond line\nthird');
    stream.end();
    await settle();
    expect(lines.map((l) => l.obj.stderr)).toEqual(['starting with [redacted]', 'second line', 'third']);
    expect(lines[0]?.obj.upstream).toBe('probe');
  });

  it('cuts a line longer than the limit and holds none of the rest', async () => {
    const { lines, log } = capture();
    const stream = new PassThrough();
    logStderr(stream, log, { upstream: 'probe' }, [], { maxLineChars: 10, linesPerSecond: 100 });
    for (let i = 0; i < 50; i++) stream.write('y'.repeat(10_000));
    stream.write('\nafter\n');
    await settle();
    expect(lines.map((l) => [l.obj.stderr, l.obj.truncated ?? false])).toEqual([
      ['yyyyyyyyyy', true],
      ['after', false],
    ]);
  });

  it('drops lines past the rate and says how many', async () => {
    const { lines, log } = capture();
    const stream = new PassThrough();
    logStderr(stream, log, { upstream: 'probe' }, [], { maxLineChars: 100, linesPerSecond: 5 });
    stream.write(`${Array.from({ length: 1_000 }, (_, i) => `line ${i}`).join('\n')}\n`);
    await settle();
    expect(lines.length).toBe(5);
    await new Promise((r) => setTimeout(r, 250));
    stream.write('later\n');
    await settle();
    expect(lines.at(-2)).toMatchObject({ level: 'warn', obj: { dropped: 995 } });
    expect(lines.at(-1)?.obj.stderr).toBe('later');
  });
});
