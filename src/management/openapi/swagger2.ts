import { upgrade } from '@scalar/openapi-upgrader';
import { GatehouseError } from '../../core/index.js';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Converts a Swagger 2.0 document to OpenAPI 3.0 with Scalar's upgrader (maintained, no
 * dependencies of its own to speak of): servers from host, basePath and schemes; body and form
 * parameters to request bodies; collection formats to styles; `x-nullable` to `nullable`. The
 * conversion is reported as a warning. Other documents pass through untouched.
 */
export function upgradeSwagger2(doc: unknown): { doc: unknown; warnings: string[] } {
  if (!isObject(doc) || doc.swagger !== '2.0') return { doc, warnings: [] };
  let converted: Json;
  try {
    converted = upgrade(doc, '3.0') as unknown as Json;
  } catch (err) {
    throw new GatehouseError('GATEHOUSE_OPENAPI_INVALID', `The Swagger 2.0 document could not be converted to OpenAPI 3: ${(err as Error).message}`, [
      { path: 'swagger', message: (err as Error).message },
    ]);
  }
  return { doc: converted, warnings: [`Swagger 2.0 converted to OpenAPI ${String(converted.openapi)} on import`] };
}
