import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../support/gatehouse.js';
import { type HealthProbe, type ProbeResult, startHealthProbe } from '../support/health-probe.js';
import { startWorkflowGateway, type WorkflowGateway } from './workflow-fixtures.js';

/**
 * Issue 38: no workflow can stall a node. Each hostile workflow runs as a viewer's dry run and as a
 * saved workflow on a consumer call; it fails (or answers) with a clear code while a probe in another
 * process keeps getting `/healthz` answered (none fails or hangs). How long the loop is held at most
 * is a figure of the bench (`npm run bench -- --workflow-budget`), not a bound here: a loaded
 * machine stretches any bound.
 */

let g: WorkflowGateway;
let viewer: string;
let health: HealthProbe;

beforeAll(async () => {
  g = await startWorkflowGateway();
  health = await startHealthProbe(`${g.t.gh.urls.proxy}/healthz`);
});
afterAll(async () => {
  await health?.close();
  await g?.close();
});

/**
 * Runs `work` once to warm the code paths (a serving node is warm), then again while another
 * process probes /healthz on the proxy listener; returns the result and what the probe saw.
 */
async function probed<T>(work: () => Promise<T>): Promise<{ out: T; probe: ProbeResult }> {
  await work();
  return health.during(work);
}

/** Every /healthz probe of the window got its answer (a held loop makes them time out and fail). */
function expectHealthy(probe: ProbeResult): void {
  expect(probe.failures).toBe(0);
  expect(probe.count).toBeGreaterThan(0);
}

const viewerCall = (path: string, body: unknown) => call(g.t.api, viewer, 'POST', path, body);
const list = JSON.stringify(Array.from({ length: 1_000 }, (_, i) => i));
const aaa = `/${'a'.repeat(30)}!`;
const PHONES = JSON.stringify({ contacts: Array.from({ length: 40_000 }, (_, i) => `call +1 415 555 ${1000 + (i % 9000)}`) });
const phonesRedacted = (body: string) => (JSON.parse(body).contacts as string[]).filter((c) => c === 'call [PHONE]').length;
// ~1 MB of prose lines, each holding a phone number, an e-mail address and a GitHub token.
const MIXED_LINE = (i: number) =>
  `Line ${i}: reach Jane at +1 415 555 ${1000 + (i % 9000)} or jane${i}@example.org; token ghp_${'a1B2c3D4e5'.repeat(3)}${String(i).padStart(6, '0')}.\n`;
const MIXED_TEXT = Array.from({ length: 9_000 }, (_, i) => MIXED_LINE(i)).join('');
const mixedRedacted = (body: string) =>
  body.split('\n').filter(Boolean).length === 9_000 &&
  body
    .split('\n')
    .filter(Boolean)
    .every((line, i) => line === `Line ${i}: reach Jane at [PHONE] or [EMAIL]; token [GITHUB_TOKEN].`);

interface Hostile {
  name: string;
  definition: Record<string, unknown>;
  /** The sample (dry run) and the consumer call. */
  send: { method: string; path: string; body?: string; headers?: Record<string, string> };
  /** What the dry run's result and the consumer call must show. */
  expectDry(result: any): void;
  expectCall(res: { status: number; body: any }): void;
}

const budget = (node: string) => ({
  expectDry: (result: any) => expect(result.error).toMatchObject({ code: 'GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED', node }),
  expectCall: (res: { status: number; body: any }) => {
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED');
    expect(res.body.error.message).toContain(node);
  },
});

const HOSTILE: Hostile[] = [
  {
    name: 'CEL exists nested three deep over a 1,000-element body',
    definition: {
      request: [
        {
          type: 'condition',
          id: 'loops',
          expression: 'request.body.exists(a, request.body.exists(b, request.body.exists(c, a + b + c < 0)))',
          then: [{ type: 'set_headers', id: 'hit', headers: { 'x-hit': '1' } }],
        },
        { type: 'validate_request', id: 'v' },
      ],
      bodyLimitBytes: 65_536,
    },
    send: { method: 'POST', path: '/echo', body: list },
    ...budget('loops'),
  },
  {
    name: 'CEL matches("^/(a+)+$") on 30 a’s (runs on RE2: linear, so it simply answers)',
    definition: {
      request: [
        {
          type: 'condition',
          id: 're',
          expression: '"x-name" in request.headers && request.headers["x-name"].matches("^/(a+)+$")',
          then: [{ type: 'set_headers', id: 'hit', headers: { 'x-hit': '1' } }],
        },
      ],
    },
    send: { method: 'GET', path: '/echo', headers: { 'x-name': aaa } },
    expectDry: (result) => {
      expect(result.error).toBeNull();
      expect(result.decisions).toEqual(['re:else']);
    },
    expectCall: (res) => {
      expect(res.status).toBe(200);
      expect(res.body.headers['x-hit']).toBeUndefined();
    },
  },
  {
    name: 'JSONata $match with a catastrophic regex (runs on RE2)',
    definition: { request: [{ type: 'transform_json', id: 'm', expression: '{"matched": $exists($match(s, /^\\/(a+)+$/))}' }], bodyLimitBytes: 65_536 },
    send: { method: 'POST', path: '/echo', body: JSON.stringify({ s: aaa }) },
    expectDry: (result) => {
      expect(result.error).toBeNull();
      expect(result.upstreamRequest.body).toBe('{"matched":false}');
    },
    expectCall: (res) => {
      expect(res.status).toBe(200);
      expect(res.body.body).toBe('{"matched":false}');
    },
  },
  {
    name: 'a mock_response body of 1,000 × {{request.body}} on a 0.9 MB sample',
    definition: {
      request: [
        { type: 'validate_request', id: 'v' },
        { type: 'mock_response', id: 'copies', body: { copies: Array.from({ length: 1_000 }, () => '{{request.body}}') } },
      ],
      bodyLimitBytes: 1_048_576,
    },
    send: { method: 'POST', path: '/echo', body: JSON.stringify({ blob: 'x'.repeat(900_000) }) },
    ...budget('copies'),
  },
  {
    // Guardrails scan the whole body, in slices: every number is redacted and the node serves meanwhile.
    name: 'detect_pii (every family) and prompt_guard over a 0.9 MB JSON body of 40,000 phone-shaped strings',
    definition: {
      request: [
        { type: 'detect_pii', id: 'pii', types: ['email', 'phone', 'card', 'iban', 'ip', 'secret'], defaultCountry: 'US', action: 'redact' },
        { type: 'prompt_guard', id: 'guard' },
      ],
      bodyLimitBytes: 1_048_576,
    },
    send: { method: 'POST', path: '/echo', body: PHONES },
    expectDry: (result) => {
      expect(result.error).toBeNull();
      expect(phonesRedacted(result.upstreamRequest.body)).toBe(40_000);
    },
    expectCall: (res) => {
      expect(res.status).toBe(200);
      expect(phonesRedacted(res.body.body)).toBe(40_000);
    },
  },
  {
    name: 'detect_pii and prompt_guard over one 1 MB text of numbers, addresses and keys',
    definition: {
      request: [
        { type: 'detect_pii', id: 'pii', types: ['email', 'phone', 'card', 'iban', 'ip', 'secret'], defaultCountry: 'US', action: 'redact' },
        { type: 'prompt_guard', id: 'guard' },
      ],
      bodyLimitBytes: 1_048_576,
    },
    send: { method: 'POST', path: '/echo', body: MIXED_TEXT, headers: { 'content-type': 'text/plain' } },
    expectDry: (result) => {
      expect(result.error).toBeNull();
      expect(mixedRedacted(result.upstreamRequest.body)).toBe(true);
    },
    expectCall: (res) => {
      expect(res.status).toBe(200);
      expect(mixedRedacted(res.body.body)).toBe(true);
    },
  },
  {
    name: 'JSONata $pad to 10^8 characters',
    definition: { request: [{ type: 'transform_json', id: 'pad', expression: '$pad("x", 100000000)' }], bodyLimitBytes: 65_536 },
    send: { method: 'POST', path: '/echo', body: '{}' },
    ...budget('pad'),
  },
];

// Each test is its own viewer, so the dry-run rate limit (60 a minute per caller) never adds up across tests.
const freshViewer = async () => {
  viewer = (await g.t.serviceAccount('viewer')).token;
};

describe('hostile workflows, as a viewer’s dry run', () => {
  beforeEach(freshViewer);
  for (const h of HOSTILE) {
    it(h.name, async () => {
      const definition = { name: 'hostile', ...h.definition };
      const request = { method: h.send.method, path: h.send.path, headers: h.send.headers ?? {}, ...(h.send.body === undefined ? {} : { body: h.send.body }) };
      const { out, probe } = await probed(async () => {
        const run = await viewerCall('/workflows/run', { definition, request });
        const firstNode = (h.definition.request as Array<Record<string, unknown>>).at(-1)!;
        const single = await viewerCall('/workflows/nodes/test', { node: firstNode, request, bodyLimitBytes: h.definition.bodyLimitBytes ?? 1_048_576 });
        const validate = await viewerCall('/workflows/validate', { definition });
        return { run, single, validate };
      });
      expect(out.run.status).toBe(200);
      h.expectDry(out.run.body);
      expect(out.single.status).toBe(200);
      expect(out.validate.body).toEqual({ valid: true, problems: [] });
      expectHealthy(probe);
    });
  }
});

describe('hostile workflows, saved on a proxy and hit by one consumer call', () => {
  for (const h of HOSTILE) {
    it(h.name, async () => {
      await g.attach(h.definition);
      const { out, probe } = await probed(() =>
        g.send(h.send.method, h.send.path, {
          ...(h.send.body === undefined ? {} : { body: h.send.body }),
          ...(h.send.headers ? { headers: h.send.headers } : {}),
        }),
      );
      h.expectCall(out);
      expectHealthy(probe);
    });
  }

  it('fails only the call that exceeds the budget: a call beside it is served', async () => {
    await g.attach(HOSTILE[0]!.definition);
    const [hostile, ordinary] = await Promise.all([g.send('POST', '/echo', { body: list }), g.send('POST', '/echo', { body: '[1, 2, 3]' })]);
    expect(hostile.status).toBe(422);
    expect(ordinary.status).toBe(400);
    expect(ordinary.body.error.code).toBe('GATEHOUSE_REQUEST_INVALID');
  });
});

describe('nesting', () => {
  beforeEach(freshViewer);
  const nested = (depth: number) => {
    let node: Record<string, unknown> = { type: 'set_headers', id: 'leaf', headers: { 'x-a': 'b' } };
    for (let i = 0; i < depth; i++) node = { type: 'condition', id: `c${i}`, expression: 'request.method == "GET"', then: [node] };
    return node;
  };

  it('refuses conditions nested 1,000 deep with a 4xx on every surface, saving nothing', async () => {
    const definition = { name: 'deep', request: [nested(1_000)] };
    const before = (await g.admin('GET', '/workflows?limit=500')).items.length;
    const { out, probe } = await probed(async () => ({
      validate: await viewerCall('/workflows/validate', { definition }),
      run: await viewerCall('/workflows/run', { definition, request: { method: 'GET', path: '/echo' } }),
      test: await viewerCall('/workflows/nodes/test', { node: nested(1_000), request: { method: 'GET', path: '/echo' } }),
      save: await call(g.t.api, g.t.adminToken, 'POST', '/workflows', definition),
    }));
    expect(out.validate.status === 400 || out.validate.body.valid === false).toBe(true);
    for (const res of [out.run, out.test, out.save]) expect(res.status).toBe(400);
    expect((await g.admin('GET', '/workflows?limit=500')).items.length).toBe(before);
    expectHealthy(probe);
  });

  it('names the node past the limit of 10', async () => {
    const res = await call(g.t.api, g.t.adminToken, 'POST', '/workflows', { name: 'eleven', request: [nested(11)] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toMatch(/nest at most 10 deep/);
    const validate = await viewerCall('/workflows/validate', { definition: { name: 'eleven', request: [nested(11)] } });
    expect(validate.body.valid).toBe(false);
    expect(validate.body.problems[0].path).toBe(`request.0${'.then.0'.repeat(10)}`);
  });
});

describe('dry runs per caller', () => {
  it('refuses a caller past 60 dry runs a minute with 429, and not another caller', async () => {
    const busy = (await g.t.serviceAccount('viewer')).token;
    const definition = { name: 'cheap', request: [] };
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await call(g.t.api, busy, 'POST', '/workflows/validate', { definition })).status);
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    const refused = await call(g.t.api, busy, 'POST', '/workflows/run', { definition, request: { method: 'GET', path: '/echo' } });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('GATEHOUSE_RATE_LIMITED');
    const other = await call(g.t.api, (await g.t.serviceAccount('viewer')).token, 'POST', '/workflows/validate', { definition });
    expect(other.status).toBe(200);
  });
});
