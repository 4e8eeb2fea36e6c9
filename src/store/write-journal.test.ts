import { describe, expect, it } from 'vitest';
import type { ConfigChange } from './change-feed.js';
import { attachSentWrites, committedWritesOf, sentWritesOf, type WrittenRow } from './write-journal.js';

const row = (id: string, data = '{"name":"p"}'): WrittenRow => ({ type: 'policies', id, data, version: 1, created_at: 't', updated_at: 't' });
const change = (): ConfigChange => ({ resourceType: 'policies', resourceId: 'pol_1', action: 'policies.create', at: 't', seq: { first: 2, last: 2 } });

describe('the rows a change sends to the other nodes', () => {
  it('travels whole when small, and arrive as the writer wrote them', () => {
    const writes = { rows: new Map([['policies\npol_1', row('pol_1')] as const, ['policies\npol_2', null] as const]), types: new Set(['policies']) };
    const sent = sentWritesOf(writes, 7_900);
    expect(sent).toBeDefined();
    const received = change();
    attachSentWrites(received, JSON.parse(JSON.stringify(sent)));
    expect(committedWritesOf(received)).toEqual(writes);
  });

  it('stays behind when it would not fit, so the other nodes read the store', () => {
    const rows = new Map<string, WrittenRow | null>();
    for (let i = 0; i < 100_000; i++) rows.set(`policies\npol_${i}`, row(`pol_${i}`));
    expect(sentWritesOf({ rows, types: new Set(['policies']) }, 7_900)).toBeUndefined();
  });

  it('is ignored when malformed: a row under another key, a version that is no integer, a row that is not an object', () => {
    for (const bad of [
      { rows: [['policies\npol_1', row('pol_2')]], types: ['policies'] },
      { rows: [['policies\npol_1', { ...row('pol_1'), version: '1' }]], types: ['policies'] },
      { rows: [['policies\npol_1', 'x']], types: ['policies'] },
      { rows: [['policies\npol_1']], types: ['policies'] },
      { rows: [], types: [1] },
      'rows',
    ]) {
      const received = change();
      attachSentWrites(received, bad);
      expect(committedWritesOf(received)).toBeUndefined();
    }
  });
});
