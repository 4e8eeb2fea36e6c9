// A top-level list longer than this is serialized a slice at a time (as the admin API answers one: http/json-slices.ts).
const LONG_LIST = 2_000;
const SLICE_ITEMS = 500;

/**
 * `JSON.stringify(value)`, giving way to other calls between slices of its long top-level lists:
 * an apply's result lists every change (100,000 of them: tens of MB), and stringifying that at once
 * would hold the event loop, and with it proxied calls, for a tenth of a second or more.
 */
export async function stringifyInSlices(value: unknown): Promise<string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value ?? null);
  const parts: string[] = [];
  let sep = '{';
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.length <= LONG_LIST) {
      parts.push(`${sep}${JSON.stringify(key)}:${JSON.stringify(v)}`);
    } else {
      parts.push(`${sep}${JSON.stringify(key)}:[`);
      for (let i = 0; i < v.length; i += SLICE_ITEMS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        parts.push(
          (i === 0 ? '' : ',') +
            v
              .slice(i, i + SLICE_ITEMS)
              .map((item) => JSON.stringify(item) ?? 'null')
              .join(','),
        );
      }
      parts.push(']');
    }
    sep = ',';
  }
  parts.push(sep === '{' ? '{}' : '}');
  return parts.join('');
}
