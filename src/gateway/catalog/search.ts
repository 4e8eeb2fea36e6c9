/** Lexical search over endpoint text: small stemmer, field weights, BM25 scoring, synonyms, and verb → method hints. */
import { expandWord, methodsOf, sameMeaning } from './vocabulary.js';

const STOP_WORDS = new Set(
  'a an the to of for in on at by with and or my me i we you your our all any some this that these those is are am was were be been it its from into via using use how can do does please which what who there as'.split(
    ' ',
  ),
);

/** At most this many distinct query words are ranked (a query is a request, not a document). */
const MAX_QUERY_WORDS = 24;
/**
 * "Who am I", asked of an API, is its operation on the calling user (the vocabulary's `whoami`
 * group: "Get the authenticated user", "Get current user", `/users/me`); "logged in" and "signed
 * in" say authenticated.
 */
const WHO_AM_I = /\bwho\s*am\s*i\b/gi;
const SIGNED_IN = /\b(logged|signed)[\s-]+(in|on)\b/gi;

/**
 * Words that ask for one item rather than a list ("look up a single order", "get one customer by
 * id", "order details"): they favour operations whose path ends in a parameter (`/orders/{id}`),
 * which otherwise tie with, or lose to, the list operation sharing their words. A number in the
 * query ("order 42") asks for one item too. List words cancel them.
 */
const QUANTIFIERS = new Set(['single', 'one', 'specific', 'particular', 'individual']);
const ONE_ITEM = new Set([...QUANTIFIERS, 'detail', 'id', 'identifier', 'uuid']);
const MANY_ITEMS = new Set(['list', 'all', 'every', 'search', 'many', 'multiple', 'several', 'history']);
const ITEM_BOOST = 1.6;
const CREATE_ON_ITEM = 1.3;
const METHOD_MATCH = 1.5;
const METHOD_UNKNOWN = Math.sqrt(METHOD_MATCH);
/** The most the ranking cues of search() multiply a score by: method, summary covered, resource named, one item asked twice. */
const MAX_CUES = METHOD_MATCH * 1.25 * 1.3 * ITEM_BOOST * ITEM_BOOST;
const QUESTION = /^\s*(what|which|who|whose|where|when|how|is|are|does|did|has|have)\b/i;

/**
 * The query's words as stems, with the stems written in the plural and in the singular: "get a
 * customer" names one customer, "get customers" the list, though both stem to "customer".
 */
function queryWords(query: string): { words: string[]; plural: Set<string>; singular: Set<string> } {
  const words: string[] = [];
  const plural = new Set<string>();
  const singular = new Set<string>();
  const spaced = query
    .replace(WHO_AM_I, ' whoami ')
    .replace(SIGNED_IN, ' authenticated ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  for (const raw of spaced.split(/[^a-z0-9]+/)) {
    if (raw.length < 2 && !/\d/.test(raw)) continue;
    const w = stem(raw);
    if (STOP_WORDS.has(raw) || STOP_WORDS.has(w)) continue;
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

/**
 * A description without markup and addresses (Stripe's are HTML, GitHub's Markdown full of links):
 * tag names and the words of a link's URL are not what an operation does.
 */
function plainText(text: string): string {
  return text
    .replace(/<[^>]{0,500}>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/g, ' ')
    .replace(/\]\([^)\s]{0,500}\)/g, ' ')
    .replace(/\b[a-z][a-z0-9+.-]{1,20}:\/\/\S{0,500}/gi, ' ');
}

/** The first sentence of a description: what an operation without a summary says it does. */
function firstSentence(description: string): string {
  const text = plainText(description.slice(0, 600)).trim();
  const end = text.search(/[.!?](\s|$)|\n/);
  return end > 0 ? text.slice(0, end) : text;
}

/**
 * Indexes one endpoint: summary and operationId weigh most, then path words and tags, then the
 * description. An operation without a summary (Stripe's and Slack's descriptions have none) is
 * summarized by its description's first sentence, which says what it does as a summary would.
 */
export function indexDoc(f: DocFields): IndexedDoc {
  const terms = new Map<string, number>();
  const summaryText = f.summary.trim() !== '' ? f.summary : firstSentence(f.description);
  let length = add(terms, summaryText, 3);
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
  add(terms, plainText(f.description.slice(0, 600)), 0.4);
  const literal = f.path.split('/').filter((seg) => seg && !seg.startsWith('{'));
  const last = literal.at(-1);
  const lastWords = last ? tokenize(last) : [];
  const summaryPlural = queryWords(summaryText).plural;
  const item = f.path.split('/').at(-1)?.includes('{') ?? false;
  // A path ending in a word written in the singular is one thing (`/user`), unless the summary says it
  // lists them: some APIs name collections in the singular (Jira's `GET /project`, "Get all projects").
  const singleton =
    !item &&
    lastWords.length > 0 &&
    !queryWords(last!).plural.has(lastWords.at(-1)!) &&
    !summaryPlural.has(lastWords.at(-1)!) &&
    !/\b(list|all|multiple|search)\b/i.test(summaryText);
  // A read of a collection lists it, whatever its summary calls that ("Get multiple workspaces",
  // "Returns all projects"): "list" finds it, and stays a common word where a name says "list".
  if (f.method === 'GET' && !item && !singleton && !terms.has('list')) terms.set('list', 1);
  return {
    terms,
    length: Math.max(1, length),
    method: f.method,
    summary: new Set(tokenize(summaryText).filter((t) => !STOP_WORDS.has(t) && !QUANTIFIERS.has(t))),
    summaryPlural,
    resource: lastWords.at(-1) ?? null,
    item,
    singleton,
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
  /** Per document, a bit per query word it holds (itself or a synonym of it). */
  readonly #matched: Uint32Array;
  readonly #visible: Uint8Array;
  readonly #touched: Int32Array;
  #epoch = 0;
  // Per query word: the best part of its terms each document holds, valid where the stamp is the word's.
  readonly #wordStamp: Uint32Array;
  readonly #wordBest: Float64Array;
  readonly #wordDocs: Int32Array;
  #wordEpoch = 0;

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
    this.#matched = new Uint32Array(n);
    this.#visible = new Uint8Array(n);
    this.#touched = new Int32Array(n);
    this.#wordStamp = new Uint32Array(n);
    this.#wordBest = new Float64Array(n);
    this.#wordDocs = new Int32Array(n);
  }

  /** The best documents for a query among those `visible` admits, best first, with their scores. */
  search(query: string, visible: (doc: number) => boolean, limit: number): Array<{ doc: number; score: number }> {
    const { words, plural, singular } = queryWords(query);
    let unique = [...new Set(words)];
    const methods = new Set<string>();
    for (const w of unique) for (const m of methodsOf(w)) methods.add(m);
    // A question ("what tasks are in this project", "which emails bounced") is answered by a read.
    if (QUESTION.test(query)) methods.add('GET');
    const many = unique.some((w) => MANY_ITEMS.has(w));
    const oneItem = unique.some((w) => ONE_ITEM.has(w) || /^\d+$/.test(w)) && !many;
    // "Create an order" names one order, but creating acts on the collection (POST /orders).
    const creating = methods.has('POST') && !methods.has('GET');
    // A quantifier says how many, not what: matched as a word it would favour a summary that happens to say "one".
    if (oneItem) unique = unique.filter((w) => !QUANTIFIERS.has(w));
    unique = unique.slice(0, MAX_QUERY_WORDS);
    const { terms, origins } = termsOf(unique, (t) => this.#terms.has(t));
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
    // A query word counts once per document, through the best of its terms: an operation that says
    // "remove" and "delete" gains no more from "delete a branch" than one that says "delete".
    // A synonym or derived word is worth no more than the word it stands for, where that word is in
    // the index: a rare synonym ("self" in "self-hosted") must not outweigh the common word asked.
    const idfOf = (term: string) => {
      const t = this.#terms.get(term);
      if (t === undefined) return Number.POSITIVE_INFINITY;
      const df = this.#start[t + 1]! - this.#start[t]!;
      return Math.log(1 + (n - df + 0.5) / (df + 0.5));
    };
    const byOrigin: Array<Array<[number, number]>> = unique.map(() => []);
    for (const [term, { weight, origin, source }] of terms) {
      const t = this.#terms.get(term);
      if (t !== undefined) byOrigin[origin]!.push([t, weight * Math.min(idfOf(term), idfOf(source))]);
    }
    const wordBest = this.#wordBest;
    const wordStamp = this.#wordStamp;
    const wordDocs = this.#wordDocs;
    byOrigin.forEach((group, origin) => {
      const wordEpoch = this.#nextWordEpoch();
      let seen = 0;
      for (const [t, idf] of group) {
        const from = this.#start[t]!;
        const to = this.#start[t + 1]!;
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
          const part = (idf * (w * (K1 + 1))) / (w + this.#norm[i]!);
          if (wordStamp[i] !== wordEpoch) {
            wordStamp[i] = wordEpoch;
            wordBest[i] = part;
            wordDocs[seen++] = i;
          } else if (part > wordBest[i]!) wordBest[i] = part;
        }
      }
      const bit = 1 << origin;
      for (let k = 0; k < seen; k++) {
        const i = wordDocs[k]!;
        score[i]! += wordBest[i]!;
        matched[i]! |= bit;
      }
    });
    // The form (singular, plural) a term was asked in: its query word's, for a synonym.
    const askedSingular = (term: string) => singular.has(unique[terms.get(term)!.origin]!);
    const askedPlural = (term: string) => plural.has(unique[terms.get(term)!.origin]!);
    const best: Array<{ doc: number; score: number }> = [];
    for (let k = 0; k < count; k++) {
      const i = touched[k]!;
      // How many of the query's words the document holds (itself or through a synonym).
      let s = score[i]! * (0.5 + bitCount(matched[i]!) / Math.max(1, origins));
      // The cues below multiply a score by at most MAX_CUES: a document that cannot reach the best
      // `limit` so far is passed over (most of a large estate shares only a common word with a query).
      if (best.length === limit && limit > 0 && s * MAX_CUES < best[limit - 1]!.score - 0.001) continue;
      // A document without a method (an MCP tool) may do what the verb says or not: it gets the mean of the two.
      if (methods.size > 0) s *= this.#methods[i] === '' ? METHOD_UNKNOWN : methods.has(this.#methods[i]!) ? METHOD_MATCH : 1;
      // Prefer operations whose summary the query covers, and whose resource (last path word) the query names.
      const summary = this.#summaries[i]!;
      if (summary.length > 0) {
        // A word counts in the form the summary writes it: "get orders" does not cover "Get order".
        const plurals = this.#summaryPlurals[i]!;
        let covered = 0;
        for (const w of summary) {
          const asked = terms.get(w);
          if (asked && (plurals?.has(w) ? askedPlural(w) : askedSingular(w))) covered += asked.weight;
        }
        s *= 0.75 + (0.5 * covered) / summary.length;
      }
      const resource = this.#resources[i]!;
      const item = this.#items[i] === 1;
      const one = this.#items[i] !== 0;
      if (resource !== null && terms.has(resource)) {
        s *= 1 + 0.3 * terms.get(resource)!.weight;
        // The resource named in the singular asks for one item, in the plural (or with "all", "list") for the list:
        // the shape asked for gains what the other loses (a summary such as "Get order" on the item
        // operation matches "get orders" word for word, plurals being stemmed away).
        const wantsOne = askedSingular(resource) && !askedPlural(resource) && !many && !creating;
        const wantsList = !oneItem && (many || (askedPlural(resource) && !askedSingular(resource)));
        if (wantsOne) s *= one ? ITEM_BOOST : 1 / ITEM_BOOST;
        else if (wantsList) s *= one ? 1 / ITEM_BOOST : ITEM_BOOST;
      }
      if (oneItem && item) s *= ITEM_BOOST;
      // Creating acts on a collection: `POST /coupons`, not `POST /coupons/{coupon}` (an update, in Stripe's API).
      else if (creating && item) s /= CREATE_ON_ITEM;
      keepBest(best, { doc: i, score: Math.round(s * 1000) / 1000 }, limit);
    }
    return best;
  }

  #nextWordEpoch(): number {
    this.#wordEpoch = (this.#wordEpoch + 1) >>> 0;
    if (this.#wordEpoch === 0) {
      this.#wordStamp.fill(0);
      this.#wordEpoch = 1;
    }
    return this.#wordEpoch;
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

/** A term a query word stands for: `source` is that word, `origin` the first query word of its meaning. */
interface QueryTerm {
  weight: number;
  origin: number;
  source: string;
}

/**
 * Each query word's terms (vocabulary.ts: itself, derived words, synonyms) with their weights, as
 * the index holds them, and the query word each stands for: words of the same meaning ("create a
 * new …", "delete or remove") stand for the first of them, so they count as one word.
 */
function termsOf(unique: readonly string[], has: (term: string) => boolean): { terms: Map<string, QueryTerm>; origins: number } {
  const terms = new Map<string, QueryTerm>();
  const originOf = unique.map((w, k) => unique.findIndex((u, j) => j <= k && sameMeaning(u, w)));
  unique.forEach((w, k) => {
    terms.set(w, { weight: 1, origin: originOf[k]!, source: w });
  });
  unique.forEach((w, k) => {
    for (const [t, weight] of expandWord(w, has)) if (!terms.has(t)) terms.set(t, { weight, origin: originOf[k]!, source: w });
  });
  return { terms, origins: new Set(originOf).size };
}

function bitCount(v: number): number {
  let n = 0;
  for (let x = v >>> 0; x !== 0; x &= x - 1) n++;
  return n;
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
