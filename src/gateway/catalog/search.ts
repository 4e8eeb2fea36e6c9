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
  look: ['GET'],
  lookup: ['GET'],
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

/**
 * Words that ask for one item rather than a list ("look up a single order", "get one customer by
 * id", "order details"): they favour operations whose path ends in a parameter (`/orders/{id}`),
 * which otherwise tie with, or lose to, the list operation sharing their words. A number in the
 * query ("order 42") asks for one item too. List words cancel them.
 */
const QUANTIFIERS = new Set(['single', 'one', 'specific', 'particular', 'individual']);
const ONE_ITEM = new Set([...QUANTIFIERS, 'detail', 'id', 'identifier', 'uuid']);
const MANY_ITEMS = new Set(['list', 'all', 'every', 'search', 'many', 'multiple', 'several']);
const ITEM_BOOST = 1.6;

/**
 * The query's words as stems, with the stems written in the plural and in the singular: "get a
 * customer" names one customer, "get customers" the list, though both stem to "customer".
 */
function queryWords(query: string): { words: string[]; plural: Set<string>; singular: Set<string> } {
  const words: string[] = [];
  const plural = new Set<string>();
  const singular = new Set<string>();
  const spaced = query.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  for (const raw of spaced.split(/[^a-z0-9]+/)) {
    if (raw.length < 2 && !/\d/.test(raw)) continue;
    const w = stem(raw);
    if (STOP_WORDS.has(w)) continue;
    words.push(w);
    (w === raw ? singular : plural).add(w);
  }
  return { words, plural, singular };
}

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
  /** Those of them the summary writes in the plural ("List orders"): a query covers them only in the plural too. */
  readonly summaryPlural: ReadonlySet<string>;
  /** The last literal path segment (the resource), stemmed. */
  readonly resource: string | null;
  /** The path ends in a parameter: the operation acts on one item (`/orders/{id}`). */
  readonly item: boolean;
  /** The path ends in a word written in the singular: a resource there is one of (`/user`, `/repos/{o}/{r}/license`). */
  readonly singleton: boolean;
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
    summary: new Set(tokenize(f.summary).filter((t) => !STOP_WORDS.has(t) && !QUANTIFIERS.has(t))),
    summaryPlural: queryWords(f.summary).plural,
    resource: lastWords.at(-1) ?? null,
    item: f.path.split('/').at(-1)?.includes('{') ?? false,
    singleton: !f.path.split('/').at(-1)?.includes('{') && lastWords.length > 0 && !queryWords(last!).plural.has(lastWords.at(-1)!),
  };
}

const K1 = 1.2;
const B = 0.6;

/**
 * A BM25 index over a fixed set of documents (one config snapshot's catalog). Built once per
 * snapshot; a search touches only the postings of its words and keeps the best `limit` hits as it
 * goes instead of sorting every match (a common word matches most of a large estate). Every term's
 * postings sit in two shared typed arrays (a term holds a range of them), and of each document only
 * what ranking reads is kept: per-document term maps and per-term arrays held ~8 MB for 5,000 operations.
 */
export class SearchIndex {
  /** Term → its number; the term's postings are [#start[t], #start[t + 1]) of #postDocs and #postWeights. */
  readonly #terms = new Map<string, number>();
  readonly #start: Int32Array;
  readonly #postDocs: Int32Array;
  readonly #postWeights: Float64Array;
  readonly #methods: string[];
  /** Each document's distinct summary words (IndexedDoc.summary). */
  readonly #summaries: (readonly string[])[];
  /** Each document's summary words written in the plural, or null when there are none. */
  readonly #summaryPlurals: (ReadonlySet<string> | null)[];
  readonly #resources: (string | null)[];
  /** 1: the operation acts on one item (IndexedDoc.item); 2: on a singleton resource; 0: on a list. */
  readonly #items: Uint8Array;
  /** Per document, BM25's length normalization `k1 · (1 − b + b · length / avgLength)`. */
  readonly #norm: Float64Array;
  // Scratch space reused by every search (searches are synchronous, so never concurrent):
  // a document's entries are valid only when its stamp is the current search's.
  readonly #stamp: Uint32Array;
  readonly #score: Float64Array;
  readonly #matched: Uint16Array;
  readonly #visible: Uint8Array;
  readonly #touched: Int32Array;
  #epoch = 0;

  constructor(docs: readonly IndexedDoc[]) {
    const n = docs.length;
    let total = 0;
    let postings = 0;
    const counts: number[] = [];
    for (const d of docs) {
      total += d.length;
      for (const t of d.terms.keys()) {
        let id = this.#terms.get(t);
        if (id === undefined) {
          id = counts.length;
          this.#terms.set(t, id);
          counts.push(0);
        }
        counts[id]!++;
        postings++;
      }
    }
    this.#start = new Int32Array(counts.length + 1);
    for (let t = 0; t < counts.length; t++) this.#start[t + 1] = this.#start[t]! + counts[t]!;
    this.#postDocs = new Int32Array(postings);
    this.#postWeights = new Float64Array(postings);
    // Documents in index order, so each term's postings list its documents in ascending order, as a push per document did.
    const next = this.#start.slice(0, counts.length);
    docs.forEach((d, i) => {
      for (const [t, w] of d.terms) {
        const id = this.#terms.get(t)!;
        const at = next[id]!++;
        this.#postDocs[at] = i;
        this.#postWeights[at] = w;
      }
    });
    this.#methods = docs.map((d) => d.method);
    this.#summaries = docs.map((d) => [...d.summary]);
    this.#summaryPlurals = docs.map((d) => (d.summaryPlural.size > 0 ? d.summaryPlural : null));
    this.#resources = docs.map((d) => d.resource);
    this.#items = Uint8Array.from(docs, (d) => (d.item ? 1 : d.singleton ? 2 : 0));
    const avgLength = n ? total / n : 1;
    this.#norm = Float64Array.from(docs, (d) => K1 * (1 - B + (B * d.length) / avgLength));
    this.#stamp = new Uint32Array(n);
    this.#score = new Float64Array(n);
    this.#matched = new Uint16Array(n);
    this.#visible = new Uint8Array(n);
    this.#touched = new Int32Array(n);
  }

  /** The best documents for a query among those `visible` admits, best first, with their scores. */
  search(query: string, visible: (doc: number) => boolean, limit: number): Array<{ doc: number; score: number }> {
    const { words, plural, singular } = queryWords(query);
    let unique = [...new Set(words)];
    const methods = new Set<string>();
    for (const w of unique) for (const m of VERBS[w] ?? []) methods.add(m);
    const many = unique.some((w) => MANY_ITEMS.has(w));
    const oneItem = unique.some((w) => ONE_ITEM.has(w) || /^\d+$/.test(w)) && !many;
    // "Create an order" names one order, but creating acts on the collection (POST /orders).
    const creating = methods.has('POST') && !methods.has('GET');
    // A quantifier says how many, not what: matched as a word it would favour a summary that happens to say "one".
    if (oneItem) unique = unique.filter((w) => !QUANTIFIERS.has(w));
    const n = this.#methods.length;
    const epoch = this.#nextEpoch();
    const stamp = this.#stamp;
    const score = this.#score;
    const matched = this.#matched;
    const shown = this.#visible;
    const touched = this.#touched;
    let count = 0;
    const docs = this.#postDocs;
    const weights = this.#postWeights;
    for (const term of unique) {
      const t = this.#terms.get(term);
      if (t === undefined) continue;
      const from = this.#start[t]!;
      const to = this.#start[t + 1]!;
      const df = to - from;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let j = from; j < to; j++) {
        const i = docs[j]!;
        if (stamp[i] !== epoch) {
          stamp[i] = epoch;
          score[i] = 0;
          matched[i] = 0;
          shown[i] = visible(i) ? 1 : 0;
          if (shown[i] === 1) touched[count++] = i;
        }
        if (shown[i] === 0) continue;
        const w = weights[j]!;
        score[i]! += (idf * (w * (K1 + 1))) / (w + this.#norm[i]!);
        matched[i]!++;
      }
    }
    const queryTerms = new Set(unique);
    const best: Array<{ doc: number; score: number }> = [];
    for (let k = 0; k < count; k++) {
      const i = touched[k]!;
      let s = score[i]! * (0.5 + matched[i]! / Math.max(1, unique.length));
      if (methods.size > 0 && methods.has(this.#methods[i]!)) s *= 1.5;
      // Prefer operations whose summary the query covers, and whose resource (last path word) the query names.
      const summary = this.#summaries[i]!;
      if (summary.length > 0) {
        // A word counts in the form the summary writes it: "get orders" does not cover "Get order".
        const plurals = this.#summaryPlurals[i]!;
        let covered = 0;
        for (const w of summary) if (queryTerms.has(w) && (plurals?.has(w) ? plural : singular).has(w)) covered++;
        s *= 0.75 + (0.5 * covered) / summary.length;
      }
      const resource = this.#resources[i]!;
      const item = this.#items[i] === 1;
      const one = this.#items[i] !== 0;
      if (resource !== null && queryTerms.has(resource)) {
        s *= 1.3;
        // The resource named in the singular asks for one item, in the plural (or with "all", "list") for the list:
        // the shape asked for gains what the other loses (a summary such as "Get order" on the item
        // operation matches "get orders" word for word, plurals being stemmed away).
        const wantsOne = singular.has(resource) && !plural.has(resource) && !many && !creating;
        const wantsList = !oneItem && (many || (plural.has(resource) && !singular.has(resource)));
        if (wantsOne) s *= one ? ITEM_BOOST : 1 / ITEM_BOOST;
        else if (wantsList) s *= one ? 1 / ITEM_BOOST : ITEM_BOOST;
      }
      if (oneItem && item) s *= ITEM_BOOST;
      keepBest(best, { doc: i, score: Math.round(s * 1000) / 1000 }, limit);
    }
    return best;
  }

  #nextEpoch(): number {
    this.#epoch = (this.#epoch + 1) >>> 0;
    if (this.#epoch === 0) {
      // Wrapped after 2³² searches: old stamps could collide with new epochs.
      this.#stamp.fill(0);
      this.#epoch = 1;
    }
    return this.#epoch;
  }
}

/** Higher score first, then lower document index: the order results are listed in. */
function ranksBefore(a: { doc: number; score: number }, b: { doc: number; score: number }): boolean {
  return a.score > b.score || (a.score === b.score && a.doc < b.doc);
}

/** Inserts a hit into `best` (kept in rank order, at most `limit` long) if it ranks among them. */
function keepBest(best: Array<{ doc: number; score: number }>, hit: { doc: number; score: number }, limit: number): void {
  if (limit <= 0) return;
  if (best.length === limit) {
    if (!ranksBefore(hit, best[limit - 1]!)) return;
    best.pop();
  }
  let at = best.length;
  while (at > 0 && ranksBefore(hit, best[at - 1]!)) at--;
  best.splice(at, 0, hit);
}
