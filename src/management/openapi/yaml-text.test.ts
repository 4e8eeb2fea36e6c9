import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ORDERS_OPENAPI } from '../../demo/orders-api.js';
import { convertDocument } from './convert.js';
import { parseDocumentText } from './parse.js';
import { parseYamlText } from './yaml-text.js';

/** A description with shared objects (written as anchors and aliases by the YAML writer), path templates, refs and many parameter styles. */
function description(operations: number): Record<string, unknown> {
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const tags = { name: 'tags', in: 'query', style: 'pipeDelimited', explode: false, schema: { type: 'array', items: { type: 'string' } } };
  const ok = { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } } };
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < operations; i++)
    paths[`/things${i}/{id}`] = {
      get: { operationId: `get${i}`, summary: `Get thing ${i}: a "quoted" #hash`, parameters: [idParam, tags], responses: ok },
      put: {
        operationId: `put${i}`,
        parameters: [idParam],
        requestBody: { content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
        responses: ok,
      },
    };
  return {
    openapi: '3.0.3',
    info: { title: 'Things', version: '2024-01-01' },
    paths,
    components: {
      schemas: {
        Item: {
          type: 'object',
          properties: { id: { type: 'string', example: '0012' }, on: { type: 'boolean', default: true }, child: { $ref: '#/components/schemas/Item' } },
        },
      },
    },
  };
}

describe('YAML descriptions', () => {
  it('import exactly as the same description in JSON, aliases included', async () => {
    for (const doc of [ORDERS_OPENAPI as unknown as Record<string, unknown>, description(50)]) {
      const yamlText = stringify(doc);
      if (doc !== ORDERS_OPENAPI) expect(yamlText).toMatch(/\*a\d/); // the writer used aliases
      const fromYaml = await parseDocumentText(yamlText);
      const fromJson = await parseDocumentText(JSON.stringify(doc));
      expect(fromYaml).toEqual(fromJson);
      expect(convertDocument(fromYaml)).toEqual(convertDocument(fromJson));
    }
  });

  it('reads values by YAML 1.2’s core schema: dates, yes/on and << stay as written; a repeated key keeps its last value', async () => {
    const text = 'd: 2020-01-01\na: yes\nb: on\nc: True\nn: ~\no: 0o17\nx: 0x1F\ne: 1e3\nk: &k {p: 1}\nm:\n  <<: *k\n  q: 2\nr: 1\nr: 2\n';
    expect(await parseYamlText(text)).toEqual({
      d: '2020-01-01',
      a: 'yes',
      b: 'on',
      c: true,
      n: null,
      o: 15,
      x: 31,
      e: 1000,
      k: { p: 1 },
      m: { '<<': { p: 1 }, q: 2 },
      r: 2,
    });
  });

  it('keeps a __proto__ key as data, as JSON.parse does', async () => {
    const doc = (await parseYamlText('__proto__:\n  polluted: 1\n')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(Object.hasOwn(doc, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('ignores tags it does not know, keeping the value as written', async () => {
    expect(await parseYamlText('a: !custom x\nb: !!binary aGk=\nc: !list [1, 2]\nd: !!str 12\n')).toEqual({ a: 'x', b: 'aGk=', c: [1, 2], d: '12' });
  });

  it('refuses an alias explosion and an anchor used inside itself, and names a syntax error’s line', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    await expect(parseYamlText(levels.join('\n'))).rejects.toMatchObject({ code: 'GATEHOUSE_OPENAPI_INVALID', details: [{ message: 'too many aliases' }] });
    await expect(parseYamlText('a: &a [1, *a]\n')).rejects.toMatchObject({ code: 'GATEHOUSE_OPENAPI_INVALID', details: [{ message: 'recursive alias' }] });
    await expect(parseYamlText('a: 1\nb: [1,\n')).rejects.toMatchObject({ code: 'GATEHOUSE_OPENAPI_INVALID', message: expect.stringMatching(/line \d+/) });
    // A few aliases of a large shared object are ordinary reuse, not an explosion.
    const shared = `s: &s {${Array.from({ length: 2000 }, (_, i) => `k${i}: ${i}`).join(', ')}}\n`;
    expect(Object.keys((await parseYamlText(`${shared}t: [${Array(20).fill('*s').join(', ')}]\n`)) as object)).toEqual(['s', 't']);
  });
});
