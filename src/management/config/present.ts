import { type ConfigItem, itemKey, itemLabel } from './items.js';
import type { ConfigKind } from './kinds.js';

/** Runs a registry operation for the caller (the executor's `ctx.invoke`). */
export type Invoke = (name: string, input: unknown) => Promise<unknown>;

const PAGE = 500;
const STORED = new Set(['id', 'version', 'createdAt', 'updatedAt']);

async function listAll(invoke: Invoke, op: string): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  let cursor: string | null = null;
  do {
    const page = (await invoke(op, { limit: PAGE, ...(cursor ? { cursor } : {}) })) as { items: Array<Record<string, unknown>>; nextCursor: string | null };
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Everything declarative on the gateway, read through the kinds' list operations (so the caller's read access applies). */
export async function readPresent(kinds: readonly ConfigKind[], invoke: Invoke): Promise<ConfigItem[]> {
  const byId = new Map<string, ConfigItem>();
  const items: ConfigItem[] = [];
  for (const kind of kinds) {
    for (const stored of await listAll(invoke, kind.ops.list)) {
      const id = String(stored.id);
      const own = Object.fromEntries(Object.entries(stored).filter(([k]) => !STORED.has(k) && !kind.computed.has(k)));
      const parsed = kind.create.safeParse(own);
      // A row an older version stored may not parse today; compare it as stored.
      const input = parsed.success ? (parsed.data as Record<string, unknown>) : own;
      const parent = kind.parent ? byId.get(String(input[kind.parent.field])) : undefined;
      if (kind.parent && !parent) continue;
      const names = kind.identity.map((f) => String(input[f]));
      const item: ConfigItem = {
        kind,
        names,
        key: itemKey(kind, parent?.key ?? null, names),
        parentKey: parent?.key ?? null,
        root: parent ? parent.root : { section: kind.section, name: names.join(' ') },
        label: itemLabel(parent?.label ?? null, names),
        input,
        id,
      };
      byId.set(id, item);
      items.push(item);
    }
  }
  return items;
}
