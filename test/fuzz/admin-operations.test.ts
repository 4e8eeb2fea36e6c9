import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../src/management/registry.js';
import { fuzzRuns, runFuzz } from '../support/fuzz.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

// Every admin operation, through the admin API, with inputs a fuzzer builds: its own field names
// with arbitrary JSON values, arbitrary JSON, ids that exist and ids that do not. Whatever comes in,
// the answer is never a 5xx, an error is the documented JSON shape, and a refused write changes nothing.
// A fixed number of cases per operation, with the fixed seed; GATEHOUSE_FUZZ_RUNS changes it.
const RUNS = fuzzRuns('GATEHOUSE_FUZZ_RUNS', { local: 30, ci: 20, floor: 10 });

let t: TestGatehouse;
const existing: Record<string, string> = {};

async function storeState() {
  const rows = await t.db.db.selectFrom('resources').select(['id', 'version']).orderBy('id').execute();
  const credentials = await t.db.db.selectFrom('credentials').select(['id', 'status']).orderBy('id').execute();
  const audited = await t.db.db.selectFrom('audit_log').select('id').where('outcome', '=', 'success').execute();
  return JSON.stringify({ rows, credentials, audited: audited.length });
}

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  const ok = async (path: string, body: unknown) => {
    const res = await call(t.api, t.adminToken, 'POST', path, body);
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body;
  };
  existing.collections = (await ok('/collections', { slug: 'fuzz', name: 'Fuzz' })).id;
  existing.proxies = (await ok('/proxies', { collectionId: existing.collections, name: 'P', basePath: '/fuzz', upstreams: ['http://127.0.0.1:9'] })).id;
  existing.clients = (await ok('/clients', { name: 'C', collectionIds: [existing.collections] })).id;
  existing.profiles = (await ok('/profiles', { clientId: existing.clients, name: 'p', authType: 'token' })).id;
  existing.credentials = (await ok(`/profiles/${existing.profiles}/credentials`, {})).credential.id;
});
afterAll(async () => t?.close());

const operations = createRegistry()
  .all()
  // Wiping the whole configuration is a legitimate answer to some random inputs; it is tested on its own.
  .filter((op) => !op.composite);

/** The field names an operation's input schema declares (its object shape), so fuzzed bodies get past "unknown field". */
function fieldsOf(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

const json = fc.jsonValue({ maxDepth: 3 });

/** JSON nested 5,000 deep, the body that used to overflow the stack behind the parser. */
const DEEP = `${'['.repeat(5000)}${']'.repeat(5000)}`;

describe('fuzzed admin operations', { timeout: 120_000 }, () => {
  it.each(operations.map((op) => [op.name, op] as const))('%s: never a 5xx, never a partial write', async (name, op) => {
    const fields = fieldsOf(op.input);
    // Bodies travel as text, so an explicit example can be JSON no JavaScript value should be built from.
    const body = (fields.length > 0 ? fc.oneof(fc.dictionary(fc.constantFrom(...fields), json, { maxKeys: fields.length }), json) : json).map((v) =>
      JSON.stringify(v),
    );
    const idFor = fc.oneof(fc.constantFrom(...Object.values(existing)), fc.string({ maxLength: 40 }), fc.constant('x'.repeat(300)));
    const sendsBody = op.http.method !== 'GET' && op.http.method !== 'DELETE';
    const answers: { status: number; code?: string; deep: boolean }[] = [];
    await runFuzz(
      `admin ${name}`,
      [body, idFor],
      async (input, id) => {
        const path = op.http.path.replace(/\{(\w+)\}/g, () => encodeURIComponent(id) || 'x');
        const before = await storeState();
        const res = sendsBody ? await call(t.api, t.adminToken, op.http.method, path, input) : await call(t.api, t.adminToken, op.http.method, path);
        const where = `${op.http.method} ${path} ${input.slice(0, 300)} → ${JSON.stringify(res.body).slice(0, 300)}`;
        answers.push({ status: res.status, code: res.body?.error?.code, deep: input === DEEP });
        expect(res.status, where).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.body?.error?.code, where).toMatch(/^GATEHOUSE_[A-Z_]+$/);
          expect(typeof res.body.error.message, where).toBe('string');
          expect(await storeState(), where).toBe(before);
        }
      },
      { ...RUNS, examples: [[DEEP, existing.collections!]] },
    );
    // Every case got an answer; a body nested 5,000 deep was refused before parsing, as too deep.
    expect(answers).toHaveLength(RUNS.runs + 1);
    if (sendsBody) expect(answers.find((a) => a.deep)).toMatchObject({ status: 400, code: 'GATEHOUSE_JSON_TOO_DEEP' });
  });

  it('leaves a gateway that still answers', async () => {
    expect((await fetch(`${t.gh.urls.admin}/healthz`)).status).toBe(200);
    expect((await call(t.api, t.adminToken, 'GET', '/collections')).status).toBe(200);
  });
});
