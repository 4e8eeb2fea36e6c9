import type * as Re2 from 're2js';
import type { RE2JS } from 're2js';
import { lazyLibrary } from './lazy-library.js';

const re2 = lazyLibrary<typeof Re2>('re2js');

// Every regular expression a workflow runs goes through RE2 (re2js, a pure-JavaScript port): matching
// is linear in the input, so `^(a+)+$` costs what `^a+$` costs. Its syntax has no backreferences or
// lookaround; patterns that use them are refused when the workflow is saved.

/** A compiled linear-time pattern, or why it cannot be one. */
export function compileRegex(pattern: string, flags = 0): RE2JS | { problem: string } {
  try {
    return re2().RE2JS.compile(pattern, flags);
  } catch (err) {
    return {
      problem: `the regular expression ${JSON.stringify(pattern)} is not accepted (RE2 syntax, no backreferences or lookaround): ${(err as Error).message}`,
    };
  }
}

/** RE2 flags for a JavaScript regex's `i`, `m` and `s` flags. */
function flagsOf(js: string): number {
  const { RE2JS } = re2();
  let flags = 0;
  if (js.includes('i')) flags |= RE2JS.CASE_INSENSITIVE;
  if (js.includes('m')) flags |= RE2JS.MULTILINE;
  if (js.includes('s')) flags |= RE2JS.DOTALL;
  return flags;
}

/** Compiles a JavaScript RegExp (a JSONata regex literal) with RE2, or says why it cannot. */
export function compileJsRegex(re: RegExp): RE2JS | { problem: string } {
  let source: string;
  try {
    source = re2().RE2JS.translateRegExp(re.source);
  } catch (err) {
    return { problem: `the regular expression /${re.source}/ is not accepted: ${(err as Error).message}` };
  }
  const compiled = compileRegex(source, flagsOf(re.flags));
  return compiled instanceof re2().RE2JS ? compiled : { problem: compiled.problem.replace(JSON.stringify(source), `/${re.source}/`) };
}

/**
 * The regex engine JSONata is given (its `RegexEngine` option): the `exec`/`lastIndex` contract of
 * a global RegExp, run by RE2. JSONata compiles its literals as RegExp objects first; this class
 * takes them over, so a literal's cost at run time is RE2's.
 */
export class Re2RegExp {
  lastIndex = 0;
  readonly #re: RE2JS;

  constructor(re: RegExp) {
    const compiled = compileJsRegex(re);
    // Literals were checked when the workflow was saved; one that is not accepted fails the call.
    if (!(compiled instanceof re2().RE2JS)) throw { code: 'D1004', message: compiled.problem };
    this.#re = compiled;
  }

  exec(input: string): RegExpExecArray | null {
    const m = this.#re.matcher(input);
    if (this.lastIndex > input.length || !m.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    const groups: string[] = [];
    for (let i = 0; i <= m.groupCount(); i++) groups.push(m.group(i) ?? (undefined as unknown as string));
    const start = m.start();
    const end = m.end();
    this.lastIndex = end;
    return Object.assign(groups, { index: start, input }) as unknown as RegExpExecArray;
  }
}

/**
 * The regex engine contract validation (Ajv) is given: a schema's `pattern` runs on RE2 when RE2
 * accepts it. A pattern only JavaScript can run (lookaround, backreferences) keeps JavaScript's
 * engine: contracts come from the operator's OpenAPI documents, not from callers.
 */
export const schemaRegExp = Object.assign(
  (pattern: string, flags: string): { test(input: string): boolean } => {
    let compiled: RE2JS | { problem: string };
    try {
      compiled = compileRegex(re2().RE2JS.translateRegExp(pattern), flagsOf(flags));
    } catch {
      compiled = { problem: 'not translatable' };
    }
    return compiled instanceof re2().RE2JS ? compiled : new RegExp(pattern, flags);
  },
  { code: 'gatehouseSchemaRegExp' },
);
