import type { z } from 'zod';
import { GatehouseError } from '../../core/index.js';
import { type ConfigItem, isPlainObject, itemKey, itemLabel } from './items.js';
import type { ConfigKind } from './kinds.js';
import type { Scope } from './selector.js';
import { Slices } from './slices.js';

/** The config file format version this build reads and writes. */
export const CONFIG_VERSION = 1;

/** A problem in a config file, with the path of the field it is about (`clients.0.collections.1`). */
export interface FileProblem {
  path: string;
  message: string;
}

const MAX_PROBLEMS = 100;

/** An item as the file gives it, before its references are resolved and its fields validated. */
type RawItem = Omit<ConfigItem, 'input' | 'id' | 'path'> & { path: Array<string | number>; fields: Record<string, unknown> };

/** Thrown for a file that cannot be planned; lists every problem found, each with its field path. */
export function fileError(problems: readonly FileProblem[]): GatehouseError {
  const first = problems[0];
  return new GatehouseError(
    'GATEHOUSE_VALIDATION_FAILED',
    first ? `Invalid config at ${first.path || '(top)'}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}` : undefined,
    problems.slice(0, MAX_PROBLEMS),
  );
}

const join = (path: ReadonlyArray<string | number>) => path.join('.');

/** Walks the file's structure: sections, items, identities, nesting; no references yet. */
async function walk(kinds: readonly ConfigKind[], doc: unknown, problems: FileProblem[], slices: Slices): Promise<RawItem[]> {
  const out: RawItem[] = [];
  if (!isPlainObject(doc)) {
    problems.push({ path: '', message: 'the file must be a mapping of sections (collections, policies, …)' });
    return out;
  }
  const top = kinds.filter((k) => !k.parent);
  for (const key of Object.keys(doc)) {
    if (key === 'version') {
      if (doc.version !== CONFIG_VERSION) problems.push({ path: 'version', message: `must be ${CONFIG_VERSION}` });
    } else if (!top.some((k) => k.section === key)) {
      problems.push({ path: key, message: `unknown section ${key} (known: version, ${top.map((k) => k.section).join(', ')})` });
    }
  }
  const seen = new Map<string, string>();
  const visit = async (kind: ConfigKind, list: unknown, path: Array<string | number>, parent: RawItem | null): Promise<void> => {
    if (list === undefined) return;
    if (!Array.isArray(list)) {
      problems.push({ path: join(path), message: `must be a list of ${kind.section}` });
      return;
    }
    for (const [index, value] of (list as unknown[]).entries()) {
      if (slices.due) await slices.giveWay();
      const at = [...path, index];
      if (!isPlainObject(value)) {
        problems.push({ path: join(at), message: `must be a mapping (one of ${kind.section})` });
        continue;
      }
      const names: string[] = [];
      for (const field of kind.identity) {
        const v = value[field];
        if (typeof v !== 'string' || v === '') problems.push({ path: join([...at, field]), message: `required: it names this item` });
        else names.push(v);
      }
      if (names.length !== kind.identity.length) continue;
      const fields: Record<string, unknown> = { ...value };
      for (const child of kind.children) delete fields[child.section];
      const key = itemKey(kind, parent?.key ?? null, names);
      const label = itemLabel(parent?.label ?? null, names);
      const other = seen.get(key);
      if (other !== undefined) problems.push({ path: join(at), message: `${kind.section} ${label} is listed twice (also at ${other})` });
      seen.set(key, join(at));
      const item: RawItem = {
        kind,
        names,
        key,
        parentKey: parent?.key ?? null,
        root: parent ? parent.root : { section: kind.section, name: names.join(' ') },
        label,
        path: at,
        fields,
      };
      out.push(item);
      for (const child of kind.children) await visit(child, value[child.section], [...at, child.section], item);
    }
  };
  for (const kind of top) await visit(kind, doc[kind.section], [kind.section], null);
  return out;
}

/** Where a zod issue points in the file: references carry their file names, unknown keys their own name. */
function issuePath(kind: ConfigKind, base: ReadonlyArray<string | number>, issue: z.core.$ZodIssue): string {
  const path = [...issue.path] as Array<string | number>;
  const ref = kind.refs.find((r) => r.field === path[0]);
  if (ref) path[0] = ref.fileField;
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) path.push(issue.keys[0]!);
  return join([...base, ...path]);
}

function issueMessage(issue: z.core.$ZodIssue): string {
  return issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message;
}

/**
 * The items a config file asks for, in scope of the selector, as operation inputs: names resolved
 * to ids of present items or to placeholders for items the plan will create, and every item
 * validated by its create schema. Throws one error listing every problem, each at its field.
 */
export async function readWanted(
  kinds: readonly ConfigKind[],
  doc: unknown,
  present: readonly ConfigItem[],
  scope: Scope,
): Promise<{ items: ConfigItem[]; placeholders: Map<string, string> }> {
  const problems: FileProblem[] = [];
  // Reading and validating 100,000 items takes seconds: other calls get in between slices.
  const slices = new Slices();
  const raw: RawItem[] = [];
  for (const r of await walk(kinds, doc, problems, slices)) {
    if (slices.due) await slices.giveWay();
    if (scope(r)) raw.push(r);
  }
  if (problems.length > 0) throw fileError(problems);

  const presentByKey = new Map<string, ConfigItem>();
  for (const p of present) {
    if (slices.due) await slices.giveWay();
    presentByKey.set(p.key, p);
  }
  const idOfKey = new Map<string, string>();
  const placeholders = new Map<string, string>();
  for (const r of raw) {
    if (slices.due) await slices.giveWay();
    const found = presentByKey.get(r.key);
    if (found?.id) idOfKey.set(r.key, found.id);
    else {
      const placeholder = `$new${placeholders.size + 1}`;
      placeholders.set(placeholder, r.key);
      idOfKey.set(r.key, placeholder);
    }
  }
  for (const p of present) {
    if (slices.due) await slices.giveWay();
    if (p.id && !idOfKey.has(p.key)) idOfKey.set(p.key, p.id);
  }

  const items: ConfigItem[] = [];
  for (const r of raw) {
    if (slices.due) await slices.giveWay();
    const input: Record<string, unknown> = { ...r.fields };
    const at = (...rest: Array<string | number>) => join([...r.path, ...rest]);
    if (r.kind.parent && r.kind.parent.field in input) {
      problems.push({ path: at(r.kind.parent.field), message: `unknown field: the ${r.kind.parent.kind.section} it is listed under decides it` });
    }
    for (const ref of r.kind.refs) {
      if (ref.field !== ref.fileField && ref.field in input) {
        problems.push({ path: at(ref.field), message: `unknown field: name the ${ref.kind.section} in ${ref.fileField} instead of giving ids` });
        continue;
      }
      const value = input[ref.fileField];
      delete input[ref.fileField];
      if (value === undefined) continue;
      // An unresolved name stays in place, so the schema check below does not report it again.
      const resolve = (name: unknown, path: string): unknown => {
        if (typeof name !== 'string') {
          problems.push({ path, message: `must be the name of one of ${ref.kind.section}` });
          return name;
        }
        const id = idOfKey.get(itemKey(ref.kind, null, [name]));
        if (!id) problems.push({ path, message: `${ref.kind.section} has nothing named ${name}, in the file or on the gateway` });
        return id ?? name;
      };
      if (ref.many) {
        if (value === null) input[ref.field] = null;
        else if (!Array.isArray(value)) problems.push({ path: at(ref.fileField), message: `must be a list of ${ref.kind.section} names` });
        else input[ref.field] = value.map((name, i) => resolve(name, at(ref.fileField, i)));
      } else {
        input[ref.field] = value === null ? null : resolve(value, at(ref.fileField));
      }
    }
    if (r.kind.parent) input[r.kind.parent.field] = idOfKey.get(r.parentKey ?? '');
    const parsed = r.kind.create.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ path: issuePath(r.kind, r.path, issue), message: issueMessage(issue) });
      continue;
    }
    const { fields: _fields, ...item } = r;
    items.push({ ...item, input: parsed.data as Record<string, unknown> });
  }
  if (problems.length > 0) throw fileError(problems);
  return { items, placeholders };
}
