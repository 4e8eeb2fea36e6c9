import { Slices } from '../config/slices.js';

// A top-level list longer than this is serialized a slice at a time (as the admin API answers one: http/json-slices.ts).
const LONG_LIST = 2_000;
const SLICE_ITEMS = 500;
/** Stands for a long list in the rest of a stored value while that is parsed (its index in the lists read). */
const PLACEHOLDER = '$gatehouseSlicedList';

const giveWay = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * `JSON.stringify(value)`, giving way to other calls between slices of its long top-level lists:
 * an apply's result lists every change (100,000 of them: tens of MB), and stringifying that at once
 * would hold the event loop, and with it proxied calls, for a tenth of a second or more. A long
 * list's items are each written on a line of their own (JSON allows the whitespace, and
 * JSON.stringify never writes a raw newline), so `parseInSlices` can read them back a slice at a time.
 */
export async function stringifyInSlices(value: unknown): Promise<string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value ?? null);
  // A job's own work: paced like its steps, so it keeps to the job's share of a busy loop.
  const slices = new Slices();
  const parts: string[] = [];
  let sep = '{';
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.length <= LONG_LIST) {
      parts.push(`${sep}${JSON.stringify(key)}:${JSON.stringify(v)}`);
    } else {
      parts.push(`${sep}${JSON.stringify(key)}:[\n`);
      for (let i = 0; i < v.length; i += SLICE_ITEMS) {
        if (slices.due) await slices.giveWay();
        parts.push(
          (i === 0 ? '' : ',\n') +
            v
              .slice(i, i + SLICE_ITEMS)
              .map((item) => JSON.stringify(item) ?? 'null')
              .join(',\n'),
        );
      }
      parts.push('\n]');
    }
    sep = ',';
  }
  parts.push(sep === '{' ? '{}' : '}');
  return parts.join('');
}

/**
 * `JSON.parse(text)` of what `stringifyInSlices` wrote, giving way between slices of its long
 * lists (reading back a 100,000-change result at once held the loop ~0.1 s). Text without a raw
 * newline (a short value, or one stored before lists were written a line an item) is parsed at once.
 */
export async function parseInSlices(text: string): Promise<unknown> {
  if (!text.includes('\n')) return JSON.parse(text);
  let rest = '';
  const lists: unknown[][] = [];
  let pos = 0;
  for (;;) {
    // Up to the next newline is the value's own text, ending with the `[` that opens a long list.
    const open = text.indexOf('\n', pos);
    if (open === -1) {
      rest += text.slice(pos);
      break;
    }
    rest += `${text.slice(pos, open - 1)}{${JSON.stringify(PLACEHOLDER)}:${lists.length}}`;
    const items: unknown[] = [];
    lists.push(items);
    // Items a line each, the last one's line followed by the one that closes the list (`]`).
    let from = open + 1;
    for (;;) {
      let end = from;
      let lines = 0;
      let closed = false;
      while (lines < SLICE_ITEMS) {
        const nl = text.indexOf('\n', end);
        if (nl === -1) throw new SyntaxError('A long list in a stored job result is not closed.');
        lines++;
        end = nl + 1;
        if (text[end] === ']') {
          closed = true;
          break;
        }
      }
      // `from..end` holds whole lines: items each followed by `,` but the list's last.
      const slice = text.slice(from, closed ? end - 1 : end - 2);
      for (const item of JSON.parse(`[${slice}]`) as unknown[]) items.push(item);
      from = end;
      await giveWay();
      if (closed) break;
    }
    pos = from + 1;
  }
  const value = JSON.parse(rest) as Record<string, unknown>;
  for (const [key, v] of Object.entries(value)) {
    const at = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[PLACEHOLDER] : undefined;
    if (typeof at === 'number') value[key] = lists[at];
  }
  return value;
}
