import { describe, expect, it } from 'vitest';
import { pathProblem } from './path-shape.js';

describe('path shapes', () => {
  it('accepts parameters inside a segment and colons', () => {
    for (const p of ['/v1/{name}:batchGet', '/files/{id}.json', '/v1/projects:search', '/status/', '/a/{b}/c']) expect(pathProblem(p)).toBeNull();
  });
  it('gives the true reason for what it cannot route', () => {
    expect(pathProblem('/#X-Amz-Target=Svc.List')).toMatch(/fragment .*X-Amz-Target header/);
    expect(pathProblem('/things?action=list')).toMatch(/query string/);
    expect(pathProblem('/a/{x}{y}')).toMatch(/next to each other/);
    expect(pathProblem('/a/b c')).toMatch(/contains " "/);
    expect(pathProblem('/a/{$x}')).toMatch(/parameter name/);
  });
});
