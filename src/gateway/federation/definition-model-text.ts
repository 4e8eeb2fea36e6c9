import { definitionTexts } from './definition-texts.js';

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

// As the injection engine strips them before its learned tier reads a text: ids, hashes and keys are not language.
const LONG_TOKEN = /[A-Za-z0-9+/=_-]{24,}/g;

/**
 * What a model is told by a definition, as one text for the definitions' learned tier: every
 * description, title, value and property name at any depth (decoded and folded as the rules read
 * them, definition-texts.ts), one per line, without JSON Schema's own words.
 */
export function definitionModelText(name: string, fields: Record<string, unknown>): string {
  const lines = [name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' ')];
  for (const t of definitionTexts(fields)) {
    const read = t.read.trim();
    if (read !== '' && !SCHEMA_WORDS.has(read)) lines.push(read);
  }
  return lines.join('\n').replace(LONG_TOKEN, ' ');
}
