import { GatehouseError, mergePatch } from '../../core/index.js';
import { type ConfigItem, isPlainObject, sameValue } from './items.js';
import type { ConfigKind } from './kinds.js';
import type { Invoke } from './present.js';
import type { Scope } from './selector.js';
import { Slices } from './slices.js';
import { type FileProblem, fileError } from './wanted.js';

/** One field that changes: its dotted path in the file, and its values (in file form: names, not ids). */
export interface FieldChange {
  field: string;
  before?: unknown;
  after?: unknown;
}

/** One change of a plan, as shown to people and machines. */
export interface PlannedChange {
  action: 'create' | 'update' | 'delete';
  resource: string;
  /** The item's names, e.g. `payments › /payments/v1 › GET /orders`. */
  name: string;
  /** The stored id, for updates and deletes. */
  id?: string;
  /** Field by field: for an update what changes, for a create every field set, for a delete every field it had. */
  fields: FieldChange[];
}

/** One operation to run; placeholders in `input` are replaced by the ids of items created before it. */
export interface PlanStep {
  op: string;
  input: Record<string, unknown>;
  /** The placeholder standing for the id this step creates. */
  creates?: string;
  /** Where the item is in the file, for errors. */
  path?: string;
  change: PlannedChange;
}

export interface Plan {
  changes: PlannedChange[];
  steps: PlanStep[];
}

const PLACEHOLDER = /^\$new\d+$/;

/** An item's input as the file shows it: references by name, without its parent or secrets. */
function fileForm(item: ConfigItem, nameOf: (id: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...item.input };
  if (item.kind.parent) delete out[item.kind.parent.field];
  for (const s of item.kind.secretFields) delete out[s];
  for (const ref of item.kind.refs) {
    const value = out[ref.field];
    delete out[ref.field];
    if (value === undefined) continue;
    out[ref.fileField] = Array.isArray(value) ? value.map((id) => nameOf(String(id))) : value === null ? null : nameOf(String(value));
  }
  return out;
}

/** Field-by-field differences, descending into mappings (lists compare whole). */
function diffFields(before: Record<string, unknown>, after: Record<string, unknown>, prefix = ''): FieldChange[] {
  const out: FieldChange[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[key];
    const b = after[key];
    if (sameValue(a, b)) continue;
    const field = prefix + key;
    if (isPlainObject(a) && isPlainObject(b)) out.push(...diffFields(a, b, `${field}.`));
    else out.push({ field, ...(a === undefined ? {} : { before: a }), ...(b === undefined ? {} : { after: b }) });
  }
  return out;
}

function placeholdersIn(item: ConfigItem): string[] {
  const fields = [...(item.kind.parent ? [item.kind.parent.field] : []), ...item.kind.refs.map((r) => r.field)];
  return fields.flatMap((f) => {
    const v = item.input[f];
    return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && PLACEHOLDER.test(x));
  });
}

/** Orders one kind's creates so each comes after what it points at; a loop is an error naming its items. */
async function orderCreates(items: ConfigItem[], placeholderOf: Map<string, string>, problems: FileProblem[], slices: Slices): Promise<ConfigItem[]> {
  const own = new Set<string>();
  for (const i of items) {
    if (slices.due) await slices.giveWay();
    own.add(placeholderOf.get(i.key)!);
  }
  const ordered: ConfigItem[] = [];
  const done = new Set<string>();
  let pending = [...items];
  while (pending.length > 0) {
    const ready: ConfigItem[] = [];
    const waiting: ConfigItem[] = [];
    for (const i of pending) {
      if (slices.due) await slices.giveWay();
      (placeholdersIn(i).every((p) => !own.has(p) || done.has(p)) ? ready : waiting).push(i);
    }
    if (ready.length === 0) {
      const names = pending.map((i) => i.label).join(', ');
      for (const i of pending) problems.push({ path: (i.path ?? []).join('.'), message: `${i.kind.section} refer to each other in a loop: ${names}` });
      return ordered;
    }
    for (const i of ready) {
      if (slices.due) await slices.giveWay();
      ordered.push(i);
      done.add(placeholderOf.get(i.key)!);
    }
    pending = waiting;
  }
  return ordered;
}

/**
 * What it takes to make the gateway match the file: creates and updates kind by kind (parents and
 * referenced kinds first), then, with `prune`, deletes of present items in scope that the file
 * does not list (dependents first). Throws, listing every item, when a change cannot be made in place.
 */
export async function makePlan(
  kinds: readonly ConfigKind[],
  wanted: { items: ConfigItem[]; placeholders: Map<string, string> },
  present: readonly ConfigItem[],
  opts: { prune: boolean; scope: Scope },
): Promise<Plan> {
  // Comparing 100,000 items takes seconds: the loops below give way to other calls between slices.
  const slices = new Slices();
  const presentByKey = new Map<string, ConfigItem>();
  const names = new Map<string, string>();
  for (const p of present) {
    if (slices.due) await slices.giveWay();
    presentByKey.set(p.key, p);
    if (p.id && !p.kind.parent) names.set(p.id, p.names[0]!);
  }
  const placeholderOf = new Map<string, string>();
  for (const [p, key] of wanted.placeholders) {
    if (slices.due) await slices.giveWay();
    placeholderOf.set(key, p);
  }
  const wantedKeys = new Set<string>();
  const byKind = new Map<ConfigKind, ConfigItem[]>(kinds.map((k) => [k, []]));
  for (const w of wanted.items) {
    if (slices.due) await slices.giveWay();
    wantedKeys.add(w.key);
    byKind.get(w.kind)?.push(w);
    if (!w.kind.parent && placeholderOf.has(w.key)) names.set(placeholderOf.get(w.key)!, w.names[0]!);
  }
  const nameOf = (id: string) => names.get(id) ?? id;

  const problems: FileProblem[] = [];
  const steps: PlanStep[] = [];
  for (const kind of kinds) {
    const mine = byKind.get(kind)!;
    const creates = await orderCreates(
      mine.filter((w) => !presentByKey.has(w.key)),
      placeholderOf,
      problems,
      slices,
    );
    for (const w of creates) {
      if (slices.due) await slices.giveWay();
      const after = fileForm(w, nameOf);
      steps.push({
        op: kind.ops.create,
        input: w.input,
        creates: placeholderOf.get(w.key)!,
        path: (w.path ?? []).join('.'),
        change: { action: 'create', resource: kind.resource, name: w.label, fields: diffFields({}, after) },
      });
    }
    for (const w of mine) {
      if (slices.due) await slices.giveWay();
      const p = presentByKey.get(w.key);
      if (!p?.id) continue;
      const secrets = new Set(kind.secretFields);
      const changed = [...new Set([...Object.keys(w.input), ...Object.keys(p.input)])].filter((k) => !secrets.has(k) && !sameValue(w.input[k], p.input[k]));
      if (changed.length === 0) continue;
      const at = (w.path ?? []).join('.');
      const fixed = changed.filter((k) => !kind.updatable.has(k));
      if (fixed.length > 0) {
        problems.push({ path: at, message: `${fixed.join(', ')} of ${kind.section} ${w.label} cannot change in place; remove it and add it again` });
        continue;
      }
      const patch = Object.fromEntries(changed.filter((k) => w.input[k] !== undefined).map((k) => [k, w.input[k]]));
      // Secrets are never read back: the file's own stand in for them, so the check sees a whole item.
      const secretsOfFile = Object.fromEntries([...secrets].filter((k) => w.input[k] !== undefined).map((k) => [k, w.input[k]]));
      const merged = kind.create.safeParse(mergePatch({ ...p.input, ...secretsOfFile }, patch));
      if (!merged.success || !sameValue(merged.data, w.input)) {
        const lost = diffFields(merged.success ? (merged.data as Record<string, unknown>) : p.input, w.input).map((f) => f.field);
        problems.push({
          path: at,
          message: `${lost.join(', ') || changed.join(', ')} of ${kind.section} ${w.label} cannot be removed in place; set it explicitly`,
        });
        continue;
      }
      steps.push({
        op: kind.ops.update,
        input: { ...patch, id: p.id },
        path: at,
        change: { action: 'update', resource: kind.resource, name: w.label, id: p.id, fields: diffFields(fileForm(p, nameOf), fileForm(w, nameOf)) },
      });
    }
  }
  if (opts.prune) {
    for (const kind of [...kinds].reverse()) {
      for (const p of present) {
        if (slices.due) await slices.giveWay();
        if (p.kind !== kind || !p.id || wantedKeys.has(p.key) || !opts.scope(p)) continue;
        steps.push({
          op: kind.ops.delete,
          input: { id: p.id },
          change: { action: 'delete', resource: kind.resource, name: p.label, id: p.id, fields: diffFields(fileForm(p, nameOf), {}) },
        });
      }
    }
  }
  if (problems.length > 0) throw fileError(problems);
  return { changes: steps.map((s) => s.change), steps };
}

function substitute(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return ids.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => substitute(v, ids));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, ids)]));
  return value;
}

/** Runs a plan's steps in order through `invoke`; a failing step throws, naming the change and its place in the file. */
export async function runPlan(plan: Plan, invoke: Invoke, onStep?: (done: number) => void): Promise<void> {
  const ids = new Map<string, string>();
  let done = 0;
  const slices = new Slices();
  for (const step of plan.steps) {
    // A plan of 100,000 steps runs for seconds: it gives way to other calls (health checks, proxied traffic) every few milliseconds.
    if (slices.due) await slices.giveWay();
    let out: unknown;
    try {
      out = await invoke(step.op, substitute(step.input, ids));
    } catch (err) {
      if (!(err instanceof GatehouseError)) throw err;
      const what = `${step.change.action} ${step.change.resource} ${step.change.name}`;
      throw new GatehouseError(err.code, `${what}: ${err.message}`, [
        { path: step.path ?? '', message: err.message, ...(err.details === undefined ? {} : { details: err.details }) },
      ]);
    }
    if (step.creates) ids.set(step.creates, String((out as { id?: unknown }).id));
    onStep?.(++done);
  }
  // The commit that follows holds the loop on its own (on SQLite ~60–90 ms for 100,000 steps): it starts a turn of its own.
  await slices.giveWay();
}
