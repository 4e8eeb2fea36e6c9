import { readFileSync } from 'node:fs';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';

/** A problem with a config file, where it is: `gatehouse.yaml:12:7 clients.0.collections.1: …`. */
export interface LocatedProblem {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** A config file that could not be read; `problems` says what and where. */
export class ConfigFileError extends Error {
  override name = 'ConfigFileError';
  constructor(
    readonly file: string,
    readonly problems: LocatedProblem[],
  ) {
    super(problems.map((p) => formatProblem(file, p)).join('\n'));
  }
}

/** `file:line:column path: message` */
export function formatProblem(file: string, p: LocatedProblem): string {
  const where = p.line ? `${file}:${p.line}:${p.column ?? 1}` : file;
  return `${where} ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

/** A parsed config file that can point at the line of any field. */
export interface ConfigFile {
  name: string;
  value: Record<string, unknown>;
  /** The line and column of a dotted field path, or of its closest ancestor in the file. */
  locate(path: string): { line: number; column: number } | undefined;
}

const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Reads a YAML (or JSON) config file, replacing `${NAME}` references with environment variables:
 * secrets stay out of the file and are filled in where the CLI runs. Invalid YAML and missing
 * variables are errors naming their line.
 */
export function readConfigFile(name: string, text: string, env: NodeJS.ProcessEnv = process.env): ConfigFile {
  const lines = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigFileError(
      name,
      doc.errors.map((e) => ({
        path: '',
        message: (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, ''),
        ...(e.linePos?.[0] ? { line: e.linePos[0].line, column: e.linePos[0].col } : {}),
      })),
    );
  }
  const locate = (path: string) => {
    const parts = path === '' ? [] : path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    for (let n = parts.length; n >= 0; n--) {
      const node = doc.getIn(parts.slice(0, n), true);
      if (isNode(node) && node.range) {
        const pos = lines.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return undefined;
  };
  const value: unknown = doc.toJS();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigFileError(name, [{ path: '', message: 'the file must be a mapping of sections (collections, policies, …)', line: 1, column: 1 }]);
  }
  const problems: LocatedProblem[] = [];
  const substitute = (v: unknown, path: string): unknown => {
    if (typeof v === 'string') {
      return v.replace(ENV_REFERENCE, (whole, variable: string) => {
        const found = env[variable];
        if (found === undefined) problems.push({ path, message: `the environment variable ${variable} is not set`, ...locate(path) });
        return found ?? whole;
      });
    }
    if (Array.isArray(v)) return v.map((x, i) => substitute(x, path ? `${path}.${i}` : String(i)));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, path ? `${path}.${k}` : k)]));
    return v;
  };
  const filled = substitute(value, '') as Record<string, unknown>;
  if (problems.length > 0) throw new ConfigFileError(name, problems);
  return { name, value: filled, locate };
}

/** Reads a config file from a path, or standard input for `-`. */
export function loadConfigFile(path: string, stdin: () => string, env: NodeJS.ProcessEnv = process.env): ConfigFile {
  const text = path === '-' ? stdin() : readFileSync(path, 'utf8');
  return readConfigFile(path === '-' ? '<stdin>' : path, text, env);
}
