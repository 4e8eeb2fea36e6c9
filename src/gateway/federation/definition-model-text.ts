import { definitionTexts, wordsOf } from './definition-texts.js';

// JSON Schema's own vocabulary (keys and type names) is in every definition, poisoned or clean: it says
// nothing a model is told, and it would fill the learned tier's chunks with words that weigh nothing.
const SCHEMA_WORDS = new Set([
  'type',
  'object',
  'string',
  'number',
  'integer',
  'boolean',
  'array',
  'null',
  'properties',
  'description',
  'items',
  'required',
  'title',
  'enum',
  'default',
  'const',
  'examples',
  'example',
  'format',
  'minimum',
  'maximum',
  'min length',
  'max length',
  'min items',
  'max items',
  'pattern',
  'additional properties',
  '$schema',
  '$ref',
  '$defs',
  'definitions',
  'any of',
  'one of',
  'all of',
  'input schema',
  'output schema',
  'annotations',
  'arguments',
  'uri',
  'uri template',
  'mime type',
  'read only hint',
  'destructive hint',
  'idempotent hint',
  'open world hint',
  'true',
  'false',
]);

// Keywords whose string values are a schema's plumbing, not words a model is told: the `$schema` URL the SDKs
// stamp on every generated schema, `$ref` pointers, types, formats (`email`, `uri`), patterns, required lists.
// Read, they made a two-word tool score by where its schema came from (a zod-made `$schema` moved 0.44 to 0.91).
const PLUMBING = new Set(['$schema', '$id', '$ref', '$anchor', '$dynamicRef', 'type', 'format', 'pattern', 'required', 'contentEncoding', 'contentMediaType']);

/** A copy of a definition without its schemas' plumbing (PLUMBING's string values); iterative, so any depth. */
function withoutPlumbing(value: Record<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const stack: Array<{ from: unknown; to: Record<string, unknown> | unknown[] }> = [{ from: value, to: root }];
  while (stack.length > 0) {
    const { from, to } = stack.pop()!;
    const entries: Array<[string | number, unknown]> = Array.isArray(from) ? from.map((v, i) => [i, v]) : Object.entries(from as Record<string, unknown>);
    for (const [key, v] of entries) {
      if (typeof key === 'string' && PLUMBING.has(key) && (typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')))) continue;
      let copy: unknown = v;
      if (Array.isArray(v)) copy = [];
      else if (v !== null && typeof v === 'object') copy = {};
      if (Array.isArray(to)) to.push(copy);
      else to[key as string] = copy;
      if (copy !== v) stack.push({ from: v, to: copy as Record<string, unknown> | unknown[] });
    }
  }
  return root;
}

// As the injection engine strips them before its learned tier reads a text: ids, hashes and keys are not language.
const LONG_TOKEN = /[A-Za-z0-9+/=_-]{24,}/g;

/**
 * What a model is told by a definition, as one text for the definitions' learned tier: every
 * description, title, value and property name at any depth (decoded and folded as the rules read
 * them, definition-texts.ts), one per line, without JSON Schema's own words and plumbing.
 */
export function definitionModelText(name: string, fields: Record<string, unknown>): string {
  const lines = [wordsOf(name)];
  for (const t of definitionTexts(withoutPlumbing(fields))) {
    const read = t.read.trim();
    if (read !== '' && !SCHEMA_WORDS.has(read)) lines.push(read);
  }
  return lines.join('\n').replace(LONG_TOKEN, ' ');
}
