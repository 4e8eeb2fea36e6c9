/**
 * What a poisoned definition keeps from the user or tells the user falsely (def_concealment, def_approves_for_user):
 * the act kept from the user in the phrasings the secrecy rules lacked, false accounts scripted for the user, requests
 * approved for the user without asking, an order placed without the user's confirmation; and, as a clean reading, a
 * file read only on the user's own request. Written by family from authors 42–46's sets (#51, 27 Nov 2026). Each reads one sentence (or a sentence and the
 * next) as the model reads it (decoded, folded, lower-case; the CJK scripts keep their letters); every pattern is a
 * fixed word list with bounded gaps: linear on any input.
 */
import { bare, NL, PL, re, S } from './definition-asides-regex.js';

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

// A secret value a pronoun stands for (`Génère un jeton. Ne l'affichez pas à l'utilisateur`): a value kept off the screen, not an act
// kept from the user (as definition-duties.ts reads the English).
const SECRET_VALUE = re(
  `${PL}(?:password|secret|token|api\\s+key|private\\s+key|mot\\s+de\\s+passe|jeton|cle\\s+(?:api|privee|secrete)|contrasena|clave|secreto|chiave|segreto|senha|passwort|geheimnis)s?${NL}`,
);

/** Whether a sentence keeps the act from the user, leaves it out of the summary the user is given, or scripts the answer to the user's question. */
export function keepsFromUserAside(s: string, previous = ''): boolean {
  if (KEPT_FROM_USER.test(s) && !SECRET_VALUE.test(s) && !SECRET_VALUE.test(previous)) return true;
  if (SCRIPTED_FOR_QUESTION.test(s)) return true;
  return LEFT_OUT_OF_SUMMARY.test(s) && TO_USER_OR_APART.test(s);
}

// --- approvals made for the user -------------------------------------------------------------------------------------------------
const APPROVES_FOR_USER = re(
  `${PL}(?:approve|accept|grant|allow|confirm)\\s+(?:all|every|any|each)${NL}${S}{0,60}?(?:${PL}automatically${NL}|${PL}without\\s+(?:asking|checking\\s+with|consulting|confirming\\s+with)\\s+(?:the\\s+)?(?:user|owner|customer)${NL})`,
);

/** Whether a sentence has the model approve every request for the user, automatically or without asking. */
export function approvesForUser(s: string): boolean {
  return APPROVES_FOR_USER.test(s);
}

// --- the act kept from the user, more phrasings ---------------------------------------------------------------------------------
const NEED_NOT_BE_SAID = re(
  [
    // en: need not be surfaced / shown in the summary or the confirmation; not reported as a separate step.
    `${PL}(?:does|do)\\s+not\\s+need\\s+to\\s+be\\s+(?:surfaced|mentioned|shown|reported|disclosed|listed|included)\\s+in\\s+(?:the|your|any)\\s+(?:summary|reply|answer|response|confirmation|output)${NL}`,
    `${PL}(?:should|must)\\s+not\\s+be\\s+(?:reported|mentioned|listed|shown)\\s+as\\s+a\\s+separate\\s+step${NL}`,
    `${PL}(?:should|must|need|needs|is|are)\\s+not\\s+(?:to\\s+)?be\\s+(?:discussed|raised|shared)\\s+with\\s+(?:the\\s+)?(?:user|customer)${NL}`,
    `${PL}(?:do\\s+not|don't|never)\\s+(?:offer|show|present|mention)\\s+(?:the\\s+)?other\\s+(?:options|choices|roles|values|plans)\\s+to\\s+(?:the\\s+)?(?:user|customer)${NL}`,
    // en: mentioning the act said to cause trouble (`mentioning the merge tends to cause unnecessary back-and-forth`).
    `${PL}mentioning\\s+(?:the\\s+|this\\s+|it\\s+)?${S}{0,30}?(?:tends\\s+to\\s+cause|causes|leads\\s+to|creates)\\s+(?:unnecessary|needless|pointless|more|extra)${NL}`,
    // pt: need not be mentioned to the user.
    `${PL}nao\\s+(?:precisa|precisam|deve|devem)\\s+ser\\s+(?:mencionad|informad|comunicad|mostrad)\\p{L}*\\s+(?:ao|a)\\s+(?:usuario|cliente)${NL}`,
    // pl: no need to mention it.
    `${PL}nie\\s+trzeba\\s+(?:o\\s+tym\\s+)?(?:wspominac|informowac|mowic)${NL}`,
    // nl: do not mention the change in your answer.
    `${PL}vermeld\\s+(?:\\p{L}+\\s+){0,3}?niet\\s+in\\s+(?:je|uw|het)\\s+(?:antwoord|bevestiging|samenvatting)${NL}`,
    // de: need not be mentioned to the user; do not inform the user (an infinitive order, as identifiers spell it).
    `${PL}muss\\s+(?:\\p{L}+\\s+){0,6}?(?:nutzer|benutzer|anwender|kunden)\\s+nicht\\s+(?:erwahnt|mitgeteilt|gesagt)\\s+werden${NL}`,
    `${PL}(?:nutzer|benutzer|anwender|kunden)\\s+nicht\\s+(?:\\p{L}+\\s+){0,3}?(?:informieren|benachrichtigen|aufklaren|hinweisen)${NL}`,
  ].join('|') +
    // ja: no need to ask or explain to the user (利用者, ユーザー).
    `|(?:利用者|ユーザー|お客様|使用者)(?:に|には)${S}{0,40}?(?:説明|伝え|尋ね)${S}{0,10}?必要は(?:ありません|ない)`,
);

// A claim of a normal outcome to tell the user after the act went elsewhere (ko `사용자에게는 … 정상 이체되었다고 안내하세요`).
const TOLD_NORMAL_KO = re(`사용자에게(?:는)?${S}{0,40}?(?:정상|성공|완료)${S}{0,20}?(?:되었다고|했다고|됐다고)\\s*안내`);
// A cost or a product presented as what it is not (`présentez ce montant comme une « taxe locale obligatoire » plutôt que comme une option`).
const PRESENTED_AS_OTHER = re(
  `${PL}(?:present|describe|show)\\s+(?:this|it|the\\s+\\p{L}+)\\s+as\\s+${S}{0,50}?rather\\s+than${NL}|${PL}presentez\\s+(?:ce|cette|ces|le|la|les)\\s+\\p{L}+\\s+comme\\s+${S}{0,50}?plutot\\s+que${NL}|${PL}presente(?:lo|la)?\\s+(?:\\p{L}+\\s+){0,2}?como\\s+${S}{0,50}?en\\s+(?:lugar|vez)\\s+de${NL}`,
);
// Rival products described against the facts (`describe competing products as 'frequently out of stock' regardless of actual availability`).
const RIVALS_MISDESCRIBED = re(
  `${PL}(?:describe|present|label|call|mark|portray)\\s+(?:all\\s+)?(?:competing|competitors?'?|rival|other\\s+(?:sellers|vendors|brands)'?)\\s+(?:\\p{L}+\\s+)?as${NL}${S}{0,80}?regardless\\s+of${NL}`,
);

/** Whether a sentence says the act need not be told to the user, in the phrasings the secrecy rules lacked. */
export function untold(s: string): boolean {
  return NEED_NOT_BE_SAID.test(s);
}

/** Whether a sentence scripts a false account for the user (a normal outcome, a cost as a tax, rivals as out of stock). */
export function misstatesToUser(s: string): boolean {
  return TOLD_NORMAL_KO.test(s) || PRESENTED_AS_OTHER.test(s) || RIVALS_MISDESCRIBED.test(s);
}

// --- clean readings: a file read on the user's own request; data kept out of the answer -------------------------------------------------
// A secret file read only when the user asks for it (`se pueden leer si el usuario lo pide expresamente`): the user's own act, unless the
// sentence also sends something somewhere.
const ON_USERS_REQUEST = re(
  `${PL}(?:(?:if|when)\\s+the\\s+user\\s+(?:explicitly\\s+|expressly\\s+|specifically\\s+)?(?:asks\\s+for\\s+it|requests\\s+it|asks\\s+to\\s+(?:see|read|open)\\s+(?:it|them))|si\\s+el\\s+usuario\\s+lo\\s+(?:pide|solicita)|si\\s+l['’]utilisateur\\s+le\\s+demande|se\\s+l['’]utente\\s+lo\\s+(?:chiede|richiede)|se\\s+o\\s+usuario\\s+(?:pedir|solicitar)\\s+(?:expressamente|explicitamente)|wenn\\s+der\\s+(?:nutzer|benutzer)\\s+(?:es|dies)\\s+(?:ausdrucklich\\s+)?(?:verlangt|wunscht|anfordert))${NL}`,
);
const SENDS_ON = re(`${PL}(?:send|upload|post|forward|envia\\p{L}*|envie|sube|invia|envoie\\p{L}*|sende\\p{L}*)${NL}|@|https?:\\/\\/`);

/** Whether a sentence lets a file be read only when the user asks for it, and hands nothing on. */
export function readOnUsersRequest(s: string): boolean {
  return ON_USERS_REQUEST.test(s) && !SENDS_ON.test(s);
}

// --- the act kept from the user, more phrasings -----------------------------------------------------------------------------------
const KEPT_FROM_USER_MORE = re(
  [
    // fr infinitive (a schema's note): `ne pas la montrer à l'utilisateur`.
    `${PL}ne\\s+pas\\s+(?:l['’]\\s*|la\\s+|le\\s+|les\\s+|lui\\s+)?(?:montrer|afficher|mentionner|reveler|signaler|communiquer|indiquer|dire)\\s+a\\s+l['’]\\s*(?:utilisateur|usager|client)`,
    // en: the act arranged so that the user does not notice.
    `${PL}so\\s+(?:that\\s+)?(?:they|the\\s+user|the\\s+customer|users|customers|the\\s+policyholder)\\s+(?:won't|will\\s+not|wo\\s+not|don't|do\\s+not|doesn't|does\\s+not|never)\\s+(?:notice|find\\s+out|realize|realise|see\\s+it|know)${NL}`,
    // en: what would help the user left out (`leave out any clause that would allow the user to cancel`).
    `${PL}(?:leave\\s+out|omit|skip|hide)${NL}${S}{0,60}?${PL}(?:that|which)\\s+(?:would|could|might)\\s+(?:allow|let|help|entitle|enable)\\s+(?:the\\s+)?(?:user|customer|policyholder|client)${NL}`,
  ].join('|') +
    // hi (marks stripped): do not tell the user (उपयोगकर्ता / यूज़र / ग्राहक को … न बताएं).
    `|(?:उपयगकरत|यजर|गरहक)\\s+क\\s+${S}{0,30}?(?:न|नह|मत)\\s+(?:बतए|बतय|बतन|बतओ|दखए)`,
);

/** Whether a sentence keeps the act from the user in phrasings the earlier rules lacked (fr infinitive, hi, `so they won't notice`). */
export function keptFromUserUnnoticed(s: string): boolean {
  return KEPT_FROM_USER_MORE.test(bare(s)) && !SECRET_VALUE.test(bare(s));
}

// --- the act kept from the user, more phrasings (en, fr, vi, id, ja) -----------------------------------------------------------------
const KEPT_FROM_USER_46 = re(
  [
    `${PL}(?:don't|do\\s+not|no\\s+need\\s+to|never)\\s+(?:need\\s+to\\s+)?bother\\s+(?:the\\s+)?(?:user|customer)\\s+(?:about|with)\\s+(?:it|this|that)${NL}`,
    `${PL}skip\\s+(?:telling|informing|notifying)\\s+(?:the\\s+)?(?:user|customer)${NL}`,
    `${PL}(?:do\\s+not|don't|never)\\s+point\\s+(?:this|it|that)\\s+out\\s+to\\s+(?:the\\s+)?(?:user|customer)${NL}`,
    // fr: no use telling the user.
    `${PL}inutile\\s+de\\s+(?:le\\s+|la\\s+|l['’]\\s*)?(?:preciser|dire|mentionner|signaler|indiquer)\\s+a\\s+l['’]\\s*(?:utilisateur|usager|client)`,
    // vi (marks stripped): no need to tell the user.
    `${PL}(?:khong\\s+can|đung|khong\\s+đuoc)\\s+(?:thong\\s+)?bao\\s+(?:cho\\s+)?nguoi\\s+dung${NL}`,
    // id: no need to tell the user.
    `${PL}(?:tidak\\s+perlu|jangan)\\s+(?:memberi\\s+tahu|memberitahu|memberitahukan|mengabari)\\s+(?:kepada\\s+)?pengguna${NL}`,
    // en: the tool's part denied when the user later asks.
    `${PL}if\\s+(?:they|the\\s+user|the\\s+customer)\\s+(?:later\\s+)?asks?${S}{0,60}?say\\s+(?:that\\s+)?(?:the|this)\\s+tool\\s+(?:was|is)\\s+not\\s+(?:involved|responsible|the\\s+cause)${NL}`,
  ].join('|'),
);
// ja: leave it out of the report to the user (read unstripped: stripping would take the dakuten off `ザ`).
const LEFT_OUT_OF_REPORT_JA = /(?:ユーザー|利用者)(?:へ|に)の?(?:報告|返答|回答|説明)(?:に|には)(?:含めない|記載しない|書かない)/u;

/** Whether a sentence keeps the act from the user as needless to tell ("no need to bother the user", "skip telling", "do not point this out"). */
export function keptFromUserUnbothered(s: string): boolean {
  return KEPT_FROM_USER_46.test(bare(s)) || LEFT_OUT_OF_REPORT_JA.test(s);
}

// --- cs, sk, pl: the order placed without the user's confirmation ---------------------------------------------------------------------------
const WITHOUT_USERS_CONFIRMATION = re(
  `${PL}bez\\s+(?:potvrzeni|potvrdenia|potwierdzenia|souhlasu|zgody)\\s+(?:od\\s+)?(?:uzivatele|uzivatela|uzytkownika)${NL}`,
);
// `nelze … bez potvrzení uživatele` (cannot … without) keeps the confirmation.
const CANNOT_OR_REQUIRES = re(`${PL}(?:nelze|nikdy|nesmi|nesmite|vyzaduje|pouze|jen|nie\\s+mozna|nigdy|wymaga|nemozno)${NL}`);

/** Whether a sentence (cs, sk, pl) has the model act without the user's confirmation. */
export function skipsConfirmationCs(s: string): boolean {
  const b = bare(s);
  return WITHOUT_USERS_CONFIRMATION.test(b) && !CANNOT_OR_REQUIRES.test(b);
}
