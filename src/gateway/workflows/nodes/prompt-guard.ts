import type { z } from 'zod';
import { GatehouseError, type PromptGuardNode } from '../../../core/index.js';
import { judgedRoles } from '../../guardrails/chat-roles.js';
import type { InjectionScore } from '../../guardrails/injection.js';
import { newUnwrapBudget } from '../../guardrails/injection/fold.js';
import { type InjectionEngine, loadInjectionEngine } from '../../guardrails/injection-engine.js';
import type { TextScorer } from '../../guardrails/injection-steps.js';
import { andThen, runBounded, type Work } from '../../guardrails/slicing.js';
import { verbatimText } from '../../guardrails/raw-text.js';
import { walkJsonSteps } from '../../guardrails/walk.js';
import { formFields, formText, type GuardedBody, guardedRaw, parsedBody, replaceBody } from '../guarded-body.js';
import type { NodeCompiler } from '../step.js';
import type { Exchange } from '../exchange.js';

const LABEL = '[PROMPT_INJECTION]';

/** A request's query as a guard reads it: the text after `?`, and its fields. */
interface Query {
  query: string;
  fields: Record<string, string | string[]>;
}

function rulesText(score: InjectionScore): string {
  return score.hits.map((h) => `${h.rule}=${h.count}`).join(',');
}

/**
 * Scores the body for injected instructions with the gateway's rules and, when configured, the
 * team's classifier (the higher score counts); over the threshold it refuses (422), flags, or
 * replaces each offending text with `[PROMPT_INJECTION]`.
 */
export const compilePromptGuard: NodeCompiler<z.output<typeof PromptGuardNode>> = (node, env) => {
  // The engine loads with the first prompt_guard compiled (see injection-engine.ts); a call that
  // arrives before it has loaded waits for it.
  let engine: InjectionEngine | undefined;
  let scorer: TextScorer;
  const loaded = loadInjectionEngine().then((e) => {
    scorer = e.createInjectionScorer({ allowHosts: node.allowHosts });
    engine = e;
  });
  // A failed load is the first call's error (the workflow fails closed), not an unhandled rejection.
  loaded.catch(() => undefined);
  const phase = env.phase;
  const classifier = node.classifier;
  const chatRoles = node.chatRoles ? new Set(node.chatRoles) : null;
  const services = env.services.guardrails;

  const remote = async (text: string): Promise<number | null> => {
    if (!classifier || !services) return null;
    try {
      return await services.classify(classifier.url, text, phase, classifier.timeoutMs, classifier.allowPrivateNetwork);
    } catch (err) {
      if (classifier.failMode === 'open') return null;
      throw new GatehouseError(
        'GATEHOUSE_GUARDRAIL_UNAVAILABLE',
        `Workflow node ${node.id}: the classifier failed (${(err as Error).message.split('\n')[0]}).`,
        { node: node.id },
      );
    }
  };

  const decide = (
    e: InjectionEngine,
    x: Exchange,
    score: number,
    local: InjectionScore,
    body: NonNullable<GuardedBody> | Query,
    classified: number | null,
    judged: unknown = 'json' in body ? body.json : undefined,
    restore: (redacted: unknown) => unknown = (v) => v,
  ): void | Promise<void> => {
    const rules = rulesText(local);
    const outcome = node.action === 'block' ? 'blocked' : node.action === 'flag' ? 'flagged' : 'redacted';
    if (local.hits.length === 0) services?.report('prompt_guard', outcome, 'classifier', 1);
    for (const hit of local.hits) services?.report('prompt_guard', outcome, hit.rule, hit.count);
    const detail = `score=${score}${rules ? ` ${rules}` : ''}${classified !== null ? ` classifier=${classified}` : ''}`;
    if (node.action === 'block') {
      x.guard(`${node.id}:blocked ${detail}`);
      throw new GatehouseError(
        'GATEHOUSE_GUARDRAIL_BLOCKED',
        `Workflow node ${node.id} refused the ${phase}: it reads as injected instructions (score ${score}).`,
        {
          node: node.id,
          score,
          rules: local.hits,
        },
      );
    }
    if (node.action === 'flag') {
      x.guard(`${node.id}:flagged ${detail}`);
      return;
    }
    // Redact: each text that scores over the threshold on its own is replaced (all of it when the classifier judged the whole).
    const budget = newUnwrapBudget();
    const overThreshold = function* (text: string): Work<string | undefined> {
      return (yield* e.scoreTextSteps(scorer, text, budget, node.threshold)).score >= node.threshold ? LABEL : undefined;
    };
    if ('query' in body)
      return andThen(runBounded(walkJsonSteps(body.fields, overThreshold)), (value) => {
        x.setQuery(`?${formText(body.query, value as Record<string, unknown>)}`);
        x.guard(`${node.id}:redacted ${detail}`);
      });
    if (body.text !== null || classified !== null) {
      replaceBody(x, phase, body, LABEL);
      x.guard(`${node.id}:redacted ${detail}`);
      return;
    }
    return andThen(runBounded(walkJsonSteps(judged, overThreshold)), (value) => {
      replaceBody(x, phase, body, restore(value));
      x.guard(`${node.id}:redacted ${detail}`);
    });
  };

  // A request's query is read first: what it says reaches the upstream (a search, a prompt) as a body does.
  const guardQuery = (x: Exchange, e: InjectionEngine): void | Promise<void> => {
    const query = x.query.slice(1);
    const fields = formFields(query);
    return andThen(runBounded(e.scoreValueSteps(scorer, fields, undefined, node.threshold)), (local) => {
      if (local.score >= node.threshold) return decide(e, x, local.score, local, { query, fields }, null);
    });
  };

  const guard = (x: Exchange, e: InjectionEngine): void | Promise<void> => {
    if (phase === 'request' && x.query.length > 1) return andThen(guardQuery(x, e), () => guardBody(x, e));
    return guardBody(x, e);
  };

  const guardBody = (x: Exchange, e: InjectionEngine): void | Promise<void> => {
    const raw = guardedRaw(x, phase, node.maxBytes, node.id);
    if (raw === null) return;
    // Most bodies hold nothing a rule starts with: one look at the raw text, and without a
    // classifier to ask, the body is not even parsed.
    const verbatim = verbatimText(raw);
    return andThen(verbatim === null ? true : runBounded(e.mayInjectSteps(verbatim)), (may) => {
      if (!may && !classifier) return;
      const body = parsedBody(x, phase, raw);
      // Told which roles to read, a chat API body is judged on their messages (and whatever is no message).
      const roles = chatRoles && body.text === null && !('stream' in body && body.stream) ? judgedRoles(body.json, chatRoles) : null;
      const judged = roles ? roles.judged : body.json;
      const restore = roles?.restore;
      // A large body is scored in slices: the event loop serves other calls between them. Its first window over the
      // threshold decides (its score and rules are the ones reported).
      // A stream's texts (each field's pieces joined) are read each on its own, as its reader reads the one it shows.
      const reading =
        'stream' in body && body.stream !== undefined
          ? e.scoreEachSteps(
              scorer,
              body.stream.texts.map((t) => t.text),
              undefined,
              node.threshold,
            )
          : e.scoreValueSteps(scorer, body.text ?? judged, undefined, node.threshold);
      const scored = may ? runBounded(reading) : e.NO_INJECTION;
      return andThen(scored, (local) => {
        if (local.score >= node.threshold) return decide(e, x, local.score, local, body, null, judged, restore);
        if (!classifier) return;
        const text = body.text ?? JSON.stringify(judged);
        return remote(text).then((classified) => {
          if (classified !== null && classified >= node.threshold) return decide(e, x, classified, local, body, classified, judged, restore);
        });
      });
    });
  };

  return (x) => (engine ? guard(x, engine) : loaded.then(() => guard(x, engine!)));
};
