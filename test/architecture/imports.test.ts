import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layering of DESIGN.md §3 is a dependency graph checked by dependency-cruiser in `npm run lint`
 * (.dependency-cruiser.cjs: per-layer allowlists, the gateway's doors, no cycles). What a graph
 * cannot see is checked here: MCP sources that would call a limiter, recorder or token check by
 * name through a door the graph allows.
 */

const SRC = resolve(import.meta.dirname, '../../src');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return walk(full);
    return full.endsWith('.ts') && !full.endsWith('.test.ts') ? [full] : [];
  });
}

const files = walk(SRC).map((file) => ({ path: relative(SRC, file), text: readFileSync(file, 'utf8') }));
const named = (inScope: (path: string) => boolean, names: RegExp) => files.filter((f) => inScope(f.path) && names.test(f.text)).map((f) => f.path);

describe('layering by name', () => {
  it('no MCP source names the limiter, the recorder or the tracer: the pipeline entry calls them, from one place', () => {
    expect(named((p) => p.startsWith('mcp/'), /\b(Limiter|Recorder|CallTracer|RequestRecord)\b/)).toEqual([]);
  });

  it('the MCP surfaces but the Management MCP verify no token and check no access themselves', () => {
    // The Management MCP belongs to the management side, whose own tokens and roles it checks.
    const admitted = (p: string) => p.startsWith('mcp/') && !p.startsWith('mcp/management/');
    expect(named(admitted, /\b(TokenVerifier|mayAccess|mayUse\w*|bearerToken|virtualServerAccess|stillAdmits|identifyAs)\b/)).toEqual([]);
    // The rule reaches beyond virtual servers: the Gateway MCP is among the files it reads.
    expect(files.some((f) => admitted(f.path) && f.path.startsWith('mcp/catalog/'))).toBe(true);
  });
});
