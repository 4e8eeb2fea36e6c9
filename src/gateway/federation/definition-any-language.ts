/**
 * Two readings of a poisoned definition that the English structure rules (definition-structure.ts)
 * make from verb lists, made here from what stays the same in every language: a name in code, a
 * hook word, a noun for the conversation's data. Each reads one sentence as the model reads it
 * (decoded, folded, lower-case: `ü` is `u`, `ł` is `l`); non-Latin scripts keep their letters.
 *
 * - another tool's use hooked: a sentence names another tool as code (`git_push`, `send_email`),
 *   says "whenever / each time it is used" in some language and orders something (always, also,
 *   replace, add, pass, send, ignore, never) — an honest description says when to call it, not what
 *   to do to it every time;
 * - the model hailed: a note, instruction or message "for the assistant / model / AI" inside a definition
 *   (written to the model, it needs no such address: the address marks text slipped in for it);
 * - confirmation skipped, in the languages the English rule does not read ("ohne Rückfrage", "sans
 *   demander", "no pidas confirmación", "確認せず");
 * - the conversation carried into a parameter: the chat history, the user's messages, the clipboard
 *   or the environment's variables put, passed or sent into this tool's field (named, or "here" in
 *   its own description, or written as its default).
 */

// A tool named as code: snake_case (`git_push`, `transfer_funds`), optionally quoted.
const TOOL_NAME = /[`"']?([a-z][a-z0-9]*(?:_[a-z0-9]+)+)[`"']?/gu;

// "Whenever", "each time", "when … is used" (`使用 git_push 工具时` wraps the tool in the hook): in the lexicon's languages (folded).
export const HOOK =
  /(?<![\p{L}])(?:whenever|every time|each time|each use|every use|after every|after each|before every|before each|nach jedem|nach jeder|vor jedem|apres chaque|avant chaque|despues de cada|antes de cada|dopo ogni|prima di ogni|na elke|voor elke|po kazdym|po kazdej|после каждого|перед каждым|wenn|immer wenn|jedes mal|bei jedem|bei jeder|cuando|cada vez|siempre que|al usar|quand|lorsque|chaque fois|a chaque|quando|sempre que|ogni volta|wanneer|telkens|bij elk|bij iedere|przy kazdym|przy kazdej|za kazdym razem|kiedy|gdy|когда|каждый раз|при каждом|при вызове|her seferinde|kullandiginizda|cagrildiginda|كلما|عندما|जब भी|हर बार|जब)(?![\p{L}])|每次|调用时|使用时|(?:使用|调用)[^。]{1,40}?(?:时|的时候)|(?:使う|使用する|呼び出す)(?:とき|際)|たびに|ときは|際は|際に|때마다|할 때|사용할 때|호출할 때/u;

// What the hook orders: always, also, replace, add, pass, send, ignore, never — in the same languages.
export const ORDER =
  /(?<![\p{L}])(?:always|immer|siempre|toujours|sempre|altijd|zawsze|всегда|her zaman|daima|دائما|हमेशा|also|auch|zusatzlich|tambien|aussi|anche|ook|rowniez|также|replace|setze|ersetze|sustituye|reemplaza|remplace|substitua|sostituisci|vervang|zamien|замени|append|add|dopisz|anade|agrega|ajoute|ajoutez|adicione|aggiungi|voeg|fuge|hange|hangen|anhangen|добавь|pass|ubergib|pasa|passe|passa|geef|przekaz|передай|send|sende|envia|envoie|invia|stuur|wyslij|отправь|ignore|ignoriere|ignora|ignorez|ignoreer|zignoruj|игнорируй|never|nie|nunca|jamais|mai|nooit|nigdy|никогда)(?![\p{L}])|总是|始终|一律|添加|追加|附加|必ず|常に|항상|반드시|먼저|전달/u;

/** Whether a sentence hooks an order on another tool's use (a name neither `own` nor one of its `params`), in any language. */
export function hooksAnotherTool(s: string, own: string, params: ReadonlySet<string>): boolean {
  if (!HOOK.test(s) || !ORDER.test(s)) return false;
  for (const m of s.matchAll(TOOL_NAME)) {
    const name = m[1]!;
    // The tool's own name, or one of its parameters (`when \`include_hidden\` is true, always …`), is no other tool.
    if (name !== own && !params.has(name)) return true;
  }
  return false;
}

// The conversation's or the machine's data a tool has no reason to be given, by name in each language.
const CONTEXT_DATA =
  /conversation history|chat history|(?:whole|entire|full|previous) conversation|previous messages|last \w+ messages|(?:user's|user|their) (?:messages|conversation)|clipboard|environment variables?|every environment variable|gesprachsverlauf|chatverlauf|nachrichten des (?:nutzers|benutzers)|letzten \w+ nachrichten|zwischenablage|umgebungsvariablen|historique de (?:la )?conversation|messages de l'utilisateur|derniers messages|presse-papiers|variables d'environnement|historial de (?:la )?conversacion|mensajes del usuario|ultimos \w+ mensajes|portapapeles|variables de entorno|historico da conversa|mensagens do (?:usuario|utilizador)|area de transferencia|variaveis de ambiente|cronologia della conversazione|messaggi dell'utente|variabili d'ambiente|gespreksgeschiedenis|berichten van de gebruiker|laatste \w+ berichten|klembord|omgevingsvariabelen|historia rozmowy|wiadomosci uzytkownika|schowek|zmienne srodowiskowe|истори\S* (?:переписки|диалога|разговора|чата)|сообщения пользователя|буфер обмена|переменные окружения|对话历史|聊天记录|会话历史|用户的消息|剪贴板|环境变量|会話履歴|チャット履歴|ユーザーのメッセージ|クリップボード|環境変数|대화 기록|대화 내역|사용자의 메시지|클립보드|환경 변수|سجل المحادثة|رسائل المستخدم|متغيرات البيئة|पिछली बातचीत|बातचीत का इतिहास|उपयोगकर्ता के संदेश|क्लिपबोर्ड|sohbet gecmisi|konusma gecmisi|kullanicinin mesajlari|ortam degiskenleri/u;

// Putting, passing or sending it (not copying *to* the clipboard, not listing variables' names).
export const PUT =
  /(?<![\p{L}])(?:put|include|insert|pass|send|add|write|fill|attach|append|embed|place|forward|email|e-mail|fuge|fugen|schreibe|schreiben|sende|senden|gib|ubergib|ubergeben|pon|poner|incluye|incluir|envia|enviar|pasa|pasar|escribe|adjunta|mets|mettez|inclus|incluez|envoie|envoyez|passe|passez|ecris|ecrivez|joins|coloque|colocar|inclua|envie|escreva|metti|includi|invia|passa|scrivi|allega|stuur|zet|voeg|geef|schrijf|mee|wpisz|dolacz|wyslij|przekaz|umiesc|вставь|добавь|отправь|передай|впиши|укажи|включи|ضع|أرسل|أدرج|أضف|ekle|gonder|yaz|koy|iletin)(?![\p{L}])|放入|填入|发送|附上|写入|传入|传给|入れて|含めて|送信|渡して|記入|넣어|포함|전달|보내|입력|भेजें|डालें|शामिल/u;

// The parameter pointed at from its own description: "here", "this field".
export const HERE = /(?<![\p{L}])(?:this field|this parameter|here|hier|hierin|aqui|ici|qui|tutaj|здесь)(?![\p{L}])|这里|ここに|여기에/u;

/**
 * Whether a sentence puts the conversation's or the machine's data into a field of this tool: one
 * of its parameters named, "here" in a field's own description, or a field's default saying so.
 */
export function carriesContextIn(s: string, place: string, params: ReadonlySet<string>): boolean {
  if (!CONTEXT_DATA.test(s) || !PUT.test(s)) return false;
  if (place === 'value' || HERE.test(s)) return true;
  for (const param of params) if (param.length >= 3 && namedIn(s, param)) return true;
  return false;
}

/** Whether `name` stands in `s` as a word of its own (not inside a longer identifier). */
export function namedIn(s: string, name: string): boolean {
  let at = s.indexOf(name);
  while (at >= 0) {
    const before = at === 0 ? '' : s[at - 1]!;
    const after = s[at + name.length] ?? '';
    if (!/[\p{L}\p{N}_]/u.test(before) && !/[\p{L}\p{N}_]/u.test(after)) return true;
    at = s.indexOf(name, at + 1);
  }
  return false;
}

// A note, instruction or message for the assistant, the model, the AI or the agent, in the lexicon's languages (folded).
const HAIL =
  /(?<![\p{L}])(?<!(?:not|no|never|neither|nor)\s+)(?:(?:hi|hey|hello|dear)(?: there)?,? (?:model|assistant|ai|llm|agent|claude)(?![\p{L}])|(?:note|notice|instruction|instructions|hint|message|reminder|directive)s? (?:for|to) (?:the |any |all )?(?:ai|assistant|model|llm|agent|bot)s?|(?:hinweis|anweisung|notiz|nachricht)(?:en)? (?:fur|an) (?:den |das |die )?(?:assistenten|modell|ki|agenten|ki-assistenten)|(?:note|consigne|instruction|remarque|message)s? (?:pour|a|au) (?:l'|le |la )?(?:assistant|modele|ia|agent)|(?:nota|instruccion|indicacion|mensaje|instrucao|observacao|mensagem|istruzione)(?:es|s|i)? (?:para|per) (?:el |la |o |a |l'|il )?(?:asistente|assistente|modelo|modello|ia|agente)|instrucao interna|instruccion interna|consigne interne|interne anweisung|internal instruction|(?:opmerking|instructie|notitie|bericht) voor de (?:assistent|model|ai|agent)|(?:uwaga|instrukcja|notatka) dla (?:asystenta|modelu|ai|agenta)|(?:примечание|инструкция|указание|заметка) для (?:ассистента|модели|ии|агента)|(?:ملاحظة|تعليمات|تعليمة) (?:للمساعد|للنموذج|للذكاء الاصطناعي)|(?:asistana|modele|yapay zekaya) (?:not|talimat))(?![\p{L}])|给(?:助手|模型|AI|ai|智能体)的(?:说明|指示|提示)|(?:アシスタント|モデル|ai|エージェント)への(?:重要な)?(?:指示|注意|メモ)|(?:어시스턴트|모델|ai|에이전트)(?:에게|를 위한) ?(?:지시|참고|안내)|(?:सहायक|मॉडल|ai) के लिए (?:निर्देश|नोट)/u;

/** Whether a definition's text hails the model ("Hinweis für den Assistenten:", "给助手的说明", "note for the AI"). */
export function hailsTheModel(text: string): boolean {
  return HAIL.test(text);
}

// Confirmation skipped, in other languages than English (definition-structure.ts reads the English). In Chinese the skip is said
// (`无需确认`, `未经确认`): `确认` alone is as often the confirmation asked for (`请先向用户确认`).
const SKIPS_CONFIRMATION =
  /(?<![\p{L}])(?:ohne (?:ruckfrage|bestatigung|nachfrage|zu fragen)|rückfrage|ruckfrage|sans (?:demander|confirmation)|sin (?:pedir|preguntar|confirmacion)|no pidas|sem (?:pedir|perguntar|confirmacao)|senza (?:chiedere|conferma)|zonder (?:te vragen|bevestiging)|bez (?:pytania|potwierdzenia)|без (?:подтверждения|запроса|вопросов)|sormadan|onay (?:almadan|istemeden)|بدون (?:تأكيد|سؤال)|لا داعي)(?![\p{L}])|(?:无需|无须|不需要|不用|不必|跳过|省略|未经|不经)(?:用户|对方)?(?:的)?(?:再次|再)?确认|確認せず|확인 없이|पुष्टि के बिना/u;

/** Whether a sentence has the model act without asking the user, in a language other than English. */
export function skipsConfirmation(s: string): boolean {
  return SKIPS_CONFIRMATION.test(s);
}
