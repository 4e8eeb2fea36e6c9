import { describe, expect, it } from 'vitest';
import { judgedRoles } from './chat-roles.js';

const read = (json: unknown, ...roles: ('system' | 'developer' | 'user' | 'assistant' | 'tool')[]) => judgedRoles(json, new Set(roles));

describe('the part of a chat API body read for the roles asked', () => {
  it('leaves out the messages of other roles (OpenAI), and puts a redaction of what was read back around them', () => {
    const body = {
      model: 'm',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
      ],
    };
    const view = read(body, 'user');
    expect(view?.judged).toEqual({ model: 'm', messages: [null, { role: 'user', content: 'hi' }, null] });
    const redacted = { model: 'm', messages: [null, { role: 'user', content: '[X]' }, null] };
    expect(view?.restore(redacted)).toEqual({ ...body, messages: [body.messages[0], { role: 'user', content: '[X]' }, body.messages[2]] });
  });

  it("reads Anthropic's system text and Gemini's model role as the system's and the assistant's", () => {
    expect(read({ system: 'Be brief.', messages: [{ role: 'user', content: 'hi' }] }, 'user')?.judged).toEqual({
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(
      read({ systemInstruction: { parts: [{ text: 'Be brief.' }] }, contents: [{ role: 'model', parts: [{ text: 'ok' }] }] }, 'user', 'tool')?.judged,
    ).toEqual({ contents: [null] });
  });

  it('reads every item with no role or a role it does not know, and is no view when nothing is left out', () => {
    const responses = {
      instructions: 'Be brief.',
      input: [
        { type: 'function_call_output', output: 'x' },
        { role: 'narrator', content: 'y' },
      ],
    };
    expect(read(responses, 'user')?.judged).toEqual({ input: responses.input });
    expect(read({ messages: [{ role: 'user', content: 'hi' }] }, 'user')).toBeNull();
    expect(read('plain text', 'user')).toBeNull();
    expect(read([{ role: 'system', content: 'x' }], 'user')).toBeNull();
  });
});
