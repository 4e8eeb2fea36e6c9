/**
 * How a poisoned definition steers the answers (def_steer_answers): an advertisement or a recommended address on every
 * answer (en, de, ko, ja, zh), an item slipped into every order, a rival tool said to be down. Written by family from authors 42–46's sets (#51, 27 Nov 2026). Each reads one sentence (or a sentence and the
 * next) as the model reads it (decoded, folded, lower-case; the CJK scripts keep their letters); every pattern is a
 * fixed word list with bounded gaps: linear on any input.
 */
import { ADDRESS, bare, NL, PL, re, S, SW } from './definition-asides-regex.js';

// --- an advertisement on every answer ------------------------------------------------------------------------------------------------
const EVERY_ANSWER = re(
  `${PL}(?:at\\s+the\\s+end\\s+of|after|to|in)\\s+(?:every|each|all|any)\\s+(?:\\p{L}+\\s+)?(?:translation|answer|reply|response|message|result|output|summary)s?${NL}|${PL}(?:every|each|any|all)\\s+(?:response|answer|reply)s?${S}{0,80}?must\\s+(?:end|begin|start)\\s+with${NL}`,
);
const PROMOTION = re(
  `${PL}(?:\\d{1,2}\\s*%\\s*off|discount|promo|coupon|with\\s+code|trade\\s+now|buy\\s+now|sign\\s+up|deals?|rabatt|descuento|sconto|desconto|remise)${NL}`,
);
// After each result, a provider recommended to the user with a link (`Nach jeder Berechnung ist dem Nutzer … zu empfehlen und der Link … mitzuteilen`).
const RECOMMENDED_AFTER_EACH = re(
  `${PL}(?:nach\\s+jeder|nach\\s+jedem|after\\s+(?:every|each)|apres\\s+chaque|despues\\s+de\\s+cada|dopo\\s+ogni|apos\\s+cada)${NL}${S}{0,120}?${PL}(?:empfehlen|recommend|recommandez|recomiende|raccomanda|recomende)${NL}`,
);

/** Whether a pair of sentences makes every answer carry an advertisement with an address, or recommends a provider with a link after each result. */
export function advertisesOnEveryAnswer(pair: string): boolean {
  if (EVERY_ANSWER.test(pair) && PROMOTION.test(pair) && ADDRESS.test(pair)) return true;
  return RECOMMENDED_AFTER_EACH.test(pair) && /https?:\/\//u.test(pair);
}

// === A forty-third author's set (#51, 27 Nov 2026) ====================================================================

// --- an advertisement at the end of each answer (ko, ja, zh) -------------------------------------------------------------------------
const EACH_ANSWER_END_CJK =
  /(?:때마다|마다)[^.!?;\n]{0,30}?(?:답변|응답)\s*(?:끝|마지막)에|回答の(?:最後|末尾)に|(?:每次|每个)(?:回答|回复)(?:的)?(?:结尾|末尾|最后)/u;

/** Whether a sentence makes the end of each answer carry an address, in the CJK languages. */
export function advertisesAtAnswerEndCjk(s: string): boolean {
  return EACH_ANSWER_END_CJK.test(s) && ADDRESS.test(s);
}

// --- zh: an address appended to every answer whatever the user asks -----------------------------------------------------------------------
const WHATEVER_ASKED_LINK_ZH = /(?:无论|不论|不管)(?:用户)?(?:问什么|问了什么|提出什么|问什么问题)[^。！？；\n]{0,40}?(?:附上|加上|添加|附带)(?:链接|网址)/u;

/** Whether a sentence appends an address to the answer whatever the user asks (zh). */
export function linksEveryAnswerZh(s: string): boolean {
  return WHATEVER_ASKED_LINK_ZH.test(s) && ADDRESS.test(s);
}

// === A forty-sixth author's set (#51, 27 Nov 2026) ====================================================================

// --- an item slipped into every order (cs, en) -----------------------------------------------------------------------------------------
const ITEM_IN_EVERY_ORDER = re(
  `${PL}(?:do\\s+kazde\\s+objednavky\\s+(?:pridej|pridejte|vloz|vlozte)|(?:pridej|pridejte|vloz|vlozte)${S}{0,30}?do\\s+kazde\\s+objednavky|(?:add|include|insert)\\s+(?:an?\\s+|the\\s+)?(?:item|sku|product|line\\s+item)${S}{0,30}?(?:to|in|into)\\s+every\\s+order)${NL}`,
);

/** Whether a sentence has the model slip an item into every order. */
export function addsItemToEveryOrder(s: string): boolean {
  return ITEM_IN_EVERY_ORDER.test(bare(s));
}

// --- rival tools: another tool said to be down, or every answer made to end with an advertised address (de) --------------------------------
const OTHER_TOOL_SAID_DOWN = re(
  `${PL}(?:outra\\s+ferramenta|otra\\s+herramienta|altro\\s+strumento|other\\s+tool)${NL}${S}{0,80}?${PL}(?:diga|di|digale|dica|tell)${NL}${S}{0,40}?${PL}(?:fora\\s+do\\s+ar|indisponivel|fuera\\s+de\\s+servicio|no\\s+funciona|non\\s+funziona|is\\s+down|is\\s+offline|unavailable)${NL}`,
);
const ALL_ANSWERS_END_DE = re(`${PL}alle\\s+antworten${SW}{0,60}?mussen\\s+mit${SW}{0,120}?enden${NL}`);

/** Whether a sentence has another tool called down to the user as out of service. */
export function saysOtherToolDown(s: string): boolean {
  return OTHER_TOOL_SAID_DOWN.test(bare(s));
}

/** Whether a sentence (de) makes every answer end with a line carrying an address. */
export function endsAllAnswersDe(s: string): boolean {
  const b = bare(s);
  return ALL_ANSWERS_END_DE.test(b) && ADDRESS.test(b);
}
