import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/gatehouse.js';
import { tokenRequest } from '../support/oauth.js';
import { startWorkflowGateway, type WorkflowGateway } from './workflow-fixtures.js';

/** Workflows as a governed resource: validated before saving, versioned, rolled back, dry-run, and the same on every surface. */

let g: WorkflowGateway;

beforeAll(async () => {
  g = await startWorkflowGateway();
});
afterAll(async () => g?.close());

const headerNode = (value: string) => ({ type: 'set_headers', id: 'stamp', headers: { 'X-Stamp': value } });

describe('saving a workflow', () => {
  it('refuses an invalid workflow naming the node and the field, and writes nothing', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['unknown node type', { request: [{ type: 'teleport', id: 'x' }] }, 'request.0.type'],
      ['bad CEL', { request: [{ type: 'condition', id: 'c', expression: 'request.method ==', then: [headerNode('a')] }] }, 'request[0].expression'],
      ['CEL type error', { request: [{ type: 'condition', id: 'c', expression: 'request.method == 1', then: [headerNode('a')] }] }, 'request[0].expression'],
      ['unreachable branch', { request: [{ type: 'condition', id: 'c', expression: '1 == 2', then: [headerNode('a')] }] }, 'request[0].then'],
      ['body node without a body limit', { request: [{ type: 'validate_request', id: 'v' }] }, 'bodyLimitBytes'],
      ['node in the wrong phase', { response: [{ type: 'rewrite_path', id: 'r', path: '/x' }] }, 'response[0].type'],
      ['bad template', { request: [{ type: 'set_headers', id: 's', headers: { 'X-A': '{{secrets.key}}' } }] }, 'request[0].headers.X-A'],
      ['bad JSONata', { request: [{ type: 'transform_json', id: 't', expression: '{"a": ' }], bodyLimitBytes: 1024 }, 'request[0].expression'],
      ['nodes after a mock', { request: [{ type: 'mock_response', id: 'm' }, headerNode('late')] }, 'request[1]'],
      ['duplicate ids', { request: [headerNode('a'), headerNode('b')] }, 'request[1].id'],
    ];
    const before = (await g.admin('GET', '/workflows?limit=500')).items.length;
    for (const [what, definition, path] of cases) {
      const res = await call(g.t.api, g.t.adminToken, 'POST', '/workflows', { name: `bad-${what.replace(/\W+/g, '-')}`, ...definition });
      expect(res.status, what).toBe(400);
      expect(
        res.body.error.details.map((d: any) => d.path),
        what,
      ).toContain(path);
    }
    expect((await g.admin('GET', '/workflows?limit=500')).items.length).toBe(before);
    const audit = await g.admin('GET', '/audit-logs?action=workflows.create&outcome=failure&limit=50');
    expect(audit.items.length).toBeGreaterThanOrEqual(cases.length);
  });

  it('validates without saving, and lists node types and templates with their schemas', async () => {
    const invalid = await g.admin('POST', '/workflows/validate', {
      definition: { name: 'x', request: [{ type: 'condition', id: 'c', expression: 'request.nope(' }] },
    });
    expect(invalid.valid).toBe(false);
    expect(invalid.problems[0]).toMatchObject({ path: 'request[0].expression', node: 'c' });
    expect((await g.admin('POST', '/workflows/validate', { definition: { name: 'x', request: [headerNode('a')] } })).valid).toBe(true);
    const nodes = await g.admin('GET', '/workflows/nodes');
    expect(nodes.items.map((n: any) => n.type)).toContain('validate_request');
    expect(nodes.items.find((n: any) => n.type === 'cache').schema.properties.ttlSeconds).toBeDefined();
    const templates = await g.admin('GET', '/workflows/templates');
    expect(templates.items.map((t: any) => t.name)).toEqual([
      'validated-json-api',
      'cached-read-only-api',
      'mock-first',
      'canary-release',
      'partner-api-with-claims-check',
      'pii-redaction',
      'prompt-injection-block',
      'destructive-approval',
    ]);
    expect(templates.items.filter((t: any) => t.category === 'guardrail').map((t: any) => t.name)).toEqual([
      'pii-redaction',
      'prompt-injection-block',
      'destructive-approval',
    ]);
  });

  it('instantiates every template into a valid workflow', async () => {
    const params: Record<string, unknown> = {
      'canary-release': { stableUpstreams: [g.upstream.url], canaryUpstreams: [g.canary.url], canaryPercent: 20 },
      'partner-api-with-claims-check': { scopes: ['orders:read'] },
    };
    const templates = (await g.admin('GET', '/workflows/templates')).items.map((t: any) => t.name);
    for (const template of templates) {
      const wf = await g.admin('POST', `/workflows/templates/${template}/instantiate`, { name: `from-${template}`, params: params[template] ?? {} });
      expect(wf.version).toBe(1);
    }
    const bad = await call(g.t.api, g.t.adminToken, 'POST', '/workflows/templates/canary-release/instantiate', { name: 'no-params', params: {} });
    expect(bad.status).toBe(400);
    const mock = (await g.admin('GET', '/workflows?q=from-mock-first')).items[0];
    await g.admin('PATCH', `/proxies/${g.proxyId}`, { workflowId: mock.id });
    const res = await g.send('GET', '/echo');
    expect(res.body).toEqual({ status: 'mocked', path: '/wf/v1/echo' });
    expect(res.headers.get('x-mock')).toBe('true');
  });
});

describe('versions', () => {
  it('applies a change without restart, keeps every version, rolls back, and pins a proxy to a version', async () => {
    const wf = await g.attach({ request: [headerNode('one')] });
    expect((await g.send('GET', '/echo')).body.headers['x-stamp']).toBe('one');
    const v2 = await g.admin('PATCH', `/workflows/${wf.id}`, { request: [headerNode('two')] });
    expect(v2.version).toBe(2);
    expect((await g.send('GET', '/echo')).body.headers['x-stamp']).toBe('two');

    const versions = await g.admin('GET', `/workflows/${wf.id}/versions`);
    expect(versions.items.map((v: any) => v.version)).toEqual([2, 1]);
    expect(versions.items[1].definition.request[0].headers['X-Stamp']).toBe('one');

    const rolled = await g.admin('POST', `/workflows/${wf.id}/rollback`, { version: 1 });
    expect(rolled.version).toBe(3);
    expect((await g.send('GET', '/echo')).body.headers['x-stamp']).toBe('one');
    const audit = await g.admin('GET', `/audit-logs?action=workflows.rollback&resourceId=${wf.id}`);
    expect(audit.items[0].diff.before.request[0].headers['X-Stamp']).toBe('two');
    expect(audit.items[0].diff.after.request[0].headers['X-Stamp']).toBe('one');

    // Pinned to version 2, the proxy keeps it whatever the latest is.
    await g.admin('PATCH', `/proxies/${g.proxyId}`, { workflowVersion: 2 });
    expect((await g.send('GET', '/echo')).body.headers['x-stamp']).toBe('two');
    await g.admin('PATCH', `/workflows/${wf.id}`, { request: [headerNode('four')] });
    expect((await g.send('GET', '/echo')).body.headers['x-stamp']).toBe('two');
    await g.admin('PATCH', `/proxies/${g.proxyId}`, { workflowVersion: null });
    expect((await g.send('GET', '/echo')).body.headers['x-stamp']).toBe('four');

    const missing = await call(g.t.api, g.t.adminToken, 'PATCH', `/proxies/${g.proxyId}`, { workflowVersion: 99 });
    expect(missing.status).toBe(422);
    const inUse = await call(g.t.api, g.t.adminToken, 'DELETE', `/workflows/${wf.id}`);
    expect(inUse.status).toBe(409);
  });

  it('lets an endpoint run its own workflow, or none', async () => {
    await g.attach({ request: [headerNode('proxy')] });
    const endpoints = (await g.admin('GET', `/proxies/${g.proxyId}/endpoints?limit=100`)).items;
    const echo = endpoints.find((e: any) => e.operationId === 'echoGet');
    const secret = endpoints.find((e: any) => e.operationId === 'secret');
    const own = await g.admin('POST', '/workflows', { name: 'endpoint-own', request: [headerNode('endpoint')] });
    await g.admin('PATCH', `/endpoints/${echo.id}`, { workflowId: own.id });
    await g.admin('PATCH', `/endpoints/${secret.id}`, { workflowDisabled: true });
    expect((await g.send('GET', '/echo')).body.headers['x-stamp']).toBe('endpoint');
    expect((await g.send('GET', '/items/1')).body.headers['x-stamp']).toBe('proxy');
    expect((await g.send('GET', '/secret')).headers.get('x-stamp')).toBeNull();
    // Back to the proxy's workflow.
    await g.admin('PATCH', `/endpoints/${echo.id}`, { workflowId: null });
    await g.admin('PATCH', `/endpoints/${secret.id}`, { workflowDisabled: false });
    expect((await g.send('GET', '/echo')).body.headers['x-stamp']).toBe('proxy');
  });
});

describe('dry runs', () => {
  it('returns a faithful trace of every node, with no side effects', async () => {
    const definition = {
      name: 'traced',
      request: [
        { type: 'set_headers', id: 'tenant', headers: { 'X-Tenant': '{{caller.client.id}}' } },
        {
          type: 'condition',
          id: 'is-post',
          expression: 'request.method == "POST"',
          then: [{ type: 'validate_request', id: 'contract' }],
        },
        { type: 'rate_limit', id: 'tight', keyBy: 'client', window: 'minute', limit: 1 },
        { type: 'route', id: 'route', groups: [{ name: 'canary', upstreams: [g.canary.url], weight: 1 }] },
      ],
      response: [{ type: 'redact_response_fields', id: 'mask', paths: ['$.ssn'] }],
      bodyLimitBytes: 4096,
    };
    const endpoints = (await g.admin('GET', `/proxies/${g.proxyId}/endpoints?limit=100`)).items;
    const create = endpoints.find((e: any) => e.operationId === 'createItem');
    const run = await g.admin('POST', '/workflows/run', {
      definition,
      endpointId: create.id,
      request: {
        method: 'POST',
        path: '/items',
        headers: { 'content-type': 'application/json' },
        body: '{"name":"pen","qty":1}',
        caller: { clientId: 'cli_demo', profileId: 'prf_demo' },
      },
      response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ssn":"1","ok":true}' },
    });
    expect(run.error).toBeNull();
    // A condition's entry comes before the nodes of its branch, and its decision includes theirs.
    expect(run.trace.map((e: any) => [e.node, e.decision])).toEqual([
      ['tenant', null],
      ['is-post', 'is-post:then contract:valid'],
      ['contract', 'contract:valid'],
      ['tight', null],
      ['route', 'route:canary'],
      ['mask', 'mask:redacted=1'],
    ]);
    expect(run.trace[0].changes).toEqual(['request.header x-tenant = cli_demo']);
    expect(run.upstreamRequest).toMatchObject({ method: 'POST', path: '/items', route: 'canary' });
    expect(run.upstreamRequest.headers['x-tenant']).toBe('cli_demo');
    expect(JSON.parse(run.response.body)).toEqual({ ssn: '[REDACTED]', ok: true });
    // The rate limit of one per minute was not consumed by the first run.
    const again = await g.admin('POST', '/workflows/run', {
      definition,
      request: { method: 'GET', path: '/echo', caller: { clientId: 'cli_demo', profileId: 'prf_demo' } },
    });
    expect(again.error).toBeNull();
    expect(again.response).toBeNull();

    const refused = await g.admin('POST', '/workflows/run', {
      definition,
      endpointId: create.id,
      request: { method: 'POST', path: '/items', body: '{"name":""}' },
    });
    expect(refused.error).toMatchObject({ code: 'GATEHOUSE_REQUEST_INVALID', node: 'contract' });
    expect(refused.trace.at(-1).error.code).toBe('GATEHOUSE_REQUEST_INVALID');
  });

  it('tests one node on a sample', async () => {
    const out = await g.admin('POST', '/workflows/nodes/test', {
      node: { type: 'set_query', id: 'q', set: { page: '{{request.params.id}}' }, remove: ['debug'] },
      request: { method: 'GET', path: '/echo?debug=1&keep=2' },
    });
    expect(out.upstreamRequest.path).toBe('/echo?keep=2&page=');
    expect(out.trace[0].changes).toEqual(['request.query = ?keep=2&page=']);
  });
});

describe('access', () => {
  it('lets a viewer validate, list and dry-run, but not write', async () => {
    const viewer = await g.t.serviceAccount('viewer');
    const definition = { name: 'viewer-made', request: [headerNode('v')] };
    expect((await call(g.t.api, viewer.token, 'POST', '/workflows/validate', { definition })).status).toBe(200);
    expect((await call(g.t.api, viewer.token, 'GET', '/workflows/nodes')).status).toBe(200);
    expect((await call(g.t.api, viewer.token, 'POST', '/workflows/run', { definition, request: { method: 'GET', path: '/x' } })).status).toBe(200);
    expect((await call(g.t.api, viewer.token, 'POST', '/workflows/nodes/test', { node: headerNode('v'), request: { method: 'GET', path: '/x' } })).status).toBe(
      200,
    );
    const write = await call(g.t.api, viewer.token, 'POST', '/workflows', definition);
    expect(write.status).toBe(403);
    const instantiate = await call(g.t.api, viewer.token, 'POST', '/workflows/templates/mock-first/instantiate', { name: 'nope' });
    expect(instantiate.status).toBe(403);
    const scoped = await g.t.serviceAccount('modifier', { resourceTypes: ['proxies'] });
    expect((await call(g.t.api, scoped.token, 'POST', '/workflows', definition)).status).toBe(403);
    const workflowsModifier = await g.t.serviceAccount('modifier', { resourceTypes: ['workflows'] });
    expect((await call(g.t.api, workflowsModifier.token, 'POST', '/workflows', definition)).status).toBe(201);
  });
});

describe('the Gateway MCP runs the same workflow', () => {
  it('enforces validation and headers through execute_call, and inspect_contract says so', async () => {
    await g.attach({ request: [{ type: 'validate_request', id: 'contract' }, headerNode('mcp')], bodyLimitBytes: 65_536 });
    const client = new Client({ name: 'workflow-test', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${g.t.gh.urls.proxy}/mcp`), { requestInit: { headers: { authorization: `Bearer ${g.token}` } } }),
    );
    try {
      const contract = (await client.callTool({ name: 'inspect_contract', arguments: { endpoint: 'POST /wf/v1/items' } })) as any;
      expect(contract.structuredContent.gateway.validatesRequest).toBe(true);
      const ok = (await client.callTool({
        name: 'execute_call',
        arguments: { endpoint: 'POST /wf/v1/items', params: { body: { name: 'pen', qty: 2 } } },
      })) as any;
      expect(ok.isError).toBeFalsy();
      expect(ok.structuredContent.body.headers['x-stamp']).toBe('mcp');
      // execute_call checks the contract itself; a body it lets through that the workflow refuses still fails the same way.
      await g.attach({ request: [{ type: 'require_claims', id: 'jwt-only', scopes: ['x'] }] });
      const refused = (await client.callTool({ name: 'execute_call', arguments: { endpoint: 'GET /wf/v1/echo' } })) as any;
      expect(refused.isError).toBe(true);
      expect(refused.structuredContent.error.code).toBe('GATEHOUSE_CLAIMS_REQUIRED');
    } finally {
      await client.close();
    }
  });
});

describe('the Management MCP manages workflows', () => {
  it('creates, validates, tests and attaches a workflow through manage_workflows', async () => {
    const sa = await g.t.serviceAccount('admin');
    const mcpUrl = `${g.t.gh.urls.admin}/management/mcp`;
    const token = await tokenRequest(
      g.t.gh.urls.issuer,
      { grant_type: 'client_credentials', resource: mcpUrl, scope: 'gatehouse:management' },
      { clientId: sa.clientId, clientSecret: sa.clientSecret },
    );
    const client = new Client({ name: 'assistant', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: { token: async () => token.body.access_token as string } }));
    const tool = async (name: string, action: string, params: Record<string, unknown>) => {
      const res = (await client.callTool({ name, arguments: { action, params } })) as any;
      return { isError: res.isError === true, data: JSON.parse(res.content[0].text) };
    };
    try {
      const tools = (await client.listTools()).tools;
      const manage = tools.find((t) => t.name === 'manage_workflows')!;
      expect((manage.inputSchema as any).properties.action.enum).toEqual(
        expect.arrayContaining(['create', 'validate', 'run', 'nodes.test', 'templates.instantiate']),
      );
      const definition = { name: 'from-mcp', request: [headerNode('assistant')] };
      expect((await tool('manage_workflows', 'validate', { definition })).data.valid).toBe(true);
      const tested = await tool('manage_workflows', 'run', { definition, request: { method: 'GET', path: '/echo' } });
      expect(tested.data.upstreamRequest.headers['x-stamp']).toBe('assistant');
      const created = await tool('manage_workflows', 'create', definition);
      expect(created.isError).toBe(false);
      const attached = await tool('manage_proxies', 'update', { id: g.proxyId, workflowId: created.data.id });
      expect(attached.isError).toBe(false);
      expect((await g.send('GET', '/echo')).body.headers['x-stamp']).toBe('assistant');
      const audit = await g.admin('GET', `/audit-logs?resourceId=${created.data.id}&channel=mcp`);
      expect(audit.items.map((e: any) => e.action)).toContain('workflows.create');
    } finally {
      await client.close();
    }
  });
});
