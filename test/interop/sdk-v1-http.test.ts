import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { callAcrossRestart, compareEverything, type Curated, curateWhole, type InteropUpstream } from '../support/interop.js';
import { startSdkV1Upstream } from '../support/sdk-v1-upstream.js';

/**
 * An SDK v1 (`@modelcontextprotocol/sdk`) stateful server over Streamable HTTP, written as the SDK's
 * example is (event-stream answers, a transport per session, 400 for a session it does not know):
 * every tool, prompt and resource directly and through a virtual server curating all of it.
 */

let t: TestGatehouse;
let upstream: InteropUpstream;
let curated: Curated;

beforeAll(async () => {
  [t, upstream] = await Promise.all([startTestGatehouse('sqlite'), startSdkV1Upstream()]);
  curated = await curateWhole(t, upstream, 'sdk-v1');
}, 120_000);

afterAll(async () => {
  await curated?.close();
  await t?.close();
  await upstream?.close();
});

describe('an SDK v1 stateful server behind a virtual server', () => {
  it('answers every call that works directly with the same result', async () => {
    const report = await compareEverything(curated, { args: { 'tool:add': { a: 2, b: 3 } } });
    expect(report.unexpected).toEqual([]);
    expect(report.failDirectly).toEqual({});
    expect(report.same.sort()).toEqual([
      'prompt:greet',
      'resource:memo://readme',
      'tool:add',
      'tool:count',
      'tool:fail',
      'tool:image',
      'tool:notify-then-answer',
    ]);
  }, 60_000);

  it('heals after the upstream restarts mid-session: the next call succeeds, for its caller and a new one', async () => {
    const report = await callAcrossRestart(curated, upstream, 'notify-then-answer', { text: 'again' });
    expect(report).toEqual({ same: ['ok'], fresh: ['ok'] });
    // A stateful tool starts over in the new session.
    const counted = await curated.virtual.callTool({ name: 'count', arguments: {} });
    expect(counted.content).toEqual([{ type: 'text', text: '1' }]);
  }, 60_000);
});
