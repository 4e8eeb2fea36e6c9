import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../support/databases.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { type SlowUpstream, startSlowUpstream } from '../support/slow-upstream.js';

// Upstream definitions are fetched before a write's transaction (the executor's prepare phase), so an
// upstream that takes 5 s to list its tools holds up only the write that curates it, never the others.
const LIST_DELAY_MS = 5_000;
const dialects: Array<'sqlite' | 'postgres'> = (await postgresAvailable()) ? ['sqlite', 'postgres'] : ['sqlite'];

describe.each(dialects)('admin writes while a slow upstream is curated (%s)', (dialect) => {
  let t: TestGatehouse;
  let curated: SlowUpstream;
  let approved: SlowUpstream;
  const server: Record<string, string> = {};
  const admin = (method: string, path: string, body?: unknown) => call(t.api, t.adminToken, method, path, body);

  beforeAll(async () => {
    t = await startTestGatehouse(dialect);
    curated = await startSlowUpstream(['alpha', 'beta']);
    approved = await startSlowUpstream(['gamma']);
    for (const [name, upstream] of [
      ['curated', curated],
      ['approved', approved],
    ] as const) {
      const created = await admin('POST', '/mcp-servers', { name, url: upstream.url });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      server[name] = created.body.id;
    }
  }, 60_000);

  afterAll(async () => {
    await curated?.close();
    await approved?.close();
    await t?.close();
  });

  it('curation and approve-tools wait for the upstream; policy creates and an upstream update meanwhile do not wait for it', { timeout: 40_000 }, async () => {
    const existing = await admin('POST', '/virtual-mcps', {
      slug: 'existing',
      name: 'Existing',
      upstreamIds: [server.approved],
      tools: [{ upstreamId: server.approved, name: 'gamma' }],
    });
    expect(existing.status, JSON.stringify(existing.body)).toBe(201);
    const oldPin = existing.body.tools[0].pin;
    expect(oldPin).toEqual(expect.any(String));
    // The upstream changes gamma: approving it needs its definition now, which takes 5 s to list.
    approved.descriptions.set('gamma', 'The gamma tool, changed');
    curated.listDelayMs = LIST_DELAY_MS;
    approved.listDelayMs = LIST_DELAY_MS;
    // Warm the write path up, so what is timed below is the wait for the store, not first-call compilation.
    expect((await admin('POST', '/policies', { name: 'warm-up' })).status).toBe(201);

    const asked = { curated: curated.listCalls, approved: approved.listCalls };
    const started = performance.now();
    const curating = admin('POST', '/virtual-mcps', {
      slug: 'curated',
      name: 'Curated',
      upstreamIds: [server.curated],
      tools: [{ upstreamId: server.curated, name: 'alpha' }],
    });
    const approving = admin('POST', `/virtual-mcps/${existing.body.id}/approve-tools`, {});
    let settled = false;
    void Promise.allSettled([curating, approving]).then(() => {
      settled = true;
    });
    // Both fetches are in flight once each upstream has been asked for its tools.
    while (curated.listCalls === asked.curated || approved.listCalls === asked.approved) await new Promise((resolve) => setTimeout(resolve, 20));

    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = performance.now();
      const created = await admin('POST', '/policies', { name: `meanwhile-${i}` });
      timings.push(performance.now() - before);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    // Changing the curated upstream's settings is a write too; it makes the curation's fetch stale.
    const before = performance.now();
    const patched = await admin('PATCH', `/mcp-servers/${server.curated}`, { description: 'changed while curated' });
    timings.push(performance.now() - before);
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    console.log(`admin writes during a ${LIST_DELAY_MS} ms tools/list (${dialect}): ${timings.map((ms) => ms.toFixed(1)).join(', ')} ms`);
    // Six writes done while the curation still waits for its upstream: none queued behind its fetch
    // (how long each took is the bench's business, not a test's: printed above for the record).
    expect(settled, 'curation waits for the slow upstream').toBe(false);

    const approval = await approving;
    expect(approval.status, JSON.stringify(approval.body)).toBe(200);
    expect(approval.body.tools[0].pin).toEqual(expect.any(String));
    expect(approval.body.tools[0].pin).not.toBe(oldPin);
    // Fetched for settings that changed meanwhile: prepared once more, then pinned to what the upstream lists now.
    const curation = await curating;
    expect(curation.status, JSON.stringify(curation.body)).toBe(201);
    expect(curation.body.tools[0].pin).toEqual(expect.any(String));
    expect(performance.now() - started).toBeGreaterThan(2 * LIST_DELAY_MS - 500);
    expect(curated.listCalls - asked.curated).toBe(2);
    approved.listDelayMs = 0;
    const status = await admin('GET', `/virtual-mcps/${existing.body.id}/tool-status`);
    expect(status.body.items.map((s: { state: string }) => s.state)).toEqual(['approved']);
  });

  it('a declarative apply pins the tools it curates, fetched between a first pass and the one that commits', async () => {
    curated.listDelayMs = 0;
    const exported = (await admin('GET', '/config/export')).body;
    const added = { slug: 'applied', name: 'Applied', upstreamIds: [server.curated], tools: [{ upstreamId: server.curated, name: 'beta' }] };
    const asked = curated.listCalls;
    const applied = await admin('POST', '/config/apply', { document: { 'virtual-mcps': [...exported['virtual-mcps'], added] } });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.summary.create).toBe(1);
    const listed = await admin('GET', '/virtual-mcps?q=applied');
    const tools = listed.body.items.find((v: { slug: string }) => v.slug === 'applied').tools;
    expect(tools).toEqual([expect.objectContaining({ name: 'beta', pin: expect.any(String) })]);
    expect(curated.listCalls - asked).toBe(1);
  });

  it('an upstream whose settings change under both of a write’s fetches refuses it with 409 and leaves it unwritten', async () => {
    curated.listDelayMs = 1_000;
    const vmcp = (await admin('GET', '/virtual-mcps?q=curated')).body.items.find((v: { slug: string }) => v.slug === 'curated');
    const asked = curated.listCalls;
    const curating = admin('PATCH', `/virtual-mcps/${vmcp.id}`, { tools: [...vmcp.tools, { upstreamId: server.curated, name: 'beta' }] });
    for (const round of [1, 2]) {
      while (curated.listCalls - asked < round) await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await admin('PATCH', `/mcp-servers/${server.curated}`, { description: `changed again (${round})` })).status).toBe(200);
    }
    const refused = await curating;
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('GATEHOUSE_INVALID_STATE');
    expect(refused.body.error.message).toMatch(/curated changed while this change was being prepared/);
    expect((await admin('GET', `/virtual-mcps/${vmcp.id}`)).body.tools).toEqual(vmcp.tools);
    curated.listDelayMs = 0;
  });
});
