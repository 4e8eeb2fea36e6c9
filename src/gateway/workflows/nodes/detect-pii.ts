import type { z } from 'zod';
import { type DetectPiiNode, GatehouseError } from '../../../core/index.js';
import { createPiiScanner, type PiiScanResult } from '../../guardrails/scanner.js';
import type { Match } from '../../guardrails/match.js';
import { andThen, runBounded } from '../../guardrails/slicing.js';
import { phones } from '../../guardrails/phone.js';
import { countsText } from '../../guardrails/summary.js';
import type { Exchange } from '../exchange.js';
import { formFields, formText, type GuardedBody, guardedBody, replaceBody } from '../guarded-body.js';
import type { NodeCompiler } from '../step.js';

/** Finds PII and secrets in the body (and a request's query) and redacts (labelled by type), refuses (422) or flags the call; the log gets kinds and counts only. */
export const compileDetectPii: NodeCompiler<z.output<typeof DetectPiiNode>> = (node, env) => {
  const { isSupportedCountry } = phones();
  if (node.defaultCountry !== undefined && !isSupportedCountry(node.defaultCountry))
    env.problem('defaultCountry', `${node.defaultCountry} is not a country phone numbers are known for`);
  let scanner: ReturnType<typeof createPiiScanner>;
  try {
    scanner = createPiiScanner({
      types: node.types,
      defaultCountry: node.defaultCountry !== undefined && isSupportedCountry(node.defaultCountry) ? node.defaultCountry : undefined,
      nationalIds: node.nationalIds,
      minEntropy: node.minEntropy,
    });
  } catch (err) {
    env.problem('nationalIds', (err as Error).message);
    return () => {};
  }
  const phase = env.phase;
  const redact = node.action === 'redact';
  const report = (outcome: string, counts: Record<string, number>) => {
    for (const [kind, n] of Object.entries(counts)) env.services.guardrails?.report('detect_pii', outcome, kind, n);
  };
  return (x) => {
    // A request's query goes to the upstream (and into its logs) as much as its body does: its values are read as a form's.
    const query = phase === 'request' ? scanQuery(x) : null;
    const body = guardedBody(x, phase, node.maxBytes, node.id);
    if (body === null) return query === null ? undefined : decide(x, null, null, undefined, query);
    // A large body is scanned in slices: the event loop serves other calls between them.
    // An event stream's texts stand for pieces of its events: where each finding is, to redact it there.
    const stream = 'stream' in body ? body.stream : undefined;
    const matches = stream !== undefined ? new Map<string, readonly Match[]>() : undefined;
    const onMatches = matches && ((text: string, found: readonly Match[]) => void matches.set(text, found));
    // The raw body decides which detectors can match at all: a stream's is its joined texts (a key's prefix or an `@`
    // streamed in pieces is in no event whole).
    const raw = stream === undefined ? body.raw : stream.texts.map((t) => t.text).join('\n');
    return andThen(runBounded(scanner.scanSteps(body.text ?? body.json, redact, raw, onMatches)), (found) => decide(x, body, found, matches, query));
  };

  /** What the query's values hold, and the query with them redacted; null for a query with nothing found. */
  function scanQuery(x: Exchange): { found: PiiScanResult<Record<string, unknown>>; query: string } | null {
    if (x.query.length <= 1) return null;
    const text = x.query.slice(1);
    const found = scanner.scan(formFields(text), redact, text);
    return found.total === 0 ? null : { found, query: redact ? `?${formText(text, found.value)}` : x.query };
  }

  function decide(
    x: Exchange,
    body: NonNullable<GuardedBody> | null,
    found: PiiScanResult<unknown> | null,
    matches: Map<string, readonly Match[]> | undefined,
    query: { found: PiiScanResult<Record<string, unknown>>; query: string } | null,
  ): void {
    const counts: Record<string, number> = { ...query?.found.counts };
    for (const [kind, n] of Object.entries(found?.counts ?? {})) counts[kind] = (counts[kind] ?? 0) + n;
    if ((found?.total ?? 0) + (query?.found.total ?? 0) === 0) return;
    const what = countsText(counts);
    if (node.action === 'block') {
      x.guard(`${node.id}:blocked ${what}`);
      report('blocked', counts);
      throw new GatehouseError(
        'GATEHOUSE_GUARDRAIL_BLOCKED',
        `Workflow node ${node.id} refused the ${phase}: it holds ${what.replace(/=/g, ' × ').replace(/,/g, ', ')}.`,
        {
          node: node.id,
          found: counts,
        },
      );
    }
    if (redact) {
      if (body !== null && found !== null && found.total > 0) replaceBody(x, phase, body, found.value, matches);
      if (query !== null) x.setQuery(query.query);
      x.guard(`${node.id}:redacted ${what}`);
      report('redacted', counts);
    } else {
      x.guard(`${node.id}:flagged ${what}`);
      report('flagged', counts);
    }
  }
};
