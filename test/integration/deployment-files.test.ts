import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

// The deployment recipes are documentation that runs elsewhere: keep them in step with the settings
// the gateway really reads and the health endpoints it really serves.
const settingsSource = readFileSync(new URL('../../src/cli/settings.ts', import.meta.url), 'utf8');
const readSetting = (name: string) => settingsSource.includes(`env.${name}`);
// Runtime tuning the recipes carry for the process itself (docs/operations/runtime-tuning.md), not settings of the gateway.
const RUNTIME_ENV = new Set(['MALLOC_ARENA_MAX']);
const NODE_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=50', '--no-maglev'];

describe('deployment files', () => {
  it('Kubernetes: probes on /readyz and /healthz, a drain delay shorter than the grace period, only real settings', () => {
    const docs = parseAllDocuments(readFileSync(new URL('../../deploy/kubernetes/gatehouse.yaml', import.meta.url), 'utf8')).map((d) => d.toJS());
    const deployment = docs.find((d) => d.kind === 'Deployment');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    const env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    for (const name of Object.keys(env)) expect(readSetting(name) || RUNTIME_ENV.has(name), name).toBe(true);
    expect(env.MALLOC_ARENA_MAX).toBe('2');
    expect(container.command).toEqual(['node', ...NODE_FLAGS, 'dist/cli/main.js']);
    expect(Number(env.GATEHOUSE_SHUTDOWN_DELAY_MS) + Number(env.GATEHOUSE_SHUTDOWN_TIMEOUT_MS)).toBeLessThan(pod.terminationGracePeriodSeconds * 1000);
    expect(docs.map((d) => d.kind).sort()).toEqual(['Deployment', 'PodDisruptionBudget', 'Service']);
  });

  it('systemd and the container image start `serve` with settings the gateway reads, and the same runtime tuning', () => {
    const unit = readFileSync(new URL('../../deploy/systemd/gatehouse.service', import.meta.url), 'utf8');
    expect(unit).toMatch(/^ExecStart=.*dist\/cli\/main\.js serve$/m);
    expect(unit).toContain(`ExecStart=/usr/bin/node ${NODE_FLAGS.join(' ')} /opt/gatehouse/dist/cli/main.js serve`);
    expect(unit).toMatch(/^Environment=MALLOC_ARENA_MAX=2$/m);
    for (const [, name] of unit.matchAll(/^Environment=(GATEHOUSE_\w+)=/gm)) expect(readSetting(name!), name).toBe(true);
    const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
    for (const [, name] of dockerfile.matchAll(/(GATEHOUSE_\w+)=/g)) expect(readSetting(name!), name).toBe(true);
    expect(dockerfile).toMatch(/CMD \["serve"\]/);
    expect(dockerfile).toContain(`ENTRYPOINT ${JSON.stringify(['node', ...NODE_FLAGS, 'dist/cli/main.js']).replaceAll(',', ', ')}`);
    expect(dockerfile).toMatch(/^\s+MALLOC_ARENA_MAX=2$/m);
    expect(dockerfile).toMatch(/USER gatehouse/);
  });

  it('the runtime flags the recipes pass are ones this Node accepts', () => {
    const r = spawnSync(process.execPath, [...NODE_FLAGS, '-e', '0'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
