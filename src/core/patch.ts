import { z } from 'zod';

function bare(field: z.ZodType): z.ZodType {
  return field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field;
}

/**
 * The PATCH form of a create schema: every field optional and, unlike zod's `.partial()`,
 * without defaults — also inside nested objects — so a field the caller left out stays as it is
 * instead of being reset. Nested objects are merged into the current value (RFC 7396 style).
 */
export function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>): z.ZodObject<{ [K in keyof S]: z.ZodOptional<S[K]> }> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const inner = bare(field as z.ZodType);
    shape[key] = (inner instanceof z.ZodObject ? patchOf(inner) : inner).optional();
  }
  return z.strictObject(shape) as unknown as z.ZodObject<{ [K in keyof S]: z.ZodOptional<S[K]> }>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Applies a parsed patch to a current value: objects merge key by key, null removes an object or
 * leaves it absent (as in RFC 7396; a patch schema says where null may come), anything else replaces.
 */
export function mergePatch<T extends object>(current: T, patch: object): T {
  const out: Record<string, unknown> = { ...(current as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const before = out[key];
    if (value === null && (before === undefined || isPlainObject(before))) delete out[key];
    else out[key] = isPlainObject(value) && isPlainObject(before) ? mergePatch(before, value) : value;
  }
  return out as T;
}
