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

/** How many undescribed parameters (at any depth of a schema's `properties`) are named for the model's context and not explained by `prose` (lower-case); bounded walk. */
export function contextParamCount(schema: unknown, prose: string): number {
  let found = 0;
  const stack: unknown[] = [schema];
  let left = 20_000;
  while (stack.length > 0 && left-- > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) for (const item of node) stack.push(item);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
        if (key === 'properties' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
          for (const [name, prop] of Object.entries(value as Record<string, unknown>)) {
            const described =
              prop !== null &&
              typeof prop === 'object' &&
              typeof (prop as { description?: unknown }).description === 'string' &&
              (prop as { description: string }).description.trim() !== '';
            const words = wordsOf(name).trim().toLowerCase().replace(/\s+/g, ' ');
            if (!described && CONTEXT_NAME.test(words) && !prose.includes(words)) found++;
          }
        }
        stack.push(value);
      }
    }
  }
  return found;
}
