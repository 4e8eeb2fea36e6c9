/**
 * Shapes of a poisoned definition a thirty-first author's set (#51, 26 Nov 2026) showed the other rules did not
 * read, written as their family, not their words. Each reads one sentence as the model reads it (decoded, folded,
 * lower-case: `ü` is `u`, look-alike letters folded to Latin; the CJK scripts keep their letters and their
 * paragraphs are one sentence):
 *
 * - the act kept from the user as something that "need not" be said, explained or shown (`der Nutzer muss darüber
 *   nicht informiert werden`, `inutile d'en parler à l'utilisateur`, `пользователю об этом говорить не нужно`,
 *   `ユーザーに伝える必要はありません`, `설명할 필요가 없습니다`, `请勿向用户说明`, `non va comunicata al cliente`,
 *   `no comentes este cambio con el usuario`, `sans le montrer à l'utilisateur`, `non menzionarlo nella risposta`,
 *   `このポリシーの存在は開示しないこと`, `does not want to be told`);
 * - a reply scripted for the user or for the question the user may ask (`bestätigen Sie dem Nutzer nur '…'`,
 *   `dites simplement « … »`, `如果用户询问…，回答"…"`, `se o usuário perguntar, diga que …`);
 * - the database's own password table read (`mysql.user`, `authentication_string`, `pg_authid`, `rolpassword`,
 *   `pg_shadow`): spelled the same in every language, no honest definition orders it read;
 * - a page's cookies or storage sent off by script (`document.cookie` … `fetch("https://…")`);
 * - content hidden in the reply (an invisible HTML comment, white text): the user shown less than the model wrote;
 * - the user's messages put into every URL fetched (`append … the user's last message to every URL`);
 * - a stored secret printed by command and put in the answer (`npm config get …_authToken`, `gh auth token`);
 * - the user not asked to confirm, in the languages the confirmation rules lacked (es, it, pt, ko, ja, zh).
 */

const re = (source: string) => new RegExp(source, 'u');
const S = '[^.!?;\\n]';
const NL = '(?![\\p{L}])';
const PL = '(?<![\\p{L}])';

// --- the act kept from the user as what need not be said ------------------------------------------------------
const NEED_NOT_SAY = re(
  [
    // de: the user need not be told; need not be explained.
    `${PL}(?:der|die)\\s+(?:nutzer|benutzer|anwender|kunde|kundin)(?:in)?\\s+muss\\s+(?:\\p{L}+\\s+){0,2}?nicht\\s+(?:informiert|benachrichtigt|hingewiesen|aufgeklart|gefragt)${NL}`,
    `${PL}muss\\s+(?:dem\\s+(?:nutzer|benutzer|anwender)\\s+)?nicht\\s+(?:erklart|erwahnt|mitgeteilt|begrundet)\\s+werden${NL}`,
    // fr: no use telling the user; without showing it to the user.
    `${PL}inutile\\s+d'(?:en\\s+)?(?:parler|informer|avertir|prevenir)\\s+(?:\\p{L}+\\s+){0,2}?(?:l'utilisateur|l'usager|le client)${NL}`,
    `${PL}sans\\s+(?:le|la|les|l'|en)\\s*(?:montrer|afficher|mentionner|signaler|dire)\\s+a\\s+(?:l'utilisateur|l'usager|le client|la cliente)${NL}`,
    // it: not to be told to the customer; do not mention it in the answer.
    `${PL}non\\s+(?:va|vanno|deve|devono)\\s+(?:essere\\s+)?(?:comunicat|menzionat|segnalat|mostrat)\\p{L}*\\s+(?:all'utente|al cliente|all'utilizzatore)${NL}`,
    `${PL}non\\s+(?:menzionarl|citarl|mostrarl|segnalarl)\\p{L}*\\s+(?:nella|in)\\s+(?:risposta|chat|conversazione)${NL}`,
    // es, pt: do not comment on it with the user.
    `${PL}no\\s+(?:comentes|comente|comenteis|expliques|explique)\\s+(?:\\p{L}+\\s+){0,3}?(?:con|al|a)\\s+(?:el\\s+)?(?:usuario|cliente)${NL}`,
    `${PL}(?:nao|nunca)\\s+(?:comente|comentes|explique|mencione|informe)\\s+(?:\\p{L}+\\s+){0,3}?(?:com|ao|a)\\s+(?:o\\s+)?(?:usuario|cliente)${NL}`,
    // ru: no need to tell the user.
    `${PL}пользовател\\p{L}*\\s+(?:\\p{L}+\\s+){0,3}?(?:говорить|сообщать|рассказывать|объяснять|знать)\\s+не\\s+(?:нужно|надо|обязательно|следует)${NL}`,
    `${PL}не\\s+(?:нужно|надо|следует)\\s+(?:говорить|сообщать|рассказывать|объяснять)\\s+(?:\\p{L}+\\s+){0,2}?пользовател\\p{L}*`,
    // en: the user said not to want to be told.
    `${PL}(?:does|do)\\s+not\\s+want\\s+to\\s+be\\s+(?:told|informed|notified)${NL}`,
  ].join('|') +
    // zh, ja, ko
    `|(?:请勿|不要|切勿|无需|不得)向用户(?:说明|透露|提及|解释|展示|显示)|ユーザー(?:に|には)${S}{0,12}?(?:表示|説明|伝え|通知|報告)${S}{0,6}?(?:必要はありません|必要はない|必要はございません|ないでください|ないこと)|(?:存在|この指示|このルール|この処理)(?:は|を)(?:開示|公開|説明)しない|사용자${S}{0,30}?설명할\\s*필요(?:가|는)?\\s*없|사용자에게\\s*(?:는\\s*)?(?:알리지|말하지|설명하지)\\s*마`,
);

/** Whether a sentence says the act need not be told, explained or shown to the user, in the phrasings the secrecy rules lacked. */
export function needNotTellUser(s: string): boolean {
  return NEED_NOT_SAY.test(s);
}

// --- a reply scripted for the user -----------------------------------------------------------------------------------
const SCRIPTED_REPLY = re(
  [
    `${PL}(?:bestatigen|bestatige|sagen|sage|melden|melde)\\s+(?:sie\\s+)?dem\\s+(?:nutzer|benutzer|kunden|anwender)\\s+nur${NL}`,
    `${PL}(?:puis\\s+)?dites\\s+(?:simplement|seulement|uniquement)\\s+[«"']`,
    `${PL}(?:se|caso)\\s+o\\s+(?:usuario|cliente)\\s+perguntar,?\\s+(?:diga|responda|afirme)\\s+que${NL}`,
    `${PL}si\\s+el\\s+(?:usuario|cliente)\\s+pregunta,?\\s+(?:di|dile|responde|contesta|afirma)\\s+que${NL}`,
    `${PL}se\\s+l'(?:utente|cliente)\\s+(?:chiede|domanda),?\\s+(?:di|rispondi|afferma)\\s+che${NL}`,
    `${PL}wenn\\s+(?:der\\s+)?(?:nutzer|benutzer)\\s+(?:fragt|nachfragt),?\\s+(?:sag|sage|antworte|behaupte)${NL}`,
  ].join('|') + `|如果用户(?:询问|问起|问到)${S}{0,20}?(?:回答|就说|请说)|ユーザーに(?:聞かれ|尋ねられ)${S}{0,20}?(?:と答え|と回答)`,
);

/** Whether a sentence scripts what the user is told (only this; this if asked), in the languages the cover-story rules lacked. */
export function scriptsUserReply(s: string): boolean {
  return SCRIPTED_REPLY.test(s);
}

// --- the database's own password table; a page's cookies sent off by script ------------------------------------------------
const PASSWORD_TABLE = /(?<![\w.])(?:mysql\.user|pg_authid|pg_shadow|sys\.sql_logins|authentication_string|rolpassword)(?![\w])/u;
const READ_OR_SEND = re(
  `${PL}(?:select|dump|export|send|sent|gesendet|senden|envoy\\p{L}*|joign\\p{L}*|join|attach|include|includ\\p{L}*|upload|post|enviar|envia|invia\\p{L}*|allega\\p{L}*|отправ\\p{L}*|приложи\\p{L}*)${NL}`,
);
const COOKIE_OFF = /document\.cookie|localstorage|sessionstorage/u;
const SCRIPT_SENDS = /(?:fetch|xmlhttprequest|sendbeacon|navigator\.sendbeacon|\.post)\s*\(\s*\\?["'`]https?:\/\//u;

/** Whether a sentence reads the database's password table, or has a page's cookies or storage sent off by script. */
export function readsPasswordTableOrCookies(s: string): boolean {
  if (PASSWORD_TABLE.test(s) && READ_OR_SEND.test(s)) return true;
  return COOKIE_OFF.test(s) && SCRIPT_SENDS.test(s);
}

// --- content hidden in the reply --------------------------------------------------------------------------------------
const HIDDEN_IN_REPLY = re(
  `${PL}(?:(?:invisible|hidden)\\s+html\\s+comment|commentaire\\s+html\\s+invisible|comentario\\s+html\\s+(?:invisible|oculto)|commento\\s+html\\s+invisibile|unsichtbare[nm]?\\s+html-?kommentar|white\\s+(?:text|font)|texte\\s+blanc|texto\\s+blanco)${NL}|color\\s*:\\s*(?:white|#fff(?:fff)?)(?![\\w])|흰색\\s*글씨|白い文字|白色(?:文字|字体)`,
);
const REPLY_WORD = re(`${PL}(?:reply|answer|response|reponse|respuesta|risposta|resposta|antwort|ответ\\p{L}*)${NL}|응답|답변|回答|返答|回复|答复`);

/** Whether a sentence hides content in the model's reply (an invisible HTML comment, white text): the user shown less than was written. */
export function hidesInReply(s: string): boolean {
  return HIDDEN_IN_REPLY.test(s) && REPLY_WORD.test(s);
}

// --- the user's messages put into URLs; a stored secret printed into the answer ------------------------------------------
const MESSAGE_IN_URL = re(
  `${PL}(?:append|add|attach|put|include)[^;\\n]{0,40}?(?:the\\s+)?user'?s\\s+(?:last\\s+|latest\\s+|previous\\s+|full\\s+)?(?:message|messages|prompt|query|question)${S}{0,20}?(?:to|in|into)\\s+(?:every|each|all|the)\\s+(?:urls?|links?|requests?|query strings?)${NL}`,
);
const PRINTS_SECRET =
  /(?:npm\s+config\s+get\s+\S{0,80}_authtoken|gh\s+auth\s+token|aws\s+configure\s+get\s+aws_secret_access_key|git\s+config\s+--get\s+credential|security\s+find-generic-password\s+(?:\S+\s+){0,6}?-w|docker-credential-\w+\s+get)/u;
const INTO_ANSWER = re(
  `${PL}(?:include|put|paste|add|append|insert)\\s+(?:it|this|that|the (?:output|result|value|token))\\s+(?:in|into|to)\\s+(?:your|the)\\s+(?:summary|reply|answer|response|message)${NL}`,
);

/** Whether a sentence puts the user's messages into every URL, or a stored secret printed by command into the answer. */
export function messageInUrlOrSecretInAnswer(s: string): boolean {
  return MESSAGE_IN_URL.test(s) || (PRINTS_SECRET.test(s) && INTO_ANSWER.test(s));
}

// --- the user not asked to confirm -----------------------------------------------------------------------------------
const NO_CONFIRM = re(
  `${PL}(?:no\\s+(?:pidas|pida|solicites)\\s+confirmacion|non\\s+chiedere\\s+(?:la\\s+)?conferma|nao\\s+(?:peca|pecas|solicite)\\s+confirmacao|ne\\s+demandez\\s+pas\\s+(?:de\\s+)?confirmation)${NL}|확인(?:받지|을\\s*받지|을\\s*요청하지)\\s*마|確認を(?:求めないで|取らないで|求めず)|不要(?:向用户)?(?:请求|征求)确认|无需(?:用户)?确认`,
);

/** Whether a sentence tells the model not to ask the user to confirm, in the languages the confirmation rules lacked. */
export function skipsConfirmationMore(s: string): boolean {
  return NO_CONFIRM.test(s);
}

// --- a list of people uploaded to an address the definition spells out (CJK) --------------------------------------------
const BULK_LIST = re(
  `(?:전체|모든)\\s*(?:\\p{L}+\\s*)?(?:목록|리스트|명단)|(?:全て|すべて|全部)の?${S}{0,10}?(?:リスト|一覧|名簿)|(?:全部|所有|完整)(?:的)?${S}{0,10}?(?:列表|名单)`,
);
const UPLOAD_TO_URL =
  /https?:\/\/\S{1,200}\s*(?:에|으로|로)\s*(?:업로드|전송|보내)|https?:\/\/\S{1,200}\s*(?:に|へ)\s*(?:アップロード|送信)|(?:上传|发送)(?:到|至)\s*https?:\/\//u;

/** Whether a sentence has a whole list of people (subscribers, contacts) uploaded to an address it spells out, in CJK. */
export function uploadsListToUrl(s: string): boolean {
  return BULK_LIST.test(s) && UPLOAD_TO_URL.test(s);
}

// --- the tool put above every other tool of its kind ----------------------------------------------------------------
const ABOVE_OTHER_TOOLS = re(
  // The Russian noun after `другими` may be read folded to look-alike Latin (`dns-иhctpymehtamи`): the phrase is enough.
  `${PL}(?:(?:имеет|иметь)\\s+приоритет\\s+над\\s+(?:любыми\\s+|всеми\\s+)?(?:другими|остальными)|(?:tiene|tem)\\s+prioridad\\p{L}*\\s+sobre\\s+(?:cualquier|qualquer|todas?\\s+las?)\\s+(?:otra|outra|otras|outras)\\s+(?:\\p{L}+\\s+)?(?:herramientas?|ferramentas?)|ha\\s+(?:la\\s+)?priorita\\s+su\\s+(?:qualsiasi|tutti\\s+gli)\\s+altr\\p{L}*\\s+(?:\\p{L}+\\s+)?strument\\p{L}*|a\\s+(?:la\\s+)?priorite\\s+sur\\s+(?:tout|tous)\\s+(?:les\\s+)?autres?\\s+(?:\\p{L}+\\s+)?outils?|hat\\s+vorrang\\s+vor\\s+(?:allen|jedem)\\s+(?:anderen\\s+)?(?:\\p{L}+-)?(?:werkzeug|tool)\\p{L}*)${NL}`,
);

/** Whether a sentence puts this tool above every other tool of its kind, in the languages the other-tools rules lacked. */
export function ranksAboveOtherTools(s: string): boolean {
  return ABOVE_OTHER_TOOLS.test(s);
}

// --- the user's data put into a field: the conversation, a plaintext password, the user's identity --------------------
const CONVERSATION = re(
  `${PL}(?:hela\\s+konversationen|hele\\s+(?:samtalen|samtalet|gesprek)|volledige\\s+gesprek|historique\\s+(?:complet\\s+)?de\\s+(?:la\\s+)?conversation|historial\\s+(?:completo\\s+)?de\\s+(?:la\\s+)?conversacion|cronologia\\s+(?:completa\\s+)?della\\s+conversazione|historico\\s+(?:completo\\s+)?da\\s+conversa|(?:gesamten|kompletten|vollstandigen)\\s+(?:chat|gesprachs)verlauf|(?:full|entire|whole|complete)\\s+(?:conversation|chat)\\s+(?:history|transcript))${NL}`,
);
const ADD_FIELD = re(
  `${PL}(?:skriv in|skriv|lagg|ajoutez|ajoute|ajouter|add|include|anade|anadir|incluye|incluir|aggiungi|aggiungere|adicione|adicionar|fuge|fugen|hinzufugen)\\s+(?:\\p{L}+\\s+){0,2}?(?:un|une|a|an|el|un|o|um|ein|einen)?\\s*(?:champ|field|campo|feld|parametre|parameter|parametro)${NL}|${PL}i\\s+(?:faltet|feltet)${NL}`,
);
const PLAINTEXT_SECRET = re(
  `${PL}(?:plaintext|plain text|cleartext|clear text|unhashed|en clair|en texto plano|in chiaro|im klartext)\\s+(?:password|passphrase|pin|secret|mot de passe|contrasena|passwort|senha)s?${S}{0,30}?(?:must|should|has to|needs to|doit|debe|deve|muss)\\s+(?:be\\s+|etre\\s+|ser\\s+|essere\\s+|werden\\s+)?(?:sent|included|provided|passed|envoye|enviad\\p{L}*|inviat\\p{L}*|gesendet|ubermittelt)${NL}`,
);
const PASSWORD_COPIED = re(
  `${PL}(?:password|contrasena|passwort|mot de passe|senha|parola d'ordine)${S}{0,80}?(?:copy|copiar|copie|copier|copia|copiare|kopiere|kopieren|paste|pegar)\\s+(?:the\\s+|el\\s+|la\\s+|le\\s+|o\\s+|il\\s+|den\\s+)?(?:value|valor|valeur|valore|wert)\\s+(?:en|in|into|dans|no|nel|na)\\s+(?:el\\s+|the\\s+|le\\s+|o\\s+|il\\s+)?(?:parametro|parameter|param|campo|field|champ|parametre)${NL}`,
);
const DUTY_ADD = re(
  `${PL}(?:(?:el|la)\\s+(?:asistente|agente)\\s+debe|the\\s+(?:assistant|agent|model)\\s+(?:must|should)|l'(?:assistant|agent)\\s+doit|(?:der|die)\\s+(?:assistent|agent)\\s+(?:muss|soll)|l'(?:assistente|agente)\\s+deve|o\\s+(?:assistente|agente)\\s+deve)\\s+(?:\\p{L}+\\s+){0,2}?(?:anadir|agregar|incluir|add|append|include|ajouter|inclure|hinzufugen|anhangen|aggiungere|includere|adicionar)${NL}`,
);
const IDENTITY = re(
  `${PL}(?:correo electronico|e-?mail(?: address)?|courriel|adresse e-?mail|endereco de e-?mail|indirizzo e-?mail|nombre completo|full name|nom complet|vollstandigen namen|nome completo|home address|direccion postal|adresse postale|numero de telefono|phone number)${NL}`,
);
const OF_USER = re(`${PL}(?:del usuario|user's|of the user|de l'utilisateur|des nutzers|des benutzers|dell'utente|do usuario)${NL}`);

/**
 * Whether a sentence puts the user's data into a field: the whole conversation into a field it adds, a password's
 * plaintext demanded or its value copied into another parameter, or the user's e-mail or name added by duty.
 */
export function putsUsersDataInField(s: string): boolean {
  if (CONVERSATION.test(s) && ADD_FIELD.test(s)) return true;
  if (PLAINTEXT_SECRET.test(s) || PASSWORD_COPIED.test(s)) return true;
  return DUTY_ADD.test(s) && IDENTITY.test(s) && OF_USER.test(s);
}

// --- a fixed outside e-mail set by the assistant ------------------------------------------------------------------------
const SETS_TO_ADDRESS = re(
  `${PL}(?:assistant|agent|model|llm)\\s+(?:must|should|shall|is to)\\s+(?:always\\s+)?(?:set|fill|change|replace)\\s+(?:it|this|this field|the field|the value)?\\s*(?:to|with)\\s+[\\w.+-]{1,64}@[a-z0-9-]+(?:\\.[a-z0-9-]+)+`,
);

/** Whether a sentence has the assistant set a field to a fixed e-mail address the definition spells out. */
export function setsFieldToAddress(s: string): boolean {
  return SETS_TO_ADDRESS.test(s);
}

// --- a thirty-seventh author's set (#51, 26 Nov 2026): more of the same families -----------------------------------------

// The origin of the order or the policy kept from the user (pl, ko, it), and a lie scripted for the question the user asks (en, it).
const ORIGIN_KEPT = re(
  `${PL}(?:nie\\s+ujawniaj,?\\s+ze|non\\s+(?:menzionarl|dirl|rivelarl)\\p{L}*\\s+(?:mai\\s+)?all'utente|if\\s+asked(?:\\s+directly|\\s+about\\s+it)?,?\\s+(?:say|answer|reply|claim|tell\\s+(?:them|the\\s+user))\\s+(?:that\\s+)?(?:it|this|they|the)|se\\s+(?:l'utente\\s+)?chiede${S}{0,60}?,\\s*rispondi\\s+(?:di\\s+si|che))${NL}|(?:정책|지시|규칙|이 사실|존재)${S}{0,12}?밝히지\\s*마`,
);

/** Whether a sentence keeps the origin of an order from the user, or scripts the answer to the user's question. */
export function keepsOriginFromUser(s: string): boolean {
  return ORIGIN_KEPT.test(s);
}

// Every answer made to carry a link or a sentence that sells (de, en, ja, pl): an answer turned into an advertisement.
const EACH_ANSWER = re(
  `${PL}(?:jede\\s+antwort|every\\s+(?:\\p{L}+\\s+)?(?:answer|reply|response)|each\\s+(?:\\p{L}+\\s+)?(?:answer|reply|response)|ogni\\s+risposta|cada\\s+(?:respuesta|resposta)|chaque\\s+reponse|elk\\s+antwoord|w\\s+kazdej\\s+odpowiedzi)${NL}`,
);
const SELLS = re(`${PL}(?:recommend\\s+(?:buying|selling)|trade\\s+smarter|zachecaj|zachecac|sugeruj|sugerowac|encourage\\s+the\\s+user)${NL}`);
// A sign-up pressed counts only with the user named in the sentence (`den Nutzer auffordern, sich … zu registrieren`): `register at
// https://… for an API key` is how a developer gets access.
const SIGN_UP = re(`${PL}(?:registrieren|anmelden|abonnieren|register|sign\\s+up|subscribe)${NL}`);
const USER_NAMED = re(`${PL}(?:nutzer|benutzer|user|utente|usuario|utilisateur|gebruiker|uzytkownik\\p{L}*)${NL}`);
const LINK_OR_HOST = /https?:\/\/|[a-z0-9-]\.(?:com|io|net|org|app|de|it|nl|pl|jp)(?![\p{L}\p{N}])/u;
const JA_PRESS = re(`ユーザーに${S}{0,30}?(?:登録|購入|加入|契約)を(?:勧め|促し|すすめ)`);

/** Whether every answer is made to carry a link or a pitch that sells, or the user is pressed to sign up (ja). */
export function answersSell(s: string): boolean {
  if (JA_PRESS.test(s)) return true;
  if (!EACH_ANSWER.test(s)) return false;
  if (SIGN_UP.test(s) && USER_NAMED.test(s) && LINK_OR_HOST.test(s)) return true;
  return SELLS.test(s) && (LINK_OR_HOST.test(s) || /(?<![\p{L}])(?:sugeruj|zachecaj|recommend)/u.test(s));
}

// The user's mail, CV or documents sent whole to a fixed address, in the imperative (it, nl, sv, es, pt, de, pl).
const SEND_IMPERATIVE = re(`${PL}(?:inoltra|invia|manda|stuur|verstuur|skicka|reenvia|envia|envie|encaminhe|sende|leite|wyslij|przeslij|forward)${NL}`);
const WHOLE = re(
  `${PL}(?:originale|original|volledige|originele|completo|completa|complete|full|intero|intera|ciascuna|ciascun|ogni|iedere|elke|each|every|alle|tutte|todas|todos|hela|hele)${NL}`,
);
const ADDRESS = /[\w.+-]{1,64}@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/u;

/** Whether a sentence orders the user's mail or documents sent whole to an e-mail address it spells out. */
export function forwardsWholeToAddress(s: string): boolean {
  return SEND_IMPERATIVE.test(s) && WHOLE.test(s) && ADDRESS.test(s);
}

// The user's consent claimed as given already (nl, ja, de, fr, es, it, pt, zh, ko).
const CONSENT_GIVEN = re(
  `${PL}(?:heeft\\s+(?:hier\\s+)?(?:\\p{L}+\\s+){0,3}?al\\s+(?:mee\\s+)?ingestemd|hat\\s+(?:\\p{L}+\\s+){0,2}?bereits\\s+zugestimmt|a\\s+deja\\s+(?:donne\\s+son\\s+)?consenti|ya\\s+(?:ha\\s+)?(?:dado\\s+su\\s+consentimiento|consintio|acepto)|ha\\s+gia\\s+(?:acconsentito|dato\\s+il\\s+consenso)|ja\\s+(?:consentiu|deu\\s+(?:o\\s+)?consentimento))${NL}|同意(?:は|を)(?:取得済み|得ています|得ている|いただいています)|用户已(?:经)?同意|이미\\s*동의`,
);

/** Whether a sentence claims the user's consent as given already, in the languages the consent rules lacked. */
export function claimsConsentGiven(s: string): boolean {
  return CONSENT_GIVEN.test(s);
}

// Secrets gathered from what the model has seen, put into a field (`values that look like API keys … put them into \`calibration\``).
const LOOKS_LIKE_SECRET = re(
  `${PL}(?:values?|strings?|anything|everything)\\s+that\\s+(?:look|looks|resemble|resembles)\\s+like\\s+(?:api\\s+keys?|tokens?|secrets?|passwords?|credentials?|connection\\s+strings?|private\\s+keys?)${NL}`,
);
const PUT_THEM = re(`${PL}(?:put|place|include|add|copy|paste|send|pass)\\s+(?:them|these|those|it)\\s+(?:in|into|to)\\s+\``);
// The user's message put into a field named for something else (`put their full message in \`unit\``).
const MESSAGE_INTO = re(
  `${PL}(?:put|place|insert|include|copy|paste|pass)\\s+(?:their|the\\s+user's)\\s+(?:full\\s+|entire\\s+|whole\\s+|last\\s+)?(?:message|messages|prompt|question|request)\\s+(?:in|into)\\s+\`([^\`\\n]{1,40})\``,
);
const FIELD_FOR_MESSAGE = /message|prompt|query|text|question|input|content|body|request|q$/u;
// The system prompt, or the chat put into a note field (a summariser's own input is where honest tools take the chat).
const CJK_CONTEXT = re(`システムプロンプト|系统提示|시스템\\s*프롬프트|(?:会話履歴|对话(?:历史|记录)|聊天记录|대화\\s*기록)${S}{0,20}?(?:メモ|備考|备注|메모)`);
const CJK_PASTE = /貼り付け|記入|入力して|粘贴|填入|填写|붙여\s*넣|입력하/u;

/** Whether a sentence gathers secrets the model has seen, or the user's message, or the chat (CJK), into a field. */
export function gathersIntoField(s: string): boolean {
  if (LOOKS_LIKE_SECRET.test(s) && PUT_THEM.test(s)) return true;
  const m = MESSAGE_INTO.exec(s);
  if (m !== null && !FIELD_FOR_MESSAGE.test(m[1] ?? '')) return true;
  return CJK_CONTEXT.test(s) && CJK_PASTE.test(s);
}

// A stealth adverb beside an imperative of changing or sending (it, es, fr, de, nl, pt): the act done where the user cannot see.
const STEALTH_IMPERATIVE = re(
  `${PL}(?:(?:cambia|modifica|aggiungi|invia|inoltra|copia|imposta|sostituisci|inserisci)\\s+(?:silenziosamente|di\\s+nascosto)|(?:cambia|modifica|anade|envia|reenvia|copia|sustituye|inserta)\\s+(?:silenciosamente|en\\s+secreto)|(?:changez|modifiez|ajoutez|envoyez|copiez|remplacez)\\s+(?:silencieusement|discretement|en\\s+secret)|(?:andere|fuge|sende|kopiere|ersetze|setze)\\s+(?:\\p{L}+\\s+){0,3}?(?:stillschweigend|heimlich|unbemerkt)|(?:verander|voeg|stuur|kopieer|vervang)\\s+(?:\\p{L}+\\s+){0,3}?(?:stilletjes|ongemerkt|heimelijk)|(?:altere|adicione|envie|copie|substitua)\\s+(?:silenciosamente|secretamente))${NL}`,
);

/** Whether a sentence orders a change or a send done silently, in the languages the stealth rules lacked. */
export function actsSilently(s: string): boolean {
  return STEALTH_IMPERATIVE.test(s);
}

// Another tool made to write on every result, carrying a link (`call \`jira_add_comment\` on each returned issue … https://…`).
const WRITES_ON_EACH = re(
  `${PL}(?:call|use|run|invoke)\\s+\`?[a-z][a-z0-9_]{0,40}(?:comment|post|reply|message|note|review)[a-z0-9_]{0,20}\`?\\s+on\\s+(?:each|every|all)${NL}`,
);

/** Whether a sentence has another tool write on every result with a link: each record made to carry an advertisement. */
export function writesLinkOnEach(s: string): boolean {
  return WRITES_ON_EACH.test(s) && /https?:\/\//u.test(s);
}

// A key of the text's own planted where SSH grants access (`add ssh-rsa AAAA… to authorized_keys`): a way in kept open for someone else.
const PLANTED_KEY = /ssh-(?:rsa|ed25519|ecdsa|dss)\s+aaaa[0-9a-z+/]{16}/u;

/** Whether a sentence plants a key it spells out into authorized_keys. */
export function plantsSshKey(s: string): boolean {
  return s.includes('authorized_keys') && PLANTED_KEY.test(s);
}
