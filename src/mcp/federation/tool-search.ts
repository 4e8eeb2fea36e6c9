import type { Tool } from '@modelcontextprotocol/server';
import { indexDoc, SearchIndex } from '../../gateway/index.js';

/** One hit of a search over a virtual server's tools, as `search_tools` returns it. */
export interface ToolHit {
  name: string;
  title?: string;
  /** The first part of its description: enough to choose, the rest is one `describe_tool` away. */
  description: string;
  score: number;
}

/** How much of a description a hit carries: a search answer stays a few hundred tokens. */
const DESCRIPTION_CHARS = 240;

/** The operation behind each REST tool definition (a definition object lives as long as its catalog). */
const operations = new WeakMap<Tool, { method: string; path: string }>();

/** Indexes a REST tool's definition as the operation it calls (its HTTP method and catalog path). */
export function indexAsOperation(tool: Tool, method: string, path: string): void {
  operations.set(tool, { method, path });
}

/**
 * A search over one listing's tools, ranked by the catalog search the Gateway MCP uses for REST
 * operations (BM25 with field weights, a stemmer and synonyms, gateway/catalog/search.ts): a tool
 * is indexed as an operation whose summary is its title (or its description's first sentence),
 * whose operationId is its name, and whose description is its description. A REST tool is indexed as the operation it calls (its
 * method and path, see indexAsOperation), so the method and one-item hints of that ranking fire for
 * it as in search_endpoints; an MCP tool has neither, and they do not.
 */
export class ToolSearch {
  readonly #index: SearchIndex;
  constructor(private readonly tools: readonly Tool[]) {
    this.#index = new SearchIndex(
      tools.map((t) => {
        const operation = operations.get(t);
        return indexDoc({
          method: operation?.method ?? '',
          // The title, else (empty) the description's first sentence (see indexDoc). The name is words
          // joined by `-`, `_` or case, indexed as an operationId; an upstream prefix (`github__`) names
          // the upstream, which is what the model often asks for.
          summary: t.title ?? '',
          operationId: t.name,
          path: operation?.path ?? '',
          description: t.description ?? '',
          collection: '',
        });
      }),
    );
  }

  /** The best tools for an intent, best first. */
  search(query: string, limit: number): ToolHit[] {
    return this.#index
      .search(query, () => true, limit)
      .map(({ doc, score }) => {
        const t = this.tools[doc] as Tool;
        const description = t.description ?? '';
        return {
          name: t.name,
          ...(t.title ? { title: t.title } : {}),
          description: description.length > DESCRIPTION_CHARS ? `${description.slice(0, DESCRIPTION_CHARS)}…` : description,
          score,
        };
      });
  }
}

/** One search per listing (the same tools array while the definitions are the same): built on the first search, not per request. */
const searches = new WeakMap<readonly Tool[], ToolSearch>();

export function toolSearchOf(tools: readonly Tool[]): ToolSearch {
  let found = searches.get(tools);
  if (!found) {
    found = new ToolSearch(tools);
    searches.set(tools, found);
  }
  return found;
}
