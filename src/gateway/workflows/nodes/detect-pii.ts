import type { z } from 'zod';
import { type DetectPiiNode, GatehouseError } from '../../../core/index.js';
import { createPiiScanner, type PiiScanResult } from '../../guardrails/scanner.js';
import type { Match } from '../../guardrails/match.js';
import { andThen, runBounded } from '../../guardrails/slicing.js';
import { phones } from '../../guardrails/phone.js';
import { countsText } from '../../guardrails/summary.js';
import type { Exchange } from '../exchange.js';
import { type GuardedBody, guardedBody, replaceBody } from '../guarded-body.js';
import type { NodeCompiler } from '../step.js';

/** Finds PII and secrets in the body and redacts (labelled by type), refuses (422) or flags the call; the log gets kinds and counts only. */
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
    const body = guardedBody(x, phase, node.maxBytes, node.id);
    if (body === null) return;
    // A large body is scanned in slices: the event loop serves other calls between them.
    // An event stream's texts stand for pieces of its events: where each finding is, to redact it there.
    const stream = 'stream' in body ? body.stream : undefined;
    const matches = stream !== undefined ? new Map<string, readonly Match[]>() : undefined;
    const onMatches = matches && ((text: string, found: readonly Match[]) => void matches.set(text, found));
    // The raw body decides which detectors can match at all: a stream's is its joined texts (a key's prefix or an `@`
    // streamed in pieces is in no event whole).
    const raw = stream === undefined ? body.raw : stream.texts.map((t) => t.text).join('\n');
    return andThen(runBounded(scanner.scanSteps(body.text ?? body.json, redact, raw, onMatches)), (found) => decide(x, body, found, matches));
  };

  function decide(x: Exchange, body: NonNullable<GuardedBody>, found: PiiScanResult<unknown>, matches: Map<string, readonly Match[]> | undefined): void {
    if (found.total === 0) return;
    const what = countsText(found.counts);
    if (node.action === 'block') {
      x.guard(`${node.id}:blocked ${what}`);
      report('blocked', found.counts);
      throw new GatehouseError(
        'GATEHOUSE_GUARDRAIL_BLOCKED',
        `Workflow node ${node.id} refused the ${phase}: it holds ${what.replace(/=/g, ' × ').replace(/,/g, ', ')}.`,
        {
          node: node.id,
          found: found.counts,
        },
      );
    }
    if (redact) {
      replaceBody(x, phase, body, found.value, matches);
      x.guard(`${node.id}:redacted ${what}`);
      report('redacted', found.counts);
    } else {
      x.guard(`${node.id}:flagged ${what}`);
      report('flagged', found.counts);
    }
  }
};
