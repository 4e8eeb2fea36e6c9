import { type ConfigItem, sameValue } from './items.js';
import type { ConfigKind } from './kinds.js';
import type { Scope } from './selector.js';
import { CONFIG_VERSION } from './wanted.js';

/** `${GATEHOUSE_CLIENTS_ACME_API_KEY}`: where a secret goes in an exported file. */
export function secretReference(kind: ConfigKind, label: string, field: string): string {
  const name = `GATEHOUSE_${kind.section}_${label}_${field}`
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/_+$/, '');
  return `\${${name}}`;
}

/** Leaves out fields whose value is what the schema would fill in anyway, so files stay short. */
function withoutDefaults(kind: ConfigKind, input: Record<string, unknown>): Record<string, unknown> {
  const keep = new Set([...kind.identity, ...(kind.parent ? [kind.parent.field] : [])]);
  // Reads never hold secrets; stand-ins let the schema judge the rest of the item.
  const secrets = Object.fromEntries(kind.secretsOf(input).map((f) => [f, 'secret']));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (!keep.has(key)) {
      const { [key]: _dropped, ...rest } = input;
      const filled = kind.create.safeParse({ ...rest, ...secrets });
      if (filled.success && sameValue((filled.data as Record<string, unknown>)[key], value)) continue;
    }
    out[key] = value;
  }
  return out;
}

function fileItem(item: ConfigItem, nameOf: (id: string) => string, childrenOf: (item: ConfigItem) => Record<string, unknown[]>): Record<string, unknown> {
  const { kind } = item;
  const trimmed = withoutDefaults(kind, item.input);
  const out: Record<string, unknown> = {};
  for (const field of kind.identity) out[field] = trimmed[field];
  for (const [key, value] of Object.entries(trimmed)) {
    if (kind.identity.includes(key) || key === kind.parent?.field) continue;
    const ref = kind.refs.find((r) => r.field === key);
    if (ref) out[ref.fileField] = Array.isArray(value) ? value.map((id) => nameOf(String(id))).sort() : value === null ? null : nameOf(String(value));
    else if (!kind.secretFields.includes(key)) out[key] = value;
  }
  for (const field of kind.secretsOf(item.input)) out[field] = secretReference(kind, item.label, field);
  return { ...out, ...childrenOf(item) };
}

function byNames(a: ConfigItem, b: ConfigItem): number {
  const x = a.names.join('\t');
  const y = b.names.join('\t');
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The gateway's declarative config as a file: sections in kind order, items sorted by their
 * names, children inside their parents, references by name, defaults left out, never an id and
 * never a secret. The same gateway always exports the same file.
 */
export function exportDocument(kinds: readonly ConfigKind[], present: readonly ConfigItem[], scope: Scope): Record<string, unknown> {
  const inScope = present.filter((p) => scope(p));
  const names = new Map<string, string>();
  for (const p of present) if (p.id && !p.kind.parent) names.set(p.id, p.names[0]!);
  const nameOf = (id: string) => names.get(id) ?? id;
  const children = new Map<string, ConfigItem[]>();
  for (const p of inScope) {
    if (p.parentKey === null) continue;
    const list = children.get(p.parentKey) ?? [];
    list.push(p);
    children.set(p.parentKey, list);
  }
  const childrenOf = (item: ConfigItem): Record<string, unknown[]> => {
    const out: Record<string, unknown[]> = {};
    for (const kind of item.kind.children) {
      const list = (children.get(item.key) ?? []).filter((c) => c.kind === kind).sort(byNames);
      if (list.length > 0) out[kind.section] = list.map((c) => fileItem(c, nameOf, childrenOf));
    }
    return out;
  };
  const doc: Record<string, unknown> = { version: CONFIG_VERSION };
  for (const kind of kinds) {
    if (kind.parent) continue;
    const list = inScope.filter((p) => p.kind === kind).sort(byNames);
    if (list.length > 0) doc[kind.section] = list.map((p) => fileItem(p, nameOf, childrenOf));
  }
  return doc;
}
