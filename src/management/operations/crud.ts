import { z } from 'zod';
import { GatehouseError, Id, mergePatch, newId, Page, type ResourceType } from '../../core/index.js';
import { type ResourceKeys, ResourceRepository, type StoredResource } from '../../store/repositories/resources.js';
import { parseOrThrow } from '../validation.js';
import { type Declarative, defineOperation, type OperationContext, type Permission, type PrepareContext } from '../operation.js';

/** The list envelope every list operation returns. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export interface CrudSpec<
  R extends ResourceType,
  C extends z.ZodType<object>,
  O extends z.ZodType,
  F extends string = never,
  P = undefined,
  T extends object = z.output<C>,
> {
  resource: R;
  /** Singular noun for messages and summaries. */
  noun: string;
  idPrefix: string;
  create: C;
  patch: z.ZodObject;
  output: O;
  keys(value: T): ResourceKeys;
  /** The collection a value lives in, for collection-scoped roles. */
  collectionOf?(ctx: OperationContext, value: T): Promise<string>;
  /**
   * The prepare phase of create and update, before the transaction: fetches what `complete` needs
   * from the network (e.g. upstream definitions), given the value as it would be written. As
   * composite steps, create and update are prepared by the composite's second pass.
   */
  prepare?(ctx: PrepareContext, next: T, current?: StoredResource<T>): Promise<P>;
  /**
   * Completes a value before it is checked and written (e.g. recording what it was approved
   * against), inside the transaction: no network I/O here, only what `prepare` fetched.
   */
  complete?(ctx: OperationContext, next: T, current: StoredResource<T> | undefined, prepared: P | undefined): Promise<T>;
  /** Reference and rule checks before a write; throws a 4xx GatehouseError. */
  check?(ctx: OperationContext, next: T, current?: StoredResource<T>): Promise<void>;
  /** Runs before delete: refuse when in use, or remove owned children. */
  beforeDelete?(ctx: OperationContext, current: StoredResource<T>): Promise<void>;
  /** The types of the children `beforeDelete` removes: deleting needs write permission on them too. */
  deleteAlsoWrites?: readonly ResourceType[];
  /** Runs after a create or update, in its transaction (e.g. keeping a version history). */
  afterWrite?(ctx: OperationContext, stored: StoredResource<T>): Promise<void>;
  /** Runs after a delete, in its transaction (e.g. ending what the deleted item granted). */
  afterDelete?(ctx: OperationContext, removed: StoredResource<T>): Promise<void>;
  /** Extra list filters, each mapped onto an indexed column. */
  listFilter?: { name: F; column: 'parentId' | 'collectionId' };
  /** Path prefix for list and create when nested, e.g. `/proxies/{proxyId}/endpoints`. */
  collectionPath?: string;
  basePath: string;
  /** Who may write; access resources say `admin`. */
  writePermission?: Exclude<Permission, 'read'>;
  /** How the resource appears in declarative config files, if it does. */
  declarative?: Declarative;
}

/** Loads a resource or throws a 404 naming it. */
export async function mustGet<T extends object>(
  repo: ResourceRepository<T>,
  ctx: Pick<OperationContext, 'db'>,
  id: string,
  noun: string,
): Promise<StoredResource<T>> {
  const found = await repo.get(ctx.db, id);
  if (!found) throw new GatehouseError('GATEHOUSE_NOT_FOUND', `No ${noun} with id ${id}.`);
  return found;
}

/** list/get/create/update/delete for one resource type, named `<resource>.<action>`. */
export function crudOperations<R extends ResourceType, C extends z.ZodType<object>, O extends z.ZodType, F extends string = never, P = undefined>(
  spec: CrudSpec<R, C, O, F, P>,
) {
  type T = z.output<C>;
  const repo = new ResourceRepository<T>(spec.resource);
  const listPath = spec.collectionPath ?? spec.basePath;
  const itemPath = `${spec.basePath}/{id}`;
  const guard = async (ctx: OperationContext, value: T) => {
    if (spec.collectionOf) ctx.requireCollection(await spec.collectionOf(ctx, value));
  };
  // The filter's field is named by the spec; its type is an optional id whatever the name.
  const filterShape = (spec.listFilter ? { [spec.listFilter.name]: Id.optional() } : {}) as Record<F, z.ZodOptional<typeof Id>>;

  // What a patch makes of the current value, checked as a whole.
  const patched = (current: StoredResource<T>, patch: object) => parseOrThrow(spec.create, stripStored(mergePatch(current, patch) as StoredResource<T>)) as T;
  // Create and update get the spec's prepare phase, if it has one.
  const preparing = (prepare: (pctx: PrepareContext, input: unknown) => Promise<P>) =>
    spec.prepare ? { prepare: (input: unknown, pctx: PrepareContext) => prepare(pctx, input), preparedAsStep: true } : {};
  // A stored resource is the output schema's shape: its own fields plus what the store adds.
  const out = (v: StoredResource<T>) => v as z.input<O>;
  return [
    defineOperation({
      name: `${spec.resource}.list` as `${R}.list`,
      resource: spec.resource,
      action: 'list',
      summary: `List ${spec.resource}`,
      permission: 'read',
      input: z.strictObject({ ...Page, q: z.string().max(200).optional(), ...filterShape }),
      output: listOf(spec.output),
      http: { method: 'GET', path: listPath },
      handler: async (ctx, input) => {
        // zod cannot resolve the shape while the filter's name is still a type parameter; it is this one.
        const query = input as { limit: number; cursor?: string; q?: string } & Partial<Record<string, string>>;
        const filterValue = spec.listFilter ? query[spec.listFilter.name] : undefined;
        const page = await repo.list(ctx.db, {
          limit: query.limit,
          cursor: query.cursor,
          keyContains: query.q,
          ...(spec.listFilter && filterValue ? { [spec.listFilter.column]: filterValue } : {}),
        });
        return { items: page.items.map(out), nextCursor: page.nextCursor };
      },
    }),
    defineOperation({
      name: `${spec.resource}.get` as `${R}.get`,
      resource: spec.resource,
      action: 'get',
      summary: `Get one ${spec.noun}`,
      permission: 'read',
      input: z.strictObject({ id: Id }),
      output: spec.output,
      http: { method: 'GET', path: itemPath },
      handler: async (ctx, input) => out(await mustGet(repo, ctx, input.id, spec.noun)),
    }),
    defineOperation({
      name: `${spec.resource}.create` as `${R}.create`,
      resource: spec.resource,
      action: 'create',
      summary: `Create a ${spec.noun}`,
      permission: spec.writePermission ?? 'write',
      input: spec.create,
      output: spec.output,
      http: { method: 'POST', path: listPath, status: 201 },
      ...(spec.declarative ? { declarative: spec.declarative } : {}),
      ...preparing((pctx, input) => spec.prepare!(pctx, input as T)),
      handler: async (ctx, input, prepared: P | undefined) => {
        const given = input as T;
        await guard(ctx, given);
        const value = spec.complete ? await spec.complete(ctx, given, undefined, prepared) : given;
        await spec.check?.(ctx, value);
        const created = await repo.insert(ctx.db, newId(spec.idPrefix), value, spec.keys(value), ctx.now);
        await spec.afterWrite?.(ctx, created);
        ctx.audit.resourceId = created.id;
        ctx.audit.after = created;
        return out(created);
      },
    }),
    defineOperation({
      name: `${spec.resource}.update` as `${R}.update`,
      resource: spec.resource,
      action: 'update',
      summary: `Update a ${spec.noun} (only the fields given change)`,
      permission: spec.writePermission ?? 'write',
      input: spec.patch.extend({ id: Id }),
      output: spec.output,
      http: { method: 'PATCH', path: itemPath },
      ...preparing(async (pctx, input) => {
        const { id, ...patch } = input as { id: string } & Partial<T>;
        const current = await mustGet(repo, pctx, id, spec.noun);
        return spec.prepare!(pctx, patched(current, patch), current);
      }),
      handler: async (ctx, input, prepared: P | undefined) => {
        const { id, ...patch } = input as { id: string } & Partial<T>;
        const current = await mustGet(repo, ctx, id, spec.noun);
        await guard(ctx, current);
        const parsed = patched(current, patch);
        const next = spec.complete ? await spec.complete(ctx, parsed, current, prepared) : parsed;
        await spec.check?.(ctx, next, current);
        const updated = await repo.update(ctx.db, current, next, spec.keys(next), ctx.now);
        await spec.afterWrite?.(ctx, updated);
        ctx.audit.resourceId = id;
        ctx.audit.before = current;
        ctx.audit.after = updated;
        return out(updated);
      },
    }),
    defineOperation({
      name: `${spec.resource}.delete` as `${R}.delete`,
      resource: spec.resource,
      action: 'delete',
      summary: `Delete a ${spec.noun}`,
      permission: spec.writePermission ?? 'write',
      ...(spec.deleteAlsoWrites ? { alsoWrites: spec.deleteAlsoWrites } : {}),
      destructive: true,
      input: z.strictObject({ id: Id }),
      output: z.object({ deleted: z.literal(true), id: Id }),
      http: { method: 'DELETE', path: itemPath },
      handler: async (ctx, input) => {
        const current = await mustGet(repo, ctx, input.id, spec.noun);
        await guard(ctx, current);
        await spec.beforeDelete?.(ctx, current);
        await repo.delete(ctx.db, input.id);
        await spec.afterDelete?.(ctx, current);
        ctx.audit.resourceId = input.id;
        ctx.audit.before = current;
        return { deleted: true as const, id: input.id };
      },
    }),
  ] as const;
}

/** The resource's own fields, without what the store adds. */
export function stripStored<T extends object>(value: StoredResource<T>): T {
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...rest } = value;
  return rest as unknown as T;
}
