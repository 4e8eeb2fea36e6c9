import { Client, StreamableHTTPClientTransport, specTypeSchemas } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EverythingUpstream, startEverything } from '../support/everything-upstream.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { clientCredentialsToken } from '../support/oauth.js';

/**
 * 2025-11-25 tasks of `@modelcontextprotocol/server-everything` (Streamable HTTP), directly and
 * through a virtual server, with the SDK v2 client as a host declaring elicitation: a task created,
 * polled, its result fetched, and the question the upstream asks from inside the task (its
 * `simulate-research-query` with `ambiguous`: an elicitation delivered on the `tasks/result` stream)
 * answered by the caller; a task cancelled. The 2026-07-28 extension's create, poll and cancel are in
 * test/integration/mcp-federation-protocol-tasks.test.ts.
 */

let t: TestGatehouse;
let everything: EverythingUpstream;
let resource: string;
const opened: Client[] = [];

type Task = { taskId: string; status: string };
const text = (r: unknown) => (((r as { content?: unknown }).content ?? []) as { text?: string }[]).map((c) => c.text ?? '').join('');

/** A client declaring form elicitation that answers "historical", recording what it was asked. */
async function host(url: string, bearer?: string): Promise<{ client: Client; asked: Record<string, unknown>[] }> {
  const client = new Client({ name: 'tasks-host', version: '1' }, { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: 'legacy' } });
  const asked: Record<string, unknown>[] = [];
  client.setRequestHandler('elicitation/create', async (request) => {
    asked.push(request.params as Record<string, unknown>);
    return { action: 'accept', content: { interpretation: 'historical' } };
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), bearer ? { requestInit: { headers: { authorization: `Bearer ${bearer}` } } } : {}));
  opened.push(client);
  return { client, asked };
}

async function token(): Promise<string> {
  const sa = await t.serviceAccount('viewer');
  return clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource });
}

const create = async (client: Client, args: Record<string, unknown>) =>
  (
    (await client.request(
      { method: 'tools/call', params: { name: 'simulate-research-query', arguments: args, task: { ttl: 60_000 } } } as never,
      specTypeSchemas.CreateTaskResult as never,
    )) as { task: Task }
  ).task;
const get = async (client: Client, taskId: string) =>
  (await client.request({ method: 'tasks/get', params: { taskId } } as never, specTypeSchemas.GetTaskResult as never)) as Task;

/** Polls until the task's status is one of `statuses`; returns the statuses seen. */
async function pollUntil(client: Client, taskId: string, statuses: string[]): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 80; i++) {
    const { status } = await get(client, taskId);
    if (seen.at(-1) !== status) seen.push(status);
    if (statuses.includes(status)) return seen;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`task ${taskId} never reached ${statuses.join('/')}: ${seen.join(' → ')}`);
}

/** A research task whose question (an elicitation inside the task) the host answers: what it saw of the task, what it was asked and the report. */
async function researched(client: Client, asked: Record<string, unknown>[]) {
  const task = await create(client, { topic: 'bridges', ambiguous: true });
  const statuses = await pollUntil(client, task.taskId, ['input_required', 'completed']);
  const result = await client.request({ method: 'tasks/result', params: { taskId: task.taskId } } as never, specTypeSchemas.CallToolResult as never);
  const related = asked.map((a) => (a._meta as Record<string, { taskId?: string }> | undefined)?.['io.modelcontextprotocol/related-task']?.taskId);
  return {
    created: task.status,
    statuses,
    asked: asked.map((a) => a.message),
    relatedToTask: related.every((id) => id === task.taskId),
    report: text(result).split('\n').slice(0, 5).join('\n'),
  };
}

beforeAll(async () => {
  [t, everything] = await Promise.all([startTestGatehouse('sqlite'), startEverything()]);
  const server = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: 'everything', url: everything.url, timeoutMs: 30_000 });
  expect(server.status, JSON.stringify(server.body)).toBe(201);
  const id = (server.body as { id: string }).id;
  const virtual = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
    slug: 'tasks',
    name: 'Tasks',
    upstreamIds: [id],
    tools: [{ upstreamId: id, name: 'simulate-research-query' }],
    published: true,
  });
  expect(virtual.status, JSON.stringify(virtual.body)).toBe(201);
  resource = `${t.gh.urls.proxy}/mcp/v/tasks`;
}, 120_000);

afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close().catch(() => undefined)));
});

afterAll(async () => {
  await t?.close();
  await everything?.close();
});

describe('2025-11-25 tasks through a virtual server, as directly', () => {
  it('the upstream asks its question from inside the task: the caller answers it on its tasks/result stream, and the report uses the answer', async () => {
    const directHost = await host(everything.url);
    const direct = await researched(directHost.client, directHost.asked);
    expect(direct.statuses.at(-1)).toBe('input_required');
    expect(direct.asked).toHaveLength(1);
    expect(direct.report).toContain('# Research Report: bridges (historical)');
    const virtualHost = await host(resource, await token());
    expect(await researched(virtualHost.client, virtualHost.asked)).toEqual(direct);
  }, 60_000);

  it('a task is cancelled, and then reads cancelled', async () => {
    const cancelled = async (client: Client) => {
      const task = await create(client, { topic: 'tunnels' });
      await client.request({ method: 'tasks/cancel', params: { taskId: task.taskId } } as never, specTypeSchemas.CancelTaskResult as never);
      return { created: task.status, after: (await get(client, task.taskId)).status };
    };
    const direct = await cancelled((await host(everything.url)).client);
    expect(direct).toEqual({ created: 'working', after: 'cancelled' });
    expect(await cancelled((await host(resource, await token())).client)).toEqual(direct);
  }, 60_000);
});
