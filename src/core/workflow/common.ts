import { z } from 'zod';

/** A node's id: unique within its workflow, named in traces, errors and the request log. */
export const NodeId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, - and _, starting with a letter or digit');

/**
 * Text with `{{path}}` placeholders filled in from the call: `request.method`, `request.path`,
 * `request.id`, `request.params.<name>`, `request.query.<name>`, `request.headers.<name>`,
 * `caller.client.id|name`, `caller.profile.id|name`, `claims.<name>`, `ip`, `time.iso`,
 * `time.unix`, and in the response phase `response.status`.
 */
export const Template = z.string().max(4_000);

/** A CEL expression (https://cel.dev) over the call; see the workflow section of the README for its variables. */
export const CelExpression = z.string().min(1).max(4_000);

/** An HTTP header name. */
export const HeaderName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,200}$/, 'an HTTP header name');

/** The fields every node has. */
export const NodeBase = {
  id: NodeId,
  /** What the node is for, shown in traces and the console. */
  description: z.string().max(500).optional(),
};

/** Which phase a node may run in. */
export type NodePhase = 'request' | 'response';
