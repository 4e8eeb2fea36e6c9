import type { Tool } from '@modelcontextprotocol/server';

/** What a curation changes of an upstream tool's definition: its description and the annotations it overrides. */
export interface DefinitionCuration {
  description?: string | undefined;
  annotations?: object | undefined;
}

/**
 * A curated tool as a virtual server lists it: the upstream's definition whole — `execution`,
 * `title`, `icons`, `outputSchema`, `_meta` (an MCP App's `ui.resourceUri`, kept as is) and any
 * field a later revision adds — with only what the curation deliberately changes: the name, the
 * description, the annotations it overrides. Its pin covers all of it (see definitionPin). The
 * federation's listing and the management plane's token count both build it here.
 */
export function curatedDefinition(def: Tool, shown: string, curation: DefinitionCuration): Tool {
  return {
    ...def,
    name: shown,
    ...(curation.description !== undefined ? { description: curation.description } : {}),
    ...(curation.annotations !== undefined ? { annotations: { ...def.annotations, ...curation.annotations } } : {}),
  };
}

/** Tools in name order, as every listing is (the list is deterministic). */
export function byName(a: Tool, b: Tool): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
