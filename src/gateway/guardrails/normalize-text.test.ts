import { describe, expect, it } from 'vitest';
import { normalizedView, normalizeText } from './normalize-text.js';

/** The original characters a range of the view maps back to. */
function back(original: string, start: number, end: number): string {
  const [s, e] = normalizeText(original).toOriginal(start, end);
  return original.slice(s, e);
}

describe('the normalized view every detector reads', () => {
  it('returns plain ASCII as it is, unchanged', () => {
    const view = normalizeText('call +1 415 555 2671 today');
    expect(view.changed).toBe(false);
    expect(view.text).toBe('call +1 415 555 2671 today');
  });

  it('decodes entities and percent-escapes, folds NFKC, drops invisible and tag characters, keeps ZWJ', () => {
    const original = 'a&#64;b&#x2E;c &commat; &AMP; x%40y%2Ecom ｆｕｌｌ\u200bwidth 👩\u200d💻 \udb40\udc41tag';
    expect(normalizeText(original).text).toBe('a@b.c @ & x@y.com fullwidth 👩\u200d💻 tag');
  });

  it('maps a finding on the view back onto the characters that spelled it', () => {
    const original = 'mail j&#111;hn&#64;example&#46;com now';
    const view = normalizeText(original);
    expect(view.text).toBe('mail john@example.com now');
    const at = view.text.indexOf('john@example.com');
    expect(back(original, at, at + 'john@example.com'.length)).toBe('j&#111;hn&#64;example&#46;com');
    const zw = 'key: s\u200bk\u200c-ant';
    const v2 = normalizeText(zw);
    expect(v2.text).toBe('key: sk-ant');
    expect(back(zw, 5, 11)).toBe('s\u200bk\u200c-ant');
  });

  it('drops variation selectors between letters, in both views, and maps the word back over them', () => {
    const hidden = 'mail b\ufe0eo\u{e0101}b@x.io ❤️';
    expect(normalizeText(hidden).text).toBe('mail bob@x.io ❤');
    expect(normalizedView(hidden)).toBe('mail bob@x.io ❤');
    expect(back(hidden, 5, 13)).toBe('b\ufe0eo\u{e0101}b@x.io');
  });

  it('decodes multi-byte percent runs as UTF-8 and leaves broken ones alone', () => {
    expect(normalizeText('a%E2%80%8Bb %C3%A9 %ZZ %E2%80').text).toBe('ab é %ZZ %E2%80');
  });

  it('leaves a text without anything to fold unchanged even with & and non-ASCII letters', () => {
    const view = normalizeText('Müller & Söhne, 東京');
    expect(view.changed).toBe(false);
    expect(view.text).toBe('Müller & Söhne, 東京');
  });

  it('reads long texts in one linear pass (a view of 200,000 zero-width separated letters)', () => {
    const original = 'w\u200bo\u200cr\u200dd '.repeat(40_000);
    const view = normalizeText(original);
    expect(view.text).toBe('word '.repeat(40_000));
    expect(back(original, view.text.length - 5, view.text.length)).toBe('w\u200bo\u200cr\u200dd ');
  });

  it('gives prompt_guard the same decoding without offsets', () => {
    expect(normalizedView('ignore&#32;previous %69nstructions')).toBe('ignore previous instructions');
    const page = 'a &amp; b &lt;i&gt; &quot;c&quot;&nbsp;&apos;d&apos; &AMP; &commat; &#x40; &#0000064; &unknown; & &#; &#xZZ;';
    expect(normalizedView(page)).toBe(normalizeText(page).text);
    expect(normalizedView(page)).toBe('a & b <i> "c" \'d\' & @ @ @ &unknown; & &#; &#xZZ;');
  });

  it('drops a ZWJ between Latin letters or digits, and keeps it in emoji and in the scripts that shape with it', () => {
    const split = 'write to a\u200dda@exam\u200dple.org or ａ\u200dｄａ 4\u200d111';
    expect(normalizeText(split).text).toBe('write to ada@example.org or ada 4111');
    expect(normalizedView(split)).toBe('write to ada@example.org or ada 4111');
    expect(back(split, 9, 24)).toBe('a\u200dda@exam\u200dple.org');
    const kept = '👩\u200d💻 क्\u200dष ب\u200dا x\u200d';
    expect(normalizeText(kept).text).toBe(kept.normalize('NFKC'));
    expect(normalizedView(kept)).toBe(kept.normalize('NFKC'));
  });

  it("reads a name of Object's prototype as no entity, in both views", () => {
    const text = 'a &valueOf; b &toString; c &constructor; é';
    expect(normalizeText(text).text).toBe(text);
    expect(normalizedView(text)).toBe(text);
  });
});
