import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzRuns, runFuzz } from '../support/fuzz.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

// OpenAPI documents a fuzzer builds: valid skeletons with arbitrary paths, methods, parameters,
// schemas (including $refs that point nowhere or at themselves) and arbitrary junk where objects
// belong. An import answers 2xx or a 4xx naming the problem — never a 5xx — and one that fails
// leaves the store exactly as it was. Half the runs are dry runs, which must never write.
// A fixed number of cases with the fixed seed; GATEHOUSE_FUZZ_RUNS_OPENAPI changes it.
const RUNS = fuzzRuns('GATEHOUSE_FUZZ_RUNS_OPENAPI', { local: 400, ci: 250, floor: 100 });

let t: TestGatehouse;
let collectionId: string;

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  const res = await call(t.api, t.adminToken, 'POST', '/collections', { slug: 'imports', name: 'Imports' });
  collectionId = res.body.id;
});
afterAll(async () => t?.close());

async function storeState(): Promise<string> {
  const rows = await t.db.db.selectFrom('resources').select(['id', 'version']).orderBy('id').execute();
  const audited = await t.db.db.selectFrom('audit_log').select('id').where('outcome', '=', 'success').execute();
  return JSON.stringify({ rows, audited: audited.length });
}

const json = fc.jsonValue({ maxDepth: 2 });
const segment = fc.oneof(
  fc.constantFrom('orders', 'items', '{id}', '{name}:batchGet', '{id}.json', '#frag', 'a b', '%2F', '', '..'),
  fc.string({ maxLength: 8 }),
);
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`);
const schema: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ type: fc.constantFrom('string', 'integer', 'number', 'boolean', 'null', 'bogus') }),
    fc.record({
      $ref: fc.constantFrom(
        '#/components/schemas/Order',
        '#/components/schemas/Missing',
        '#/nowhere',
        'other.yaml#/X',
        '#',
        '#/components/schemas/%zz',
        '#/components/schemas/%E0%A4%A',
      ),
    }),
    fc.record(
      {
        type: fc.constant('object'),
        properties: fc.dictionary(fc.string({ maxLength: 6 }), tie('node'), { maxKeys: 3 }),
        required: fc.array(fc.string({ maxLength: 6 }), { maxLength: 2 }),
      },
      { requiredKeys: ['type'] },
    ),
    fc.record({ type: fc.constant('array'), items: tie('node') }),
    fc.record({ oneOf: fc.array(tie('node'), { maxLength: 2 }) }),
    json,
  ),
})).node;
const parameter = fc.record(
  { name: fc.string({ maxLength: 8 }), in: fc.constantFrom('path', 'query', 'header', 'cookie', 'body', 'nowhere'), required: fc.boolean(), schema },
  { requiredKeys: ['name', 'in'] },
);
const operation = fc.oneof(
  fc.record(
    {
      operationId: fc.string({ maxLength: 12 }),
      summary: fc.string({ maxLength: 20 }),
      parameters: fc.array(parameter, { maxLength: 3 }),
      requestBody: fc.record({
        content: fc.dictionary(fc.constantFrom('application/json', 'multipart/form-data', 'text/plain', '*/*', 'x'), fc.record({ schema })),
      }),
      responses: fc.dictionary(fc.constantFrom('200', '201', 'default', '4XX', 'x'), fc.record({ description: fc.string({ maxLength: 5 }) })),
    },
    { requiredKeys: [] },
  ),
  json,
);
const document = fc.record(
  {
    openapi: fc.constantFrom('3.0.3', '3.1.0', '3.1.1', '2.0', '4.0', ''),
    info: fc.oneof(fc.record({ title: fc.string({ minLength: 1, maxLength: 12 }), version: fc.string({ maxLength: 5 }) }), json),
    servers: fc.array(fc.record({ url: fc.constantFrom('http://127.0.0.1:9/api', '/relative', 'not a url', 'ftp://x', '{scheme}://x') }), { maxLength: 2 }),
    paths: fc.oneof(
      fc.dictionary(
        path,
        fc.oneof(fc.dictionary(fc.constantFrom('get', 'post', 'put', 'delete', 'patch', 'trace', 'parameters', 'x-ext'), operation, { maxKeys: 3 }), json),
        { maxKeys: 5 },
      ),
      json,
    ),
    components: fc.record({ schemas: fc.dictionary(fc.constantFrom('Order', 'Item', 'Self'), schema, { maxKeys: 3 }) }, { requiredKeys: [] }),
  },
  { requiredKeys: ['openapi', 'paths'] },
);

/** Documents every run starts with: `$ref`s whose percent-encoding is malformed, which once were a 500. */
const badRef = (ref: string) => ({
  openapi: '3.0.3',
  info: { title: 'Bad ref', version: '1' },
  paths: {
    '/items': {
      get: {
        parameters: [{ $ref: ref }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: ref.replace('parameters', 'schemas') } } } } },
      },
    },
  },
  components: { parameters: {}, schemas: {} },
});
const HOSTILE: [Record<string, unknown>, boolean, string, boolean][] = [
  [badRef('#/components/parameters/%zz'), false, '/fz/a', true],
  [badRef('#/components/parameters/%'), true, '/fz/b', false],
];

describe('fuzzed OpenAPI imports', { timeout: 180_000 }, () => {
  it('never answer 5xx, and a failed or dry-run import writes nothing', async () => {
    const outcomes = new Map<number, number>();
    const badRefAnswers: { status: number; code?: string; message?: string }[] = [];
    await runFuzz(
      'OpenAPI import',
      [document as fc.Arbitrary<Record<string, unknown>>, fc.boolean(), fc.constantFrom('/fz/a', '/fz/b'), fc.boolean()],
      async (generated, dryRun, basePath, withRoutable) => {
        // An import that would create nothing is refused (GATEHOUSE_OPENAPI_NOTHING_TO_IMPORT): half the documents get one routable operation.
        const paths = generated.paths;
        const doc =
          withRoutable && typeof paths === 'object' && paths !== null && !Array.isArray(paths)
            ? { ...generated, paths: { ...paths, '/known-good': { get: { responses: { '200': { description: 'ok' } } } } } }
            : generated;
        const before = await storeState();
        const res = await call(t.api, t.adminToken, 'POST', `/collections/${collectionId}/import-openapi${dryRun ? '?dryRun=true' : ''}`, {
          document: doc,
          basePath,
          upstreams: ['http://127.0.0.1:9'],
        });
        outcomes.set(res.status, (outcomes.get(res.status) ?? 0) + 1);
        if (HOSTILE.some(([hostile]) => hostile === generated))
          badRefAnswers.push({ status: res.status, code: res.body?.error?.code, message: res.body?.error?.message });
        const where = `${JSON.stringify(doc).slice(0, 400)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
        expect(res.status, where).toBeLessThan(500);
        if (res.status >= 400) expect(res.body?.error?.code, where).toMatch(/^GATEHOUSE_/);
        if (res.status >= 400 || dryRun) expect(await storeState(), where).toBe(before);
      },
      { ...RUNS, examples: HOSTILE },
    );
    // Both kinds of answer were reached: documents imported and documents refused.
    expect([...outcomes.keys()].some((s) => s < 300)).toBe(true);
    expect([...outcomes.keys()].some((s) => s >= 400)).toBe(true);
    // A malformed $ref is a 422 that names it.
    expect(badRefAnswers).toHaveLength(HOSTILE.length);
    for (const answer of badRefAnswers) {
      expect(answer).toMatchObject({ status: 422, code: 'GATEHOUSE_OPENAPI_INVALID' });
      expect(answer.message).toMatch(/\$ref #\/components\/(parameters|schemas)\/%/);
    }
  });
});
