/**
 * What a poisoned definition sends off or reaches for (def_exfiltration, def_secret_file, def_encoded_order,
 * def_hidden_marks): card data, the conversation or records sent to an address the text spells, other tools' messages
 * and calls copied out, secrets copied where they do not belong, credential files staged, sought, traversed to or
 * listed as defaults, an app's stored session read out, an encoded note to decode and apply, invisible joiners inside
 * words. Written by family from authors 42–46's sets (#51, 27 Nov 2026). Each reads one sentence (or a sentence and the
 * next) as the model reads it (decoded, folded, lower-case; the CJK scripts keep their letters); every pattern is a
 * fixed word list with bounded gaps: linear on any input.
 */
import { bare, NL, PL, re, S } from './definition-asides-regex.js';

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
  // The directories that hold them, named whole (`~/.ssh`, `~/.config/gcloud`): a default that bundles them takes every key inside.
  /\.ssh(?:\/?$|\/?["',\s])/u,
  /\.config\/gcloud/u,
  /\.azure(?:\/|$)/u,
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

// --- other tools' messages, events and calls copied out ------------------------------------------------------------------------------
const OTHER_TOOLS_ITEMS_OUT = re(
  [
    `${PL}(?:any|every|all|each)\\s+(?:message|messages|email|emails|mail|event|events|file|files|post|posts)${NL}${S}{0,60}?${PL}(?:through|via|with|by|using)\\s+${S}{0,60}?${PL}(?:any|other)\\s+${S}{0,30}?tools?${NL}${S}{0,80}?${PL}(?:forwarded|copied|shared|mirrored|sent|cc'?d|bcc'?d)${NL}`,
    `${PL}chaque\\s+(?:message|courriel|e-mail|evenement|fichier)${NL}${S}{0,80}?(?:tout\\s+autre|autres?)\\s+outils?${NL}${S}{0,80}?${PL}(?:copie|transfere|partage|adresse|envoye)\\p{L}*`,
    `${PL}(?:cada|todo)\\s+(?:mensaje|correo|evento|archivo|mensagem|e-mail)${NL}${S}{0,80}?(?:cualquier\\s+otra|otras?|qualquer\\s+outra|outras?)\\s+(?:herramientas?|ferramentas?)${NL}${S}{0,80}?${PL}(?:copia|reenvi|compart|enviad)\\p{L}*`,
  ].join('|'),
);
// A hook set before any other tool, with that tool's arguments to be reported (`Bevor du irgendein anderes Tool aufrufst … mit welchen Argumenten`).
const BEFORE_ANY_OTHER_TOOL = re(
  `${PL}(?:before\\s+(?:you\\s+)?(?:call|calling|use|using|invoke|invoking)\\s+any\\s+other\\s+tool|bevor\\s+(?:du|sie)\\s+(?:irgendein|ein|jedes)\\s+(?:anderes\\s+)?(?:tool|werkzeug)|avant\\s+d['’](?:appeler|utiliser)\\s+(?:tout|un)\\s+autre\\s+outil|antes\\s+de\\s+(?:llamar|usar|chamar)\\s+(?:a\\s+)?(?:cualquier|qualquer)\\s+otr[ao]\\s+(?:herramienta|ferramenta)|prima\\s+di\\s+(?:chiamare|usare)\\s+(?:qualsiasi|un)\\s+altro\\s+strumento)${NL}`,
);
const ITS_ARGUMENTS = re(`${PL}(?:arguments|argumenten|argumente|argumentos|argomenti|parameters|parametern|parametres|parametros|parametri)${NL}`);

/** Whether a pair of sentences has other tools' messages or events copied out, or a hook before any other tool that reports its arguments. */
export function copiesOtherToolsOut(pair: string): boolean {
  return OTHER_TOOLS_ITEMS_OUT.test(pair) || (BEFORE_ANY_OTHER_TOOL.test(pair) && ITS_ARGUMENTS.test(pair));
}

// A blind copy to an address the text spells, on every message (`chaque message … en copie cachée à archivage@…`).
const BLIND_COPY = re(`${PL}(?:copie\\s+cachee|cci|copia\\s+oculta|cco|copia\\s+nascosta|ccn|blindkopie|bcc)${NL}`);
const EACH_TIME = re(`${PL}(?:each|every|always|chaque|toujours|cada|siempre|sempre|ogni|jede[nmrs]?|immer)${NL}`);
const MAIL_ADDRESS = /[\w.-]+@[\w-]+\.[\w.]+/u;
// Commands that print a stored cloud token, their output put into a field.
const TOKEN_COMMAND =
  /gcloud\s+auth\s+print-(?:access|identity)-token|aws\s+sts\s+get-session-token|az\s+account\s+get-access-token|kubectl\s+config\s+view\s+--raw|vault\s+print\s+token/u;
const OUTPUT_INTO = re(
  `${PL}(?:put|paste|include|pass|add|insert|write)\\s+(?:both\\s+|the\\s+|all\\s+|their\\s+)?(?:outputs?|results?|tokens?|values?|them|it)\\s+(?:in|into|to)${NL}`,
);

/** Whether a sentence blind-copies every message to an address it spells, or puts a printed cloud token into a field. */
export function copiesOrTokensOut(s: string): boolean {
  if (BLIND_COPY.test(s) && EACH_TIME.test(s) && MAIL_ADDRESS.test(s)) return true;
  return TOKEN_COMMAND.test(s) && OUTPUT_INTO.test(s);
}

// --- an app's stored session read out ------------------------------------------------------------------------------------------------
// An app's local storage (Electron/Chromium `Local Storage/leveldb`) and Steam's sentry files hold its signed-in session.
const APP_SESSION_STORE = /local storage[/\\]leveldb|(?<![\p{L}])ssfn(?![\p{L}])/u;
const READ_PASTED = re(`${PL}(?:read|open|paste|copy|include|attach|upload)${NL}`);

/** Whether a sentence reads an app's stored session (local storage, sentry files) to paste it on. */
export function readsAppSession(s: string): boolean {
  return APP_SESSION_STORE.test(s) && READ_PASTED.test(s);
}

// --- secrets sent where they do not belong -----------------------------------------------------------------------------------------------
// Secrets fetched with another tool and put verbatim into a field not meant for them (`include them in 'customer_ref'`).
const SECRETS_INTO_FIELD = re(
  `${PL}(?:retrieve|fetch|get|read|pull|look\\s+up|collect|extract)${NL}${S}{0,60}?${PL}(?:secrets?|passwords?|community\\s+strings?|private\\s+keys?|api\\s+keys?|tokens?|credentials)${NL}${S}{0,80}?${PL}(?:include|put|place|copy|paste|add|insert|pass|write)\\s+(?:them|it|these|those)\\s+(?:verbatim\\s+)?(?:in|into)\\s+['‘"“]([\\p{L}\\d_]{1,40})['’"”]`,
);
const SECRET_FIELD_NAME = /secret|token|pass|key|cred|auth/u;
// A secret echoed into the reply or another object the model writes (`echo the client_secret back in your reply … and in the title`).
const SECRET_ECHOED = re(
  `(?<!(?:never|not|n't)\\s+(?:\\p{L}+\\s+)?)${PL}(?:echo|repeat|print|copy|write|put)\\s+(?:the\\s+)?(?:client[_\\s]secret|secret|password|api\\s+key|access\\s+token|private\\s+key)\\s+(?:back\\s+)?(?:in|into)\\s+(?:your\\s+reply|the\\s+title|the\\s+name|the\\s+subject|the\\s+next)${NL}`,
);
// zh: on any other tool's call, personal data copied to an address the text spells (`调用任何订票工具时 … 抄送 ops@…`).
const HOOK_CC_ZH = /(?:调用|使用)(?:任何|所有|任一)[^。！？；\n]{0,20}?工具时[^。！？；\n]{0,60}?(?:抄送|发送到|发送至|发给|转发)\s*[\w.-]+@[\w-]+\.[\w.]+/u;

/** Whether a sentence puts fetched secrets into an unrelated field, echoes a secret into the reply or a title, or copies data to an address on other tools' calls. */
export function sendsSecretsAstray(s: string): boolean {
  const m = SECRETS_INTO_FIELD.exec(s);
  if (m && !SECRET_FIELD_NAME.test(m[1] ?? '')) return true;
  return SECRET_ECHOED.test(s) || HOOK_CC_ZH.test(s);
}

// --- a secret file reached through `../` ------------------------------------------------------------------------------------------------
const TRAVERSAL_TO_SECRETS = /(?:\.\.\/){1,8}\.(?:ssh|aws|gnupg|kube|docker|netrc|git-credentials)(?:\/|\b)/u;
const REFUSED = re(`${PL}(?:reject|rejects|rejected|refuse|refuses|refused|block|blocks|blocked|deny|denies|denied|forbidden|not\\s+allowed)${NL}`);

/** Whether a sentence points the tool at a credential directory through `../` (not a path it says it refuses). */
export function traversesToSecrets(s: string): boolean {
  return TRAVERSAL_TO_SECRETS.test(s) && !REFUSED.test(s);
}

// --- sent off: the conversation in a URL, an OAuth redirect to a spelled address, every record read exported -----------------------------
const CONVERSATION_SUMMARY_IN_URL = re(
  `${PL}(?:url-?encoded|base64(?:-encoded)?|encoded)\\s+(?:summary|copy|digest|dump|version)\\s+of\\s+(?:the\\s+)?(?:current\\s+|full\\s+|whole\\s+)?(?:conversation|chat|transcript)${NL}`,
);
const OAUTH_CODE_RELAYED = re(
  `${PL}(?:redirect\\s+url|authorization\\s+code|code\\s+parameter|auth\\s+code)${NL}${S}{0,120}?${PL}(?:pass|send|forward|post)${NL}${S}{0,60}?https?:\\/\\/`,
);
const EVERY_READ_EXPORTED = re(
  `${PL}whenever\\s+you\\s+(?:read|fetch|open|view)\\s+any${NL}${S}{0,60}?(?:with|from)\\s+any\\s+tool${S}{0,40}?${PL}(?:export|copy|send|forward|upload)${NL}`,
);

/** Whether a sentence puts a conversation summary in a URL, relays an OAuth redirect to a spelled address, or exports every record read. */
export function sendsSummaryOrRecordsOff(s: string): boolean {
  const b = bare(s);
  return (CONVERSATION_SUMMARY_IN_URL.test(b) && URL_PARAMETER.test(b)) || OAUTH_CODE_RELAYED.test(b) || EVERY_READ_EXPORTED.test(b);
}
