import { Client, StreamableHTTPClientTransport, specTypeSchemas } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { clientCredentialsToken } from '../support/oauth.js';
import { modernRequest } from '../support/modern-request.js';

/**
 * Tasks that ask their caller, through a virtual server over a stdio upstream
 * (`@modelcontextprotocol/server-everything` in stdio mode, spawned by the gateway): its
 * `simulate-research-query` with `ambiguous` elicits from inside the task. A 2025-11-25 caller
 * answers on its `tasks/result` stream; a 2026-07-28 caller polls `tasks/get`, sees `input_required`
 * with the question in `inputRequests`, and answers with `tasks/update`. The task runs in a child
 * of the caller's own that declares form elicitation (the server's shared child declares nothing).
 */

const TASKS = 'io.modelcontextprotocol/tasks';
const EVERYTHING = new URL('../../node_modules/@modelcontextprotocol/server-everything/dist/index.js', import.meta.url).pathname;
let t: TestGatehouse;
let url: string;
let token: string;
const opened: Client[] = [];

const text = (r: unknown) => (((r as { content?: unknown }).content ?? []) as { text?: string }[]).map((c) => c.text ?? '').join('');
const Task = z.looseObject({
  taskId: z.string(),
  status: z.string(),
  inputRequests: z.record(z.string(), z.unknown()).optional(),
  result: z.unknown().optional(),
});
const Empty = z.looseObject({});

async function host(era: 'legacy' | '2026'): Promise<{ client: Client; asked: Record<string, unknown>[] }> {
  const client = new Client(
    { name: 'stdio-tasks-host', version: '1' },
    {
      capabilities: { elicitation: { form: {} }, ...(era === '2026' ? { extensions: { [TASKS]: {} } } : {}) },
      versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: '2026-07-28' } },
    },
  );
  const asked: Record<string, unknown>[] = [];
  client.setRequestHandler('elicitation/create', async (request) => {
    asked.push(request.params as Record<string, unknown>);
    return { action: 'accept', content: { interpretation: 'historical' } };
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  opened.push(client);
  return { client, asked };
}

/** A 2026-07-28 tools/call declaring the tasks extension and form elicitation (raw: the SDK v2 client refuses a `resultType: "task"` answer). */
async function createModern(args: Record<string, unknown>): Promise<{ taskId: string; status: string; resultType?: string }> {
  const { body } = await modernRequest(
    url,
    token,
    'tools/call',
    { name: 'simulate-research-query', arguments: args },
    {
      elicitation: { form: {} },
      extensions: { [TASKS]: {} },
    },
  );
  expect(body.result, JSON.stringify(body)).toBeDefined();
  return body.result as { taskId: string; status: string; resultType?: string };
}

beforeAll(async () => {
  t = await startTestGatehouse('sqlite', { federationStdio: true });
  const server = await call(t.api, t.adminToken, 'POST', '/mcp-servers', {
    name: 'everything-stdio',
    transport: 'stdio',
    stdio: { command: process.execPath, args: [EVERYTHING, 'stdio'] },
    timeoutMs: 30_000,
  });
  expect(server.status, JSON.stringify(server.body)).toBe(201);
  const id = (server.body as { id: string }).id;
  const virtual = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
    slug: 'tasks-stdio',
    name: 'Tasks over stdio',
    upstreamIds: [id],
    tools: [{ upstreamId: id, name: 'simulate-research-query' }],
    published: true,
  });
  expect(virtual.status, JSON.stringify(virtual.body)).toBe(201);
  url = `${t.gh.urls.proxy}/mcp/v/tasks-stdio`;
  const sa = await t.serviceAccount('viewer');
  token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource: url });
}, 120_000);

afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close().catch(() => undefined)));
});

afterAll(async () => {
  await t?.close();
});

describe('tasks that ask their caller, over a stdio upstream', () => {
  it('2025-11-25: the question reaches the caller on its tasks/result stream, and the report uses the answer', async () => {
    const { client, asked } = await host('legacy');
    const created = (await client.request(
      { method: 'tools/call', params: { name: 'simulate-research-query', arguments: { topic: 'bridges', ambiguous: true }, task: { ttl: 60_000 } } } as never,
      specTypeSchemas.CreateTaskResult as never,
    )) as { task: { taskId: string; status: string } };
    expect(created.task.status).toBe('working');
    let status = created.task.status;
    for (let i = 0; i < 80 && status !== 'input_required' && status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      status = (
        (await client.request({ method: 'tasks/get', params: { taskId: created.task.taskId } } as never, specTypeSchemas.GetTaskResult as never)) as {
          status: string;
        }
      ).status;
    }
    expect(status).toBe('input_required');
    const result = await client.request({ method: 'tasks/result', params: { taskId: created.task.taskId } } as never, specTypeSchemas.CallToolResult as never);
    expect(asked).toHaveLength(1);
    expect(asked[0]?.message).toMatch(/bridges/);
    const related = (asked[0]?._meta as Record<string, { taskId?: string }> | undefined)?.['io.modelcontextprotocol/related-task']?.taskId;
    expect(related).toBe(created.task.taskId);
    expect(text(result)).toContain('# Research Report: bridges (historical)');
  }, 60_000);

  it('2026-07-28: input_required with the question in inputRequests, answered by tasks/update, then completed with the answer', async () => {
    const { client } = await host('2026');
    const task = await createModern({ topic: 'tunnels', ambiguous: true });
    expect(task.resultType).toBe('task');
    const seen: string[] = [];
    const answered = new Set<string>();
    let polled = Task.parse(task);
    for (let i = 0; i < 80 && polled.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      polled = Task.parse(await client.request({ method: 'tasks/get', params: { taskId: task.taskId } } as never, Task as never));
      if (seen.at(-1) !== polled.status) seen.push(polled.status);
      if (polled.status !== 'input_required') continue;
      const questions = Object.entries(polled.inputRequests ?? {}).filter(([key]) => !answered.has(key));
      for (const [key, question] of questions) {
        expect(question).toMatchObject({ method: 'elicitation/create', params: { message: expect.stringMatching(/tunnels/) } });
        answered.add(key);
      }
      const inputResponses = Object.fromEntries(questions.map(([key]) => [key, { action: 'accept', content: { interpretation: 'historical' } }]));
      await client.request({ method: 'tasks/update', params: { taskId: task.taskId, inputResponses } } as never, Empty as never);
    }
    expect(seen).toContain('input_required');
    expect(answered.size).toBe(1);
    expect(polled.status).toBe('completed');
    expect(text(polled.result)).toContain('# Research Report: tunnels (historical)');
  }, 60_000);
});
