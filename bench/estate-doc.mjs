// The synthetic description bench/estate.mjs imports: a Graph-like estate of interlinked entities.
const ENTITIES = 400;

/** A Graph-like description: entities with scalar fields, references to other entities and collections of them. */
export function estateDocument(operations) {
  const schemas = {};
  for (let e = 0; e < ENTITIES; e++) {
    const properties = { id: { type: 'string', description: `The identifier of entity ${e}.` } };
    for (let f = 0; f < 14; f++)
      properties[`field${f}`] = { type: f % 3 === 0 ? 'integer' : 'string', description: `Field ${f} of entity ${e}: ${'lorem ipsum '.repeat(4)}` };
    properties.owner = { $ref: `#/components/schemas/Entity${(e * 7 + 1) % ENTITIES}` };
    properties.parent = { $ref: `#/components/schemas/Entity${e}` };
    properties.related = { type: 'array', items: { $ref: `#/components/schemas/Entity${(e * 13 + 5) % ENTITIES}` } };
    schemas[`Entity${e}`] = { type: 'object', description: `Entity ${e}.`, properties };
  }
  const paths = {};
  const ref = (e) => ({ $ref: `#/components/schemas/Entity${e % ENTITIES}` });
  const json = (schema) => ({ 'application/json': { schema } });
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  let n = 0;
  for (let r = 0; n < operations; r++) {
    const e = r % ENTITIES;
    const list = `/groups${r}/entities`;
    const item = `/groups${r}/entities/{id}`;
    paths[list] = {
      get: {
        operationId: `list${r}`,
        summary: `List entities of group ${r}`,
        tags: [`group${r % 50}`],
        parameters: [{ name: '$top', in: 'query', schema: { type: 'integer' } }],
        responses: { 200: { description: 'ok', content: json({ type: 'object', properties: { value: { type: 'array', items: ref(e) } } }) } },
      },
      post: {
        operationId: `create${r}`,
        summary: `Create an entity in group ${r}`,
        requestBody: { required: true, content: json(ref(e)) },
        responses: { 201: { description: 'created', content: json(ref(e)) } },
      },
    };
    paths[item] = {
      get: {
        operationId: `get${r}`,
        summary: `Get an entity of group ${r}`,
        parameters: [idParam],
        responses: { 200: { description: 'ok', content: json(ref(e)) } },
      },
      patch: {
        operationId: `update${r}`,
        summary: `Update an entity of group ${r}`,
        parameters: [idParam],
        requestBody: { content: json(ref(e + 1)) },
        responses: { 204: { description: 'updated' } },
      },
      delete: { operationId: `delete${r}`, summary: `Delete an entity of group ${r}`, parameters: [idParam], responses: { 204: { description: 'deleted' } } },
    };
    n += 5;
  }
  return { openapi: '3.0.3', info: { title: 'Estate', version: '1' }, paths, components: { schemas } };
}
