import { GatehouseError } from '../../core/index.js';
import { parseYamlText } from './yaml-text.js';

/** Parses an OpenAPI document given as JSON or YAML text; throws a 422 naming the syntax problem. */
export async function parseDocumentText(text: string, hint = ''): Promise<unknown> {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed === '') throw new GatehouseError('GATEHOUSE_OPENAPI_INVALID', 'The document is empty.', [{ path: '', message: 'empty' }]);
  const looksJson = trimmed.startsWith('{') || trimmed.startsWith('[') || /json/i.test(hint);
  if (looksJson) {
    try {
      return JSON.parse(trimmed);
    } catch (err) {
      if (trimmed.startsWith('{') || trimmed.startsWith('['))
        throw new GatehouseError('GATEHOUSE_OPENAPI_INVALID', `The document is not valid JSON: ${(err as Error).message}`, [
          { path: '', message: (err as Error).message },
        ]);
    }
  }
  return parseYamlText(trimmed);
}
