import type { ConfigKind } from './kinds.js';

/** One resource in declarative config: wanted (from a file) or present (on the gateway). */
export interface ConfigItem {
  kind: ConfigKind;
  /** The identity fields' values, in order. */
  names: string[];
  /** Unique across every kind: the parent's key, the kind, and the names. */
  key: string;
  parentKey: string | null;
  /** The top-level item this one lives in (itself when top-level), for selectors. */
  root: { section: string; name: string };
  /** For people: `payments › /payments/v1 › GET /orders`. */
  label: string;
  /**
   * The operation input it stands for, normalized by the create schema (defaults filled in), with
   * parent and references as ids: real ones, or placeholders for items the plan creates.
   */
  input: Record<string, unknown>;
  /** Present items: the stored id. */
  id?: string;
  /** Wanted items: where in the file it is (`['collections', 0, 'proxies', 1]`). */
  path?: Array<string | number>;
}

/** The key that ties a wanted item to a present one. */
export function itemKey(kind: ConfigKind, parentKey: string | null, names: readonly string[]): string {
  return `${parentKey ?? ''}\n${kind.resource}:${names.join('\t')}`;
}

/** The label of an item from its parent's label and its own names. */
export function itemLabel(parentLabel: string | null, names: readonly string[]): string {
  const own = names.join(' ');
  return parentLabel ? `${parentLabel} › ${own}` : own;
}

/** A stable text form for comparison: object keys sorted at every depth. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** Deep equality of JSON-like values. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

/** True for a plain object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Matches a name against a glob with `*` wildcards. */
export function globMatch(glob: string, name: string): boolean {
  const pattern = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${pattern}$`).test(name);
}
