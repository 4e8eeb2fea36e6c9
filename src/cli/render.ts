import { stringify } from 'yaml';

const PREFERRED = ['id', 'slug', 'name', 'username', 'basePath', 'method', 'path', 'status', 'published', 'authType', 'role', 'time', 'action', 'outcome'];
const MAX_COLUMNS = 7;
const MAX_CELL = 40;

function cell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

/** A plain-text table of objects: preferred columns first, then other short fields. */
export function table(items: ReadonlyArray<Record<string, unknown>>): string {
  if (items.length === 0) return '(none)';
  const present = new Set(items.flatMap((i) => Object.keys(i)));
  const scalar = (k: string) => items.every((i) => i[k] === undefined || i[k] === null || typeof i[k] !== 'object');
  const columns = [
    ...PREFERRED.filter((k) => present.has(k)),
    ...[...present].filter((k) => !PREFERRED.includes(k) && scalar(k) && !['createdAt', 'updatedAt', 'version', 'description'].includes(k)),
  ].slice(0, MAX_COLUMNS);
  const rows = [columns.map((c) => c.toUpperCase()), ...items.map((i) => columns.map((c) => cell(i[c])))];
  const widths = columns.map((_, n) => Math.max(...rows.map((r) => r[n]!.length)));
  return rows
    .map((r) =>
      r
        .map((v, n) => v.padEnd(widths[n]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A result for people: lists as a table (with the next page's cursor), anything else as YAML. */
export function human(value: unknown): string {
  const list = value as { items?: unknown; nextCursor?: unknown } | null;
  if (list && Array.isArray(list.items)) {
    const more = typeof list.nextCursor === 'string' ? `\n(more: --cursor ${list.nextCursor}, or --all)` : '';
    return table(list.items as Array<Record<string, unknown>>) + more;
  }
  return stringify(value).trimEnd();
}
