// g-pii's own measure of the PII detectors (the official harness is `npm run bench -- --guardrails`):
// recall and false positives per category on bench/corpora/pii, and CPU ms per MiB per detector
// on prose, a JSON of short phone-shaped strings, and digit/key-shaped noise.
// Runs the build (`npx tsc -p tsconfig.build.json` first): `node bench/pii-eval.mjs [corpus-file…]`.
import { readFileSync } from 'node:fs';
const { detectorsFor, scanText } = await import('../dist/gateway/guardrails/pii.js');

const ALL = ['email', 'phone', 'card', 'iban', 'ip', 'national_id', 'secret'];
const CATEGORY_OF = (kind) =>
  kind === 'email'
    ? 'email'
    : kind === 'phone'
      ? 'phone'
      : kind === 'card'
        ? 'card'
        : kind === 'iban'
          ? 'iban'
          : kind.startsWith('ip')
            ? 'ip'
            : kind.startsWith('national_id')
              ? 'national_id'
              : 'secret';
const detectors = detectorsFor({ types: ALL, defaultCountry: 'US', nationalIds: [{ name: 'ssn', pattern: '\\d{3}-\\d{2}-\\d{4}' }] });

const files = process.argv.slice(2);
if (files.length === 0) files.push('bench/corpora/pii/holdout-generated.jsonl', 'bench/corpora/pii/tune-generated.jsonl');
for (const file of files) {
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const per = {};
  const misses = [];
  for (const r of rows) {
    per[r.category] ??= { pos: 0, found: 0, neg: 0, fp: 0 };
    const s = per[r.category];
    const matches = scanText(r.text, detectors);
    if (r.label === 'positive') {
      s.pos++;
      const ok = r.expect.every((e) => {
        const at = r.text.indexOf(e.value);
        return matches.some((m) => CATEGORY_OF(m.kind) === r.category && m.start <= at && m.end >= at + e.value.length);
      });
      if (ok) s.found++;
      else misses.push(`${r.id} ${r.expect[0].kind}: ${r.text.slice(0, 120)}  → ${JSON.stringify(matches.map((m) => [m.kind, r.text.slice(m.start, m.end)]))}`);
    } else {
      s.neg++;
      const hit = matches.filter((m) => CATEGORY_OF(m.kind) === r.category);
      if (hit.length > 0) {
        s.fp++;
        misses.push(`${r.id} FP: ${r.text.slice(0, 120)} → ${JSON.stringify(hit.map((m) => [m.kind, r.text.slice(m.start, m.end)]))}`);
      }
    }
  }
  console.log(`\n${file}`);
  let P = 0,
    F = 0,
    N = 0,
    FP = 0;
  for (const [cat, s] of Object.entries(per)) {
    P += s.pos;
    F += s.found;
    N += s.neg;
    FP += s.fp;
    console.log(
      `  ${cat.padEnd(12)} recall ${s.found}/${s.pos} = ${((100 * s.found) / (s.pos || 1)).toFixed(1)} %   FP ${s.fp}/${s.neg} = ${((100 * s.fp) / (s.neg || 1)).toFixed(1)} %`,
    );
  }
  console.log(`  ${'all'.padEnd(12)} recall ${F}/${P} = ${((100 * F) / P).toFixed(1)} %   FP ${FP}/${N} = ${((100 * FP) / N).toFixed(1)} %`);
  if (process.env.SHOW) for (const m of misses) console.log(`    ${m}`);
}

// ---- cost per MiB per detector ----
const MiB = 1 << 20;
const words = 'the quick brown fox jumps over a lazy dog while reading the quarterly report about gateway latency and customer feedback from Berlin'.split(' ');
let prose = '';
for (let i = 0; prose.length < MiB; i++) prose += words[(i * 7) % words.length] + (i % 17 === 16 ? '. ' : ' ');
const phonesJson = [];
let size = 2;
for (let i = 0; size < MiB; i++) {
  const s = `+1 ${String(200 + (i % 700))}-555-${String(i % 10000).padStart(4, '0')}`;
  phonesJson.push(s);
  size += s.length + 3;
}
let noise = '';
for (let i = 0; noise.length < MiB; i++)
  noise += i % 3 === 0 ? `${(i * 2654435761) % 1e16} ` : i % 3 === 1 ? `sk-${(i * 40503).toString(36)}AKIA${i} ` : `ghp_${i} 4${i}1111 `;
const inputs = { prose: [prose], 'json-phones': phonesJson, noise: [noise] };
console.log('\nCPU ms per MiB per detector');
for (const d of detectors) {
  const name = d.run.name || 'anonymous';
  const cells = [];
  for (const [label, texts] of Object.entries(inputs)) {
    scanText(texts[0], [d]);
    const t0 = process.cpuUsage();
    for (const t of texts) scanText(t, [d]);
    const u = process.cpuUsage(t0);
    cells.push(`${label} ${((u.user + u.system) / 1000).toFixed(1)}`);
  }
  console.log(`  ${name.padEnd(22)} ${cells.join('   ')}`);
}
