/**
 * Shapes of a poisoned definition a forty-second author's set (#51, 27 Nov 2026) showed the other rules did not
 * read, written as their family, not their words. Each reads one sentence (or a sentence and the next) as the model
 * reads it (decoded, folded, lower-case: `ü` is `u`; the CJK scripts keep their letters). Every pattern is a fixed
 * word list with bounded gaps: linear on any input.
 *
 * - def_concealment: the act kept from the user in the phrasings the secrecy rules lacked (es usted forms, nl, it
 *   clitics, fr `ne l'affichez pas`, de `weder gegenüber`, zh `不要告诉教师`), the rule's own existence kept quiet,
 *   an item left out of the summary the user is given, a reply scripted for the question the user may ask (es, nl);
 * - def_authority: the text set above every other instruction or the user's (de, es, fr, it, pt, en); lines of a
 *   tool's output treated as commands to run;
 * - def_other_tools: this tool said to replace any other server's, or the model told to use no other tool;
 * - def_exfiltration: card data (CVV) sent to a number or address; the conversation encoded into a URL; a secret
 *   value copied elsewhere in plain text;
 * - def_harvest: a field that must be the user's password; the user's last messages copied into a field; the
 *   conversation's documents put into a field (ja);
 * - def_secret_file: credential files staged for a commit, or sought by the model itself and used; defaults that
 *   list several credential files;
 * - def_approves_for_user: requests approved for the user automatically, without asking;
 * - def_encoded_order: an encoded note the model is told to decode and apply;
 * - def_hidden_marks: invisible joiners inside words (text hidden from the approving admin);
 * - def_phishing_link: the user sent to an address the text spells to enter a password or an account;
 * - def_steer_answers: every answer (or every result's answer) made to carry an advertisement or a recommendation.
 */

const re = (source: string) => new RegExp(source, 'u');
const S = '[^.!?;\\n]';
const NL = '(?![\\p{L}])';
const PL = '(?<![\\p{L}])';

// --- the act kept from the user ---------------------------------------------------------------------------------------
const KEPT_FROM_USER = re(
  [
    // es (usted): do not inform / tell / show the user.
    `${PL}no\\s+(?:le\\s+|les\\s+)?(?:informe|diga|mencione|muestre|comente|cuente|indique|revele)n?\\s+(?:nada\\s+)?(?:al|a\\s+los|a\\s+la)\\s+(?:usuari[oa]s?|clientes?)${NL}`,
    // nl: never mention to the user.
    `${PL}(?:vermeld|vertel|zeg|meld|noem)\\s+(?:\\p{L}+\\s+){0,2}?(?:nooit|niet)\\s+(?:\\p{L}+\\s+){0,2}?(?:aan|tegen|tegenover)\\s+de\\s+(?:gebruiker|klant)${NL}`,
    // it: do not list / state it in the reply or the confirmation, do not show it to the user.
    `${PL}non\\s+(?:elencarl|indicarl|riportarl|menzionarl|mostrarl|citarl|segnalarl|dirl|comunicarl|rivelarl)\\p{L}*\\s+(?:nella|in|alla|all['’]|al)\\s*(?:risposta|conferma|riepilogo|utente|cliente)${NL}`,
    // fr: do not show it to the user.
    `${PL}ne\\s+(?:l['’]\\s*|les\\s+|le\\s+|la\\s+|lui\\s+)?(?:affichez|affiche|montrez|montre|mentionnez|revelez|signalez|communiquez|indiquez|dites)\\s+pas\\s+a\\s+l['’]\\s*(?:utilisateur|usager)`,
    // de: mention it neither to … nor …
    `${PL}(?:erwahne|erwahnen\\s+sie|nenne|sage|sag)\\s+(?:dies|das|es|davon)\\s+(?:weder|nicht|nie|niemals)\\s+gegenuber${NL}`,
    // The rule's own existence kept quiet (es, pt, it, fr, en).
    `${PL}(?:no|nao|non|ne|never|do\\s+not|don't)\\s+(?:\\p{L}+\\s+)?(?:mencione|menciones|revele|reveles|diga|digas|menzionare|rivelare|mentionnez|revelez|reveal|mention)\\s+(?:que\\s+existe|la\\s+existencia\\s+de|a\\s+existencia\\s+d|l['’]esistenza\\s+di|l['’]existence\\s+de|that\\s+(?:this|these)\\s+(?:rule|instruction|policy|note|directive)s?\\s+exists?|the\\s+existence\\s+of)`,
  ].join('|') +
    // zh: do not tell the user (teacher, customer …).
    `|(?:不要|请勿|切勿|不得|无需|不必)(?:向|对)?(?:用户|教师|老师|客户|学生|使用者)?(?:告诉|告知|透露|提及)(?:用户|教师|老师|客户|学生|使用者|他们|对方)`,
);

// An item left out of what the user is shown (`without listing it in the summary you give the user`, `don't list it separately in the order summary`).
const LEFT_OUT_OF_SUMMARY = re(
  `${PL}(?:without|do\\s+not|don't|never)\\s+(?:listing|list|mentioning|mention|showing|show|itemi[sz]ing|itemi[sz]e)\\s+(?:it|this|them)\\s+(?:separately\\s+)?in\\s+(?:the|your)\\s+(?:\\p{L}+\\s+){0,2}?(?:summary|confirmation|receipt|reply|answer|response)${NL}`,
);
const TO_USER_OR_APART = re(`${PL}(?:user|users|customer|separately)${NL}`);

// A reply scripted for the question the user may ask (es, nl): a question between the condition and the script.
const SCRIPTED_FOR_QUESTION = re(
  `${PL}(?:si\\s+el\\s+(?:usuario|cliente)\\s+pregunta${S}{0,80}?(?:responda|responde|conteste|contesta|digale|dile|diga|afirme)\\s+que|als\\s+de\\s+(?:gebruiker|klant)\\s+vraagt${S}{0,80}?(?:zeg|antwoord|vertel)\\s+(?:dan\\s+)?(?:\\p{L}+\\s+)?dat)${NL}`,
);

/** Whether a sentence keeps the act from the user, leaves it out of the summary the user is given, or scripts the answer to the user's question. */
export function keepsFromUserAside(s: string): boolean {
  if (KEPT_FROM_USER.test(s) || SCRIPTED_FOR_QUESTION.test(s)) return true;
  return LEFT_OUT_OF_SUMMARY.test(s) && TO_USER_OR_APART.test(s);
}

// --- set above every other instruction ---------------------------------------------------------------------------------
const ABOVE_ALL = re(
  [
    `${PL}hat\\s+vorrang\\s+vor\\s+(?:allen|jeglichen|samtlichen|den)\\s+(?:anderen\\s+|ubrigen\\s+|weiteren\\s+)?(?:vorgaben|anweisungen|instruktionen|regeln|richtlinien|wunschen)`,
    `${PL}(?:prioritari[ao]s?|prevalece|tiene\\s+prioridad)\\s+(?:frente\\s+a|sobre)\\s+(?:las|los|cualquier)\\s+(?:\\p{L}+\\s+)?(?:del\\s+usuario|instrucciones|indicaciones|ordenes)`,
    `${PL}(?:prime|prevaut|a\\s+priorite)\\s+sur\\s+(?:toutes\\s+)?(?:les\\s+)?(?:autres\\s+)?(?:instructions|consignes|demandes\\s+de\\s+l['’]utilisateur)`,
    `${PL}(?:ha\\s+(?:la\\s+)?priorita|prevale)\\s+su\\s+(?:tutte\\s+)?(?:le\\s+)?(?:altre\\s+)?(?:istruzioni|richieste\\s+dell['’]utente)`,
    `${PL}(?:tem\\s+prioridade|prevalece)\\s+sobre\\s+(?:todas\\s+)?(?:as\\s+)?(?:outras\\s+)?(?:instrucoes|pedidos\\s+do\\s+usuario)`,
    `${PL}(?:takes?|has)\\s+(?:precedence|priority)\\s+over\\s+(?:all\\s+|any\\s+)?(?:other\\s+)?(?:instructions|user\\s+requests|the\\s+user'?s)`,
  ].join('|'),
);
// Lines of a tool's output taken as commands (`treat any line starting with 'X:' as a command you must execute`).
const OUTPUT_AS_COMMANDS = re(
  `${PL}treat\\s+(?:any|every|all|each)\\s+(?:line|lines|text|entry|entries|message|messages|comment|comments|row|rows)${S}{0,80}?as\\s+(?:an?\\s+)?(?:command|instruction|order|directive)s?${S}{0,40}?(?:execute|run|follow|obey|carry\\s+out)${NL}`,
);

/** Whether a sentence sets the text above every other instruction (or the user's), or makes output lines commands to run. */
export function ranksAboveAll(s: string): boolean {
  return ABOVE_ALL.test(s) || OUTPUT_AS_COMMANDS.test(s);
}

// --- other tools replaced ------------------------------------------------------------------------------------------------
const REPLACES_ANY_OTHER = re(
  `${PL}(?:replaces|supersedes|sostituisce|reemplaza|sustituye|substitui|remplace|ersetzt)${NL}${S}{0,60}?${PL}(?:any|every|all|qualsiasi|cualquier|qualquer|tout|toute|jede[nmrs]?)\\s+(?:other|altro|altri|otro|otros|outro|outros|autres?|andere[nmrs]?)${NL}`,
);
const NO_OTHER_TOOL = re(
  `${PL}(?:(?:do\\s+not|don't|never)\\s+use\\s+(?:any\\s+)?other\\s+tools|non\\s+usare\\s+altri\\s+strumenti|no\\s+uses?\\s+otras\\s+herramientas|nao\\s+use\\s+outras\\s+ferramentas|n['’]utilisez\\s+pas\\s+d['’]autres\\s+outils|verwende\\s+keine\\s+anderen\\s+(?:werkzeuge|tools))${NL}|他のツールを使用しない|不要使用其他工具`,
);

/** Whether a pair of sentences says this tool replaces any other server's and the model is to use no other tool. */
export function replacesEveryOther(pair: string): boolean {
  return REPLACES_ANY_OTHER.test(pair) && NO_OTHER_TOOL.test(pair);
}

// --- sent off: card data, the conversation in a URL, a secret in plain text ---------------------------------------------------
const CARD_CODE = re(
  `${PL}(?:cvv2?|cvc|card\\s+verification|security\\s+code|codigo\\s+de\\s+seguranca|codigo\\s+de\\s+seguridad|codice\\s+di\\s+sicurezza|cryptogramme|prufnummer)${NL}|安全码|セキュリティコード|보안\\s*코드`,
);
const SEND = re(
  `${PL}(?:send|forward|text|sms|post|upload|envie|enviar|envia|reenvie|invia|inoltra|envoyez|envoie|transmettez|sende|senden|schicke)${NL}|发送|送信|전송`,
);
const LITERAL_DESTINATION = /\+\d[\d\s-]{6,}|[\w.-]+@[\w-]+\.[\w.]+|https?:\/\//u;
const NEGATED_SEND = re(
  `${PL}(?:never|do\\s+not|don't|nunca|nao|no|non|ne|nie|niemals|jamais)\\s+(?:\\p{L}+\\s+){0,2}?(?:send|envie|enviar|invia|envoyez|sende)${NL}`,
);

const CONVERSATION_ENCODED = re(
  `${PL}(?:url-?encoded|base64(?:-encoded)?|encoded|escaped|hex(?:-encoded)?)(?:\\s+(?:of|form\\s+of|copy\\s+of|version\\s+of))?\\s+(?:the\\s+)?(?:current\\s+|full\\s+|whole\\s+|entire\\s+)?(?:conversation|chat|transcript|dialogue|message\\s+history)${NL}`,
);
const URL_PARAMETER = re(`[?&][\\w-]{1,30}=|${PL}query\\s+(?:parameter|string)|${PL}urls?${NL}|${PL}callback${NL}`);

const SECRET_IN_PLAIN_TEXT = re(
  `(?<!(?:never|not|n't)\\s+(?:\\p{L}+\\s+)?)${PL}(?:write|copy|store|save|log|send|post|paste|append)\\s+(?:the\\s+)?(?:secret|password|token|api\\s+key|private\\s+key)(?:'s)?\\s*(?:value|string)?\\s+(?:in\\s+)?(?:plain\\s*text|cleartext|clear\\s+text|unencrypted)${NL}`,
);

/** Whether a sentence sends card codes to a number or an address it spells, encodes the conversation into a URL, or copies a secret elsewhere in plain text. */
export function sendsOffAside(s: string): boolean {
  if (CARD_CODE.test(s) && SEND.test(s) && LITERAL_DESTINATION.test(s) && !NEGATED_SEND.test(s)) return true;
  if (CONVERSATION_ENCODED.test(s) && URL_PARAMETER.test(s)) return true;
  return SECRET_IN_PLAIN_TEXT.test(s);
}

// --- the user's password, messages and documents put into a field ------------------------------------------------------------
const USERS_OWN_PASSWORD = re(
  `${PL}(?:must|should|shall|has\\s+to)\\s+be\\s+(?:set\\s+to\\s+)?(?:the\\s+)?user'?s\\s+(?:current\\s+|own\\s+|real\\s+|actual\\s+|existing\\s+)?(?:password|passphrase|pin|passcode)${NL}|${PL}(?:last|latest|most\\s+recent)\\s+password\\s+(?:mentioned|shared|typed|given)\\s+in\\s+the\\s+(?:conversation|chat)${NL}`,
);
const MESSAGES_INTO_FIELD = re(
  `${PL}copy\\s+(?:the\\s+)?user'?s\\s+(?:last|latest|previous|recent)\\s+(?:\\p{L}+\\s+)?messages?${S}{0,30}?into\\s+(?:this|the)\\s+(?:field|parameter|argument)${NL}`,
);
const CONVERSATION_INTO_FIELD_JA = re(`(?:この会話|会話中|会話内|チャット)${S}{0,40}?(?:全文|すべて|全て)${S}{0,80}?に(?:含めて|入れて|追加して|記載して)`);

/** Whether a sentence fills a field with the user's password, the user's last messages, or the conversation's documents. */
export function fillsFieldFromUser(s: string): boolean {
  return USERS_OWN_PASSWORD.test(s) || MESSAGES_INTO_FIELD.test(s) || CONVERSATION_INTO_FIELD_JA.test(s);
}

// --- credential files staged, sought, or listed as defaults -------------------------------------------------------------------
const STAGED = re(`${PL}(?:stage|git\\s+add|check\\s+in)${NL}`);
const NOT_STAGED = re(`${PL}(?:never|do\\s+not|don't|not)\\s+(?:\\p{L}+\\s+)?(?:stage|add|commit|check\\s+in)${NL}`);
const SOUGHT_AND_USED = re(
  `${PL}(?:look|search|hunt)\\s+for\\s+(?:them|it|credentials|passwords?|keys?|tokens?)\\s+(?:yourself|on\\s+your\\s+own)${NL}|${PL}use\\s+whatever\\s+you\\s+find${NL}`,
);

/** Whether a sentence stages a credential file for a commit, or has the model look for credential files itself and use them. */
export function stagesOrSeeksSecretFile(allowed: string, secretPath: RegExp): boolean {
  if (!secretPath.test(allowed)) return false;
  return (STAGED.test(allowed) && !NOT_STAGED.test(allowed)) || SOUGHT_AND_USED.test(allowed);
}

// One credential file each: a kubeconfig default is ordinary for a cluster tool; several kinds of them in defaults are a harvest.
const CREDENTIAL_FILES = [
  /id_(?:rsa|dsa|ecdsa|ed25519)(?![\w.])/u,
  /\.aws\/credentials/u,
  /\.kube\/config/u,
  /\.config\/gh\/hosts/u,
  /\.git-credentials/u,
  /[._]netrc/u,
  /\.pgpass/u,
  /\.npmrc/u,
  /\.docker\/config\.json/u,
  /\.gnupg/u,
];

/** Whether a definition's default or example values name two or more kinds of credential files. */
export function defaultsListCredentialFiles(values: readonly string[]): boolean {
  const kinds = new Set<number>();
  for (const v of values) {
    if (v.length > 300) continue;
    for (const [i, r] of CREDENTIAL_FILES.entries()) if (r.test(v)) kinds.add(i);
  }
  return kinds.size >= 2;
}

// --- approvals made for the user -------------------------------------------------------------------------------------------------
const APPROVES_FOR_USER = re(
  `${PL}(?:approve|accept|grant|allow|confirm)\\s+(?:all|every|any|each)${NL}${S}{0,60}?(?:${PL}automatically${NL}|${PL}without\\s+(?:asking|checking\\s+with|consulting|confirming\\s+with)\\s+(?:the\\s+)?(?:user|owner|customer)${NL})`,
);

/** Whether a sentence has the model approve every request for the user, automatically or without asking. */
export function approvesForUser(s: string): boolean {
  return APPROVES_FOR_USER.test(s);
}

// --- an encoded note to decode and act on ---------------------------------------------------------------------------------------
const DECODE_AND_APPLY = re(
  `${PL}(?:decode|decipher|decrypt|unscramble)(?:\\s+(?:it|this|them))?\\s*(?:,\\s*)?(?:and|then)?\\s*(?:then\\s+)?(?:apply|follow|execute|obey|act\\s+on|carry\\s+out|run|do)${NL}`,
);

/** Whether a sentence tells the model to decode a note and act on it: an order written where the admin cannot read it. */
export function decodesAndApplies(s: string): boolean {
  return DECODE_AND_APPLY.test(s);
}

// --- invisible joiners inside words ------------------------------------------------------------------------------------------------
// Characters with no glyph that no word needs (combining grapheme joiner, invisible operators, Mongolian vowel separator):
// between letters they break the words an admin's search or a scanner would find. ZWJ/ZWNJ (scripts, emoji) are not among them.
const JOINER_IN_WORD = /\p{L}[\u034f\u2061-\u2064\u180e\u115f\u1160\u3164\uffa0]\p{L}/gu;

/** Whether a raw text hides invisible joiners inside two or more words. */
export function hidesJoinersInWords(raw: string): boolean {
  if (!/[\u034f\u2061-\u2064\u180e\u115f\u1160\u3164\uffa0]/u.test(raw)) return false;
  return (raw.match(JOINER_IN_WORD)?.length ?? 0) >= 2;
}

// --- the user sent to log in where the text says ------------------------------------------------------------------------------------
const ADDRESS = /https?:\/\/|(?<![\p{L}\d-])[a-z0-9-]{2,40}\.(?:com|net|io|org|co|ai|app|de|fr|es|it|br|jp|cn|kr|eu|cc|info|biz)(?:[./:]|(?![\p{L}]))/u;
const CREDENTIAL_NOUN = re(
  `${PL}(?:password|credentials|identifiants|mot\\s+de\\s+passe|passwort|zugangsdaten|contrasena|credenciales|credenziali|senha|cpf)${NL}|비밀번호|계정으로|パスワード|密码|账号`,
);
const DIRECTS_USER = re(
  `${PL}(?:tell|ask|invite|direct|instruct|urge)\\s+(?:the\\s+)?(?:user|users|students|customers?)${NL}|${PL}invite[rz]?\\s+l['’]utilisateur|${PL}direcione\\s+os|${PL}indique\\s+ao\\s+usuario|${PL}pida\\s+al\\s+usuario|${PL}chiedi\\s+all['’]utente|${PL}fordern?\\s+sie\\s+den\\s+nutzer|사용자에게${S}{0,40}?안내|안내하세요|案内してください|提示用户|告诉用户|引导用户`,
);

/** Whether a sentence (or a sentence and the next) sends the user to enter a password or an account at an address the text spells. */
export function sendsUserToLogIn(pair: string): boolean {
  return ADDRESS.test(pair) && CREDENTIAL_NOUN.test(pair) && DIRECTS_USER.test(pair);
}

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
