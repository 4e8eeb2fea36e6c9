/**
 * The token-count thread: counts the texts it is sent with the same tokenizer as the main thread
 * (o200k_base, gpt-tokenizer), so a tool result is counted exactly without holding the event loop
 * that serves calls (see countThen). A batch in, its counts out, in order.
 */
import { parentPort } from 'node:worker_threads';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { AS_PLAIN_TEXT } from './token-plain-text.js';

interface CountBatch {
  id: number;
  texts: string[];
}

parentPort?.on('message', (batch: CountBatch) => {
  parentPort?.postMessage({ id: batch.id, counts: batch.texts.map((t) => countTokens(t, AS_PLAIN_TEXT)) });
});
