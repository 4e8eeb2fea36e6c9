import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type EverythingUpstream, startEverything } from '../support/everything-upstream.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { modernRequest } from '../support/modern-request.js';
import { clientCredentialsToken } from '../support/oauth.js';

/**
 * The 2026-07-28 tasks extension (SEP-2663, `io.modelcontextprotocol/tasks`) through a virtual
 * server, over the upstream's 2025-11-25 tasks: server-everything's `simulate-research-query` runs
 * only as a task; a 2026-07-28 caller that declares the extension calls it (raw, see callDeclaring),
 * and an SDK v2 client on 2026-07-28 polls `tasks/get` until the result is inlined, and cancels another.
 * A caller that also declares form elicitation is asked the task's question (`ambiguous`) as the
 * extension asks it: `input_required` with `inputRequests`, answered by `tasks/update`.
 */

const TASKS = 'io.modelcontextprotocol/tasks';
let t: TestGatehouse;
let everything: EverythingUpstream;
let token: string;
const opened: Client[] = [];

const virtualUrl = (slug: string) => `${t.gh.urls.proxy}/mcp/v/${slug}`;

async function modern(declares: boolean, elicits = false): Promise<Client> {
  const client = new Client(
    { name: 'tasks-test', version: '1' },
    {
      versionNegotiation: { mode: { pin: '2026-07-28' } },
      capabilities: { ...(declares ? { extensions: { [TASKS]: {} } } : {}), ...(elicits ? { elicitation: { form: {} } } : {}) },
    },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(virtualUrl('everything')), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  opened.push(client);
  return client;
}

const Task = z.looseObject({
  // The SDK client takes a result's resultType off before its schema sees it (the raw create keeps it).
  resultType: z.string().optional(),
  taskId: z.string(),
  status: z.string(),
  createdAt: z.string(),
  lastUpdatedAt: z.string(),
  ttlMs: z.number().nullable(),
  pollIntervalMs: z.number().optional(),
  result: z.looseObject({ content: z.array(z.looseObject({ text: z.string().optional() })) }).optional(),
});
const Empty = z.looseObject({});

/**
 * A 2026-07-28 request as a client declaring the extension sends it (raw: the SDK v2 client does
 * not implement the extension, refuses a `resultType: "task"` answer, and sends no `tasks/list`).
 */
const raw = (method: string, params: Record<string, unknown>, capabilities: Record<string, unknown> = {}) =>
  modernRequest(virtualUrl('everything'), token, method, params, { ...capabilities, extensions: { [TASKS]: {} } });

const callDeclaring = (name: string, args: Record<string, unknown>, capabilities?: Record<string, unknown>) =>
  raw('tools/call', { name, arguments: args }, capabilities);

beforeAll(async () => {
  [t, everything] = await Promise.all([startTestGatehouse('sqlite'), startEverything()]);
  const res = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: 'everything', url: everything.url, timeoutMs: 15_000 });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id = (res.body as { id: string }).id;
  const made = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
    slug: 'everything',
    name: 'Everything',
    upstreamIds: [id],
    tools: [
      { upstreamId: id, name: 'simulate-research-query' },
      { upstreamId: id, name: 'echo' },
    ],
    published: true,
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const sa = await t.serviceAccount('viewer');
  token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource: virtualUrl('everything') });
}, 120_000);

afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close().catch(() => undefined)));
});

afterAll(async () => {
  await t?.close();
  await everything?.close();
});

describe('the 2026-07-28 tasks extension through a virtual server', () => {
  it('runs a tool that requires a task: created, polled with tasks/get until its result is inlined', async () => {
    const client = await modern(true);
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(client.getServerCapabilities()?.extensions).toMatchObject({ [TASKS]: {} });
    const created = await callDeclaring('simulate-research-query', { topic: 'bridges' });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const task = Task.parse(created.body.result);
    expect(task.resultType).toBe('task');
    expect(task.status).toBe('working');
    expect(task.ttlMs).toBe(300_000);
    let polled = task;
    for (let i = 0; i < 60 && polled.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      polled = Task.parse(await client.request({ method: 'tasks/get', params: { taskId: task.taskId } } as never, Task as never));
      expect(polled.taskId).toBe(task.taskId);
      expect(['working', 'completed']).toContain(polled.status);
    }
    expect(polled.status).toBe('completed');
    expect(polled.result?.content.map((c) => c.text).join('\n')).toContain('Research Report: bridges');
    // Nothing is outstanding: answers are acknowledged and ignored, as the extension says.
    expect(await client.request({ method: 'tasks/update', params: { taskId: task.taskId, inputResponses: {} } } as never, Empty as never)).toBeDefined();
    // An ordinary tool still answers at once, to a caller declaring the extension too.
    const echoed = await callDeclaring('echo', { message: 'hi' });
    expect(echoed.body.result).toMatchObject({ resultType: 'complete', content: [{ type: 'text', text: 'Echo: hi' }] });
  }, 60_000);

  it('a task that asks its caller: input_required with the elicitation in inputRequests, answered by tasks/update, then completed with the answer', async () => {
    const client = await modern(true, true);
    const created = await callDeclaring('simulate-research-query', { topic: 'bridges', ambiguous: true }, { elicitation: { form: {} } });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const task = Task.parse(created.body.result);
    expect(task.resultType).toBe('task');
    const get = () => client.request({ method: 'tasks/get', params: { taskId: task.taskId } } as never, Task as never) as Promise<z.infer<typeof Task>>;
    const statuses: string[] = [];
    const asked: Record<string, { method: string; params?: { message?: string; requestedSchema?: unknown; _meta?: unknown } }>[] = [];
    let polled = task;
    for (let i = 0; i < 80 && polled.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      polled = await get();
      if (statuses.at(-1) !== polled.status) statuses.push(polled.status);
      if (polled.status !== 'input_required') continue;
      const inputRequests = polled.inputRequests as (typeof asked)[number];
      asked.push(inputRequests);
      // The host answers each question once (keys are unique over the task's life), as the extension advises.
      const fresh = Object.keys(inputRequests).filter((key) => !asked.slice(0, -1).some((earlier) => key in earlier));
      const inputResponses = Object.fromEntries(fresh.map((key) => [key, { action: 'accept', content: { interpretation: 'historical' } }]));
      expect(await client.request({ method: 'tasks/update', params: { taskId: task.taskId, inputResponses } } as never, Empty as never)).toBeDefined();
    }
    expect(statuses).toContain('input_required');
    expect(statuses.at(-1)).toBe('completed');
    const question = Object.values(asked[0] ?? {})[0];
    expect(question?.method).toBe('elicitation/create');
    expect(question?.params?.message).toMatch(/bridges/);
    expect(question?.params?.requestedSchema).toMatchObject({ properties: { interpretation: {} } });
    // The 2025-era related-task metadata is not part of a 2026-07-28 question: the task is its key already.
    expect(JSON.stringify(question?.params?._meta ?? {})).not.toContain('related-task');
    expect(polled.result?.content.map((c) => c.text).join('\n')).toContain('# Research Report: bridges (historical)');
    // Answers for keys no longer outstanding are ignored.
    const stale = Object.keys(asked[0] ?? {})[0] ?? 'none';
    await client.request(
      { method: 'tasks/update', params: { taskId: task.taskId, inputResponses: { [stale]: { action: 'decline' } } } } as never,
      Empty as never,
    );
    expect((await get()).status).toBe('completed');
  }, 60_000);

  it('cancels a task, and refuses unknown tasks and the removed tasks/list', async () => {
    const client = await modern(true);
    const task = Task.parse((await callDeclaring('simulate-research-query', { topic: 'tunnels' })).body.result);
    await client.request({ method: 'tasks/cancel', params: { taskId: task.taskId } } as never, Empty as never);
    const after = Task.parse(await client.request({ method: 'tasks/get', params: { taskId: task.taskId } } as never, Task as never));
    expect(after.status).toBe('cancelled');
    await expect(client.request({ method: 'tasks/get', params: { taskId: 'nowhere.1' } } as never, Task as never)).rejects.toThrow(/Unknown task/);
    // The extension removed tasks/list (and tasks/result): a 2026-07-28 caller cannot enumerate tasks.
    expect((await raw('tasks/list', {})).body.error).toMatchObject({ code: -32601 });
  }, 30_000);

  it('answers -32021 to a caller that did not declare the extension', async () => {
    const client = await modern(false);
    await expect(client.callTool({ name: 'simulate-research-query', arguments: { topic: 'bridges' } })).rejects.toMatchObject({ code: -32021 });
  });
});
