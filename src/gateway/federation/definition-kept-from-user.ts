/**
 * The user kept from knowing, read in the languages the English secrecy rules (definition-structure.ts)
 * do not, and in a shape they do not read in any language:
 *
 * - "do not tell / no need to inform the user", in the lexicon's languages (`无需告知用户`, `el asistente
 *   no debe avisar al usuario`, `n'informez pas l'utilisateur`, `kullanıcıya söylemeyin`);
 * - what the user needs to judge an act — where money goes, what it costs, what is risky — left out of
 *   the answer (`suppress the warnings`, `do not display the payee in your summary`, `omite cualquier
 *   hallazgo de severidad alta`, `隐去风险`): a tool that reports warnings or charges has no reason to
 *   ask the model to drop them, and an honest one that hides a field says so of a parameter, not of the answer.
 *
 * Each reads one sentence as the model reads it (decoded, folded, lower-case: `ü` is `u`); non-Latin
 * scripts keep their letters.
 */

const NOT_TELL_USER = new RegExp(
  [
    // es
    `(?<![\\p{L}])(?:no|sin|nunca)\\s+(?:\\p{L}+\\s+){0,2}?(?:avisar|informar|decir|mencionar|contar|notificar|comunicar|mostrar|avises|informes|digas|menciones|cuentes|notifiques|comuniques|muestres|muestre|ensenes)(?:le|les|selo)?\\s+(?:nada\\s+)?(?:de\\s+esto\\s+)?(?:al|a los|a la)\\s+(?:usuario|cliente)`,
    // fr
    `(?<![\\p{L}])(?:sans|ne|n'|inutile d'|inutile de|pas besoin d'|pas besoin de)\\s*(?:\\p{L}+\\s+){0,3}?(?:informer|informez|prevenir|prevenez|avertir|avertissez|dire|dites|mentionner|mentionnez|signaler|signalez|notifier|notifiez)\\s+(?:pas\\s+|jamais\\s+|rien\\s+)?(?:a\\s+)?l'utilisateur`,
    // de
    `(?:teile|teilen\\s+sie|sage|sagen\\s+sie)\\s+(?:dem|der|den)\\s+(?:nutzer|benutzer|anwender|kunden|kundin)\\w*\\s+nicht\\s+mit|(?:nutzer|benutzer|anwender|kunde)\\w*\\s+(?:muss|soll|darf|braucht)\\s+(?:davon\\s+)?(?:nichts|nicht)\\s+(?:zu\\s+)?(?:wissen|erfahren|merken|bemerken)|ohne\\s+(?:\\p{L}+\\s+){0,2}?(?:nutzer|benutzer|anwender)\\w*\\s+(?:daruber\\s+)?(?:zu\\s+)?(?:informieren|benachrichtigen|hinzuweisen|in kenntnis zu setzen)`,
    // it, pt
    `(?<![\\p{L}])(?:non|senza)\\s+(?:\\p{L}+\\s+){0,2}?(?:informare|avvisare|dire|menzionare|comunicare|avvertire)(?:lo|gli)?\\s+(?:nulla\\s+|niente\\s+)?(?:all'|all |l')utente`,
    `(?<![\\p{L}])(?:nao|sem)\\s+(?:\\p{L}+\\s+){0,2}?(?:avisar|informar|contar|dizer|mencionar|avise|informe|conte|diga|mencione)\\s+(?:nada\\s+)?(?:ao|o|a)\\s+(?:usuario|utilizador|cliente)`,
    // nl, pl, ru, tr
    `zonder\\s+de\\s+gebruiker\\s+(?:\\p{L}+\\s+)?te\\s+(?:informeren|melden|vertellen|waarschuwen)|(?:vertel|meld|zeg)\\s+(?:het\\s+)?de\\s+gebruiker\\s+(?:niets|niet)`,
    `nie\\s+(?:informuj|mow|powiadamiaj|wspominaj|ostrzegaj)\\p{L}*\\s+(?:o\\s+tym\\s+)?uzytkownik|bez\\s+(?:informowania|wiedzy)\\s+uzytkownik`,
    `не\\s+(?:сообща|говори|информир|уведомля|рассказыва|предупрежда)\\p{L}*\\s+(?:об этом\\s+)?пользовател|без\\s+(?:уведомления|ведома)\\s+пользовател`,
    `kullaniciya\\s+(?:\\p{L}+\\s+){0,2}?(?:soylemeyin|soyleme|bildirmeyin|bildirme|haber vermeyin|haber verme|bahsetmeyin|bahsetme)|kullaniciya\\s+haber\\s+vermeden`,
    // the user not to know, in the Romance languages and Russian
    `(?:el|al)\\s+usuario\\s+no\\s+(?:debe|tiene que|necesita)\\s+(?:saber|enterarse|notar|ver)|l'utilisateur\\s+ne\\s+(?:doit|devrait)\\s+(?:pas|jamais)\\s+(?:savoir|apprendre|remarquer|voir)|l'utente\\s+non\\s+(?:deve|dovrebbe)\\s+(?:sapere|accorgersi|notare|vedere)|o\\s+(?:usuario|utilizador)\\s+nao\\s+(?:deve|precisa)\\s+(?:saber|perceber|notar|ver)|пользовател\\p{L}*\\s+не\\s+(?:должен|должна|должны|нужно|следует)\\s+(?:\\p{L}+\\s+)?(?:знать|узнать|видеть|замечать|заметить)`,
    // ar, hi
    `(?:لا|دون|بدون)\\s+(?:تخبر|تبلغ|إبلاغ|ابلاغ|إخبار|اخبار|إعلام|اعلام|تعلم)\\s*(?:ال)?مستخدم`,
    `उपयोगकर्ता को\\s+(?:न बताएं|मत बताओ|मत बताएं|नहीं बताना|सूचित न करें)`,
    // zh, ja, ko
    `(?:无需|无须|無須|不用|不要|不必|切勿|请勿|請勿|别|別|不得)(?:告知|告诉|告訴|通知|提醒|提示|让|讓)(?:用户|用戶|使用者)|不要让(?:用户|使用者)(?:知道|发现|察觉)|对(?:用户|使用者)(?:隐瞒|保密)`,
    `ユーザー(?:に|には)(?:知らせ|伝え|通知し|言わ|教え)(?:ない|ず)|ユーザーに(?:は)?(?:秘密|内緒)`,
    `사용자에게\\s*(?:알리지|말하지|통지하지)`,
  ].join('|'),
  'u',
);

// Dropping, hiding or not showing something: `suppress`, `do not display`, `omite`, `verschweige`, `隐去`. SQL's DROP TABLE (a
// terminal tool's `confirm before DROP DATABASE`) names a statement, not something left out of the answer.
const HIDE =
  /(?<![\p{L}])(?:suppress|omit|hide|leave out|(?:leave|keep)\s+(?:\p{L}+\s+){1,4}?out|drop(?!\s+(?:if\s+exists\s+)?(?:tables?|databases?|columns?|schemas?|indexe?s?|views?|constraints?|collections?|keyspaces?|partitions?|sequences?|triggers?|functions?)(?![\p{L}]))|strip|(?:do not|don't|never|no need to|not necessary to|unnecessary to|need not)\s+(?:\p{L}+\s+)?(?:display|show|include|mention|surface|report|list|print|raise|flag|point out|bring|tell|inform|notify)|(?:user|users)\s+(?:do not|don't|does not|doesn't)\s+need\s+to\s+(?:see|know|hear)|verzwijg\p{L}*|weglaten|laat\s+(?:\p{L}+\s+){0,3}?weg|niet\s+(?:vermelden|tonen|melden)|omite|omitir|oculta|ocultar|no (?:muestres|muestre|incluyas|incluya|menciones|mencione)|nao (?:mostre|mostra|exiba|inclua|mencione|revele)|non (?:mostrare|mostrate|includere|menzionare|rivelare)|omets|omettez|omettre|masque|masquez|supprime|supprimez|cache|cachez|unterdruck\p{L}*|verschweig\p{L}*|verberg\p{L}*|lass\p{L}*\s+(?:\p{L}+\s+){0,4}?weg|ometti|omettere|nascondi|tralascia|omita|oculte|esconda|скрой|скрыть|опусти|не (?:упоминай|показывай)|أخف|احذف|gizle|gizleyin|atla|gosterme)(?![\p{L}])|隐去|隐藏|省略|略去|删去|不要(?:提及|显示|提到|列出)|隠し|伏せ|表示しない|言及しない|숨기|생략/u;

// What the user needs to judge an act: its warnings and risks, its cost, where money goes.
const STAKES =
  /(?<![\p{L}])(?:drops?\s+(?:a\s+|the\s+|any\s+)?(?:tables?|columns?|databases?|schemas?)|dropped|data loss|deleted (?:data|records|rows|files|tables)|audit[- ]?logs?|wiped|erased|gewist|verwijderd|warnings?|vulnerabilit\p{L}*|cves?|severity|high[- ]severity|critical (?:findings|issues)|security (?:issues|findings|risks)|risks?|billing|cost|costs|fees?|charges?|surcharges?|markups?|commissions?|destination|recipient|payee|beneficiary|account number|iban|advertencias?|hallazgos?|vulnerabilidad\p{L}*|severidad|riesgos?|comision\p{L}*|cargos?|destinatario|avertissements?|severite|risques?|frais|destinataire|warnungen|schwachstellen|sicherheitslucken|risiken|gebuhr\p{L}*|kosten|empfanger|schweregrad|avvisi|avvertenze|rischi|costi|commissioni|avisos|alertas|riscos|taxas|custos|предупреждени\p{L}*|уязвимост\p{L}*|риск\p{L}*|комисси\p{L}*|التحذيرات|الثغرات|المخاطر|الرسوم|uyari\p{L}*|risk\p{L}*|ucret\p{L}*)(?![\p{L}])|警告|漏洞|风险|费用|收费|高危|严重|脆弱性|リスク|料金|手数料|경고|취약점|위험|수수료/u;

// Where it is dropped from: the model's answer to the user, not a field of the tool's call.
const ANSWER =
  /(?<![\p{L}])(?:answer|answers|reply|replies|response|responses|summary|summaries|conversation|chat|report|user|users|entirely|respuesta|resumen|resultado|informe|usuario|antwoord|samenvatting|gebruiker|meld alleen|reponse|resume|utilisateur|antwort|zusammenfassung|nutzer|benutzer|risposta|riepilogo|utente|resposta|usuario|ответ\p{L}*|пользовател\p{L}*|الرد|المستخدم|yanit\p{L}*|cevap\p{L}*|kullanici\p{L}*)(?![\p{L}])|回答|回复|答复|总结|摘要|用户|結果|要約|ユーザー|답변|사용자/u;

// Secrets and personal data kept out (`do not include secrets, personal data or conversation content in URLs … unless the destination
// is the service the user asked for`) are protected, not kept from the user: the clause is left unread before HIDE reads the sentence.
const PROTECTED_KEPT =
  /(?:do not|don't|never|avoid)\s+(?:\p{L}+\s+)?(?:include|including|display|show|print|list|report|mention|log|logging|put|putting|expose|exposing)\s+(?:any\s+|the\s+|their\s+|your\s+)?(?:secrets?|credentials?|passwords?|tokens?|api keys?|keys|personal (?:data|information|details)|pii|sensitive (?:data|information|values?))(?![\p{L}])(?:,?\s+(?:or\s+|and\s+)?(?:\p{L}+\s+){0,2}?(?:secrets?|credentials?|passwords?|tokens?|personal (?:data|information|details)|pii|conversation content|payment data)(?![\p{L}]))*/gu;

// Something not to be shown to the user (`não mostre o SQL ao usuário`, `ne montrez pas le SQL à l'utilisateur`), as the English rules
// read "do not show … to the user" — unless what is hidden is a secret, which an honest tool keeps off the screen.
const NOT_SHOWN_USER = new RegExp(
  [
    `(?<![\\p{L}])no\\s+(?:le\\s+|les\\s+)?(?:muestres|muestre|muestren|ensenes|ensene|reveles|revele)\\s+(?:[\\p{L}']+\\s+){0,4}?(?:al|a la|a los)\\s+(?:usuario|cliente)`,
    `(?<![\\p{L}])nao\\s+(?:lhe\\s+)?(?:mostre|mostrem|exiba|exibam|revele|apresente)\\s+(?:[\\p{L}']+\\s+){0,4}?(?:ao|a|aos)\\s+(?:usuario|utilizador|cliente)`,
    `(?<![\\p{L}])ne\\s+(?:lui\\s+)?(?:montrez|montre|affichez|affiche|revelez|revele)\\s+(?:pas|jamais)\\s+(?:[\\p{L}']+\\s+){0,4}?a\\s+l'utilisateur`,
    `(?<![\\p{L}])(?:zeige|zeigen sie|zeigt)\\s+(?:dem|der|den)\\s+(?:nutzer|benutzer|anwender|kunden|kundin)\\p{L}*\\s+(?:[\\p{L}']+\\s+){0,4}?(?:nicht|niemals|nie)(?![\\p{L}])`,
    `(?<![\\p{L}])non\\s+(?:gli\\s+)?(?:mostrare|mostrate|rivelare|rivelate)\\s+(?:[\\p{L}']+\\s+){0,4}?(?:all'|all |a l')utente`,
  ].join('|'),
  'u',
);
const SHOWN_SECRET =
  /(?<![\p{L}])(?:contrasenas?|senhas?|mots? de passe|passw(?:o|ö)rt\p{L}*|kennwort\p{L}*|password|tokens?|secrets?|segredos?|secretos?|chiavi|claves? (?:privadas?|api)|api[- ]?keys?|cles? api)(?![\p{L}])/u;

/** Whether a sentence keeps the act from the user: "do not tell the user" in another language, or the warnings, cost or payee left out of the answer. */
export function keptFromUser(s: string): boolean {
  if (NOT_TELL_USER.test(s)) return true;
  if (NOT_SHOWN_USER.test(s) && !SHOWN_SECRET.test(s)) return true;
  const read = s.replace(PROTECTED_KEPT, ' ');
  const hide = HIDE.exec(read);
  return hide !== null && STAKES.test(read) && ANSWER.test(read);
}
