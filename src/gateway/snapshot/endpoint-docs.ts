import { Endpoint } from '../../core/index.js';
import { type Contract, compileContract } from '../catalog/contract.js';
import type { ResourceRow } from './load.js';

/**
 * The full endpoint documents of one snapshot. The router keeps only what routing needs; the
 * documents (parameters, schemas) are kept as their stored JSON (validated when the snapshot was
 * compiled) and parsed — with defaults filled in — and their contracts compiled on first use.
 */
export class EndpointDocs {
  readonly #rows: ReadonlyMap<string, ResourceRow>;
  readonly #docs = new Map<string, Endpoint>();
  readonly #contracts = new Map<string, Contract>();

  constructor(rows: ReadonlyMap<string, ResourceRow>) {
    this.#rows = rows;
  }

  get size(): number {
    return this.#rows.size;
  }

  /** Every endpoint id. */
  ids(): IterableIterator<string> {
    return this.#rows.keys();
  }

  /** The endpoint's document, or undefined when the snapshot has no such endpoint. */
  get(id: string): Endpoint | undefined {
    let doc = this.#docs.get(id);
    if (doc === undefined) {
      const row = this.#rows.get(id);
      if (row === undefined) return undefined;
      doc = Endpoint.parse({ ...JSON.parse(row.data), id: row.id, version: row.version, createdAt: row.created_at, updatedAt: row.updated_at });
      this.#docs.set(id, doc);
    }
    return doc;
  }

  /** The endpoint's compiled contract (parameter and body validators), built once. */
  contract(id: string): Contract | undefined {
    let contract = this.#contracts.get(id);
    if (contract === undefined) {
      const doc = this.get(id);
      if (doc === undefined) return undefined;
      contract = compileContract(doc);
      this.#contracts.set(id, contract);
    }
    return contract;
  }
}
