import { z } from 'zod';
import type { JsonSchema } from '../api/openapi-doc';

const compiled = new WeakMap<JsonSchema, z.ZodType | null>();

/** The zod schema of a field, made once from the JSON Schema the registry's zod schema was published as. */
function zodOf(schema: JsonSchema): z.ZodType | null {
  let found = compiled.get(schema);
  if (found === undefined) {
    try {
      found = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    } catch {
      // A shape the converter does not know: the gateway still validates it on save.
      found = null;
    }
    compiled.set(schema, found);
  }
  return found;
}

/** What is wrong with a field's JSON text, as zod says it (at most five issues); empty when it is fine or empty. */
export function issuesOf(schema: JsonSchema, text: string): string[] {
  if (text.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return [`Not valid JSON: ${(err as Error).message}`];
  }
  const parsed = zodOf(schema)?.safeParse(value);
  if (!parsed || parsed.success) return [];
  return parsed.error.issues.slice(0, 5).map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`);
}
