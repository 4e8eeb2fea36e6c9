import type { CallToolResult } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { RoundTrips } from './round-trips.js';

describe('round-trip calls (2026-07-28 input_required)', () => {
  it('hand out the upstream call’s questions leg by leg, then its result, to the caller it belongs to', async () => {
    const trips = new RoundTrips();
    const { id, trip } = trips.start('user:ada', async (sink) => {
      const sampled = await sink.request('sampling/createMessage', { maxTokens: 5 });
      const roots = await sink.request('roots/list', undefined);
      return { content: [{ type: 'text', text: `${JSON.stringify(sampled)} ${JSON.stringify(roots)}` }] } as CallToolResult;
    });
    expect(await trips.leg(id, trip)).toEqual({ inputRequests: { q1: { method: 'sampling/createMessage', params: { maxTokens: 5 } } } });
    expect(trips.continued(id, 'user:bob')).toBeUndefined();
    trips.continued(id, 'user:ada')?.answer({ q1: { role: 'assistant', content: { type: 'text', text: 'hi' } } });
    expect(await trips.leg(id, trip)).toEqual({ inputRequests: { q2: { method: 'roots/list' } } });
    // An answer to a question not asked yet, or not asked at all, is ignored.
    trip.answer({ q9: {} });
    trip.answer({ q2: { roots: [] } });
    const last = await trips.leg(id, trip);
    expect('result' in last && (last.result.content[0] as { text: string }).text).toBe(
      '{"role":"assistant","content":{"type":"text","text":"hi"}} {"roots":[]}',
    );
    expect(trips.continued(id, 'user:ada')).toBeUndefined();
  });

  it('fail the leg when the upstream call fails, and refuse past their bound', async () => {
    const trips = new RoundTrips(1);
    const { id, trip } = trips.start('user:ada', async () => {
      throw new Error('upstream gone');
    });
    expect(() => trips.start('user:ada', async () => ({ content: [] }))).toThrow(/Too many calls/);
    await expect(trips.leg(id, trip)).rejects.toThrow('upstream gone');
  });
});
