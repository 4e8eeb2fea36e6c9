import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Principal, ResourceType } from '../core/index.js';
import type { Dialect } from '../store/database.js';
import type { DB } from '../store/schema.js';
import type { SecretBox } from '../store/secret-box.js';

/** What a role needs: `read` (viewer and up), `write` (modifier, scoped), `admin` (access management). */
export type Permission = 'read' | 'write' | 'admin';

/** What the audit entry of a write shows; handlers fill it in. */
export interface AuditNote {
  resourceId: string | null;
  before?: unknown;
  after?: unknown;
}

/** Everything a handler may use; writes get a transaction as `db`. */
export interface OperationContext {
  db: Kysely<DB>;
  dialect: Dialect;
  principal: Principal;
  secrets: SecretBox;
  now: string;
  audit: AuditNote;
  /** Throws GATEHOUSE_FORBIDDEN unless the caller's role reaches this collection; collection-bound writes must call it. */
  requireCollection(collectionId: string): void;
}

export interface HttpBinding {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** OpenAPI-style path under /admin/api/v1, e.g. `/proxies/{id}`; path params join the input. */
  path: string;
  status?: number;
  /** A larger request body than the listener's default, for operations that take documents. */
  bodyLimitBytes?: number;
}

/** One management operation, declared once; every surface is generated from these. */
export interface Operation<N extends string = string, I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, P = unknown> {
  name: N;
  resource: ResourceType;
  action: string;
  summary: string;
  permission: Permission;
  input: I;
  output: O;
  http: HttpBinding;
  /** Removes or revokes something. */
  destructive?: boolean;
  /**
   * Slow work that needs no database (fetching and parsing a document), run after authorization
   * and validation but before the transaction opens, so the store is never held while it waits.
   */
  prepare?(input: z.output<I>): Promise<P>;
  /** Does the work; what it returns is the operation's output (its schema documents the shape). */
  handler(ctx: OperationContext, input: z.output<I>, prepared: P): Promise<z.input<O>>;
}

/** Any operation, as the generic adapters (admin API, Management MCP, OpenAPI) see them. */
// biome-ignore lint/suspicious/noExplicitAny: an operation's preparation is private to it; adapters never touch it.
export type AnyOperation = Operation<string, z.ZodType, z.ZodType, any>;

/** Declares an operation; its name, input and output types flow into the handler and into the registry's types. */
export function defineOperation<const N extends string, I extends z.ZodType, O extends z.ZodType, P = undefined>(
  op: Operation<N, I, O, P>,
): Operation<N, I, O, P> {
  return op;
}
