import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The layering of DESIGN.md §3, checked on the source: arrows point inward, adapters use the gateway's one door. */

const SRC = resolve(import.meta.dirname, '../../src');

interface SourceFile {
  path: string;
  imports: Array<{ target: string; typeOnly: boolean }>;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return walk(full);
    return full.endsWith('.ts') && !full.endsWith('.test.ts') ? [full] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function load(): SourceFile[] {
  return walk(SRC).map((file) => {
    const text = readFileSync(file, 'utf8');
    const imports: SourceFile['imports'] = [];
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[3] ?? m[4]!;
      const target = relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      imports.push({ target, typeOnly: m[2] !== undefined });
    }
    return { path: relative(SRC, file), imports };
  });
}

const files = load();
const top = (path: string) => path.split('/')[0]!;

function violations(rule: (from: string, to: string, typeOnly: boolean) => boolean): string[] {
  return files.flatMap((f) => f.imports.filter((i) => rule(f.path, i.target, i.typeOnly)).map((i) => `${f.path} → ${i.target}`));
}

describe('layering', () => {
  it('finds the source files and their imports', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.find((f) => f.path === 'gateway/index.ts')?.imports.length).toBeGreaterThan(5);
  });

  it('core imports nothing of ours outside core', () => {
    expect(violations((from, to) => top(from) === 'core' && top(to) !== 'core')).toEqual([]);
  });

  it('adapters reach the gateway only through its doors (gateway/index.ts, and those of limits, federation and networking)', () => {
    const adapters = new Set(['http', 'mcp', 'cli', 'node', 'demo', 'management', 'telemetry', 'identity', 'store']);
    const doors = new Set(['gateway/index.ts', 'gateway/limits/index.ts', 'gateway/federation/index.ts', 'gateway/net/index.ts']);
    expect(violations((from, to) => adapters.has(top(from)) && top(to) === 'gateway' && !doors.has(to))).toEqual([]);
  });

  it('the MCP surfaces reach no limiter, recorder or tracer: the pipeline entry calls them, from one place', () => {
    const counted = (to: string) =>
      to.startsWith('gateway/limits/') ||
      to === 'telemetry/recorder.ts' ||
      to.startsWith('telemetry/otel/') ||
      to === 'gateway/pipeline/record.ts' ||
      to === 'gateway/pipeline/trace.ts';
    expect(violations((from, to) => top(from) === 'mcp' && counted(to))).toEqual([]);
    // Nor through the gateway's door: no MCP source names the limiter, the recorder or the tracer.
    const named = files
      .filter((f) => top(f.path) === 'mcp')
      .filter((f) => /\b(Limiter|Recorder|CallTracer|RequestRecord)\b/.test(readFileSync(join(SRC, f.path), 'utf8')))
      .map((f) => f.path);
    expect(named).toEqual([]);
  });

  it('the MCP surfaces but the Management MCP verify no token and check no access themselves: the pipeline admits their callers', () => {
    // The Management MCP belongs to the management side, whose own tokens and roles it checks.
    const admitted = (path: string) => top(path) === 'mcp' && !path.startsWith('mcp/management/');
    expect(violations((from, to) => admitted(from) && (to.startsWith('identity/token-verifier') || to === 'node/virtual-access.ts'))).toEqual([]);
    const named = files
      .filter((f) => admitted(f.path))
      .filter((f) =>
        /\b(TokenVerifier|mayAccess|mayUse\w*|bearerToken|virtualServerAccess|stillAdmits|identifyAs)\b/.test(readFileSync(join(SRC, f.path), 'utf8')),
      )
      .map((f) => f.path);
    expect(named).toEqual([]);
    // The rule reaches beyond virtual servers: the Gateway MCP is among the files it reads.
    expect(files.some((f) => admitted(f.path) && f.path.startsWith('mcp/catalog/'))).toBe(true);
  });

  it('no adapter queries the store', () => {
    expect(violations((from, to) => ['http', 'mcp', 'cli'].includes(top(from)) && top(to) === 'store')).toEqual([]);
  });

  it('nothing imports an adapter but the start-up module and the CLI that runs it', () => {
    expect(violations((from, to) => ['http', 'mcp', 'cli'].includes(top(to)) && top(from) !== top(to) && !['node', 'cli'].includes(top(from)))).toEqual([]);
  });

  it('migrations import nothing live (types of the schema aside)', () => {
    expect(
      violations(
        (from, to, typeOnly) => from.startsWith('store/migrations/') && !to.startsWith('store/migrations/') && !(typeOnly && to === 'store/schema.ts'),
      ),
    ).toEqual([]);
  });

  it('has no import cycles', () => {
    const graph = new Map(files.map((f) => [f.path, f.imports.map((i) => i.target)]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (node: string) => {
      state.set(node, 'open');
      stack.push(node);
      for (const next of graph.get(node) ?? []) {
        if (!graph.has(next)) continue;
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(node, 'done');
    };
    for (const node of graph.keys()) if (!state.has(node)) visit(node);
    expect(cycles).toEqual([]);
  });
});
