import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkflowGateway, type WorkflowGateway } from './workflow-fixtures.js';

/** Every workflow node type over real sockets: what it lets through, what it changes, what it refuses. */

let g: WorkflowGateway;

beforeAll(async () => {
  g = await startWorkflowGateway();
});
afterAll(async () => g?.close());

async function logged(requestId: string): Promise<any> {
  for (let i = 0; i < 50; i++) {
    const found = (await g.admin('GET', `/request-logs?limit=20&requestId=${encodeURIComponent(requestId)}`)).items.find((r: any) => r.requestId === requestId);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no request log for ${requestId}`);
}

describe('header, path and query nodes', () => {
  it('sets and removes request and response headers from templates over the call', async () => {
    await g.attach({
      request: [
        { type: 'set_headers', id: 'tenant', headers: { 'X-Tenant': '{{caller.client.id}}', 'X-Item': 'item-{{request.params.id}}' } },
        { type: 'remove_headers', id: 'no-debug', headers: ['X-Debug'] },
      ],
      response: [
        { type: 'set_headers', id: 'powered', headers: { 'X-Powered-By': 'gatehouse {{response.status}}' } },
        { type: 'remove_headers', id: 'hide-internal', headers: ['x-internal'] },
      ],
    });
    const res = await g.send('GET', '/items/42', { headers: { 'x-debug': 'secret' } });
    expect(res.status).toBe(200);
    expect(res.body.headers['x-tenant']).toBe(g.clientId);
    expect(res.body.headers['x-item']).toBe('item-42');
    expect(res.body.headers['x-debug']).toBeUndefined();
    // The caller's credential is never a template variable and never forwarded.
    expect(res.body.headers.authorization).toBeUndefined();
    expect(res.headers.get('x-powered-by')).toBe('gatehouse 200');
    expect(res.headers.get('x-internal')).toBeNull();
  });

  it('rewrites the path and the query the upstream receives, encoding caller values', async () => {
    await g.attach({
      request: [
        { type: 'rewrite_path', id: 'v2', path: '/v2/things/{{request.params.id}}' },
        { type: 'set_query', id: 'query', set: { source: 'gateway', who: '{{caller.client.id}}' }, remove: ['expand'] },
      ],
    });
    const res = await g.send('GET', '/items/7?expand=owner&keep=1');
    expect(res.body.path).toBe('/v2/things/7');
    expect(res.body.query).toEqual({ keep: '1', source: 'gateway', who: g.clientId });
  });
});

describe('condition', () => {
  it('runs one branch or the other by a CEL expression, and logs the decision', async () => {
    const wf = await g.attach({
      request: [
        {
          type: 'condition',
          id: 'beta',
          expression: '"x-beta" in request.headers && request.headers["x-beta"] == "1"',
          then: [{ type: 'set_headers', id: 'beta-on', headers: { 'X-Channel': 'beta' } }],
          else: [{ type: 'set_headers', id: 'beta-off', headers: { 'X-Channel': 'stable' } }],
        },
      ],
    });
    const beta = await g.send('GET', '/echo', { headers: { 'x-beta': '1', 'x-request-id': 'cond-beta-1' } });
    const stable = await g.send('GET', '/echo');
    expect(beta.body.headers['x-channel']).toBe('beta');
    expect(stable.body.headers['x-channel']).toBe('stable');
    const entry = await logged('cond-beta-1');
    expect(entry.workflow).toBe(`${wf.id}@${wf.version} beta:then`);
  });

  it('fails a call whose expression cannot be evaluated with a JSON error naming the node, and logs it', async () => {
    await g.attach({ request: [{ type: 'condition', id: 'needs-body', expression: 'request.body.amount > 10.0', then: [] }] });
    const res = await g.send('GET', '/echo', { headers: { 'x-request-id': 'cond-fail-1' } });
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('GATEHOUSE_WORKFLOW_CONDITION_FAILED');
    expect(res.body.error.message).toContain('needs-body');
    expect(res.body.error.requestId).toBe('cond-fail-1');
    const entry = await logged('cond-fail-1');
    expect(entry).toMatchObject({ status: 500, errorCode: 'GATEHOUSE_WORKFLOW_CONDITION_FAILED' });
    expect(entry.workflow).toContain('failed:needs-body');
  });
});

describe('route', () => {
  it('picks a target group by condition, and the proxy’s own upstreams otherwise', async () => {
    await g.attach({
      request: [{ type: 'route', id: 'pick', groups: [{ name: 'canary', upstreams: [g.canary.url], when: '"x-canary" in request.headers' }] }],
    });
    expect((await g.send('GET', '/echo', { headers: { 'x-canary': 'yes' } })).body.upstream).toBe('canary');
    expect((await g.send('GET', '/echo')).body.upstream).toBe('stable');
  });

  it('splits calls by weight: 90/10 over 1,000 calls lands within tolerance', async () => {
    await g.attach({
      request: [
        {
          type: 'route',
          id: 'split',
          groups: [
            { name: 'stable', upstreams: [g.upstream.url], weight: 90 },
            { name: 'canary', upstreams: [g.canary.url], weight: 10 },
          ],
        },
      ],
    });
    const counts = { stable: 0, canary: 0 };
    for (let batch = 0; batch < 20; batch++) {
      const results = await Promise.all(Array.from({ length: 50 }, () => g.send('GET', '/echo')));
      for (const r of results) counts[r.body.upstream as 'stable' | 'canary']++;
    }
    expect(counts.stable + counts.canary).toBe(1_000);
    // Binomial(1000, 0.1): mean 100, sd ~9.5; 55..145 is beyond 4.7 sd either way.
    expect(counts.canary).toBeGreaterThan(55);
    expect(counts.canary).toBeLessThan(145);
  });
});

describe('validate_request', () => {
  beforeAll(async () => {
    await g.attach({ request: [{ type: 'validate_request', id: 'contract' }], bodyLimitBytes: 65_536 });
  });

  it('lets a call that matches the contract through', async () => {
    const ok = await g.send('POST', '/items', { body: JSON.stringify({ name: 'pen', qty: 2 }) });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body.body)).toEqual({ name: 'pen', qty: 2 });
    expect((await g.send('GET', '/items/5?expand=tags')).status).toBe(200);
  });

  it('hands the upstream the bytes it inspected, as the caller sent them (read once, never re-serialized)', async () => {
    const sent = '{ "qty" : 2,\n  "name":"pen" }';
    const ok = await g.send('POST', '/items', { body: sent });
    expect([ok.status, ok.body.body]).toEqual([200, sent]);
  });

  it('refuses bad parameters and bodies with 400 naming every field, before the upstream is called', async () => {
    const before = g.upstream.hits.get('/items') ?? 0;
    const badBody = await g.send('POST', '/items', { body: JSON.stringify({ name: '', qty: 0 }) });
    expect(badBody.status).toBe(400);
    expect(badBody.body.error.code).toBe('GATEHOUSE_REQUEST_INVALID');
    expect(badBody.body.error.details.map((d: any) => d.path).sort()).toEqual(['request.body.name', 'request.body.qty']);
    const missing = await g.send('POST', '/items', { body: JSON.stringify({ name: 'x' }) });
    expect(missing.body.error.details).toEqual([{ path: 'request.body.qty', message: 'is required' }]);
    const notJson = await g.send('POST', '/items', { body: '{"name":' });
    expect(notJson.body.error.details).toEqual([{ path: 'request.body', message: 'is not valid JSON' }]);
    expect(g.upstream.hits.get('/items') ?? 0).toBe(before);
    const badParam = await g.send('GET', '/items/abc?expand=everything');
    expect(badParam.status).toBe(400);
    expect(badParam.body.error.details.map((d: any) => d.path).sort()).toEqual(['request.path.id', 'request.query.expand']);
  });

  it('refuses a body larger than the workflow buffers with 413', async () => {
    const res = await g.send('POST', '/items', { body: JSON.stringify({ name: 'x'.repeat(70_000), qty: 1 }) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('GATEHOUSE_WORKFLOW_BODY_TOO_LARGE');
  });
});

describe('require_claims and rate_limit', () => {
  it('lets a JWT caller with the required scope and role in, and refuses others naming what is missing', async () => {
    await g.attach({ request: [{ type: 'require_claims', id: 'partner', scopes: ['orders:read'], anyRole: ['partner', 'admin'], rolesClaim: 'realm.roles' }] });
    const good = await g.jwt({ sub: 'p1', scope: 'orders:read other', realm: { roles: ['partner'] } });
    expect((await g.send('GET', '/echo', { auth: `Bearer ${good}` })).status).toBe(200);
    const noScope = await g.send('GET', '/echo', { auth: `Bearer ${await g.jwt({ sub: 'p1', realm: { roles: ['partner'] } })}` });
    expect(noScope.status).toBe(403);
    expect(noScope.body.error.code).toBe('GATEHOUSE_CLAIMS_REQUIRED');
    expect(noScope.body.error.details.missing).toEqual(['scope orders:read']);
    const noRole = await g.send('GET', '/echo', { auth: `Bearer ${await g.jwt({ sub: 'p1', scope: 'orders:read' })}` });
    expect(noRole.body.error.details.missing).toEqual(['one of the roles partner, admin']);
    const tokenCaller = await g.send('GET', '/echo');
    expect(tokenCaller.status).toBe(403);
    expect(tokenCaller.body.error.code).toBe('GATEHOUSE_CLAIMS_REQUIRED');
  });

  it('counts an extra window per claim value on the gateway’s limiter', async () => {
    await g.attach({ request: [{ type: 'rate_limit', id: 'per-partner', keyBy: 'claim', claim: 'sub', window: 'hour', limit: 2 }] });
    const a = `Bearer ${await g.jwt({ sub: 'partner-a' })}`;
    const b = `Bearer ${await g.jwt({ sub: 'partner-b' })}`;
    expect((await g.send('GET', '/echo', { auth: a })).status).toBe(200);
    expect((await g.send('GET', '/echo', { auth: a })).status).toBe(200);
    const third = await g.send('GET', '/echo', { auth: a });
    expect(third.status).toBe(429);
    expect(third.body.error.message).toContain('per-partner');
    expect(third.headers.get('ratelimit-limit')).toBe('2');
    expect(third.headers.get('retry-after')).not.toBeNull();
    // Another claim value has its own window.
    expect((await g.send('GET', '/echo', { auth: b })).status).toBe(200);
  });
});

describe('mock_response', () => {
  it('answers from templates without calling the upstream, through the response phase', async () => {
    await g.attach({
      request: [
        {
          type: 'mock_response',
          id: 'mock',
          status: 201,
          headers: { 'X-Mock': 'yes' },
          body: { id: '{{request.params.id}}', by: '{{caller.client.name}}', tags: ['{{request.method}}'] },
        },
      ],
      response: [{ type: 'set_headers', id: 'after-mock', headers: { 'X-Phase': 'response' } }],
    });
    const before = g.upstream.hits.get('/items/99') ?? 0;
    const res = await g.send('GET', '/items/99', { headers: { 'x-request-id': 'mock-1' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: '99', by: 'Workflow partner', tags: ['GET'] });
    expect(res.headers.get('x-mock')).toBe('yes');
    expect(res.headers.get('x-phase')).toBe('response');
    expect(res.headers.get('x-request-id')).toBe('mock-1');
    expect(g.upstream.hits.get('/items/99') ?? 0).toBe(before);
    expect((await logged('mock-1')).workflow).toContain('mock:mock');
  });
});

describe('cache', () => {
  it('serves a hit without the upstream, misses after the TTL, and honours no-store both ways', async () => {
    await g.attach({ request: [{ type: 'cache', id: 'c', ttlSeconds: 1 }], bodyLimitBytes: 65_536 });
    const first = await g.send('GET', '/counted', { headers: { 'x-request-id': 'cache-miss-1' } });
    const second = await g.send('GET', '/counted', { headers: { 'x-request-id': 'cache-hit-1' } });
    expect(first.body.n).toBe(second.body.n);
    expect(first.headers.get('x-cache')).toBeNull();
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.headers.get('x-request-id')).toBe('cache-hit-1');
    expect((await logged('cache-hit-1')).workflow).toContain('c:hit');
    expect((await logged('cache-miss-1')).workflow).toContain('c:miss');
    // The caller asks for a fresh answer.
    const bypass = await g.send('GET', '/counted', { headers: { 'cache-control': 'no-store' } });
    expect(bypass.body.n).toBe(first.body.n + 1);
    await new Promise((r) => setTimeout(r, 1_100));
    const expired = await g.send('GET', '/counted');
    expect(expired.body.n).toBeGreaterThan(first.body.n);
    // A response marked no-store is never kept.
    const a = await g.send('GET', '/nostore');
    const b = await g.send('GET', '/nostore');
    expect(b.body.n).toBe(a.body.n + 1);
    // Writes are never cached.
    const p1 = await g.send('POST', '/echo', { body: '{}' });
    expect(p1.headers.get('x-cache')).toBeNull();
  });

  it('answers a hit with the head the miss had, its own per-call headers, and no body to HEAD', async () => {
    await g.attach({ request: [{ type: 'cache', id: 'c', ttlSeconds: 60 }], bodyLimitBytes: 65_536 });
    const policy = await g.admin('POST', '/policies', { name: 'cache-hit-limits', rateLimits: [{ window: 'minute', limit: 1000 }] });
    const client = await g.admin('POST', '/clients', { name: 'Cache hit caller', collectionIds: [g.collectionId], policyId: policy.id });
    const profile = await g.admin('POST', '/profiles', { clientId: client.id, name: 'token', authType: 'token' });
    const auth = `Bearer ${(await g.admin('POST', `/profiles/${profile.id}/credentials`, {})).token}`;
    const miss = await g.send('GET', '/counted', { auth, headers: { 'x-request-id': 'head-miss' } });
    const hit = await g.send('GET', '/counted', { auth, headers: { 'x-request-id': 'head-hit' } });
    expect(hit.status).toBe(200);
    expect(hit.text).toBe(miss.text);
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(hit.headers.get('cache-status')).toBe('gatehouse; hit; ttl=60');
    expect(hit.headers.get('x-request-id')).toBe('head-hit');
    expect(hit.headers.get('ratelimit-limit')).toBe('1000');
    expect(hit.headers.get('ratelimit-remaining')).toBe('998');
    expect(Number(hit.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    expect(hit.headers.get('date')).not.toBeNull();
    // Every other header is the miss's, with the same value (the upstream's x-internal included).
    const perCall = new Set(['x-request-id', 'ratelimit-remaining', 'ratelimit-reset', 'date', 'x-cache', 'cache-status']);
    const rest = (h: Headers) => [...h.entries()].filter(([k]) => !perCall.has(k)).sort();
    expect(rest(hit.headers)).toEqual(rest(miss.headers));
    expect(hit.headers.get('x-internal')).toBe('upstream-only');
    expect((await logged('head-hit')).bytesOut).toBe(Buffer.byteLength(miss.text));

    await g.send('HEAD', '/counted', { auth });
    const headHit = await g.send('HEAD', '/counted', { auth, headers: { 'x-request-id': 'head-only' } });
    expect(headHit.status).toBe(200);
    expect(headHit.text).toBe('');
    expect(headHit.headers.get('x-cache')).toBe('HIT');
    expect(headHit.headers.get('ratelimit-limit')).toBe('1000');
    expect(headHit.headers.get('x-request-id')).toBe('head-only');
    // The connection survives both: the next call on it is answered.
    expect((await g.send('GET', '/counted', { auth })).headers.get('x-cache')).toBe('HIT');
  });

  it('adds the CORS headers of a workflow with a cors node to a hit', async () => {
    await g.attach({
      request: [
        { type: 'cors', id: 'cors', allowOrigins: ['https://app.example.com'] },
        { type: 'cache', id: 'c', ttlSeconds: 60 },
      ],
      bodyLimitBytes: 65_536,
    });
    const origin = { origin: 'https://app.example.com' };
    const miss = await g.send('GET', '/counted', { headers: origin });
    const hit = await g.send('GET', '/counted', { headers: { ...origin, 'x-request-id': 'cors-hit' } });
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(hit.body).toEqual(miss.body);
    expect(hit.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(hit.headers.get('x-request-id')).toBe('cors-hit');
    expect(hit.headers.get('content-length')).toBe(String(Buffer.byteLength(miss.text)));
  });

  it('keeps callers apart unless told otherwise', async () => {
    await g.attach({ request: [{ type: 'cache', id: 'c', ttlSeconds: 60 }], bodyLimitBytes: 65_536 });
    const mine = await g.send('GET', '/counted');
    const jwtCaller = await g.send('GET', '/counted', { auth: `Bearer ${await g.jwt({ sub: 'someone' })}` });
    expect(jwtCaller.body.n).not.toBe(mine.body.n);
  });
});

describe('transform_json and redact_response_fields', () => {
  it('rewrites the request body and the response body with JSONata', async () => {
    await g.attach({
      request: [{ type: 'transform_json', id: 'to-upstream', expression: '{"title": name, "count": qty * 2}' }],
      response: [{ type: 'transform_json', id: 'to-caller', expression: '{"sent": $eval(body), "via": upstream}' }],
      bodyLimitBytes: 65_536,
    });
    const res = await g.send('POST', '/echo', { body: JSON.stringify({ name: 'pen', qty: 3 }) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sent: { title: 'pen', count: 6 }, via: 'stable' });
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(res.text)));
  });

  it('fails a transform that is not JSON, or runs too long, with a code naming the node', async () => {
    await g.attach({
      request: [{ type: 'transform_json', id: 'slow', expression: '$sum([1..5000000])', timeoutMs: 5 }],
      bodyLimitBytes: 65_536,
    });
    const slow = await g.send('POST', '/echo', { body: '{"a":1}' });
    expect(slow.status).toBe(422);
    expect(slow.body.error.code).toBe('GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED');
    expect(slow.body.error.message).toContain('slow');
    const notJson = await g.send('POST', '/echo', { body: 'plain text', headers: { 'content-type': 'text/plain' } });
    expect(notJson.body.error.code).toBe('GATEHOUSE_WORKFLOW_TRANSFORM_FAILED');
  });

  it('masks and removes response fields before the caller sees them', async () => {
    await g.attach({
      response: [
        { type: 'redact_response_fields', id: 'mask-ssn', paths: ['$.ssn'] },
        { type: 'redact_response_fields', id: 'drop-cards', paths: ['$.items[*].card'], mode: 'remove' },
      ],
      bodyLimitBytes: 65_536,
    });
    const res = await g.send('GET', '/secret');
    expect(res.body).toEqual({ name: 'Ada', ssn: '[REDACTED]', items: [{ id: 1 }, { id: 2 }] });
    expect(res.text).not.toContain('4111');
  });

  it('refuses an upstream response larger than the workflow buffers with 502', async () => {
    await g.attach({ response: [{ type: 'redact_response_fields', id: 'r', paths: ['$.ssn'] }], bodyLimitBytes: 10_000 });
    const res = await g.send('GET', '/big');
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('GATEHOUSE_WORKFLOW_RESPONSE_TOO_LARGE');
  });
});

describe('cors', () => {
  it('answers an allowed preflight before authentication and adds CORS headers to responses', async () => {
    await g.attach({ request: [{ type: 'cors', id: 'cors', allowOrigins: ['https://app.example.com'] }] });
    const pre = await fetch(`${g.t.gh.urls.proxy}/wf/v1/items`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    const actual = await g.send('GET', '/echo', { headers: { origin: 'https://app.example.com' } });
    expect(actual.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(actual.headers.get('access-control-expose-headers')).toContain('x-request-id');
    const foreign = await fetch(`${g.t.gh.urls.proxy}/wf/v1/items`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(foreign.status).toBe(405);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const other = await g.send('GET', '/echo', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
