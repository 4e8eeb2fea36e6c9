import { upgrade } from '@scalar/openapi-upgrader';
import { GatehouseError } from '../../core/index.js';
import { COLLECTION_FORMAT_KEY } from './convert.js';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// The array formats the upgrade turns into OpenAPI 3 styles; any other (tsv anywhere, ssv or pipes in
// a path or header) it drops, and the parameter would go out comma-separated or repeated instead.
const HAS_STYLE: Record<string, readonly string[]> = { query: ['csv', 'ssv', 'pipes', 'multi'], path: ['csv'], header: ['csv'] };

/** Marks array parameters whose `collectionFormat` has no OpenAPI 3 style, so the import keeps it (see convert.ts). */
function keepCollectionFormats(doc: Json): void {
  const mark = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const p of list) {
      if (!isObject(p) || p.type !== 'array' || typeof p.collectionFormat !== 'string' || typeof p.in !== 'string') continue;
      const kept = HAS_STYLE[p.in];
      if (kept && !kept.includes(p.collectionFormat)) p[COLLECTION_FORMAT_KEY] = p.collectionFormat;
    }
  };
  if (isObject(doc.parameters)) mark(Object.values(doc.parameters));
  if (!isObject(doc.paths)) return;
  for (const item of Object.values(doc.paths)) {
    if (!isObject(item)) continue;
    for (const [key, value] of Object.entries(item)) {
      if (key === 'parameters') mark(value);
      else if (isObject(value)) mark(value.parameters);
    }
  }
}

/**
 * Converts a Swagger 2.0 document to OpenAPI 3.0 with Scalar's upgrader (maintained, no
 * dependencies of its own to speak of): servers from host, basePath and schemes; body and form
 * parameters to request bodies; collection formats to styles (those without one kept, see
 * keepCollectionFormats); `x-nullable` to `nullable`. The
 * conversion is reported as a warning. Other documents pass through untouched.
 */
export function upgradeSwagger2(doc: unknown): { doc: unknown; warnings: string[] } {
  if (!isObject(doc) || doc.swagger !== '2.0') return { doc, warnings: [] };
  let converted: Json;
  keepCollectionFormats(doc);
  try {
    converted = upgrade(doc, '3.0') as unknown as Json;
  } catch (err) {
    throw new GatehouseError('GATEHOUSE_OPENAPI_INVALID', `The Swagger 2.0 document could not be converted to OpenAPI 3: ${(err as Error).message}`, [
      { path: 'swagger', message: (err as Error).message },
    ]);
  }
  return { doc: converted, warnings: [`Swagger 2.0 converted to OpenAPI ${String(converted.openapi)} on import`] };
}
