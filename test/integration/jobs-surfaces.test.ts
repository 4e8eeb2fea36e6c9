import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/build-program.js';
import { buildOpenApi } from '../../src/http/openapi.js';
import { createRegistry } from '../../src/management/registry.js';
import { buildToolCatalog } from '../../src/mcp/management/tool-catalog.js';

// Jobs are a registry resource: every surface reads them (read-only), and the operations that may
// run as one say so where clients read the API.
describe('jobs on every surface', () => {
  const registry = createRegistry();

  it('is a read-only Management MCP tool', () => {
    const tool = buildToolCatalog(registry).find((t) => t.name === 'manage_jobs');
    expect(tool?.actions.map((a) => [a.action, a.op.permission])).toEqual([
      ['list', 'read'],
      ['get', 'read'],
    ]);
  });

  it('is documented in the OpenAPI document: the job resource, and 202 with Prefer on config.apply only', () => {
    const doc = buildOpenApi(registry, 'http://gw', 'http://gw/oauth') as { paths: Record<string, Record<string, any>> };
    expect(Object.keys(doc.paths['/jobs/{id}']!)).toEqual(['get']);
    const apply = doc.paths['/config/apply']!.post;
    expect(apply.responses['202'].headers.Location).toBeDefined();
    expect(apply.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['header:Prefer', 'query:async']);
    const withJobs = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops)
        .filter((op) => op.responses['202'])
        .map((op) => op.operationId),
    );
    expect(withJobs).toEqual(['config.apply']);
  });

  it('has CLI commands: jobs list, get and watch; apply --wait, --detach and --sync', () => {
    const program = buildProgram();
    const jobs = program.commands.find((c) => c.name() === 'jobs')!;
    expect(jobs.commands.map((c) => c.name()).sort()).toEqual(['get', 'list', 'watch']);
    const apply = program.commands.find((c) => c.name() === 'apply')!;
    expect(apply.options.map((o) => o.long)).toEqual(expect.arrayContaining(['--wait', '--detach', '--sync', '--dry-run']));
  });
});
