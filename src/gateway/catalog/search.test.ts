import { describe, expect, it } from 'vitest';
import { type DocFields, indexDoc, SearchIndex } from './search.js';

const doc = (method: string, path: string, summary: string, extra: Partial<DocFields> = {}) =>
  indexDoc({ method, path, summary, description: '', collection: 'shop', ...extra });

const DOCS = [
  doc('GET', '/orders', 'List orders'),
  doc('POST', '/orders', 'Create an order'),
  doc('DELETE', '/orders/{id}', 'Delete an order'),
  doc('GET', '/customers', 'List customers'),
  doc('PATCH', '/customers/{id}', 'Update a customer'),
  doc('GET', '/orders/{id}/items', 'List the items of an order'),
];

describe('endpoint search', () => {
  const index = new SearchIndex(DOCS);
  const all = () => true;

  it('ranks the operation a request names first, with verbs preferring their method', () => {
    expect(index.search('create order', all, 3)[0]!.doc).toBe(1);
    expect(index.search('delete an order', all, 3)[0]!.doc).toBe(2);
    expect(index.search('update customer', all, 3)[0]!.doc).toBe(4);
  });

  it('returns at most `limit` hits, best first, in the same order as the full ranking', () => {
    const full = index.search('order', all, 50);
    expect(full.length).toBeGreaterThan(2);
    for (let i = 1; i < full.length; i++) {
      const [a, b] = [full[i - 1]!, full[i]!];
      expect(a.score > b.score || (a.score === b.score && a.doc < b.doc)).toBe(true);
    }
    expect(index.search('order', all, 2)).toEqual(full.slice(0, 2));
    expect(index.search('order', all, 0)).toEqual([]);
  });

  it('leaves out documents the caller cannot see, and one search never leaks into the next', () => {
    const hidden = index.search('order', (i) => i !== 1, 50);
    expect(hidden.map((h) => h.doc)).not.toContain(1);
    // A word only hidden documents hold finds nothing, even right after a search that scored them.
    index.search('create order', all, 10);
    expect(index.search('create', (i) => i !== 1, 10).every((h) => h.doc !== 1)).toBe(true);
    expect(index.search('customers', all, 10)).toEqual(index.search('customers', all, 10));
    expect(index.search('nothing matches this', all, 10)).toEqual([]);
  });
});
