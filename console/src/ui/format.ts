const pad = (n: number) => String(n).padStart(2, '0');

/** Every date the console shows, in one format: `2026-11-24 07:05:09` in the browser's time zone. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function num(n: number | null | undefined, digits = 0): string {
  return n === null || n === undefined ? '—' : n.toLocaleString(undefined, { maximumFractionDigits: digits });
}

export function pct(n: number): string {
  return `${(n * 100).toFixed(1)}%`;
}

/** Whether a field holds a timestamp (shown with `when`). */
export function isTimeField(name: string, value: unknown): value is string {
  return typeof value === 'string' && /(At|Until|time)$/.test(name) && /^\d{4}-\d{2}-\d{2}T/.test(value);
}
