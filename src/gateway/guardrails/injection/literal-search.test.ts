import { describe, expect, it } from 'vitest';
import { createLiteralSearch, literalsOf } from './literal-search.js';

describe('literal search, one pass for many sets', () => {
  it('reads an alternation of escaped literals, and nothing with a class or a group', () => {
    expect(literalsOf('~\\/\\.ssh|id_rsa|all prior')).toEqual(['~/.ssh', 'id_rsa', 'all prior']);
    expect(literalsOf('忽略|无视')).toEqual(['忽略', '无视']);
    for (const source of ['\\d\\.\\d', '(?:to|for)\\s', '[/@]|www\\.', 'a||b', 'x.y', 'https?:']) expect(literalsOf(source)).toBeNull();
  });

  it('finds where each set next starts as its regex search does, overlaps and other scripts included', () => {
    const sources = ['polic|policy|icy', 'void|avoid|oid', 'sh |nc |bash', 'всё|все что|все', '忽略|略', '.ssh\\/|ssh'].map((s) => s.replace('.ssh', '\\.ssh'));
    const sets = sources.map(literalsOf);
    const search = createLiteralSearch(sets);
    const pieces = ['policy', 'avoid', 'bash ', 'nc ', 'все что', 'всё', '忽略', '~/.ssh/', 'x', ' ', 'po', 'vo', '略'];
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed;
    };
    for (let round = 0; round < 60; round++) {
      const text = Array.from({ length: 30 }, () => pieces[next() % pieces.length]).join('');
      search.scan(text);
      sources.forEach((source, id) => {
        const regex = new RegExp(source, 'g');
        for (let from = 0; from <= text.length; from++) {
          regex.lastIndex = from;
          const m = regex.exec(text);
          expect(search.next(id, from)).toBe(m === null ? Number.POSITIVE_INFINITY : m.index);
        }
      });
    }
  });

  it('searches for the first start of any set as the alternation of all of them does, a longer literal starting first included', () => {
    const literals = ['abcdef', 'cd', 'bcd', 'de', 'все что', 'что', '忽略', 'x y'];
    const search = createLiteralSearch([literals.slice(0, 4), literals.slice(4)]);
    const regex = new RegExp(literals.join('|'), 'g');
    const pieces = ['abcdef', 'abc', 'cd', 'de', 'все что', 'что', '忽略', 'x', ' ', 'y', 'b'];
    let seed = 11;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed;
    };
    for (let round = 0; round < 60; round++) {
      const text = Array.from({ length: 20 }, () => pieces[next() % pieces.length]).join('');
      for (let from = 0; from <= text.length + 1; from++) {
        regex.lastIndex = from;
        expect(search.first(text, from)).toBe(regex.exec(text)?.index ?? -1);
      }
    }
  });
});
