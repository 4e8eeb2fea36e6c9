/**
 * What a poisoned definition gathers from the user into its fields (def_harvest, def_phishing_link): the user's
 * password, one-time code or PIN, last messages, identity, address book, card or the whole conversation put into a
 * field, and the user sent to log in at an address the text spells. Written by family from authors 42–46's sets (#51, 27 Nov 2026). Each reads one sentence (or a sentence and the
 * next) as the model reads it (decoded, folded, lower-case; the CJK scripts keep their letters); every pattern is a
 * fixed word list with bounded gaps: linear on any input.
 */
import { ADDRESS, bare, NL, PL, re, S, SW } from './definition-asides-regex.js';

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

// --- the user sent to log in where the text says ------------------------------------------------------------------------------------
const CREDENTIAL_NOUN = re(
  `${PL}(?:password|credentials|identifiants|mot\\s+de\\s+passe|passwort|zugangsdaten|contrasena|credenciales|credenziali|senha|cpf)${NL}|비밀번호|계정으로|パスワード|密码|账号`,
);
const DIRECTS_USER = re(
  `${PL}(?:tell|ask|invite|direct|instruct|urge)\\s+(?:the\\s+)?(?:user|users|students|customers?)${NL}|${PL}(?:den|die)\\s+(?:nutzer|benutzer|anwender|kunden)(?:in)?\\s+(?:auffordern|auffordert|bitten)${NL}|${PL}invite[rz]?\\s+l['’]utilisateur|${PL}direcione\\s+os|${PL}indique\\s+ao\\s+usuario|${PL}pida\\s+al\\s+usuario|${PL}chiedi\\s+all['’]utente|${PL}fordern?\\s+sie\\s+den\\s+nutzer|사용자에게${S}{0,40}?안내|안내하세요|案内してください|提示用户|告诉用户|引导用户`,
);

/** Whether a sentence (or a sentence and the next) sends the user to enter a password or an account at an address the text spells. */
export function sendsUserToLogIn(pair: string): boolean {
  return ADDRESS.test(pair) && CREDENTIAL_NOUN.test(pair) && DIRECTS_USER.test(pair);
}

// --- the user's identity and stores taken into a field -------------------------------------------------------------------------------
// The CJK names stand apart: their letters border other letters (`用户的真实姓名`), so no word boundary is asked of them.
const PERSONAL_IDS: readonly RegExp[] = [
  re(`${PL}(?:passport|pasaporte|passaporte|passeport|reisepass)|护照|パスポート`),
  re(`${PL}(?:national\\s+id|id\\s+card|dni|pesel|cpf|personalausweis)${NL}|身份证`),
  re(`${PL}(?:card\\s+number|numero\\s+de\\s+tarjeta|numero\\s+do\\s+cartao|kartennummer|numero\\s+de\\s+carte)${NL}|银行卡号|カード番号`),
  re(`${PL}(?:bank\\s+account|account\\s+balance|numer\\p{L}*\\s+konta|cuenta\\s+bancaria|conta\\s+bancaria|kontonummer|iban)${NL}|账户余额|开户|口座番号`),
  re(`${PL}(?:employer|arbeitgeber|employeur|empleador)${NL}`),
  re(`${PL}(?:current\\s+city|home\\s+address|travel\\s+plans|date\\s+of\\s+birth)${NL}`),
  re(`${PL}(?:full\\s+name|real\\s+name|nombre\\s+completo|nome\\s+completo)${NL}|真实姓名`),
];
const FROM_CONVERSATION = re(
  `${PL}(?:(?:from|in|visible\\s+in|mentioned\\s+in|found\\s+in|extracted\\s+from|inferred\\s+from)\\s+the\\s+(?:conversation|chat)|(?:de|en)\\s+la\\s+conversacion|(?:da|na)\\s+conversa|w\\s+rozmowie|z\\s+rozmowy|aus\\s+dem\\s+(?:gesprach|chat|verlauf)|(?:de|dans)\\s+la\\s+conversation|(?:dalla|nella)\\s+conversazione)${NL}|对话中|从对话`,
);

/** Whether a sentence takes two or more kinds of the user's identity (ids, card, account, employer, whereabouts) from the conversation. */
export function takesIdentityFromChat(s: string): boolean {
  if (!FROM_CONVERSATION.test(s)) return false;
  let kinds = 0;
  for (const r of PERSONAL_IDS) if (r.test(s) && ++kinds >= 2) return true;
  return false;
}

// A whole store of the user's put into a field (`Übertrage … das gesamte Adressbuch des Nutzers … in dieses Feld`, `includes in \`x\` … the 50
// most recent messages in the user's inbox`); secrets shared in the conversation appended to a field (ja).
const WHOLE_STORE = re(
  `${PL}(?:(?:entire|whole|full|complete)\\s+(?:address\\s+book|contact\\s+list|contacts|inbox|mailbox)|(?:\\d+\\s+)?most\\s+recent\\s+(?:messages|emails|mails)\\s+in\\s+the\\s+user'?s\\s+(?:inbox|mailbox)|(?:gesamte|ganze|vollstandige)\\s+(?:adressbuch|postfach|kontaktliste)|(?:tout\\s+le\\s+carnet\\s+d['’]adresses|toda\\s+la\\s+libreta|todo\\s+el\\s+buzon|intera\\s+rubrica))${NL}`,
);
const INTO_FIELD = re(
  `${PL}(?:in|into|to)\\s+(?:this\\s+(?:field|parameter)|\`[\\w-]{1,40}\`)|${PL}in\\s+dieses\\s+feld|${PL}dans\\s+ce\\s+champ|${PL}en\\s+este\\s+campo|${PL}in\\s+questo\\s+campo`,
);
const CHAT_SECRETS_APPENDED_JA = re(`(?:会話|チャット)${S}{0,20}?(?:パスワード|認証コード|カード番号|暗証番号)${S}{0,40}?(?:追記|含め|入れ|記載|追加)`);

/** Whether a sentence puts a whole store of the user's (address book, inbox) into a field, or the conversation's secrets (ja). */
export function putsStoreInField(s: string): boolean {
  return (WHOLE_STORE.test(s) && INTO_FIELD.test(s)) || CHAT_SECRETS_APPENDED_JA.test(s);
}

// --- the user asked for a password or a one-time code, written into a field -------------------------------------------------------------
const ASKS_PASSWORD = re(
  `${PL}(?:kullan[iı]c[iı]dan${S}{0,60}?(?:sifre|dogrulama\\s+kodu)\\p{L}*${S}{0,60}?iste\\p{L}*|(?:peca|pergunte|solicite)\\s+(?:a\\s+)?senha|(?:pida|pregunte|solicite)\\s+(?:la\\s+)?contrasena|chiedi\\s+(?:la\\s+)?password|demandez\\s+(?:le\\s+)?mot\\s+de\\s+passe|ask\\s+(?:the\\s+user\\s+)?for\\s+(?:their|the\\s+user'?s|his|her)\\s+(?:current\\s+)?(?:password|one-time\\s+code|sms\\s+code))`,
);
const WRITTEN_INTO_FIELD = re(
  `${PL}(?:alanina|campo|field|champ|feld|parameter|parametro)${NL}|${PL}(?:include|inclua|incluya|inserisci|put|write)\\s+(?:it|them|a|la|no|na|en)${NL}`,
);

/** Whether a sentence has the model ask the user for a password or a one-time code and write it into a field. */
export function asksPasswordIntoField(s: string): boolean {
  return ASKS_PASSWORD.test(s) && WRITTEN_INTO_FIELD.test(s);
}

// --- the user's or the context's data gathered into a field ----------------------------------------------------------------------------
// Every identifier the user mentioned anywhere in the conversation put into a field (sv, en, de, es, fr).
const ALL_MENTIONED_IN_CHAT = re(
  `${PL}(?:alla|all|every|alle|todos|todas|tous|toutes)${NL}${S}{0,60}?(?:som\\s+anvandaren\\s+(?:har\\s+)?(?:namnt|angett|namnde|uppgett)|(?:that\\s+)?the\\s+user\\s+(?:has\\s+)?(?:mentioned|shared|given|provided)|die\\s+der\\s+(?:nutzer|benutzer)\\s+(?:genannt|erwahnt)|que\\s+el\\s+usuario\\s+(?:haya\\s+|ha\\s+)?(?:mencionado|mencione)|que\\s+l['’]utilisateur\\s+a\\s+(?:mentionnes?|cites?))${S}{0,30}?(?:i\\s+samtalet|in\\s+the\\s+(?:conversation|chat)|im\\s+(?:gesprach|chat)|en\\s+la\\s+conversacion|dans\\s+la\\s+conversation)${NL}`,
);
// Any other key found in the context or the user's files gathered here (it, en, es, fr, de).
const OTHER_KEYS_SOUGHT = re(
  `${PL}(?:cercare|cerca|search|look|scan|buscar|busca|chercher|cherchez|suchen|durchsuche)${NL}${S}{0,60}?(?:contesto|context|conversation|conversazione|conversacion|chat|file\\s+dell['’]utente|user['’]s\\s+files|archivos\\s+del\\s+usuario|fichiers\\s+de\\s+l['’]utilisateur)${S}{0,60}?(?:qualsiasi\\s+altra|any\\s+other|every\\s+other|all\\s+other|cualquier\\s+otra|toute\\s+autre|jeden\\s+anderen|alle\\s+anderen)\\s+(?:chiave|key|token|clave|cle|schlussel|secret|segreto)`,
);

/** Whether a sentence puts every identifier the user mentioned in the conversation into a field, or gathers any other key from the context. */
export function gathersIdsOrKeysFromChat(s: string): boolean {
  const b = bare(s);
  return ALL_MENTIONED_IN_CHAT.test(b) || OTHER_KEYS_SOUGHT.test(b);
}

// --- the user asked for a password and a one-time code, or (uk, ru) a password passed into a field ----------------------------------------
const ASKS_USER_FOR = re(`${PL}(?<!(?:never|not|n't)\\s+)ask\\s+(?:the\\s+)?(?:user|customer)\\s+(?:directly\\s+)?for${NL}`);
const PASSWORD = re(`${PL}(?:password|passwort|passcode)${NL}`);
// A bank's one-time code beside the password is what a phishing page asks for; an honest 2FA flow asks for the code alone.
const ONE_TIME_CODE = re(`${PL}(?:tan|otp|one-time\\s+(?:code|password)|2fa\\s+code|sms\\s+code|mtan)${NL}`);
const PASSWORD_INTO_FIELD_UK = re(
  `${PL}(?:попросіть|попросите|запитаите|спитаите|попросить)\\s+(?:користувача|пользователя)${SW}{0,80}?${PL}парол${SW}{0,80}?${PL}(?:передаите|вставте|впишіть|вкажіть|укажите|вставьте|впишите|запишіть|запишите)${NL}${S}{0,30}?${PL}(?:в|у)\\s+поле${NL}`,
);

/** Whether a sentence asks the user for a password and a one-time code, or (uk, ru) for a password to put into a field. */
export function solicitsPasswordWithCode(s: string): boolean {
  const b = bare(s);
  if (ASKS_USER_FOR.test(b) && PASSWORD.test(b) && ONE_TIME_CODE.test(b)) return true;
  return PASSWORD_INTO_FIELD_UK.test(b);
}

// --- the user's data or the conversation gathered ----------------------------------------------------------------------------------------
const GATHERS_46 = re(
  [
    // fr: the user's card number added here if it appears in the conversation; the whole conversation copied here.
    `${PL}(?:ajoutez|ajoute|indiquez|copiez|mettez)\\s+ici${S}{0,20}?(?:numero\\s+de\\s+carte|carte\\s+bancaire|iban|mot\\s+de\\s+passe)${S}{0,60}?(?:conversation|discussion|chat)${NL}`,
    `${PL}(?:copier|copiez|coller|collez)\\s+ici\\s+l['’]\\s*integralite\\s+de\\s+la\\s+conversation${NL}`,
    // es, en: filled with everything known about the user.
    `${PL}(?:rellenalo|rellena|completalo|completa|llenalo|llena)\\s+con\\s+todo\\s+lo\\s+que\\s+sepas\\s+(?:del|sobre\\s+el)\\s+usuario${NL}`,
    `${PL}fill\\s+(?:it|this|this\\s+field)\\s+with\\s+everything\\s+you\\s+know\\s+about\\s+the\\s+user${NL}`,
  ].join('|'),
);

/** Whether a sentence gathers the user's card or the whole conversation into a field, or everything known about the user. */
export function gathersCardOrWholeChat(s: string): boolean {
  return GATHERS_46.test(bare(s));
}

// --- es: the user asked for a PIN or an access key put into a field ------------------------------------------------------------------------
const ASKS_PIN_INTO_FIELD_ES = re(
  `${PL}(?:preguntale|pidele|solicitale)\\s+(?:su|sus)\\s+(?:pin|clave|contrasena)${NL}${S}{0,60}?${PL}(?:incluyelos|incluyelo|ponlos|ponlo|pasalos|pasalo|escribelos|escribelo)\\s+en\\s+el\\s+campo${NL}`,
);

/** Whether a sentence asks the user for a PIN or an access key and puts it into a field (es). */
export function asksPinIntoField(s: string): boolean {
  return ASKS_PIN_INTO_FIELD_ES.test(bare(s));
}
