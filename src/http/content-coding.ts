/** The content codings the console's files are kept in, best first: brotli is smaller than gzip. */
const CODINGS = ['br', 'gzip'] as const;
export type Coding = (typeof CODINGS)[number];

// An Accept-Encoding header is a short list; a longer one is not a real client's and is read no further.
const MAX_ITEMS = 32;

/**
 * The coding to answer with, given a request's Accept-Encoding and the codings a file is kept in:
 * the best one the client accepts with q > 0 (named or by `*`), or undefined for the file as it is.
 */
export function pickCoding(header: string | undefined, available: ReadonlySet<Coding>): Coding | undefined {
  if (!header) return undefined;
  const q = new Map<string, number>();
  for (const item of header.split(',', MAX_ITEMS)) {
    const [name = '', ...params] = item.split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('q='));
    const weight = qParam === undefined ? 1 : Number(qParam.slice(2));
    q.set(name.trim().toLowerCase(), Number.isFinite(weight) ? weight : 0);
  }
  const star = q.get('*') ?? 0;
  return CODINGS.find((c) => available.has(c) && (q.get(c) ?? star) > 0);
}
