/** One row of a side-by-side diff: a line on the left, the right, or both (unchanged). */
export interface DiffRow {
  left: string | null;
  right: string | null;
  changed: boolean;
}

// Beyond this many lines a side, the rest is compared line by line without alignment (bounded work).
const MAX_LINES = 600;

/** JSON with keys sorted at every level, so two definitions line up by field. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, x]) => [k, sort(x)]),
          )
        : v;
  return JSON.stringify(sort(value), null, 2);
}

/** A side-by-side line diff (longest common subsequence): equal lines share a row, the others are marked changed. */
export function lineDiff(leftText: string, rightText: string): DiffRow[] {
  const a = leftText.split('\n').slice(0, MAX_LINES);
  const b = rightText.split('\n').slice(0, MAX_LINES);
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const rows: DiffRow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      rows.push({ left: a[i]!, right: b[j]!, changed: false });
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      rows.push({ left: null, right: b[j]!, changed: true });
      j++;
    } else {
      rows.push({ left: a[i]!, right: null, changed: true });
      i++;
    }
  }
  return rows;
}
