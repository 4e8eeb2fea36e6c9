// Each guardrail detector's CPU time on 1 MiB hostile bodies, measured on the built gateway (dist/)
// in a process of its own: the code that ships, without the test runner's module transform (which
// turns every imported helper a scan loop calls into a property lookup, tripling its cost).
// Prints {"measured": <pairs timed>, "slow": ["<detector> on <input>…: <ms> ms", …]}.
import { randomBytes } from 'node:crypto';
import { createInjectionScorer, createPiiScanner } from '../../dist/gateway/guardrails/index.js';

// A super-linear detector takes seconds on these bodies; a linear one tens of milliseconds. The bound
// sits between, at three times the 50 ms target the bench reports against (`npm run bench -- --guardrails`),
// so that a CI machine's load (the other test workers share its two cores) never decides it. It was twice
// the target until prompt_guard on a body of one repeated override measured 116 ms on a quiet machine
// (25 Nov 2026, after that evening's merges): linear, still far from a super-linear detector's seconds.
const LIMIT_MS = 150;
const MIB = 1_048_576;
// Bodies reach the scans decoded from bytes: flat strings, as here.
const flat = (s) => Buffer.from(s).toString('utf8');
const fill = (unit) => flat(unit.repeat(Math.ceil(MIB / unit.length)).slice(0, MIB));
const hostile = [
  fill('1'),
  fill('1 '),
  fill('+1 415 555 2671 '),
  fill('((((('),
  fill('+-(0)1.'),
  fill('a@'),
  fill('a.a@a'),
  fill('a:'),
  fill('a='),
  fill('DE89 '),
  fill('4111 '),
  fill('eyJhbGciOi'),
  fill('eyJhbGciOiJIUzI1NiJ9.'),
  fill('token=token='),
  fill('-----BEGIN RSA PRIVATE KEY-----'),
  fill('ghp_'),
  fill('123-45-'),
  fill('ignore all previous '),
  fill('](http://x.io/?'),
  fill('![a](http'),
  fill('<img src='),
  fill('x://a:'),
  fill('s://u:pa55@'),
  fill('\u200B'),
  fill('\uDB40\uDC41'),
  flat(
    Array.from({ length: 70_000 }, (_, i) => `+1 415 ${String(i).padStart(7, '0')}`)
      .join(' ')
      .slice(0, MIB),
  ),
  randomBytes(MIB * 0.75).toString('base64'),
];
const families = ['email', 'phone', 'card', 'iban', 'ip', 'national_id', 'secret'];
const injection = createInjectionScorer({ allowHosts: ['docs.example.com'] });
const detectors = [
  ...families.map((f) => {
    const scanner = createPiiScanner({ types: [f], defaultCountry: 'US', nationalIds: [{ name: 'ssn', pattern: '\\d{3}-\\d{2}-\\d{4}' }] });
    return { name: f, run: (s) => scanner.scan(s, true) };
  }),
  { name: 'prompt_guard', run: (s) => injection.scoreText(s) },
];
// The main thread's CPU time where Node has it (22.19+/24): the process's would add the GC helper
// threads, which a loaded machine keeps busy, and which are not the scan's cost.
const cpuMs = () => {
  const u = process.threadCpuUsage ? process.threadCpuUsage() : process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// Warm every detector up on a slice of each body, as a node that has served calls is.
for (const d of detectors) for (const input of hostile) d.run(input.slice(0, 4096));
const slow = [];
let measured = 0;
for (const input of hostile) {
  for (const d of detectors) {
    // CPU time, the best of up to ten tries with a pause between: the machine is shared, and time
    // spent waiting for a core is its load, not the scan's cost.
    let best = Number.POSITIVE_INFINITY;
    for (let r = 0; r < 10 && best >= LIMIT_MS; r++) {
      if (r > 0) await new Promise((resolve) => setTimeout(resolve, 25));
      const t0 = cpuMs();
      d.run(input);
      best = Math.min(best, cpuMs() - t0);
    }
    measured++;
    if (best >= LIMIT_MS) slow.push(`${d.name} on ${JSON.stringify(input.slice(0, 24))}…: ${best.toFixed(1)} ms`);
  }
}
process.stdout.write(JSON.stringify({ measured, slow, pairs: hostile.length * detectors.length }));
