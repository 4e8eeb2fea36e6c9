import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { tokenRequest } from '../support/oauth.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

// JSON-RPC bodies a fuzzer builds, posted to both MCP endpoints as a real client would (JSON,
// both protocol eras' headers): whatever arrives, the answer is never a 5xx, and a JSON answer is
// a JSON-RPC message or the gateway's error shape. Tool calls use the real tool names with
// arbitrary arguments, so the argument checks behind them are fuzzed too.
const RUNS = Number(process.env.GATEHOUSE_FUZZ_RUNS_MCP ?? 1500);
const SEED = Number(process.env.GATEHOUSE_FUZZ_SEED ?? 20261123);

// Bounded in time too: on a slow machine the run stops early rather than overrun the suite.
const TIME_LIMIT_MS = 60_000;

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
  await ok('POST', `/proxies/${proxy.id}/endpoints`, { method: 'POST', path: '/orders', summary: 'Create', requestBody: { type: 'object', properties: { item: { type: 'string' } } } });
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
const METHODS = ['initialize', 'ping', 'tools/list', 'tools/call', 'resources/list', 'prompts/list', 'notifications/initialized', 'logging/setLevel', 'completion/complete'];

const json = fc.jsonValue({ maxDepth: 3 });

function messages(tools: string[]) {
  const id = fc.oneof(fc.integer(), fc.string({ maxLength: 10 }), fc.constant(null), json);
  const toolCall = fc.record({
    jsonrpc: fc.constant('2.0'),
    id,
    method: fc.constant('tools/call'),
    params: fc.record({ name: fc.oneof(fc.constantFrom(...tools), fc.string()), arguments: fc.oneof(fc.dictionary(fc.string({ maxLength: 12 }), json), json) }, { requiredKeys: [] }),
  });
  const request = fc.record(
    { jsonrpc: fc.oneof(fc.constant('2.0'), json), id, method: fc.oneof(fc.constantFrom(...METHODS), fc.string()), params: json },
    { requiredKeys: [] },
  );
  const single = fc.oneof({ weight: 3, arbitrary: toolCall }, { weight: 3, arbitrary: request }, { weight: 1, arbitrary: json });
  return fc.oneof({ weight: 5, arbitrary: single }, { weight: 1, arbitrary: fc.array(single, { maxLength: 4 }) });
}

async function post(url: string, headers: Record<string, string>, body: unknown, era: '2025' | '2026'): Promise<{ status: number; text: string; type: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(era === '2026' ? { 'mcp-protocol-version': '2026-07-28' } : { 'mcp-protocol-version': '2025-06-18' }),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

function checkAnswer(answer: { status: number; text: string; type: string }, body: unknown): void {
  const where = `${JSON.stringify(body).slice(0, 300)} → ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.status, where).toBeLessThan(500);
  if (!answer.type.startsWith('application/json') || answer.text === '') return;
  const parsed = JSON.parse(answer.text);
  for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
    const isJsonRpc = message?.jsonrpc === '2.0' && ('result' in message || 'error' in message);
    const isGatewayError = typeof message?.error?.code === 'string' && message.error.code.startsWith('GATEHOUSE_');
    expect(isJsonRpc || isGatewayError, where).toBe(true);
  }
}

describe('fuzzed JSON-RPC on the MCP endpoints', { timeout: 120_000 }, () => {
  it('the Gateway MCP (/mcp) never answers 5xx', async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(messages(GATEWAY_TOOLS), fc.constantFrom('2025' as const, '2026' as const), async (body, era) => {
        const answer = await post(`${t.gh.urls.proxy}/mcp`, consumerHeaders, body, era);
        checkAnswer(answer, body);
        statuses.add(answer.status);
      }),
      { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
    expect(statuses.has(200)).toBe(true);
  });

  it('the Management MCP (/management/mcp) never answers 5xx, and a refused call writes nothing', async () => {
    const statuses = new Set<number>();
    const audited = async () => (await t.db.db.selectFrom('audit_log').select('id').where('outcome', '=', 'success').execute()).length;
    await fc.assert(
      fc.asyncProperty(messages(MANAGEMENT_TOOLS), fc.constantFrom('2025' as const, '2026' as const), async (body, era) => {
        const before = await audited();
        const answer = await post(`${t.gh.urls.admin}/management/mcp`, { authorization: `Bearer ${managementToken}` }, body, era);
        checkAnswer(answer, body);
        statuses.add(answer.status);
        if (answer.status >= 400 || /"isError":true|"error":\{/.test(answer.text)) expect(await audited()).toBe(before);
      }),
      { numRuns: Math.ceil(RUNS / 2), seed: SEED, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
    // The fuzzed calls got past sign-in: some were answered (not all refused at the door).
    expect(statuses.has(200)).toBe(true);
  });
});
