import { z } from 'zod';
import type { ResourceType } from '../../core/index.js';
import type { AnyOperation, Declarative } from '../operation.js';

/** A resource as declarative config sees it: derived from its operations, never declared by hand. */
export interface ConfigKind {
  resource: ResourceType;
  /** The key of its list in the file (top level, or inside its parent's items). */
  section: string;
  identity: readonly string[];
  parent?: { field: string; kind: ConfigKind };
  /** Field in the operation input → the kind it points at, and the field's name in the file. */
  refs: ReadonlyArray<{ field: string; fileField: string; kind: ConfigKind; many: boolean }>;
  secretFields: readonly string[];
  /** The secret fields of one item (a subset of `secretFields`). */
  secretsOf(input: Record<string, unknown>): readonly string[];
  /** Fields of reads that are not config. */
  computed: ReadonlySet<string>;
  children: ConfigKind[];
  /** The create operation's input schema: what a file item must be, once names become ids. */
  create: z.ZodType;
  /** Fields the update operation can change. */
  updatable: ReadonlySet<string>;
  ops: { list: string; create: string; update: string; delete: string };
}

/** `collectionIds` → `collections`, `policyId` → `policy`: a reference holds names in the file. */
export function fileFieldOf(field: string): string {
  if (field.endsWith('Ids')) return `${field.slice(0, -3)}s`;
  if (field.endsWith('Id')) return field.slice(0, -2);
  return field;
}

function shapeKeys(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function isArrayField(schema: z.ZodType, field: string): boolean {
  if (!(schema instanceof z.ZodObject)) return false;
  const json = z.toJSONSchema(schema.shape[field] as z.ZodType, { io: 'input', unrepresentable: 'any' }) as {
    type?: unknown;
    anyOf?: Array<{ type?: unknown }>;
  };
  return json.type === 'array' || (json.anyOf ?? []).some((s) => s.type === 'array');
}

/**
 * Every declarative kind in the registry, parents and referenced kinds before the kinds that
 * point at them. Refuses (at start-up, as a programming error) references to kinds that live
 * inside another or that no name identifies on its own.
 */
export function configKinds(ops: readonly AnyOperation[]): ConfigKind[] {
  const byName = new Map(ops.map((op) => [op.name, op]));
  const declared = new Map<ResourceType, { op: AnyOperation; spec: Declarative }>();
  for (const op of ops) if (op.declarative) declared.set(op.resource, { op, spec: op.declarative });

  const kinds = new Map<ResourceType, ConfigKind>();
  const visiting = new Set<ResourceType>();
  const ordered: ConfigKind[] = [];
  const build = (resource: ResourceType): ConfigKind => {
    const done = kinds.get(resource);
    if (done) return done;
    const entry = declared.get(resource);
    if (!entry) throw new Error(`declarative config refers to ${resource}, which is not declarative`);
    if (visiting.has(resource)) throw new Error(`declarative kinds depend on each other in a loop at ${resource}`);
    visiting.add(resource);
    const { op, spec } = entry;
    const update = byName.get(`${resource}.update`);
    for (const action of ['list', 'update', 'delete']) {
      if (!byName.has(`${resource}.${action}`)) throw new Error(`declarative ${resource} has no ${resource}.${action} operation`);
    }
    const parent = spec.parent ? { field: spec.parent.field, kind: build(spec.parent.resource) } : undefined;
    const refs: Array<ConfigKind['refs'][number]> = [];
    const kind: ConfigKind = {
      resource,
      section: resource,
      identity: spec.identity,
      ...(parent ? { parent } : {}),
      refs,
      secretFields: spec.secretFields ?? [],
      secretsOf: spec.secretsOf ?? (() => spec.secretFields ?? []),
      computed: new Set(spec.computedFields ?? []),
      children: [],
      create: op.input,
      updatable: new Set(update ? shapeKeys(update.input).filter((k) => k !== 'id') : []),
      ops: { list: `${resource}.list`, create: op.name, update: `${resource}.update`, delete: `${resource}.delete` },
    };
    for (const [field, target] of Object.entries(spec.refs ?? {})) {
      // A kind may point at items of its own kind; the plan orders those and refuses loops.
      const to = target === resource ? kind : build(target);
      if (to.parent || to.identity.length !== 1) throw new Error(`${resource}.${field} must point at a top-level kind named by one field`);
      refs.push({ field, fileField: fileFieldOf(field), kind: to, many: isArrayField(op.input, field) });
    }
    parent?.kind.children.push(kind);
    visiting.delete(resource);
    kinds.set(resource, kind);
    ordered.push(kind);
    return kind;
  };
  for (const resource of declared.keys()) build(resource);
  return ordered;
}

/** The item's own root (top-level) kind. */
export function rootOf(kind: ConfigKind): ConfigKind {
  return kind.parent ? rootOf(kind.parent.kind) : kind;
}
