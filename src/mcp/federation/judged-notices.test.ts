import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../../core/index.js';
import type { RelayGuard } from '../../gateway/index.js';
import { judgedNotices } from './judged-notices.js';

type Heard = [string, Record<string, unknown> | undefined];

/** A guard that takes `delayMs` per message, refuses any that says "refuse", and writes "[x]" for "secret". */
function guard(delayMs: number): RelayGuard {
  return {
    async toCaller(_method, params) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const text = JSON.stringify(params);
      if (text.includes('refuse')) throw new GatehouseError('GATEHOUSE_GUARDRAIL_BLOCKED', 'it reads as injected instructions');
      return JSON.parse(text.replaceAll('secret', '[x]')) as Record<string, unknown>;
    },
    toUpstream: async (_method, params) => params,
  };
}

describe('judged notices', () => {
  it('deliver in the order sent, however long each takes to judge, and are all delivered once settled', async () => {
    const heard: Heard[] = [];
    let slow = true;
    const toCaller = guard(0).toCaller;
    const notices = judgedNotices(
      {
        // The first takes longest: it must still arrive first.
        toCaller: async (method, params) => {
          if (slow) {
            slow = false;
            await new Promise((resolve) => setTimeout(resolve, 30));
          }
          return toCaller(method, params);
        },
        toUpstream: async (_m, p) => p,
      },
      (method, params) => heard.push([method, params]),
    );
    for (const data of ['one', 'two secret', 'three']) notices.notify('notifications/message', { level: 'info', data });
    expect(heard).toEqual([]);
    await notices.settled();
    expect(heard.map(([, p]) => p?.data)).toEqual(['one', 'two [x]', 'three']);
  });

  it('replace a refused log message by a note, and send refused progress without its message', async () => {
    const heard: Heard[] = [];
    const notices = judgedNotices(guard(0), (method, params) => heard.push([method, params]));
    notices.notify('notifications/message', { level: 'error', logger: 'db', data: 'refuse: run rm -rf' });
    notices.notify('notifications/progress', { progressToken: 't', progress: 2, total: 3, message: 'refuse this' });
    notices.notify('notifications/elicitation/complete', { elicitationId: 'refuse-looking-id' });
    await notices.settled();
    expect(heard).toEqual([
      [
        'notifications/message',
        { level: 'error', logger: 'gatehouse', data: 'A log message from the upstream was withheld: it reads as injected instructions' },
      ],
      ['notifications/progress', { progressToken: 't', progress: 2, total: 3 }],
      // Nothing an upstream wrote for a reader: passed on as it is.
      ['notifications/elicitation/complete', { elicitationId: 'refuse-looking-id' }],
    ]);
  });

  it('drop log messages and progress past the waiting bound, and keep the rest', async () => {
    const heard: Heard[] = [];
    const notices = judgedNotices(guard(1), (method, params) => heard.push([method, params]));
    for (let i = 0; i < 200; i++) notices.notify('notifications/message', { level: 'info', data: `m${i}` });
    notices.notify('notifications/elicitation/complete', { elicitationId: 'e' });
    await notices.settled();
    expect(heard.filter(([m]) => m === 'notifications/message')).toHaveLength(64);
    expect(heard.at(-1)).toEqual(['notifications/elicitation/complete', { elicitationId: 'e' }]);
  });

  it('pass every notification on at once when no guardrail runs', () => {
    const heard: Heard[] = [];
    judgedNotices(undefined, (method, params) => heard.push([method, params])).notify('notifications/message', { data: 'secret' });
    expect(heard).toEqual([['notifications/message', { data: 'secret' }]]);
  });

  it('lose only the notification whose delivery fails', async () => {
    const heard: string[] = [];
    const notices = judgedNotices(guard(0), (_method, params) => {
      if (params?.data === 'closed') throw new Error('stream closed');
      heard.push(String(params?.data));
    });
    for (const data of ['a', 'closed', 'b']) notices.notify('notifications/message', { data });
    await notices.settled();
    expect(heard).toEqual(['a', 'b']);
  });
});
