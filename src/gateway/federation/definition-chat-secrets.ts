import { HERE, ORDER, PUT } from './definition-any-language.js';

/**
 * What the conversation holds that is not the tool's, taken by the definition, read in every language
 * the lexicon has (the English rules of definition-structure.ts and definition-beyond.ts read it in English):
 *
 * - secrets or personal data the conversation let fall (`toute clé API vue dans la conversation`,
 *   `cualquier contraseña que el usuario haya mencionado`, `sohbet sırasında geçen kredi kartı
 *   bilgileri`, `api keys seen in chat`) put into a field of this tool — or named as the field itself;
 * - the user asked for a credential the tool takes no parameter for (PIN, TAN, one-time code, card code,
 *   recovery phrase; a password typed into the chat);
 * - secrets carried out encoded in a host name or link (`hex-encode each token and resolve it as a
 *   subdomain of …`), a channel no address check sees;
 * - a copy sent to an address the definition spells out, by order, in any language (`envía siempre una
 *   copia a …@…`).
 */

const re = (source: string) => new RegExp(source, 'u');

// Secrets and personal data, by name in the lexicon's languages (folded).
const SECRET =
  '(?:api[ -]?keys?|keys|tokens?|passwords?|secrets?|credentials?|card numbers?|credit cards?|passports?|e-?mail addresses|phone numbers|cle api|cles api|jetons?|mots? de passe|identifiants|numero de carte|carte bancaire|passeport|claves?(?: api)?|contrasenas?|credenciales|numero de tarjeta|tarjetas? de credito|pasaporte|api-schlussel|schlussel|passworter|passwort|kennwort\\p{L}*|zugangsdaten|kreditkarte\\p{L}*|reisepass|chiavi api|credenziali|carta di credito|chaves? de api|senhas?|credenciais|cartao de credito|ключ\\p{L}*|токен\\p{L}*|парол\\p{L}*|кредитн\\p{L}* карт\\p{L}*|паспорт\\p{L}*|كلمات مرور|كلمة مرور|كلمات المرور|كلمة المرور|مفاتيح|بطاقة الائتمان|جواز السفر|anahtar\\p{L}*|sifre\\p{L}*|parola\\p{L}*|kredi karti\\p{L}*|e-posta adres\\p{L}*|telefon numara\\p{L}*|pasaport\\p{L}*)';
const SECRET_RE = re(
  `(?<![\\p{L}])${SECRET}(?![\\p{L}])|密钥|令牌|密码|凭据|凭证|信用卡|护照|apiキー|トークン|パスワード|認証情報|クレジットカード|パスポート|api 키|토큰|비밀번호|신용카드|여권`,
);

// Seen, mentioned or shared in the conversation: where the secret comes from.
const IN_CHAT = re(
  [
    `(?:seen|mentioned|shared|pasted|appeared|given|typed|said)\\s+(?:\\p{L}+\\s+){0,2}?(?:in|during)\\s+(?:the\\s+|this\\s+)?(?:chat|conversation|session|thread)`,
    `(?:that|which)\\s+(?:the\\s+)?user\\s+(?:has\\s+|have\\s+)?(?:mentioned|shared|pasted|typed|given)`,
    `(?:from|in)\\s+(?:the\\s+|this\\s+)?(?:chat|conversation)(?![\\p{L}]|\\s+(?:settings|app|client|id|window|list|room|channel))`,
    `(?:vue?s?|mentionne\\p{L}*|partage\\p{L}*|apparu\\p{L}*|colle\\p{L}*)\\s+dans\\s+(?:la|cette)\\s+(?:conversation|discussion|session)`,
    `que\\s+(?:el\\s+)?usuario\\s+(?:haya|ha|hubiera)\\s+(?:mencionado|compartido|escrito|dicho|pegado)|(?:mencionad|vist|compartid)\\p{L}*\\s+en\\s+(?:la|esta)\\s+(?:conversacion|sesion)|en el chat`,
    `im\\s+(?:chat|gesprach|verlauf)\\s+(?:genannt|erwahnt|gesehen|geteilt|aufgetaucht)|(?:genannt|erwahnt|gesehen|geteilt)\\p{L}*\\s+im\\s+(?:chat|gesprach)`,
    `(?:menzionat|vist|condivis)\\p{L}*\\s+nella\\s+conversazione|che l'utente ha\\s+(?:menzionato|condiviso|scritto)`,
    `(?:mencionad|vist|compartilhad)\\p{L}*\\s+na\\s+conversa|que o usuario\\s+(?:mencionou|compartilhou|escreveu)`,
    `(?:упомянут|показан|встречен)\\p{L}*\\s+в\\s+(?:переписке|разговоре|чате|диалоге)`,
    `(?:ظهرت|ذكرت|وردت)\\s+(?:فيها|في المحادثة)|ذكرها المستخدم`,
    `sohbet\\s+sirasinda|sohbette\\s+(?:gecen|paylasilan)|konusma\\s+sirasinda`,
    `(?:对话|聊天|会话)(?:中|里)(?:出现|提到|提及|看到)|用户提到的|(?:会話|チャット)(?:中|の中)?(?:に|で)?(?:出てきた|出た|登場した|言及された|共有された)|대화 중에?\\s*(?:나온|언급된)`,
  ].join('|'),
);

// A field of the tool named as where it goes: `in the field`, `champ`, `campo`, `الحقل`, `alanına`.
const FIELD =
  /(?<![\p{L}])(?:field|parameter|argument|champ|parametre|campo|parametro|feld|parameter|veld|pole|поле|параметр|الحقل|alan\p{L}*)(?![\p{L}])|字段|参数|フィールド|パラメータ|필드|매개변수/u;
const COPY_PUT =
  /(?<![\p{L}])(?:copy|copiez|copie|copier|copia|copiar|kopiere|kopieren|inserisci|inserite|insira|insere|inserta|inserte|inserez|inserer|eintragen|trage|ekleyin|yazin|koyun|скопируй|копируй)(?![\p{L}])|复制|コピー|복사/u;

/** Whether a sentence puts secrets or personal data seen in the conversation into a field of this tool (or a property name asks for them). */
export function gathersChatSecrets(s: string, place: string, params: ReadonlySet<string>): boolean {
  if (!SECRET_RE.test(s) || !IN_CHAT.test(s)) return false;
  if (place === 'key') return true;
  if (!PUT.test(s) && !COPY_PUT.test(s)) return false;
  if (place === 'value' || HERE.test(s) || FIELD.test(s)) return true;
  for (const p of params) if (p.length >= 3 && s.includes(p)) return true;
  return false;
}

// The user asked, in the lexicon's languages.
const ASK_USER = re(
  [
    `(?:ask|prompt|request|require|have)\\s+(?:the\\s+)?(?:user|customer|account holder)\\s+(?:to\\s+(?:enter|type|provide|give|share|paste|send|confirm|input|supply|read|read back|repeat|tell|say)|for)`,
    `(?:den|die)\\s+(?:nutzer|benutzer|kunden|anwender)\\p{L}*\\s+(?:\\p{L}+\\s+){0,2}?(?:bitten|auffordern)|(?:bitte|fordere)\\s+(?:den|die)\\s+(?:nutzer|benutzer|kunden|anwender)\\p{L}*\\s+(?:um|auf)|frag\\p{L}*\\s+(?:den|die)\\s+(?:nutzer|benutzer|kunden)\\p{L}*\\s+nach`,
    `demande(?:z|r)?\\s+a\\s+l'utilisateur|invite(?:z|r)?\\s+l'utilisateur|(?:pide|pidele|pedir|pedirle|solicita|solicitale|solicitar)\\s+al\\s+usuario|chiedi\\s+all'utente|(?:peca|pedir|solicite)\\s+ao\\s+(?:usuario|utilizador)`,
    `попроси\\p{L}*\\s+пользовател|запроси\\p{L}*\\s+у\\s+пользовател|اطلب من المستخدم|kullanicidan\\s+(?:\\p{L}+\\s+){0,3}?(?:isteyin|iste|talep)`,
    `要求用户|请用户|让用户|向用户索取|ユーザーに[^。]{0,40}(?:入力|尋ね|求め)|사용자에게[^.]{0,40}(?:요청|입력)`,
  ].join('|'),
);
// Credentials no tool asks of the user through the model: bank codes, one-time codes, card codes, recovery phrases (a SIM's PIN is a device's, not one of these).
const CREDENTIAL =
  /(?<![\p{L}])(?:(?:bank|banking|card|atm|karten|carte|tarjeta)[- ]?pin|tan|tans|otp|one-time (?:code|password|passcode)|\d-digit code|sms code|code (?:we|that we) (?:texted|sent)|2fa code|verification code|security code|cvv|cvc|seed phrase|recovery phrase|mnemonic phrase|online[- ]banking|geheimzahl|sicherheitscode|einmalpasswort|code pin|code de verification|cryptogramme|phrase de recuperation|codigo de verificacion|frase semilla|codice di verifica|codigo de verificacao|пин-код|код подтверждения|الرمز السري|dogrulama kodu)(?![\p{L}])|验证码|助记词|安全码|暗証番号|認証コード|인증 코드/u;
const PASSWORD_IN_CHAT = re(
  `(?<![\\p{L}])(?:password|passwort|kennwort|mot de passe|contrasena|senha|пароль|sifre)(?![\\p{L}])[^.!?\\n]{0,80}(?:in|into|im|dans|en|no|в)\\s+(?:the\\s+|le\\s+|el\\s+)?(?:chat|conversation|reply|message)`,
);

// A parameter that takes such a code (`otp`, `pin`, `tan`, `verification_code`): asking the user for it is how the tool is used.
const CODE_PARAM =
  /(?:^|[_\s-])(?:otp|pin|tan|passcode|password|totp|mfa|2fa|cvv|cvc)(?:$|[_\s-])|(?:sms|auth|security|one_?time)[_\s-]?code|verification|passphrase|mnemonic|seed/;

/**
 * Whether a sentence has the model ask the user for a bank or one-time code, a card code, a recovery phrase, or a
 * password typed into the chat — one none of the tool's parameters (lower-case names in `params`) takes.
 */
export function asksUserForSecret(s: string, params: ReadonlySet<string>): boolean {
  if (!ASK_USER.test(s) || !(CREDENTIAL.test(s) || PASSWORD_IN_CHAT.test(s))) return false;
  for (const p of params) if (CODE_PARAM.test(p)) return false;
  return true;
}

// Encoded, then made into a host name or a link: a channel that carries data past an address check.
const ENCODE = /(?:hex|base ?64|base ?32|url|percent)[- ]?encod|encode|codific|kodier|编码|エンコード|인코딩|кодир/u;
const HOST_PART =
  /(?<![\p{L}])(?:subdomains?|sub-domains?|hostnames?|host names?|dns (?:name|query|lookup)s?|sous-domaines?|subdominios?|subdomains?|sottodomini[oi]?|поддомен\p{L}*)(?![\p{L}])|子域名|サブドメイン|하위 도메인/u;
const CONTEXT_SECRET =
  /(?<![\p{L}])(?:environment variables?|env vars?|tokens?|api keys?|secrets?|passwords?|credentials?|connection strings?|cookies?|session ids?)(?![\p{L}])/u;

/** Whether a sentence has secrets encoded into a host name (a DNS lookup carries them out). */
export function encodesIntoHost(s: string): boolean {
  return ENCODE.test(s) && HOST_PART.test(s) && CONTEXT_SECRET.test(s);
}

const SEND_COPY =
  /(?<![\p{L}])(?:envia|envie|enviar|reenvia|manda|envoie|envoyez|transfere|transferez|sende|senden|schicke|schicken|invia|inoltra|encaminhe|stuur|wyslij|gonder\p{L}*|отправ\p{L}*|перешли)(?![\p{L}])|发送|转发|抄送|送信|転送|보내|전달/u;
const A_COPY = /(?<![\p{L}])(?:una copia|une copie|eine kopie|uma copia|een kopie|kopie|bir kopya\p{L}*|копи\p{L}*|نسخة)(?![\p{L}])|副本|一份|コピー|사본/u;
const ADDRESS = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?:\/\//u;

/** Whether a sentence orders a copy sent to an address the definition spells out, in a language other than English. */
export function sendsCopyOut(s: string): boolean {
  return ADDRESS.test(s) && SEND_COPY.test(s) && A_COPY.test(s) && ORDER.test(s);
}
