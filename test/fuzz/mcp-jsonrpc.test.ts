import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzRuns, runFuzz } from '../support/fuzz.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { tokenRequest } from '../support/oauth.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

// JSON-RPC bodies a fuzzer builds, posted to both MCP endpoints as a real client would (JSON,
// both protocol eras' headers): whatever arrives, the answer is never a 5xx, and a JSON answer is
// a JSON-RPC message or the gateway's error shape. Tool calls use the real tool names with
// arbitrary arguments, so the argument checks behind them are fuzzed too.
// A fixed number of cases with the fixed seed (the Management MCP gets half); GATEHOUSE_FUZZ_RUNS_MCP changes it.
const RUNS = fuzzRuns('GATEHOUSE_FUZZ_RUNS_MCP', { local: 1000, ci: 600, floor: 200 });
const MANAGEMENT_RUNS = { runs: Math.ceil(RUNS.runs / 2), floor: Math.ceil(RUNS.floor / 2) };

let t: TestGatehouse;
let upstream: SampleUpstream;
let consumerHeaders: Record<string, string>;
let managementToken: string;

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  upstream = await startUpstream();
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await call(t.api, t.adminToken, method, path, body);
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body;
  };
  const col = await ok('POST', '/collections', { slug: 'shop', name: 'Shop', published: true });
  const proxy = await ok('POST', '/proxies', { collectionId: col.id, name: 'Shop', basePath: '/shop', upstreams: [upstream.url] });
  await ok('POST', `/proxies/${proxy.id}/endpoints`, { method: 'GET', path: '/orders', summary: 'List orders' });
  await ok('POST', `/proxies/${proxy.id}/endpoints`, {
    method: 'POST',
    path: '/orders',
    summary: 'Create',
    requestBody: { type: 'object', properties: { item: { type: 'string' } } },
  });
  const client = await ok('POST', '/clients', { name: 'Fuzz', collectionIds: [col.id] });
  const profile = await ok('POST', '/profiles', { clientId: client.id, name: 'p', authType: 'token' });
  const { token } = await ok('POST', `/profiles/${profile.id}/credentials`, {});
  consumerHeaders = { authorization: `Bearer ${token}` };
  // A modifier service account with a token for the Management MCP: tool calls get past sign-in and reach the operations.
  const sa = await t.serviceAccount('modifier');
  const issued = await tokenRequest(
    t.gh.urls.issuer,
    { grant_type: 'client_credentials', resource: `${t.gh.urls.admin}/management/mcp`, scope: 'gatehouse:management' },
    { clientId: sa.clientId, clientSecret: sa.clientSecret },
  );
  expect(issued.status, JSON.stringify(issued.body)).toBe(200);
  managementToken = String(issued.body.access_token);
});
afterAll(async () => {
  await t?.close();
  await upstream?.close();
});

const GATEWAY_TOOLS = ['list_collections', 'list_endpoints', 'search_endpoints', 'inspect_contract', 'execute_call'];
const MANAGEMENT_TOOLS = ['manage_collections', 'manage_proxies', 'manage_policies', 'query_audit', 'whoami'];
const METHODS = [
  'initialize',
  'ping',
  'tools/list',
  'tools/call',
  'resources/list',
  'prompts/list',
  'notifications/initialized',
  'logging/setLevel',
  'completion/complete',
];

const json = fc.jsonValue({ maxDepth: 3 });

function messages(tools: string[]) {
  const id = fc.oneof(fc.integer(), fc.string({ maxLength: 10 }), fc.constant(null), json);
  const toolCall = fc.record({
    jsonrpc: fc.constant('2.0'),
    id,
    method: fc.constant('tools/call'),
    params: fc.record(
      { name: fc.oneof(fc.constantFrom(...tools), fc.string()), arguments: fc.oneof(fc.dictionary(fc.string({ maxLength: 12 }), json), json) },
      { requiredKeys: [] },
    ),
  });
  const request = fc.record(
    { jsonrpc: fc.oneof(fc.constant('2.0'), json), id, method: fc.oneof(fc.constantFrom(...METHODS), fc.string()), params: json },
    { requiredKeys: [] },
  );
  const single = fc.oneof({ weight: 3, arbitrary: toolCall }, { weight: 3, arbitrary: request }, { weight: 1, arbitrary: json });
  // Bodies travel as text, so the explicit examples can be JSON no JavaScript value should be built from.
  return fc.oneof({ weight: 5, arbitrary: single }, { weight: 1, arbitrary: fc.array(single, { maxLength: 4 }) }).map((m) => JSON.stringify(m));
}

/** Hostile bodies every run starts with: JSON nested 5,000 deep, as the message and as a tool's arguments. */
function hostile(tool: string): [string, '2025' | '2026'][] {
  const deepArguments = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"${tool}","arguments":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}}`;
  return [
    [`${'['.repeat(5000)}${']'.repeat(5000)}`, '2025'],
    [deepArguments, '2026'],
    [deepArguments, '2025'],
  ];
}

/** Whether an answer is the parse error a body nested too deep gets. */
function tooDeep(answer: { status: number; text: string }): boolean {
  return answer.status === 400 && JSON.parse(answer.text)?.error?.data?.code === 'GATEHOUSE_JSON_TOO_DEEP';
}

async function post(url: string, headers: Record<string, string>, body: string, era: '2025' | '2026'): Promise<{ status: number; text: string; type: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(era === '2026' ? { 'mcp-protocol-version': '2026-07-28' } : { 'mcp-protocol-version': '2025-06-18' }),
    },
    body,
  });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

function checkAnswer(answer: { status: number; text: string; type: string }, body: string): void {
  const where = `${body.slice(0, 300)} → ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.status, where).toBeLessThan(500);
  if (!answer.type.startsWith('application/json') || answer.text === '') return;
  const parsed = JSON.parse(answer.text);
  for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
    const isJsonRpc = message?.jsonrpc === '2.0' && ('result' in message || 'error' in message);
    const isGatewayError = typeof message?.error?.code === 'string' && message.error.code.startsWith('GATEHOUSE_');
    expect(isJsonRpc || isGatewayError, where).toBe(true);
  }
}

describe('fuzzed JSON-RPC on the MCP endpoints', { timeout: 180_000 }, () => {
  it('the Gateway MCP (/mcp) never answers 5xx', async () => {
    const statuses = new Set<number>();
    let refusedAsTooDeep = 0;
    const examples = hostile('list_collections');
    await runFuzz(
      'Gateway MCP',
      [messages(GATEWAY_TOOLS), fc.constantFrom('2025' as const, '2026' as const)],
      async (body, era) => {
        const answer = await post(`${t.gh.urls.proxy}/mcp`, consumerHeaders, body, era);
        checkAnswer(answer, body);
        statuses.add(answer.status);
        if (tooDeep(answer)) refusedAsTooDeep++;
      },
      { ...RUNS, examples },
    );
    expect(statuses.has(200)).toBe(true);
    expect(refusedAsTooDeep).toBe(examples.length);
  });

  it('the Management MCP (/management/mcp) never answers 5xx, and a refused call writes nothing', async () => {
    const statuses = new Set<number>();
    let refusedAsTooDeep = 0;
    const audited = async () => (await t.db.db.selectFrom('audit_log').select('id').where('outcome', '=', 'success').execute()).length;
    const examples = hostile('manage_collections');
    await runFuzz(
      'Management MCP',
      [messages(MANAGEMENT_TOOLS), fc.constantFrom('2025' as const, '2026' as const)],
      async (body, era) => {
        const before = await audited();
        const answer = await post(`${t.gh.urls.admin}/management/mcp`, { authorization: `Bearer ${managementToken}` }, body, era);
        checkAnswer(answer, body);
        statuses.add(answer.status);
        if (tooDeep(answer)) refusedAsTooDeep++;
        if (answer.status >= 400 || /"isError":true|"error":\{/.test(answer.text)) expect(await audited()).toBe(before);
      },
      { ...MANAGEMENT_RUNS, examples },
    );
    // The fuzzed calls got past sign-in: some were answered (not all refused at the door).
    expect(statuses.has(200)).toBe(true);
    expect(refusedAsTooDeep).toBe(examples.length);
  });
});
