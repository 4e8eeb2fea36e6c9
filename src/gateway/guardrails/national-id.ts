import { unsafePatternProblem } from '../../core/index.js';
import type { Match } from './match.js';

/** An admin's national-id pattern, by name (`ssn`, `nino`): matched as a whole word. */
export interface NationalIdPattern {
  name: string;
  pattern: string;
}

/** A detector for national ids by the admin's patterns (checked safe when the workflow was saved; refused again here if not). */
export function nationalIdDetector(patterns: readonly NationalIdPattern[]): (text: string, out: Match[]) => void {
  const compiled = patterns.map((p) => {
    const problem = unsafePatternProblem(p.pattern);
    if (problem !== null) throw new Error(`national id pattern ${p.name} ${problem}`);
    return { kind: `national_id:${p.name}`, regex: new RegExp(`(?<![A-Za-z0-9])(?:${p.pattern})(?![A-Za-z0-9])`, 'g') };
  });
  return (text, out) => {
    for (const { kind, regex } of compiled) {
      regex.lastIndex = 0;
      for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
        if (m[0].length === 0) {
          regex.lastIndex++;
          continue;
        }
        out.push({ kind, start: m.index, end: m.index + m[0].length });
      }
    }
  };
}
