import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/**
 * A library loaded on first use (synchronously, through `require`) instead of at start. RE2, CEL and
 * the phone-number metadata cost a node whose configuration has no workflow or guardrail using them
 * ~3.5 MB of heap, and every MB live at start lets V8's old generation grow further before a full
 * collection. Every caller must load the library
 * through here: an `import` of it elsewhere would load a second copy (ESM and CommonJS builds).
 */
export function lazyLibrary<T>(specifier: string): () => T {
  let lib: T | undefined;
  return () => {
    lib ??= load(specifier) as T;
    return lib;
  };
}
