import { z } from 'zod';
import type { ConfigKind } from './kinds.js';
import { CONFIG_VERSION } from './wanted.js';

type JsonObject = Record<string, unknown>;

function itemSchema(kind: ConfigKind): JsonObject {
  const base = z.toJSONSchema(kind.create, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonObject;
  delete base.$schema;
  const properties = { ...((base.properties ?? {}) as Record<string, JsonObject>) };
  let required = ((base.required ?? []) as string[]).slice();
  if (kind.parent) {
    delete properties[kind.parent.field];
    required = required.filter((r) => r !== kind.parent!.field);
  }
  for (const ref of kind.refs) {
    const original = properties[ref.field] ?? {};
    delete properties[ref.field];
    const nullable = JSON.stringify(original).includes('"type":"null"');
    const name = { type: 'string', description: `the name of one of ${ref.kind.section}` };
    const own = ref.many ? { type: 'array', items: name } : name;
    properties[ref.fileField] = nullable ? { anyOf: [own, { type: 'null' }] } : own;
    required = required.map((r) => (r === ref.field ? ref.fileField : r));
  }
  for (const field of kind.secretFields) {
    properties[field] = { type: 'string', description: `a secret: write \${ENV_VAR} and set the variable where you run gatehouse` };
  }
  for (const child of kind.children) properties[child.section] = { type: 'array', items: itemSchema(child) };
  return { ...base, properties, required, additionalProperties: false };
}

/** The JSON Schema of a config file, generated from the resources' own schemas (for editors and validation). */
export function configJsonSchema(kinds: readonly ConfigKind[]): JsonObject {
  const properties: Record<string, JsonObject> = { version: { const: CONFIG_VERSION, description: 'the config file format version' } };
  for (const kind of kinds) if (!kind.parent) properties[kind.section] = { type: 'array', items: itemSchema(kind) };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Gatehouse declarative config',
    description: 'What `gatehouse export` writes and `gatehouse plan` / `gatehouse apply` read. Resources refer to each other by name.',
    type: 'object',
    additionalProperties: false,
    properties,
  };
}
