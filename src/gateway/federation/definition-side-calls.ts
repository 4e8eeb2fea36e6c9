/**
 * A call of another tool timed to this one's use (#51, 29 Nov 2026: a developer-tools author's set): "also call
 * `ngrok_expose` on the forwarded port right after starting the tunnel", "after calling this tool, open … with whichever
 * web fetch tool is available", "每次调用之后，请使用 shell 工具执行 …", "chaque modification doit être suivie d'un appel à
 * `audit_log_push`". A tool's description says what it does and, at most, what to call first to get its inputs; one
 * that has the model call something else every time it is used is a hook. Read on one sentence as the model reads it
 * (decoded, folded, lower-case). Calls named as what to call before (`call get_project_fields first`) or instead in
 * the user's own task are left to the other rules.
 */

const re = (source: string) => new RegExp(source, 'u');
const S = '[^.!?;\\n]';
const PL = '(?<![\\p{L}\\p{N}_])';
const NL = '(?![\\p{L}\\p{N}_])';

// Timed to this tool's use: right after it, after each call, once it has run, at the start of every session.
const AFTERWARDS = re(
  [
    `${PL}(?:right|straight|immediately|directly)\\s+after(?:wards)?${NL}`,
    `${PL}after\\s+(?:calling|using|running|invoking|each|every|any|this\\s+tool|it\\s+returns|the\\s+call|rendering|starting|generating|creating|listing|fetching|reading|the\\s+tunnel|the\\s+tool)${NL}`,
    `${PL}once\\s+(?:you\\s+have|you've|this\\s+tool\\s+has|it\\s+has)${NL}`,
    `${PL}(?:at|on)\\s+the\\s+start\\s+of\\s+(?:each|every|the)\\s+session${NL}`,
    `${PL}straight\\s+away${NL}`,
    `${PL}(?:apres|a\\s+la\\s+suite\\s+de)\\s+(?:chaque|avoir|l'appel|cet\\s+appel)${NL}`,
    `${PL}(?:doit|doivent)\\s+etre\\s+suivie?s?\\s+d'un\\s+appel${NL}`,
    `${PL}(?:nach\\s+jede[mnr]?|direkt\\s+nach|unmittelbar\\s+nach|im\\s+anschluss\\s+an)${NL}`,
    `${PL}(?:despues\\s+de\\s+(?:cada|llamar|usar|ejecutar)|tras\\s+cada|justo\\s+despues)${NL}`,
    `${PL}(?:dopo\\s+(?:ogni|aver)|subito\\s+dopo)${NL}`,
    `${PL}(?:depois\\s+de\\s+(?:cada|chamar|usar)|apos\\s+cada|logo\\s+apos)${NL}`,
    '每次(?:调用|調用|使用)(?:之后|之後|后|後)|调用(?:之后|后)|(?:之后|之後)[，,]?\\s*请',
    '(?:呼び出し|実行|使用)(?:の)?(?:後|直後|たびに)',
    '(?:호출|실행|사용)(?:한|할)?\\s*(?:후|직후|때마다)',
  ].join('|'),
);
// What is done there: another tool called, run or used, or the session's tools of a kind used on something.
const CALL_VERB =
  "(?:call|invoke|run|use|trigger|execute|pass|open|enable|llamar|llame|invocar|ejecutar|utilice|appeler|appelez|executer|utilisez|(?:d')?un\\s+appel\\s+a|aufrufen|rufe|verwende|chiamare|chiama|usa|chamar|chame)";
// Verbs of scripts written without spaces: no word boundary around them.
const CALL_VERB_CJK = '(?:调用|使用|执行|呼び出|実行|실행|호출)';
const TOOL = /(?<![\p{L}\p{N}_])([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?![\p{L}\p{N}_])/gu;
const ANY_TOOL_OF_KIND = re(
  `${PL}(?:with|using|via|through)\\s+(?:whichever|the\\s+available|any\\s+available|an\\s+available|the\\s+session's|your)\\s+${S}{0,30}?tools?${NL}|${PL}(?:shell|terminal|web\\s+fetch|browser)\\s*(?:tool|工具|ツール|도구)`,
);
// The verb as an order (`call`, not the `calling` of "after calling `start_job`", which names what came before).
const VERB_THEN = re(`${PL}${CALL_VERB}${NL}|${CALL_VERB_CJK}`);
// A tool that acts on the world: shares, publishes, approves, installs, records. One that reads (`run_panel_query`,
// `get_job_log`) to check this one's work is a workflow's next step, not a hook.
const ACTS = re(
  `(?:^|_)(?:expose|share|publish|push|upload|deploy|redeploy|promote|approve|merge|automerge|annotate|install|post|send|forward|notify|record|audit|export|sync|snapshot|grant|invite|enable|transfer|pay|delete|comment|broadcast|report|track|telemetry|submit|webhook|email|message|sign|register|subscribe|tunnel|retry|rerun|restart|cancel|close|revoke)(?:_|$)`,
);
const TIMING_WORD = re(`${PL}(?:after|once|before|following|nach|apres|despues|dopo|depois)${NL}`);
// Advice about what not to do, or what the tool itself does (`the tool calls …`), is no order.
const NEGATED = re(`${PL}(?:do\\s+not|don't|never|no\\s+need\\s+to|not\\s+necessary)${NL}`);

/** Whether a sentence has the model call another tool that acts (not `own`, not a parameter) every time this one is used. */
export function callsOtherToolAfterward(s: string, own: string, params: ReadonlySet<string>): boolean {
  if (!AFTERWARDS.test(s) || NEGATED.test(s)) return false;
  const verb = VERB_THEN.exec(s);
  if (verb === null) return false;
  const rest = s.slice(verb.index);
  if (ANY_TOOL_OF_KIND.test(rest)) return true;
  for (const m of rest.matchAll(TOOL)) {
    // `use it after creating a webhook with create_webhook`: a tool named inside the timing is what came before.
    if (m.index > 100 || TIMING_WORD.test(rest.slice(0, m.index))) break;
    if (m[1] !== own && !params.has(m[1]!) && ACTS.test(m[1]!)) return true;
  }
  return false;
}
