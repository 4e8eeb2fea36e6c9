import { GatehouseError } from '../core/index.js';

/** Opaque keyset cursors: the sort key of the last row returned. */
export function encodeCursor(parts: Array<string | number>): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** Decodes a cursor made by `encodeCursor`; a forged or corrupt one is a 400. */
export function decodeCursor(cursor: string, arity: number): Array<string | number> {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.length === arity && parts.every((p) => typeof p === 'string' || typeof p === 'number')) {
      return parts;
    }
  } catch {
    // fall through to the error below
  }
  throw new GatehouseError('GATEHOUSE_VALIDATION_FAILED', 'The cursor is invalid.', [{ path: 'cursor', message: 'invalid cursor' }]);
}
