import { describe, expect, it } from 'vitest';
import { pageInOrder, pageOf } from './page.js';

const names = Array.from({ length: 7 }, (_, i) => `n${i}`);
const id = (s: string) => s;

describe('pageOf', () => {
  it('pages in order and ends without a cursor', () => {
    const first = pageOf(names, id, undefined, 3);
    expect(first.items).toEqual(['n0', 'n1', 'n2']);
    const second = pageOf(names, id, first.nextCursor, 3);
    expect(second.items).toEqual(['n3', 'n4', 'n5']);
    const last = pageOf(names, id, second.nextCursor, 3);
    expect(last).toEqual({ items: ['n6'] });
    expect(pageOf(names.slice(0, 3), id, undefined, 3)).toEqual({ items: ['n0', 'n1', 'n2'] });
  });

  it('neither repeats nor skips an item when the list changes between pages', () => {
    const first = pageOf(names, id, undefined, 3);
    const changed = names.filter((n) => n !== 'n1' && n !== 'n3');
    expect(pageOf(changed, id, first.nextCursor, 3).items).toEqual(['n4', 'n5', 'n6']);
  });

  it('refuses a cursor it did not make with -32602', () => {
    for (const bad of ['%%%', Buffer.from('[]').toString('base64url'), Buffer.from('{"after":3}').toString('base64url')]) {
      expect(() => pageOf(names, id, bad)).toThrow(expect.objectContaining({ code: -32602 }));
    }
  });
});

describe('pageInOrder', () => {
  const unsorted = ['zeta', 'alpha', 'mu', 'beta', 'omega'];

  it('pages in the items’ own order, continuing after the last key handed out', () => {
    const first = pageInOrder(unsorted, id, undefined, 2);
    expect(first.items).toEqual(['zeta', 'alpha']);
    const second = pageInOrder(unsorted, id, first.nextCursor, 2);
    expect(second.items).toEqual(['mu', 'beta']);
    expect(pageInOrder(unsorted, id, second.nextCursor, 2)).toEqual({ items: ['omega'] });
    // An item added before the last key handed out does not shift the next page.
    expect(pageInOrder(['new', ...unsorted], id, first.nextCursor, 2).items).toEqual(['mu', 'beta']);
  });

  it('continues at the old position when the last key handed out is gone, and refuses a foreign cursor', () => {
    const first = pageInOrder(unsorted, id, undefined, 2);
    expect(
      pageInOrder(
        unsorted.filter((n) => n !== 'alpha'),
        id,
        first.nextCursor,
        2,
      ).items,
    ).toEqual(['mu', 'beta']);
    expect(() => pageInOrder(unsorted, id, '%%%')).toThrow(expect.objectContaining({ code: -32602 }));
  });
});
