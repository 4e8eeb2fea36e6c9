import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/gatehouse.js';
import { startWorkflowGateway, type WorkflowGateway } from './workflow-fixtures.js';

/**
 * An approval never releases a call the upstream would execute differently from the one approved:
 * numbers JSON.parse rounds, duplicate keys, a query re-encoded, a header the upstream acts on, a
 * rewrite after the policy, two retries at once. Real gateway, real echo upstream (it reports the
 * method, path, query, headers and body it received), fetch as the caller.
 */

const ACCOUNTS_API = {
  openapi: '3.1.0',
  info: { title: 'Accounts', version: '1' },
  paths: {
    '/accounts/{id}': {
      delete: {
        operationId: 'closeAccount',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '204': { description: 'closed' } },
      },
      post: {
        operationId: 'payFrom',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
        responses: { '200': { description: 'ok' } },
      },
    },
  },
};

let g: WorkflowGateway;

async function publish(slug: string, basePath: string, request: unknown[]): Promise<void> {
  const col = await g.admin('POST', '/collections', { slug, name: slug, published: true });
  const imported = await g.admin('POST', `/collections/${col.id}/import-openapi`, { document: ACCOUNTS_API, basePath, upstreams: [g.upstream.url] });
  const client = await g.admin('GET', `/clients/${g.clientId}`);
  await g.admin('PATCH', `/clients/${g.clientId}`, { collectionIds: [...client.collectionIds, col.id] });
  const wf = await g.admin('POST', '/workflows', { name: `${slug}-review`, request, bodyLimitBytes: 65_536 });
  await g.admin('PATCH', `/proxies/${imported.proxy.id}`, { workflowId: wf.id, workflowVersion: null });
}

beforeAll(async () => {
  g = await startWorkflowGateway();
  // Payments over 1000 and every closure are reviewed; smaller payments pass.
  await publish('pay', '/pay/v1', [
    {
      type: 'tool_policy',
      id: 'review',
      rules: [
        { when: 'tool.method == "DELETE"', decision: 'approval', reason: 'closures are reviewed' },
        { when: '"amount" in arguments && arguments.amount > 1000', decision: 'approval', reason: 'large payments are reviewed' },
      ],
      approvalTtlSeconds: 120,
    },
  ]);
  // The policy first, then a rewrite from a header no approval binds (User-Agent): the approval must bind the rewritten call.
  await publish('moved', '/moved/v1', [
    { type: 'tool_policy', id: 'review', rules: [{ when: 'true', decision: 'approval' }], approvalTtlSeconds: 120 },
    { type: 'rewrite_path', id: 'to', path: '/accounts/{{request.headers.user-agent}}' },
  ]);
}, 60_000);

afterAll(async () => {
  await g?.close();
});

type Sent = { status: number; body: any };

async function send(method: string, path: string, opts: { body?: string; headers?: Record<string, string> } = {}): Promise<Sent> {
  const res = await fetch(`${g.t.gh.urls.proxy}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${g.token}`,
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    ...(opts.body !== undefined ? { body: opts.body } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text) };
}

const heldId = (res: Sent): string => {
  expect(res.status, JSON.stringify(res.body)).toBe(403);
  expect(res.body.error.code).toBe('GATEHOUSE_APPROVAL_REQUIRED');
  return res.body.error.details.approvalId as string;
};

const approval = async (id: string) => (await call(g.t.api, g.t.adminToken, 'GET', `/approvals/${id}`)).body;

async function approve(id: string): Promise<void> {
  expect((await call(g.t.api, g.t.adminToken, 'POST', `/approvals/${id}/approve`, { reason: 'checked' })).status).toBe(200);
}

/** Approves, then sends `retry` until the decision has reached the data plane (the change feed takes up to a second). */
async function approveAndRetry(id: string, retry: () => Promise<Sent>): Promise<Sent> {
  await approve(id);
  return retryUntilDecided(id, retry);
}

/** Sends `retry` until it is no longer held under `id` (already approved: see approveAndSettle). */
async function retryUntilDecided(id: string, retry: () => Promise<Sent>): Promise<Sent> {
  for (let i = 0; i < 50; i++) {
    const res = await retry();
    if (res.status !== 403 || res.body.error?.details?.approvalId !== id) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`approval ${id} never reached the data plane`);
}

let sentinels = 0;

/**
 * Approves `id` and waits until it is live on the data plane without spending it: a sentinel call
 * approved after it passes (decisions reach the snapshot in order), so a different call sent next
 * is judged against the live approval.
 */
async function approveAndSettle(id: string): Promise<void> {
  const path = `/pay/v1/accounts/sentinel-${++sentinels}`;
  const sentinel = heldId(await send('DELETE', path));
  await approve(id);
  expect((await approveAndRetry(sentinel, () => send('DELETE', path))).status).toBe(200);
}

const hits = (path: string) => g.upstream.hits.get(path) ?? 0;

describe('a JSON body is bound as the upstream reads it', () => {
  it('approving {"amount":10000000000000000} does not release 10000000000000001 (JSON.parse reads both alike)', async () => {
    const approved = '{"amount":10000000000000000}';
    const id = heldId(await send('POST', '/pay/v1/accounts/n1', { body: approved }));
    await approveAndSettle(id);
    const replay = await send('POST', '/pay/v1/accounts/n1', { body: '{"amount":10000000000000001}' });
    const other = heldId(replay);
    expect(other).not.toBe(id);
    expect(hits('/accounts/n1')).toBe(0);
    // The approver of the other call reads the number as sent, not as JavaScript rounds it.
    expect((await approval(other)).call).toContain('10000000000000001');
    // The approved call itself passes, once, with its bytes.
    const passed = await retryUntilDecided(id, () => send('POST', '/pay/v1/accounts/n1', { body: approved }));
    expect(passed.status).toBe(200);
    expect(passed.body.body).toBe(approved);
    expect(hits('/accounts/n1')).toBe(1);
  });

  it('a duplicate key is never read one way by the policy and another by the upstream', async () => {
    // JSON.parse keeps the last key (1), a first-wins upstream the first (999999): a rule over `amount` cannot judge it.
    const twice = '{"amount":999999,"amount":1}';
    const held = heldId(await send('POST', '/pay/v1/accounts/d1', { body: twice }));
    const shown = await approval(held);
    expect(shown.call).toBe(twice);
    expect(shown.reason).toContain('repeats the key "amount"');
    expect(hits('/accounts/d1')).toBe(0);

    // Approving {"amount":2000} does not release {"amount":999999,"amount":2000}, which JSON.parse reads as the same.
    const id = heldId(await send('POST', '/pay/v1/accounts/d2', { body: '{"amount":2000}' }));
    await approveAndSettle(id);
    const replay = heldId(await send('POST', '/pay/v1/accounts/d2', { body: '{"amount":999999,"amount":2000}' }));
    expect(replay).not.toBe(id);
    expect(hits('/accounts/d2')).toBe(0);
    // Key order and whitespace alone are the same call.
    const passed = await retryUntilDecided(id, () => send('POST', '/pay/v1/accounts/d2', { body: '{ "amount": 2000 }' }));
    expect(passed.status).toBe(200);
    expect(hits('/accounts/d2')).toBe(1);
  });

  it('the same bytes under another Content-Type, or with a method override, are another call', async () => {
    const body = '{"amount":5000}';
    const id = heldId(await send('POST', '/pay/v1/accounts/h1', { body }));
    await approveAndSettle(id);
    expect(heldId(await send('POST', '/pay/v1/accounts/h1', { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }))).not.toBe(id);
    const override = heldId(await send('POST', '/pay/v1/accounts/h1', { body, headers: { 'x-http-method-override': 'DELETE' } }));
    expect(override).not.toBe(id);
    expect((await approval(override)).headers).toMatchObject({ 'x-http-method-override': 'DELETE', 'content-type': 'application/json' });
    expect(hits('/accounts/h1')).toBe(0);
  });
});

describe('the query and the path are bound as sent', () => {
  it('a query re-encoded, split on ";" or reordered is another call', async () => {
    const id = heldId(await send('DELETE', '/pay/v1/accounts/q1?note=a+b&force=no'));
    expect((await approval(id)).query).toBe('?note=a+b&force=no');
    await approveAndSettle(id);
    for (const q of ['?note=a%20b&force=no', '?force=no&note=a+b', '?note=a+b;force=yes&force=no', '?note=a+b&force=no&']) {
      expect(heldId(await send('DELETE', `/pay/v1/accounts/q1${q}`)), q).not.toBe(id);
    }
    expect(hits('/accounts/q1')).toBe(0);
    const passed = await retryUntilDecided(id, () => send('DELETE', '/pay/v1/accounts/q1?note=a+b&force=no'));
    expect(passed.status).toBe(200);
    expect(passed.body.query).toEqual({ note: 'a b', force: 'no' });
  });

  it('approving /accounts/1 never releases /accounts/%31 or /accounts/1/, and approving those never releases /accounts/1', async () => {
    const id = heldId(await send('DELETE', '/pay/v1/accounts/1'));
    expect((await approval(id)).path).toBe('/pay/v1/accounts/1');
    await approveAndSettle(id);
    expect(heldId(await send('DELETE', '/pay/v1/accounts/%31'))).not.toBe(id);
    expect(heldId(await send('DELETE', '/pay/v1/accounts/999'))).not.toBe(id);
    expect(hits('/accounts/%31') + hits('/accounts/999')).toBe(0);
  });

  it('a rewrite after the policy: the approval binds the path the upstream gets', async () => {
    const asUser = (agent: string) => send('DELETE', '/moved/v1/accounts/x', { headers: { 'user-agent': agent } });
    const id = heldId(await asUser('1'));
    // The approver reads the path as forwarded.
    expect((await approval(id)).path).toBe('/moved/v1/accounts/1');
    await approveAndSettle(id);
    // Same method, path, query, body and bound headers as sent — but the upstream would get /accounts/999.
    expect(heldId(await asUser('999'))).not.toBe(id);
    expect(hits('/accounts/999')).toBe(0);
    const passed = await retryUntilDecided(id, () => asUser('1'));
    expect(passed.status).toBe(200);
    expect(passed.body.path).toBe('/accounts/1');
  });
});

describe('an approval is bound to who calls and through what', () => {
  it('the same JWT subject through another client’s profile does not ride it', async () => {
    // A second client trusts the same issuer (each profile tells its tokens apart by a claim): `sub` can be the very same string.
    const mine = await g.admin('GET', `/profiles/${g.jwtProfileId}`);
    await g.admin('PATCH', `/profiles/${g.jwtProfileId}`, { jwt: { ...mine.jwt, requiredClaim: { name: 'tenant', value: 'one' } } });
    const pay = (await g.admin('GET', `/clients/${g.clientId}`)).collectionIds;
    const other = await g.admin('POST', '/clients', { name: 'Other partner', collectionIds: pay });
    await g.admin('POST', '/profiles', {
      clientId: other.id,
      name: 'jwt',
      authType: 'jwt',
      jwt: { ...mine.jwt, requiredClaim: { name: 'tenant', value: 'two' } },
    });
    const as = async (tenant: string) =>
      send('DELETE', '/pay/v1/accounts/j1', { headers: { authorization: `Bearer ${await g.jwt({ sub: 'alice', tenant })}` } });
    const id = heldId(await as('one'));
    expect((await approval(id)).caller).toBe('jwt:alice');
    await approveAndSettle(id);
    const theirs = heldId(await as('two'));
    expect(theirs).not.toBe(id);
    expect((await approval(theirs)).clientId).toBe(other.id);
    expect(hits('/accounts/j1')).toBe(0);
    const passed = await retryUntilDecided(id, () => as('one'));
    expect(passed.status).toBe(200);
    expect(hits('/accounts/j1')).toBe(1);
  });
});

describe('an approval is spent once', () => {
  it('eight simultaneous retries of the approved call: exactly one reaches the upstream', async () => {
    const id = heldId(await send('DELETE', '/pay/v1/accounts/c1'));
    await approveAndSettle(id);
    const results = await Promise.all(Array.from({ length: 8 }, () => send('DELETE', '/pay/v1/accounts/c1')));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 403 && r.body.error.code === 'GATEHOUSE_APPROVAL_REQUIRED')).toHaveLength(7);
    expect(hits('/accounts/c1')).toBe(1);
    expect((await approval(id)).status).toBe('used');
  });
});

describe('Gateway MCP execute_call is bound to the concrete REST call its arguments make', () => {
  it('approving DELETE /pay/v1/accounts/e1 passes that call once, never e2 or another query', async () => {
    const client = new Client({ name: 'approval-exact-call', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${g.t.gh.urls.proxy}/mcp`), { requestInit: { headers: { authorization: `Bearer ${g.token}` } } }),
    );
    try {
      const execute = async (id: string, query?: Record<string, string>) =>
        (await client.callTool({
          name: 'execute_call',
          arguments: { endpoint: 'DELETE /pay/v1/accounts/{id}', params: { path: { id }, ...(query ? { query } : {}) } },
        })) as any;
      const heldAs = (r: any) => {
        expect(r.structuredContent?.error?.code, JSON.stringify(r)).toBe('GATEHOUSE_APPROVAL_REQUIRED');
        return r.structuredContent.error.details.approvalId as string;
      };
      const id = heldAs(await execute('e1'));
      expect(await approval(id)).toMatchObject({ method: 'DELETE', path: '/pay/v1/accounts/e1', query: '' });
      await approveAndSettle(id);
      expect(heldAs(await execute('e2'))).not.toBe(id);
      expect(hits('/accounts/e2')).toBe(0);
      let passed = await execute('e1');
      for (let i = 0; i < 50 && passed.structuredContent?.error?.details?.approvalId === id; i++) passed = await execute('e1');
      expect(passed.isError, JSON.stringify(passed)).toBeFalsy();
      expect(hits('/accounts/e1')).toBe(1);
      expect(heldAs(await execute('e1'))).not.toBe(id);
    } finally {
      await client.close();
    }
  });
});
