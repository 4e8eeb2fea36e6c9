import { Endpoint, expandEndpointSchemas, type Json, SHARED_SCHEMA_REF } from '../../core/index.js';
import { type Contract, compileContract } from '../catalog/contract.js';
import type { ResourceRow } from './load.js';
import { Lru } from './lru.js';

/** What the catalog lists and searches of an endpoint, read without expanding its schemas. */
export interface EndpointSummary {
  readonly proxyId: string;
  readonly method: string;
  readonly path: string;
  readonly mcpExposed: boolean;
  readonly operationId?: string;
  readonly summary: string;
  readonly description: string;
  readonly tags?: readonly string[];
}

/** Expanded documents and compiled contracts kept per snapshot; beyond this the least recently used are rebuilt on demand. */
export const DEFAULT_CONTRACT_CACHE = 256;
/**
 * The JSON size of the expanded documents kept per snapshot (and, separately, of the documents
 * whose contracts are kept). 256 documents of a few KB fit; the expanded documents of a large
 * estate (~100 KB of heap each with their contracts) held 28.6 MB at 256 entries.
 */
export const DEFAULT_CONTRACT_CACHE_BYTES = 4 * 1_048_576;

/** Bounds of the documents' and contracts' caches. */
export interface DocsCacheBounds {
  readonly entries: number;
  /** The sum of the cached documents' sizes as JSON text. */
  readonly bytes: number;
}

const DEFAULT_BOUNDS: DocsCacheBounds = { entries: DEFAULT_CONTRACT_CACHE, bytes: DEFAULT_CONTRACT_CACHE_BYTES };

/**
 * The length of a value's JSON text, counting each string as if it needed no escapes, without
 * building the text (weighing an expanded document by JSON.stringify made a string of up to
 * hundreds of KB per document, only to read its length).
 */
export function jsonLength(v: unknown): number {
  if (typeof v === 'string') return v.length + 2;
  if (typeof v !== 'object' || v === null) return v === undefined || typeof v === 'function' ? 0 : String(v).length;
  let n = 1;
  if (Array.isArray(v)) for (const item of v) n += jsonLength(item) + 1;
  else
    for (const k in v) {
      const item = (v as Record<string, unknown>)[k];
      if (item !== undefined && typeof item !== 'function') n += k.length + 3 + jsonLength(item) + 1;
    }
  return n === 1 ? 2 : n;
}

/**
 * The full endpoint documents of one snapshot. The router keeps only what routing needs; the
 * documents are kept as their stored JSON (validated when the snapshot was compiled), with schemas
 * that may point into their proxy's shared schemas. A document is parsed and expanded, and its
 * contract compiled, when first used, and only the most recently used are kept: memory follows
 * what callers use, not the size of the estate.
 */
export class EndpointDocs {
  readonly #rows: ReadonlyMap<string, ResourceRow>;
  readonly #shared: (proxyId: string) => Json | undefined;
  readonly #docs: Lru<string, Endpoint>;
  readonly #contracts: Lru<string, Contract>;

  constructor(rows: ReadonlyMap<string, ResourceRow>, shared: (proxyId: string) => Json | undefined = () => undefined, bounds = DEFAULT_BOUNDS) {
    this.#rows = rows;
    this.#shared = shared;
    this.#docs = new Lru(bounds.entries, bounds.bytes);
    this.#contracts = new Lru(bounds.entries, bounds.bytes);
  }

  /** How many expanded documents and compiled contracts are cached, and the JSON bytes of the documents behind each. */
  get cached(): { docs: number; docBytes: number; contracts: number; contractBytes: number } {
    return { docs: this.#docs.size, docBytes: this.#docs.weight, contracts: this.#contracts.size, contractBytes: this.#contracts.weight };
  }

  get size(): number {
    return this.#rows.size;
  }

  /** Every endpoint id. */
  ids(): IterableIterator<string> {
    return this.#rows.keys();
  }

  /** The listing fields of an endpoint, from its stored JSON (nothing expanded, nothing kept). */
  summary(id: string): EndpointSummary | undefined {
    const row = this.#rows.get(id);
    if (row === undefined) return undefined;
    const d = JSON.parse(row.data) as Record<string, unknown>;
    return {
      proxyId: String(d.proxyId),
      method: String(d.method),
      path: String(d.path),
      mcpExposed: d.mcpExposed !== false,
      ...(typeof d.operationId === 'string' ? { operationId: d.operationId } : {}),
      summary: typeof d.summary === 'string' ? d.summary : '',
      description: typeof d.description === 'string' ? d.description : '',
      ...(Array.isArray(d.tags) ? { tags: d.tags as string[] } : {}),
    };
  }

  /** The endpoint's document with its shared schemas expanded, or undefined when the snapshot has no such endpoint. */
  get(id: string): Endpoint | undefined {
    const cached = this.#docs.get(id);
    if (cached !== undefined) return cached;
    const built = this.#build(id);
    if (built !== undefined) this.#docs.set(id, built.doc, built.bytes);
    return built?.doc;
  }

  /**
   * The document and contract for one reading (inspect_contract): the cached ones when there are,
   * else built and not kept. A model reading every contract of an estate would otherwise fill the
   * caches with documents no call uses, each kept long enough for V8 to move it to the old
   * generation, and evict those that calls do use.
   */
  read(id: string): { doc: Endpoint; contract: Contract } | undefined {
    const doc = this.#docs.get(id) ?? this.#build(id)?.doc;
    if (doc === undefined) return undefined;
    return { doc, contract: this.#contracts.get(id) ?? compileContract(doc) };
  }

  /** Parses and expands the endpoint's stored document; `bytes` is its size as JSON (the caches' weight). */
  #build(id: string): { doc: Endpoint; bytes: number } | undefined {
    const row = this.#rows.get(id);
    if (row === undefined) return undefined;
    const doc = Endpoint.parse({ ...JSON.parse(row.data), id: row.id, version: row.version, createdAt: row.created_at, updatedAt: row.updated_at });
    const shared = row.data.includes(SHARED_SCHEMA_REF) ? this.#shared(doc.proxyId) : undefined;
    // Expanding shared schemas can multiply a document's size: measured, not guessed from the row.
    if (!shared) return { doc, bytes: row.data.length };
    const expanded = expandEndpointSchemas(doc, shared);
    return { doc: expanded, bytes: jsonLength(expanded) };
  }

  /** The endpoint's compiled contract (parameter and body validators). */
  contract(id: string): Contract | undefined {
    let contract = this.#contracts.get(id);
    if (contract === undefined) {
      const doc = this.get(id);
      if (doc === undefined) return undefined;
      contract = compileContract(doc);
      // A contract's validators grow with its document's schemas: weighed by the document.
      this.#contracts.set(id, contract, this.#docs.weightOf(id) ?? this.#rows.get(id)?.data.length ?? 0);
    }
    return contract;
  }
}
