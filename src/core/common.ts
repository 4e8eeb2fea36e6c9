import { z } from 'zod';

export const Id = z.string().min(1).max(64);
export const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes, starting with a letter or digit');
export const Name = z.string().trim().min(1).max(200);
export const Description = z.string().max(4000);
export const Timestamp = z.string();

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const HttpMethod = z.enum(HTTP_METHODS);
export type HttpMethod = z.infer<typeof HttpMethod>;

/** Fields the store adds to every resource. */
export const Stored = { id: Id, createdAt: Timestamp, updatedAt: Timestamp, version: z.number().int() };

/** Cursor pagination shared by every list operation. */
export const Page = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
};

export const Channel = z.enum(['api', 'mcp', 'cli', 'console']);
export type Channel = z.infer<typeof Channel>;
