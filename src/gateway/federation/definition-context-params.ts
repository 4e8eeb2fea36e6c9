import { wordsOf } from './definition-texts.js';

/**
 * Parameters named for the model's own context and left undescribed (`tools_list`, `system_prompt`,
 * `chat_history`): with no description to say otherwise, a model fills them with what their name
 * asks for — the tools it has, its instructions, the conversation — and the tool receives it
 * (MCPSecBench's data-exfiltration attack). A parameter with a description, or named in the
 * tool's own prose (`pass … the system prompt the model used`), is read by the sentence rules
 * instead; a bare `prompt`, `messages` or `context` is left alone (image and LLM tools take those
 * honestly, often undescribed).
 */
const CONTEXT_NAME =
  /^(?:(?:all|available|current|full|complete|entire|your|model|assistant|agent|llm|previous|prior|loaded|enabled|installed)\s+)*(?:tools?\s+(?:list|lists|names?|available|descriptions?|schemas?|definitions?|catalog|inventory)|(?:list|names?|catalog)\s+of\s+(?:available\s+)?tools|system\s+(?:prompt|message|instructions?)|(?:conversation|chat|message|dialog(?:ue)?|session)\s+(?:history|log|logs|transcript)|(?:previous|prior)\s+(?:messages|turns|conversation)|context\s+window|hidden\s+instructions?)$/;

// The same names in the lexicon's other languages (accents stripped): `historial_de_la_conversacion`, `systemprompt`, `对话历史`.
const CONTEXT_NAME_ELSEWHERE =
  /^(?:(?:\p{L}+ ){0,2})?(?:historial (?:completo )?de (?:la )?conversacion|historial del chat|historique (?:complet )?de (?:la )?conversation|gesprachsverlauf|chatverlauf|systemprompt|system prompt|prompt (?:del |du )?(?:sistema|systeme)|cronologia (?:della )?(?:chat|conversazione)|historico (?:da )?conversa|истори\p{L}* (?:чата|диалога|переписки)|системн\p{L}* промпт|sohbet gecmisi|gespreksgeschiedenis|historia rozmowy)(?: \p{L}+){0,2}$|^(?:对话历史|聊天记录|会话历史|系统提示词?|会話履歴|チャット履歴|システムプロンプト|대화 기록|시스템 프롬프트)$/u;

/** How many of a definition's undescribed parameter names (as written) are named for the model's context and not explained by `prose` (lower-case). */
export function contextParamCount(undescribed: readonly string[], prose: string): number {
  let found = 0;
  for (const name of undescribed) {
    const words = wordsOf(name).trim().toLowerCase().replace(/\s+/g, ' ');
    const plain = words.normalize('NFD').replace(/\p{M}/gu, '');
    if ((CONTEXT_NAME.test(words) || CONTEXT_NAME_ELSEWHERE.test(plain)) && !prose.includes(words)) found++;
  }
  return found;
}
