// The part of js-yaml 4 that yaml-text.ts uses (the package ships no types; @types/js-yaml is not a dependency).
declare module 'js-yaml' {
  interface TypeOptions {
    kind: 'scalar' | 'sequence' | 'mapping';
    multi?: boolean;
    construct?: (data: unknown, tag?: string) => unknown;
  }
  export class Type {
    constructor(tag: string, options: TypeOptions);
  }
  export interface Schema {
    extend(types: Type[] | { implicit?: Type[]; explicit?: Type[] }): Schema;
  }
  export const CORE_SCHEMA: Schema;
  export interface LoadOptions {
    schema?: Schema;
    /** Duplicate keys: the last wins instead of an error. */
    json?: boolean;
    maxDepth?: number;
    filename?: string;
  }
  export class YAMLException extends Error {
    reason: string;
    mark?: { line: number; column: number };
  }
  export function load(text: string, options?: LoadOptions): unknown;
}
