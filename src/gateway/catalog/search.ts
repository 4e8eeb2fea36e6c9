/** Lexical search over endpoint text: small stemmer, field weights, BM25 scoring, and verb → method hints. */

const STOP_WORDS = new Set(
  'a an the to of for in on at by with and or my me i we you your our all any some this that these those is are be it its from into via using use how can do does please which what'.split(
    ' ',
  ),
);

/** Words that name an HTTP method, so "create an issue" prefers POST and "delete a branch" DELETE. */
const VERBS: Record<string, readonly string[]> = {
  create: ['POST'],
  add: ['POST', 'PUT'],
  new: ['POST'],
  make: ['POST'],
  post: ['POST'],
  submit: ['POST'],
  send: ['POST'],
  list: ['GET'],
  get: ['GET'],
  fetch: ['GET'],
  show: ['GET'],
  read: ['GET'],
  find: ['GET'],
  search: ['GET'],
  retrieve: ['GET'],
  view: ['GET'],
  update: ['PATCH', 'PUT'],
  edit: ['PATCH', 'PUT'],
  modify: ['PATCH', 'PUT'],
  change: ['PATCH', 'PUT'],
  set: ['PUT', 'PATCH'],
  replace: ['PUT'],
  delete: ['DELETE'],
  remove: ['DELETE'],
  destroy: ['DELETE'],
};

/** Lower-cases, splits camelCase, snake_case, kebab-case and punctuation, and strips plural endings. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const spaced = text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  for (const raw of spaced.split(/[^a-z0-9]+/)) {
    if (raw.length < 2 && !/\d/.test(raw)) continue;
    out.push(stem(raw));
  }
  return out;
}

export function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(ch|sh|x|ss|zz)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

/** One document's weighted terms. */
export interface IndexedDoc {
  readonly terms: ReadonlyMap<string, number>;
  readonly length: number;
  readonly method: string;
  /** The summary's distinct words: a query covering all of them names this operation precisely. */
  readonly summary: ReadonlySet<string>;
  /** The last literal path segment (the resource), stemmed. */
  readonly resource: string | null;
}

export interface DocFields {
  method: string;
  summary: string;
  operationId?: string | undefined;
  path: string;
  tags?: readonly string[] | undefined;
  description: string;
  collection: string;
}

function add(terms: Map<string, number>, text: string, weight: number): number {
  let n = 0;
  for (const t of tokenize(text)) {
    if (STOP_WORDS.has(t)) continue;
    terms.set(t, (terms.get(t) ?? 0) + weight);
    n++;
  }
  return n;
}

/** Indexes one endpoint: summary and operationId weigh most, then path words and tags, then the description. */
export function indexDoc(f: DocFields): IndexedDoc {
  const terms = new Map<string, number>();
  let length = add(terms, f.summary, 3);
  if (f.operationId) length += add(terms, f.operationId, 2);
  length += add(
    terms,
    f.path
      .split('/')
      .filter((s) => s && !s.startsWith('{'))
      .join(' '),
    2,
  );
  for (const tag of f.tags ?? []) add(terms, tag, 1.5);
  add(terms, f.collection, 0.5);
  add(terms, f.description.slice(0, 600), 0.4);
  const literal = f.path.split('/').filter((seg) => seg && !seg.startsWith('{'));
  const last = literal.at(-1);
  const lastWords = last ? tokenize(last) : [];
  return {
    terms,
    length: Math.max(1, length),
    method: f.method,
    summary: new Set(tokenize(f.summary).filter((t) => !STOP_WORDS.has(t))),
    resource: lastWords.at(-1) ?? null,
  };
}

/** A BM25 index over a fixed set of documents (one config snapshot's catalog). */
export class SearchIndex {
  readonly #docs: IndexedDoc[];
  readonly #postings = new Map<string, number[]>();
  readonly #avgLength: number;

  constructor(docs: IndexedDoc[]) {
    this.#docs = docs;
    let total = 0;
    docs.forEach((d, i) => {
      total += d.length;
      for (const t of d.terms.keys()) {
        const list = this.#postings.get(t);
        if (list) list.push(i);
        else this.#postings.set(t, [i]);
      }
    });
    this.#avgLength = docs.length ? total / docs.length : 1;
  }

  /** The best documents for a query among those `visible` admits, best first, with their scores. */
  search(query: string, visible: (doc: number) => boolean, limit: number): Array<{ doc: number; score: number }> {
    const words = tokenize(query).filter((t) => !STOP_WORDS.has(t));
    const unique = [...new Set(words)];
    const methods = new Set<string>();
    for (const w of unique) for (const m of VERBS[w] ?? []) methods.add(m);
    const n = this.#docs.length;
    const scores = new Map<number, { score: number; matched: number }>();
    const k1 = 1.2;
    const b = 0.6;
    for (const term of unique) {
      const postings = this.#postings.get(term);
      if (!postings) continue;
      const idf = Math.log(1 + (n - postings.length + 0.5) / (postings.length + 0.5));
      for (const i of postings) {
        if (!visible(i)) continue;
        const doc = this.#docs[i]!;
        const w = doc.terms.get(term)!;
        const s = (idf * (w * (k1 + 1))) / (w + k1 * (1 - b + (b * doc.length) / this.#avgLength));
        const cur = scores.get(i);
        if (cur) {
          cur.score += s;
          cur.matched++;
        } else scores.set(i, { score: s, matched: 1 });
      }
    }
    const out: Array<{ doc: number; score: number }> = [];
    const queryTerms = new Set(unique);
    for (const [i, s] of scores) {
      const doc = this.#docs[i]!;
      let score = s.score * (0.5 + s.matched / Math.max(1, unique.length));
      if (methods.size > 0 && methods.has(doc.method)) score *= 1.5;
      // Prefer operations whose summary the query covers, and whose resource (last path word) the query names.
      if (doc.summary.size > 0) {
        let covered = 0;
        for (const w of doc.summary) if (queryTerms.has(w)) covered++;
        score *= 0.75 + (0.5 * covered) / doc.summary.size;
      }
      if (doc.resource !== null && queryTerms.has(doc.resource)) score *= 1.3;
      out.push({ doc: i, score: Math.round(score * 1000) / 1000 });
    }
    out.sort((x, y) => y.score - x.score || x.doc - y.doc);
    return out.slice(0, limit);
  }
}
