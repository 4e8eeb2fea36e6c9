type JsonObject = Record<string, unknown>;

/**
 * Moves the `$defs` of each operation's JSON Schema (zod emits them for recursive schemas, such as
 * a workflow's nested nodes) into `components/schemas`: a `#/$defs/…` reference is relative to the
 * schema root, which inside an OpenAPI document is the document itself, so left in place it points
 * nowhere. The same definition met in several operations is stored once.
 */
export class SharedDefinitions {
  readonly schemas: Record<string, JsonObject> = {};
  readonly #byContent = new Map<string, string>();

  /** The schema with its `$defs` hoisted and every reference to them rewritten. */
  hoist(schema: JsonObject): JsonObject {
    const defs = schema.$defs as Record<string, JsonObject> | undefined;
    if (!defs) return schema;
    const { $defs: _defs, ...rest } = schema;
    const names = new Map<string, string>();
    for (const [local, def] of Object.entries(defs)) {
      const content = JSON.stringify(def);
      let name = this.#byContent.get(content);
      if (!name) {
        name = `Shared${this.#byContent.size + 1}`;
        this.#byContent.set(content, name);
      }
      names.set(local, name);
    }
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (typeof value !== 'object' || value === null) return value;
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) {
        const local = k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/') ? names.get(v.slice('#/$defs/'.length)) : undefined;
        out[k] = local ? `#/components/schemas/${local}` : rewrite(v);
      }
      return out;
    };
    for (const [local, def] of Object.entries(defs)) this.schemas[names.get(local)!] ??= rewrite(def) as JsonObject;
    return rewrite(rest) as JsonObject;
  }
}
