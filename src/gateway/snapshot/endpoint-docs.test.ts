import { describe, expect, it } from 'vitest';
import { EndpointDocs, jsonLength } from './endpoint-docs.js';
import type { ResourceRow } from './load.js';
import { Lru } from './lru.js';

const row = (id: string, data: object): ResourceRow => ({
  type: 'endpoints',
  id,
  data: JSON.stringify(data),
  version: 1,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});
const endpoint = (n: number, extra: object = {}) => ({
  proxyId: 'prx',
  method: 'POST',
  path: `/things${n}`,
  summary: `thing ${n}`,
  description: '',
  parameters: [],
  responses: {},
  ...extra,
});

describe('Lru', () => {
  it('evicts the least recently used until both the entry and the weight bounds hold, keeping the newest alone', () => {
    const lru = new Lru<string, number>(3, 100);
    lru.set('a', 1, 40);
    lru.set('b', 2, 40);
    lru.get('a');
    lru.set('c', 3, 40); // 120 > 100: b, the least recently used, goes.
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3]);
    expect(lru.weight).toBe(80);
    lru.set('d', 4, 500); // heavier than the bound alone: the others go, it stays.
    expect([lru.size, lru.weight, lru.get('d')]).toEqual([1, 500, 4]);
    lru.set('d', 5, 10); // replacing an entry replaces its weight.
    expect(lru.weight).toBe(10);
    for (const k of ['e', 'f', 'g']) lru.set(k, 0, 1);
    expect([lru.size, lru.get('d')]).toEqual([3, undefined]);
  });
});

describe('EndpointDocs', () => {
  it('bounds its caches by the documents’ size, not only their count', () => {
    // A request body schema of ~50 KB as JSON.
    const big = { type: 'object', properties: Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`property${i}`, { type: 'string', maxLength: i }])) };
    expect(JSON.stringify(big).length).toBeGreaterThan(45_000);
    expect(JSON.stringify(big).length).toBeLessThan(60_000);
    const rows = new Map<string, ResourceRow>();
    for (let n = 0; n < 20; n++) rows.set(`big${n}`, row(`big${n}`, endpoint(n, { requestBody: big })));
    for (let n = 0; n < 20; n++) rows.set(`small${n}`, row(`small${n}`, endpoint(100 + n)));
    const docs = new EndpointDocs(rows, undefined, { entries: 256, bytes: 200_000 });
    for (let n = 0; n < 20; n++) {
      expect(docs.get(`big${n}`)?.requestBody).toEqual(big);
      expect(docs.contract(`big${n}`)).toBeDefined();
    }
    const afterBig = docs.cached;
    // Four documents of ~46 KB fit in 200 KB; twenty were asked for.
    const fit = Math.floor(200_000 / rows.get('big0')!.data.length);
    expect(fit).toBe(4);
    expect(afterBig.docs).toBe(fit);
    expect(afterBig.contracts).toBe(fit);
    expect(afterBig.docBytes).toBeLessThanOrEqual(200_000);
    expect(afterBig.contractBytes).toBeLessThanOrEqual(200_000);
    // Small documents share the same bound: all twenty fit beside what is left.
    for (let n = 0; n < 20; n++) docs.get(`small${n}`);
    expect(docs.cached.docs).toBeGreaterThanOrEqual(20);
    // An evicted document is rebuilt on demand, the same as before.
    expect(docs.get('big0')?.path).toBe('/things0');
  });

  it('weighs a document with shared schemas by its expanded size', () => {
    const wide = {
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`field${i}`, { type: 'string', description: `the field number ${i}` }])),
    };
    const shared = { Wide: wide };
    const ref = { $ref: '#/$defs/Wide' };
    const rows = new Map([['ep', row('ep', endpoint(1, { requestBody: ref, responses: { '200': ref } }))]]);
    const docs = new EndpointDocs(rows, () => shared);
    const doc = docs.get('ep');
    expect(doc?.requestBody).toMatchObject({ type: 'object' });
    expect(docs.cached.docBytes).toBe(JSON.stringify(doc).length);
    expect(docs.cached.docBytes).toBeGreaterThan(2 * JSON.stringify(wide).length);
    expect(docs.cached.docBytes).toBeGreaterThan(10 * rows.get('ep')!.data.length);
  });

  it('reads a contract without filling the caches calls use, and from them when they hold it', () => {
    const shared = { Thing: { type: 'object', properties: { name: { type: 'string' }, size: { type: 'integer' } }, required: ['name'] } };
    const ref = { $ref: '#/$defs/Thing' };
    const rows = new Map([['ep', row('ep', endpoint(1, { requestBody: ref, requestBodyRequired: true }))]]);
    const docs = new EndpointDocs(rows, () => shared);
    const read = docs.read('ep');
    expect(read?.doc.requestBody).toEqual(shared.Thing);
    expect(read?.contract.paramsSchema).toMatchObject({ properties: { body: { required: ['name'] } }, required: ['body'] });
    expect(docs.cached).toMatchObject({ docs: 0, contracts: 0 });
    // Once a call has cached them, a reading gets the same objects.
    const doc = docs.get('ep');
    const contract = docs.contract('ep');
    expect(docs.read('ep')?.doc).toBe(doc);
    expect(docs.read('ep')?.contract).toBe(contract);
    expect(docs.read('missing')).toBeUndefined();
  });
});

describe('jsonLength', () => {
  it('is the length of the JSON text, without building it', () => {
    const values = [
      { a: 1, b: [true, null, 'x', { c: [] }], d: {}, e: undefined, f: -1.5e-7 },
      [],
      {},
      'text',
      0,
      [{ nested: { deeper: ['a', 'b'] } }, 12345678901234],
    ];
    for (const v of values) expect(jsonLength(v)).toBe(JSON.stringify(v).length);
  });
});
