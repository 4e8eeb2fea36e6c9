import type { z } from 'zod';
import { GatehouseError } from '../core/index.js';

/** Turns zod issues into a 400 that names each bad field. */
export function validationError(error: z.ZodError): GatehouseError {
  const details = error.issues.map((i) => ({
    path: i.path.join('.'),
    message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
  }));
  const first = details[0];
  return new GatehouseError(
    'GATEHOUSE_VALIDATION_FAILED',
    first ? `Invalid input${first.path ? ` at ${first.path}` : ''}: ${first.message}` : undefined,
    details,
  );
}

/** Parses or throws the 400 above. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
