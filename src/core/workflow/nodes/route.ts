import { z } from 'zod';
import { UpstreamUrl } from '../../proxy.js';
import { CelExpression, NodeBase } from '../common.js';

const RouteGroup = z.strictObject({
  /** The group's name: the route chosen, as the trace and the request log show it. */
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, - and _'),
  /** The group's targets, balanced round-robin with the proxy's passive health checks. */
  upstreams: z.array(UpstreamUrl).min(1).max(32),
  /** Chosen when this CEL expression is true (groups with `when` are tried in order, first). */
  when: CelExpression.optional(),
  /** Otherwise chosen by weight among the groups without `when`, e.g. 90 and 10 for a canary. */
  weight: z.number().int().min(0).max(10_000).default(1),
  /** The backend credential (by name) the group's calls carry instead of the proxy's. */
  backendCredential: z.string().trim().min(1).max(200).optional(),
});

/** Sends the call to one of several upstream target groups, by condition or by weight; none chosen means the proxy's own upstreams. */
export const RouteNode = z.strictObject({
  type: z.literal('route'),
  ...NodeBase,
  groups: z.array(RouteGroup).min(1).max(20),
});
