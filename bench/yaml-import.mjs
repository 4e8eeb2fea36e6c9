// `node bench/yaml-import.mjs`: what importing a description costs as YAML against the same
// description as JSON (issue 53). The bench/estate-doc.mjs description (ESTATE_OPERATIONS, default
// 5,000 operations) is written once as JSON and once as YAML text; each is imported through the
// operation registry of a gateway started from dist/ in a child process of its own, so each child's
// CPU time and peak RSS are that import's alone (plus the same start-up). Prints both, the parse
// step alone, and the ratios; the target is YAML within 1.5× of JSON for CPU and peak memory.
// Env: ESTATE_OPERATIONS (5000), ROUNDS (3, medians reported), BENCH_NO_BUILD=1 (use the existing
// dist/), YAML_IMPORT_DIST=/path/to/dist (measure another build: before/after).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { estateDocument } from './estate-doc.mjs';
import { median, printTable, ROOT } from './lib.mjs';

const OPERATIONS = Number(process.env.ESTATE_OPERATIONS ?? 5_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const DIST = resolve(process.env.YAML_IMPORT_DIST ?? join(ROOT, 'dist'));

/** The child's part: start a gateway, import the file's text, print {cpuMs, peakMb, startMb, parseMs, created}. */
async function child(file) {
  const { startGatehouse } = await import(join(DIST, 'node/index.js'));
  const { SYSTEM_PRINCIPAL } = await import(join(DIST, 'management/bootstrap.js'));
  const { parseDocumentText } = await import(join(DIST, 'management/openapi/parse.js'));
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-yaml-import-'));
  try {
    const gh = await startGatehouse({ port: 0, dataDir, adminPassword: 'yaml-import-bench', logLevel: 'silent' });
    const call = { principal: SYSTEM_PRINCIPAL, channel: 'cli', requestId: 'yaml-import', localAdmin: true };
    const run = (op, input) => gh.executor.execute(op, input, call);
    const col = await run('collections.create', { slug: 'estate', name: 'Estate', published: true });
    const startMb = process.resourceUsage().maxRSS / 1024;
    const cpu0 = process.cpuUsage();
    const imported = await run('proxies.import-openapi', {
      collectionId: col.id,
      document: readFileSync(file, 'utf8'),
      basePath: '/estate',
      upstreams: ['http://127.0.0.1:9'],
    });
    const cpu = process.cpuUsage(cpu0);
    const peakMb = process.resourceUsage().maxRSS / 1024;
    // The parse step alone, after the import (so it does not warm the import's code paths).
    const p0 = process.cpuUsage();
    await parseDocumentText(readFileSync(file, 'utf8'));
    const p = process.cpuUsage(p0);
    await gh.close();
    console.log(
      JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, peakMb, startMb, parseMs: (p.user + p.system) / 1000, created: imported.counts.created }),
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]);
  process.exit(0);
}

if (!(existsSync(join(DIST, 'node/index.js')) && (process.env.BENCH_NO_BUILD === '1' || process.env.YAML_IMPORT_DIST))) {
  const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

const YAML = await import('yaml');
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-yaml-docs-'));
try {
  const doc = estateDocument(OPERATIONS);
  const files = { json: join(dir, 'estate.json'), yaml: join(dir, 'estate.yaml') };
  writeFileSync(files.json, JSON.stringify(doc, null, 2));
  // Plain block YAML, as descriptions are written: no anchors for repeated objects.
  writeFileSync(files.yaml, YAML.stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 }));
  const results = { json: [], yaml: [] };
  for (let round = 0; round < ROUNDS; round++)
    for (const format of ['json', 'yaml']) {
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', files[format]], { encoding: 'utf8', env: process.env });
      if (r.status !== 0) throw new Error(`${format} import failed: ${r.stderr}`);
      results[format].push(JSON.parse(r.stdout.trim().split('\n').pop()));
    }
  const med = (format, key) => median(results[format].map((r) => r[key]));
  const rows = ['json', 'yaml'].map((f) => [
    f,
    `${(readFileSync(files[f]).length / 1_048_576).toFixed(1)} MB`,
    String(results[f][0].created),
    med(f, 'cpuMs').toFixed(0),
    med(f, 'parseMs').toFixed(0),
    med(f, 'startMb').toFixed(0),
    med(f, 'peakMb').toFixed(0),
  ]);
  console.log(`${OPERATIONS} operations, ${ROUNDS} rounds (medians), dist: ${DIST}`);
  printTable(['format', 'text', 'endpoints', 'import CPU ms', 'parse CPU ms', 'RSS before MB', 'peak RSS MB'], rows);
  const cpuRatio = med('yaml', 'cpuMs') / med('json', 'cpuMs');
  const peakRatio = med('yaml', 'peakMb') / med('json', 'peakMb');
  const growth = (f) => med(f, 'peakMb') - med(f, 'startMb');
  console.log(
    `\nYAML / JSON: import CPU ${cpuRatio.toFixed(2)}×, peak RSS ${peakRatio.toFixed(2)}× (growth over start ${growth('yaml').toFixed(0)} vs ${growth('json').toFixed(0)} MB)`,
  );
  console.log(cpuRatio <= 1.5 && peakRatio <= 1.5 ? 'within 1.5× of JSON' : 'NOT within 1.5× of JSON');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
