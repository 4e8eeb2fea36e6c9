import { GatehouseError } from '../../core/index.js';

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
  let yaml: typeof import('yaml');
  try {
    yaml = await import('yaml');
  } catch {
    throw new GatehouseError('GATEHOUSE_OPENAPI_INVALID', 'YAML documents need the `yaml` package, which is not installed; send JSON.');
  }
  try {
    // Bounded alias expansion guards against billion-laughs documents.
    return yaml.parse(trimmed, { maxAliasCount: 1_000, uniqueKeys: false });
  } catch (err) {
    throw new GatehouseError('GATEHOUSE_OPENAPI_INVALID', `The document is neither valid JSON nor valid YAML: ${(err as Error).message}`, [
      { path: '', message: (err as Error).message.split('\n')[0] ?? 'syntax error' },
    ]);
  }
}
