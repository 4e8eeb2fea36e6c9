import { z } from 'zod';
import { HeaderName, NodeBase, Template } from '../common.js';

/** Answers the call itself, without calling the upstream: a status, headers and a JSON body whose strings are templates. */
export const MockResponseNode = z.strictObject({
  type: z.literal('mock_response'),
  ...NodeBase,
  status: z.number().int().min(200).max(599).default(200),
  headers: z.record(HeaderName, Template).default({}),
  /** Any JSON; every string in it may hold `{{…}}` placeholders. */
  body: z.unknown().optional(),
});
