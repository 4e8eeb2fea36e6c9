import { z } from 'zod';
import { Id, Stored } from './common.js';

/**
 * A person's sign-in to the Gateway MCP: an MCP app (an OAuth client of the built-in authorization
 * server) acting for the person as one consumer client and profile, chosen on the consent page.
 * Tokens from that sign-in resolve to exactly this profile; deleting the grant cuts them off.
 */
export const McpGrant = z.object({
  ...Stored,
  /** The authorization server's grant the app's tokens come from. */
  oidcGrantId: z.string(),
  profileId: Id,
  clientId: Id,
  /** Who signed in: a gateway user's id, or the subject at the IdP named by `issuer`. */
  subject: z.string(),
  username: z.string(),
  /** The external IdP the person signed in at (a profile's trusted issuer); absent for the gateway's own users. */
  issuer: z.string().optional(),
  /** The MCP app: its OAuth client id and name. */
  appClientId: z.string(),
  appName: z.string(),
});
export type McpGrant = z.infer<typeof McpGrant>;
