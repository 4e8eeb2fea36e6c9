// The cost half of `--guardrails`: CPU per MiB per detector (each detect_pii family alone, and
// prompt_guard) on 1 MiB bodies shaped to be hard for them, measured in-process with
// process.cpuUsage (median of a few runs after one warm-up run); and, through a real gateway, how long `/healthz` waits
// while the gateway scans such a body (the event loop's longest hold, seen from outside).
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CPU_MS_PER_MIB_TARGET } from './guardrail-corpus.mjs';
import { PII_GROUPS } from './guardrail-gateway.mjs';
import { ROOT } from './lib.mjs';

const MIB = 1_048_576;
// Runs counted (their median is the figure), after WARM_RUNS that are not: a process's first bodies of a kind pay V8's
// compilation (JIT on other threads, counted by process.cpuUsage) and lazy tables; a 1 MiB body took 4-10 runs to
// settle (28 Nov 2026: prompt_guard on prose 318, 84, 69, 34, 34 … ms). The first run is reported beside the figure.
export const RUNS = Number(process.env.BENCH_GUARDRAIL_RUNS ?? 5);
const WARM_RUNS = Number(process.env.BENCH_GUARDRAIL_WARM ?? 5);

function fill(piece) {
  const parts = [];
  let size = 0;
  for (let i = 0; ; i++) {
    const p = piece(i);
    if (size + Buffer.byteLength(p) > MIB) break;
    parts.push(p);
    size += Buffer.byteLength(p);
  }
  return parts.join('');
}

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const noise = (n, seed) => Array.from({ length: n }, (_, i) => B62[(seed * 31 + i * 17 + ((seed * i) % 13)) % 62]).join('');

/** Real prose: the repository's own docs (Markdown: headings, code, tables, links), repeated to 1 MiB. */
function docsProse() {
  const dir = join(ROOT, 'docs');
  const files = readdirSync(dir, { recursive: true })
    .filter((f) => String(f).endsWith('.md'))
    .sort();
  const text = files.map((f) => readFileSync(join(dir, String(f)), 'utf8')).join('\n');
  let out = text;
  while (Buffer.byteLength(out) < MIB) out += `\n${text}`;
  // Cut at 1 MiB of UTF-8, where a character ends.
  return Buffer.from(out)
    .subarray(0, MIB)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}

/** The 1 MiB bodies: name, content type, text. */
export function costBodies() {
  const prose =
    'The quarterly report covers revenue, hiring and the roadmap for next year. Teams shipped the new billing flow on time, and support volume fell by a fifth. ';
  const phones = [];
  for (let i = 0, size = 2; size < MIB - 40; i++) {
    phones.push(`+1 415 555 ${String(1000 + (i % 9000)).padStart(4, '0')}`);
    size += 18;
  }
  return [
    { name: 'prose', type: 'text/plain', text: fill(() => prose) },
    { name: 'docs_prose', type: 'text/plain', text: docsProse() },
    // The same override over and over: every word a rule's lead, every sentence a hit (the rule counts stop at 100).
    { name: 'repeated_override', type: 'text/plain', text: fill(() => 'ignore all previous ') },
    { name: 'json_phone_strings', type: 'application/json', text: JSON.stringify(phones) },
    { name: 'key_shaped_noise', type: 'text/plain', text: fill((i) => `key_${noise(40, i)} token=${noise(32, i + 7)}\n`) },
    { name: 'zero_width_heavy', type: 'text/plain', text: fill((i) => `w\u200bo\u200cr\u200dd\u2060${i % 10} `) },
    { name: 'base64_blob', type: 'text/plain', text: randomBytes(Math.floor((MIB * 3) / 4)).toString('base64') },
    { name: 'html_entities', type: 'text/html', text: fill((i) => `<p>user&#64;example&#46;com &amp; item ${i} &lt;b&gt;&nbsp;&quot;x&quot;</p>\n`) },
  ];
}

function cpuMs(fn) {
  const start = process.cpuUsage();
  fn();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * CPU ms of a fixed reference workload on this machine (median of 7 after 3 warm-ups): a JSON round trip of
 * 1 MiB and a word-boundary regex count over 1 MiB of prose — the kind of work a detector does. The CPU
 * figures are absolute; this says how fast the machine that measured them was, so runs on different
 * machines can be compared (29 Nov 2026: a machine ten times slower than usual read every row 2–3× higher).
 */
export function referenceCpuMs() {
  const prose = fill((i) => `Order ${i} for Ada Lovelace ships on Tuesday; reply to the thread with questions. `);
  const json = JSON.stringify(prose.split('; '));
  const once = () => {
    JSON.stringify(JSON.parse(json));
    let n = 0;
    for (const _ of prose.matchAll(/\b[A-Z][a-z]+\b/g)) n++;
    return n;
  };
  const runs = [];
  for (let r = 0; r < 10; r++) runs.push(cpuMs(once));
  return median(runs.slice(3));
}

/** CPU ms per MiB for each detector on each body, settled and on the process's first such body: rows of {detector, body, ms_per_mib, first_ms_per_mib, verdict}. */
export function measureDetectorCpu({ guardrails, guardDefaults, precheck }) {
  const rows = [];
  const detectors = [
    ...PII_GROUPS.map((f) => {
      const scanner = guardrails.createPiiScanner({ types: [f] });
      return { name: `detect_pii:${f}`, run: (value, raw) => scanner.scan(value, true, raw) };
    }),
    (() => {
      const scorer = guardrails.createInjectionScorer({ allowHosts: guardDefaults.allowHosts });
      // As the node reads a body (nodes/prompt-guard.ts): the pre-check on the raw body (an ASCII one with none of the
      // rules' words is not scanned), then the scan, whose first window over the default threshold decides.
      return {
        name: 'prompt_guard',
        run: (value, raw) => {
          const verbatim = precheck.verbatimText(raw);
          if (verbatim !== null && !guardrails.runNow(precheck.mayInjectSteps(verbatim))) return;
          return guardrails.scoreValue(scorer, value, undefined, guardDefaults.threshold);
        },
      };
    })(),
    (() => {
      // Every window read, as for a body under the threshold with a word the pre-check looks for: the scan's own cost.
      const scorer = guardrails.createInjectionScorer({ allowHosts: guardDefaults.allowHosts });
      return { name: 'prompt_guard:whole', run: (value) => guardrails.scoreValue(scorer, value) };
    })(),
  ];
  for (const body of costBodies()) {
    const mib = Buffer.byteLength(body.text) / MIB;
    for (const d of detectors) {
      const runs = [];
      for (let r = 0; r < WARM_RUNS + RUNS; r++) {
        // Parsing is the node's cost too (it walks JSON by value), so it is inside the measure.
        runs.push(cpuMs(() => d.run(body.type === 'application/json' ? JSON.parse(body.text) : body.text, body.text)));
      }
      const ms = median(runs.slice(WARM_RUNS)) / mib;
      rows.push({
        detector: d.name,
        body: body.name,
        ms_per_mib: ms,
        first_ms_per_mib: runs[0] / mib,
        target: CPU_MS_PER_MIB_TARGET,
        verdict: ms <= CPU_MS_PER_MIB_TARGET ? 'met' : 'missed',
      });
    }
  }
  return rows;
}

/**
 * The longest `/healthz` answer while the gateway scans each 1 MiB body on a route running every
 * PII family and prompt_guard: polled every 5 ms from this process during the POST.
 */
export async function measureEventLoopHold(gw) {
  const rows = [];
  for (const body of costBodies()) {
    let done = false;
    let worst = 0;
    const poll = (async () => {
      while (!done) {
        const t = performance.now();
        await (await fetch(`${gw.base}/healthz`)).arrayBuffer();
        worst = Math.max(worst, performance.now() - t);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const t0 = performance.now();
    const res = await fetch(`${gw.base}/cost/echo`, {
      method: 'POST',
      headers: { ...gw.headers, 'content-type': body.type === 'application/json' ? 'application/json' : `${body.type}; charset=utf-8` },
      body: body.text,
    });
    const answer = await res.text();
    const total = performance.now() - t0;
    done = true;
    await poll;
    rows.push({
      body: body.name,
      status: res.status,
      code: /"(GATEHOUSE_[A-Z_]+)"/.exec(answer)?.[1] ?? '',
      call_ms: total,
      healthz_max_ms: worst,
      target_ms: 100,
      verdict: worst <= 100 ? 'met' : 'missed',
    });
  }
  return rows;
}
