import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { callAcrossRestart, compareEverything, type Curated, curateWhole, type InteropUpstream } from '../support/interop.js';
import { pythonMcpAvailable, startFastMcp } from '../support/python-upstream.js';

/**
 * A Python server written with the official `mcp` package's FastMCP (test/support/fastmcp_upstream.py),
 * stateless and stateful, over Streamable HTTP: every tool, prompt and resource directly and through a
 * virtual server curating all of it. Skipped (with a line saying so) where Python's `mcp` is missing.
 */

const available = pythonMcpAvailable();

describe.skipIf(!available).each(['stateless', 'stateful'] as const)('a Python FastMCP server (%s) behind a virtual server', (mode) => {
  let t: TestGatehouse;
  let upstream: InteropUpstream;
  let curated: Curated;

  beforeAll(async () => {
    [t, upstream] = await Promise.all([startTestGatehouse('sqlite'), startFastMcp(mode)]);
    curated = await curateWhole(t, upstream, `python-${mode}`);
  }, 120_000);

  afterAll(async () => {
    await curated?.close();
    await t?.close();
    await upstream?.close();
  });

  it('answers every call that works directly with the same result', async () => {
    const report = await compareEverything(curated, {
      args: { 'tool:add': { a: 2, b: 3 }, 'tool:wait': { seconds: 0, tag: 'compared' } },
      skip: {
        // Answered through the gateway by a client that can (python-fastmcp-relay.test.ts); this one declares nothing.
        'tool:ask_name': 'asks its caller for a name (elicitation), which this client cannot answer',
        // Its answer is the process's record of wait calls, which the calls on each side add to.
        'tool:call_states': 'reads state the compared calls change',
      },
    });
    expect(report.unexpected).toEqual([]);
    expect(report.failDirectly).toEqual({});
    expect(report.same.sort()).toEqual(['prompt:greet', 'resource:memo://readme', 'tool:add', 'tool:echo', 'tool:fail', 'tool:slow_echo', 'tool:wait']);
  }, 60_000);

  it('heals after the upstream restarts mid-session: the next call succeeds, for its caller and a new one', async () => {
    const report = await callAcrossRestart(curated, upstream, 'slow_echo', { text: 'again' });
    expect(report).toEqual({ same: ['ok'], fresh: ['ok'] });
  }, 60_000);
});
