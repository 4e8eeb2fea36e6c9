import { z } from 'zod';
import { Description, Id, Name, Stored } from './common.js';
import { ResourceType } from './resources.js';

export const Role = z.enum(['viewer', 'modifier', 'admin']);
export type Role = z.infer<typeof Role>;

/** Narrows a `modifier`: only these resource types and/or these collections. */
export const RoleScope = z.strictObject({
  resourceTypes: z.array(ResourceType).min(1).optional(),
  collectionIds: z.array(Id).min(1).optional(),
});
export type RoleScope = z.infer<typeof RoleScope>;

export const RoleBindingInput = z
  .strictObject({
    subject: z.string().min(1).max(300).optional(),
    group: z.string().min(1).max(300).optional(),
    role: Role,
    scope: RoleScope.default({}),
    description: Description.default(''),
  })
  .refine((b) => (b.subject === undefined) !== (b.group === undefined), 'give exactly one of subject or group');
export const RoleBinding = z.object({
  ...Stored,
  subject: z.string().optional(),
  group: z.string().optional(),
  role: Role,
  scope: RoleScope,
  description: z.string(),
});
export type RoleBinding = z.infer<typeof RoleBinding>;

export const ServiceAccountInput = z.strictObject({
  name: Name.regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash, underscore'),
  description: Description.default(''),
  role: Role,
  scope: RoleScope.default({}),
  /** May exchange users' access tokens for tokens at virtual MCP servers, acting for them (RFC 8693). */
  actForUsers: z.boolean().default(false),
});
/** A service account as reads show it; the OAuth client id is its subject. */
export const ServiceAccount = z.object({
  ...Stored,
  name: z.string(),
  description: z.string(),
  clientId: z.string(),
  role: Role,
  scope: RoleScope,
  actForUsers: z.boolean().default(false),
});
export type ServiceAccount = z.infer<typeof ServiceAccount>;

export const UserInput = z.strictObject({
  username: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9._@-]+$/),
  password: z.string().min(12).max(200),
  /** Left out for a consumer, who only signs in to the Gateway MCP as a profile naming them. */
  role: Role.optional(),
  scope: RoleScope.default({}),
});
export const User = z.object({ ...Stored, username: z.string(), disabled: z.boolean() });
export type User = z.infer<typeof User>;

/** Who is acting: resolved from a verified token (or the local CLI). */
export const Principal = z.object({
  subject: z.string(),
  name: z.string(),
  kind: z.enum(['user', 'service']),
  groups: z.array(z.string()).default([]),
  /** The OAuth client the token was issued to (e.g. an MCP client). */
  clientId: z.string().optional(),
});
export type Principal = z.infer<typeof Principal>;
