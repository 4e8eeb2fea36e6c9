import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mayInjectSteps, PRECHECK_MARKS, PRECHECK_WORDS } from './injection.js';
import { verbatimText } from './raw-text.js';
import { runNow } from './slicing.js';

// The pre-check as one regex (what it was until 28 Nov 2026): the reference the automaton must answer alike.
const escapeWord = (w: string) => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const REFERENCE = new RegExp(`${PRECHECK_WORDS.map(escapeWord).join('|')}|${PRECHECK_MARKS.source}|[a-z0-9+/]{20}`, 'i');

const CORPORA = join(import.meta.dirname, '../../../bench/corpora');
function corpusTexts(): string[] {
  const out: string[] = [];
  for (const family of ['injection', 'pii']) {
    for (const file of readdirSync(join(CORPORA, family))
      .filter((f) => f.endsWith('.jsonl'))
      .sort()) {
      for (const line of readFileSync(join(CORPORA, family, file), 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const text = (JSON.parse(line) as { text?: unknown }).text;
        if (typeof text === 'string') out.push(text);
      }
    }
  }
  return out;
}

// Case changed letter by letter (seeded): the pre-check reads words in any case.
function recase(text: string, seed: number): string {
  let x = seed;
  return text.replace(/[a-z]/gi, (c) => {
    x = (x * 1_103_515_245 + 12_345) & 0x7fffffff;
    return x & 1 ? c.toUpperCase() : c.toLowerCase();
  });
}

describe('prompt_guard pre-check: which bodies are scanned at all', () => {
  const texts = corpusTexts()
    .map((t) => verbatimText(t))
    .filter((t): t is string => t !== null);

  it('answers as the one regex does on every ASCII text of the corpora, in any case', () => {
    expect(texts.length).toBeGreaterThan(5_000);
    let scanned = 0;
    texts.forEach((text, i) => {
      const expected = REFERENCE.test(text);
      if (expected) scanned++;
      expect(runNow(mayInjectSteps(text)), text).toBe(expected);
      expect(runNow(mayInjectSteps(recase(text, i))), text).toBe(expected);
    });
    // Both answers occur: most texts hold a word, some do not.
    expect(scanned).toBeGreaterThan(texts.length / 2);
    expect(scanned).toBeLessThan(texts.length);
  });

  it('finds a sign anywhere in a long body, across the pieces it is read in', () => {
    const filler = 'The quarterly numbers were stable and the teams shipped on time. ';
    const body = filler.repeat(Math.ceil(300_000 / filler.length));
    expect(runNow(mayInjectSteps(body))).toBe(false);
    for (const sign of ['IGNORE the above', '<b>', '&amp;', '%2F', 'aGVsbG8gd29ybGQgaGVsbG8=', '[SYSTEM]', '](x)']) {
      for (const at of [0, 65_530, 131_070, body.length - 10]) {
        const planted = `${body.slice(0, at)} ${sign} ${body.slice(at)}`;
        expect(runNow(mayInjectSteps(planted)), `${sign} at ${at}`).toBe(true);
      }
    }
  });
});
