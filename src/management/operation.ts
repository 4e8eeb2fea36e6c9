import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { GatehouseError, type Principal, type ResourceType } from '../core/index.js';
import type { Dialect } from '../store/database.js';
import type { DB } from '../store/schema.js';
import type { SecretBox } from '../store/secret-box.js';

/**
 * What a role needs: `read` (viewer and up), `write` (modifier, scoped), `admin` (access management).
 * `self`: no role — a person acting for themselves in one of the gateway's own flows (a consent
 * page), where the handler checks that what it writes is the caller's own, or a consequence the
 * gateway draws inside another change, where the handler checks that it follows; no surface lists
 * such an operation (see Registry.all), yet it runs, and is audited, like any other. `own`: any role — a
 * person managing what is theirs (their connections), where the handler touches only the caller's
 * own; served by every surface and audited like a write.
 */
export type Permission = 'read' | 'write' | 'admin' | 'self' | 'own';

/** What the audit entry of a write shows; handlers fill it in. */
export interface AuditNote {
  resourceId: string | null;
  before?: unknown;
  after?: unknown;
}

/** How far a long operation is, as a job shows it: a phase name, and items planned and applied so far. */
export interface JobProgress {
  phase?: string;
  planned?: number;
  applied?: number;
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
  /** Throws GATEHOUSE_FORBIDDEN (saying `what` needs it) unless the caller is an admin: for changes that reach beyond the operation's permission. */
  requireAdmin(what: string): void;
  /**
   * Runs another operation inside this one's transaction, for the same caller: authorized and
   * validated on its own, and (a write) audited as its own entry. Reads may invoke only reads.
   */
  invoke(name: string, input: unknown): Promise<unknown>;
  /**
   * Work outside the store that follows this change once it is committed (never after a dry run
   * or a rollback), run in the background so it cannot hold up or undo the change; a failure is
   * logged. Only writes have it.
   */
  afterCommit(task: () => Promise<void>): void;
  /**
   * Work that must see the whole change (in a declarative apply, every step of it): run once per
   * key, in the transaction, after the operation's handler. Only writes have it.
   */
  beforeCommit(key: string, task: () => Promise<void>): void;
  /** Reports how far the operation is; a job stores it for every node to show, a direct call ignores it. Cheap: call it per item. */
  progress(update: JobProgress): void;
}

/** The prepare phase's default bound. */
export const PREPARE_TIMEOUT_MS = 30_000;

/**
 * What the prepare phase may use: the store outside any transaction (reads, and writes of its own
 * such as refreshed tokens), and the admin check, for a preparation that must not run for anyone less.
 */
export type PrepareContext = Pick<OperationContext, 'db' | 'dialect' | 'principal' | 'secrets' | 'requireAdmin'>;

/**
 * Thrown by a handler when what its prepare phase fetched no longer matches the store (the settings
 * it fetched for changed meanwhile): the executor runs the prepare phase and the transaction once
 * more, and answers 409 if it happens again.
 */
export class StalePreparation extends GatehouseError {
  constructor(what: string) {
    super('GATEHOUSE_INVALID_STATE', `${what} changed while this change was being prepared; try again.`);
  }
}

export interface HttpBinding {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** OpenAPI-style path under /admin/api/v1, e.g. `/proxies/{id}`; path params join the input. */
  path: string;
  status?: number;
  /** A larger request body than the listener's default, for operations that take documents. */
  bodyLimitBytes?: number;
}

/**
 * How a resource takes part in declarative config (export / plan / apply): set on its `create`
 * operation; its list, update and delete operations are `<resource>.list|update|delete`.
 */
export interface Declarative {
  /** The fields that name an item among its siblings (a slug, a name, a base path, method + path). */
  identity: readonly string[];
  /** The field holding the parent's id, when items live inside another resource's items in the file. */
  parent?: { field: string; resource: ResourceType };
  /** Fields holding ids of other resources (one id or a list); in the file they hold those resources' names. */
  refs?: Readonly<Record<string, ResourceType>>;
  /** Write-only fields (never returned by reads): exported as `${ENV_VAR}` references. */
  secretFields?: readonly string[];
  /** The secret fields one item has, when that depends on the item (e.g. its type); all of them otherwise. */
  secretsOf?: (input: Record<string, unknown>) => readonly string[];
  /** Fields reads show that the gateway computes (fingerprints, expiry): not config, never compared or exported. */
  computedFields?: readonly string[];
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
   * Resource types the handler writes besides `resource` (an import that creates endpoints, a
   * delete that takes children with it): the caller must be allowed to write every one of them.
   */
  alsoWrites?: readonly ResourceType[];
  /**
   * Made of other operations run through `ctx.invoke` (declarative apply): any role may start it,
   * each step is authorized for the caller on its own, each change is its own audit entry, and the
   * whole is one transaction with one publish. It writes no audit entry of its own on success.
   */
  composite?: boolean;
  /**
   * May run as a job (`Prefer: respond-async` or `?async=true` on the admin API): answered 202 with
   * a job resource at once, run in the background, its progress and result stored (management/jobs).
   */
  job?: boolean;
  /** On a `create` operation: the resource is part of declarative config. */
  declarative?: Declarative;
  /**
   * The prepare phase: slow work (network I/O — fetching a document, listing an upstream's tools —
   * and parsing), run after authorization and validation but before the transaction opens, so the
   * audit-chain lock is never held while it waits; bounded by `prepareTimeoutMs`. It may read the
   * store (outside any transaction), so the handler must check again that what it was prepared
   * against is still current, and throw `StalePreparation` when not (the executor prepares once more).
   */
  prepare?(input: z.output<I>, ctx: PrepareContext): Promise<P>;
  /** How long the prepare phase may take (default `PREPARE_TIMEOUT_MS`); past it the call fails with 504. */
  prepareTimeoutMs?: number;
  /**
   * May be a step of a composite (declarative apply), whose transaction is already open: the
   * executor runs the composite once to learn its steps' inputs, rolls it back, runs those steps'
   * prepare phases and runs it again, handing each step its preparation — undefined where it could
   * not be made (the handler then does without, never fetching). Without this flag such an
   * operation cannot be a step.
   */
  preparedAsStep?: boolean;
  /** Does the work, inside the transaction; what it returns is the operation's output (its schema documents the shape). */
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

/** What a streamed read opens: its media type, a file name, and the text, produced as it is read. */
export interface OpenedStream {
  contentType: string;
  filename: string;
  chunks: AsyncIterable<string>;
}

/**
 * A read whose result is too large to hold (log exports): authorized and validated like any
 * operation, then streamed. Kept apart from `Operation`, since a surface that answers with one
 * value (MCP tools) cannot serve it.
 */
export interface StreamOperation<I extends z.ZodType = z.ZodType> {
  name: string;
  resource: ResourceType;
  action: string;
  summary: string;
  permission: 'read';
  input: I;
  http: { method: 'GET'; path: string };
  open(db: Kysely<DB>, input: z.output<I>): OpenedStream;
}

/** Declares a stream operation with its input type flowing into `open`. */
export function defineStream<I extends z.ZodType>(op: StreamOperation<I>): StreamOperation {
  return op as unknown as StreamOperation;
}
