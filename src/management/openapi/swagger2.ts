import { GatehouseError } from '../../core/index.js';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The converter's notes (it marks what it could not convert with `x-s2o-warning`), with where they sit, then removed. */
function collectWarnings(node: unknown, where: string, out: string[], depth = 0): void {
  if (depth > 100 || out.length >= 100) return;
  if (Array.isArray(node)) {
    node.forEach((v, i) => {
      collectWarnings(v, `${where}.${i}`, out, depth + 1);
    });
    return;
  }
  if (!isObject(node)) return;
  if (typeof node['x-s2o-warning'] === 'string') {
    out.push(`Swagger 2.0 conversion: ${where || '(root)'}: ${node['x-s2o-warning']}`);
    delete node['x-s2o-warning'];
  }
  for (const k in node) collectWarnings(node[k], where ? `${where}.${k}` : k, out, depth + 1);
}

/**
 * Converts a Swagger 2.0 document to OpenAPI 3.0 with swagger2openapi (the converter most
 * tools use), patching small errors rather than refusing and reporting what it patched or could
 * not convert. Other documents pass through untouched.
 */
export async function upgradeSwagger2(doc: unknown): Promise<{ doc: unknown; warnings: string[] }> {
  if (!isObject(doc) || doc.swagger !== '2.0') return { doc, warnings: [] };
  const { default: s2o } = await import('swagger2openapi');
  let result: { openapi: unknown; patches?: number };
  try {
    // `text` only feeds the converter's own YAML echo of the input, which would cost a full serialization here.
    result = (await s2o.convertObj(doc as never, { patch: true, warnOnly: true, text: '-' } as never)) as never;
  } catch (err) {
    throw new GatehouseError('GATEHOUSE_OPENAPI_INVALID', `The Swagger 2.0 document could not be converted to OpenAPI 3: ${(err as Error).message}`, [
      { path: 'swagger', message: (err as Error).message },
    ]);
  }
  const warnings: string[] = [];
  collectWarnings(result.openapi, '', warnings);
  const patches = result.patches ?? 0;
  warnings.unshift(
    `Swagger 2.0 converted to OpenAPI ${String((result.openapi as Json).openapi)} on import${patches > 0 ? `; the converter patched ${patches} problem(s) in the document` : ''}`,
  );
  return { doc: result.openapi, warnings };
}
