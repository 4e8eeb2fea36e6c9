import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../core/index.js';
import { parseJsonInSlices } from './json-parse-sliced.js';

/** The same value, key order included (JSON.stringify keeps the order it finds). */
async function same(text: string): Promise<void> {
  const parsed = await parseJsonInSlices(text);
  expect(JSON.stringify(parsed)).toBe(JSON.stringify(JSON.parse(text)));
  expect(parsed).toStrictEqual(JSON.parse(text));
}

const policies = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `bulk-${i}`, rateLimits: [{ window: 'minute', limit: 100 + i }] }));

describe('parseJsonInSlices', () => {
  it('parses a large apply as JSON.parse does, whitespace, escapes, nested big containers and duplicate keys included', async () => {
    await same(JSON.stringify({ document: { policies: policies(20_000) } }));
    await same(JSON.stringify({ document: { policies: policies(5_000), collections: policies(3_000) }, dryRun: true }, null, 2));
    const big = JSON.stringify(policies(3_000));
    await same(`\n {"a\\"b,[": ${big}, "1": "x,}]", "b": [], "c": {}, "a\\"b,[": 2, "10": ${big} , "2": [ ${big} , ${big} ]}\t`);
  });

  it('matches JSON.parse on generated values, large enough to be built in slices (fixed seed)', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 6 }), fc.integer({ min: 50, max: 400 }), async (parts, copies) => {
        runs++;
        const items = Array.from({ length: copies }, (_, i) => parts[i % parts.length]);
        await same(JSON.stringify({ items, keyed: Object.fromEntries(items.map((v, i) => [`k${i % 97}`, v])), tail: parts }));
      }),
      { numRuns: 60, seed: 38 },
    );
    expect(runs).toBe(60);
  });

  it('refuses malformed text, as JSON.parse does', async () => {
    const body = JSON.stringify(policies(3_000));
    for (const text of [
      `{"a": ${body}`,
      `{"a": ${body}}}`,
      `{"a": ${body}]`,
      `[${body},]`,
      `[${body},,1]`,
      `{"a": ${body}, b: 1}`,
      `{"a" ${body}}`,
      `[${body}] x`,
    ]) {
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
      await expect(parseJsonInSlices(text)).rejects.toBeInstanceOf(SyntaxError);
    }
  });

  it('refuses nesting past the limit, and leaves prototype keys to the secure parser', async () => {
    const deep = `${'['.repeat(200)}${JSON.stringify(policies(2_000))}${']'.repeat(200)}`;
    await expect(parseJsonInSlices(deep)).rejects.toMatchObject({ code: 'GATEHOUSE_JSON_TOO_DEEP' });
    await expect(parseJsonInSlices(deep)).rejects.toBeInstanceOf(GatehouseError);
    await expect(parseJsonInSlices(`{"x": ${JSON.stringify(policies(2_000))}, "__proto__": {"admin": true}}`)).rejects.toBeInstanceOf(SyntaxError);
  });

  it('lets timers run while a 7 MB body is parsed', async () => {
    const text = JSON.stringify({ document: { policies: policies(100_000) } });
    expect(text.length).toBeGreaterThan(7_000_000);
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
    }, 1);
    try {
      const parsed = (await parseJsonInSlices(text)) as { document: { policies: unknown[] } };
      expect(parsed.document.policies).toHaveLength(100_000);
    } finally {
      clearInterval(timer);
    }
    // JSON.parse of the whole text holds the loop to its end (the timer runs once, after); in slices,
    // timers keep running between them (counted, not timed).
    expect(ticks).toBeGreaterThan(10);
  });
});
