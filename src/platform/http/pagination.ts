/**
 * Cursor pagination: the cursor is opaque to clients (base64url of the last id and the sort
 * direction), and stable under inserts because ids are time-ordered UUIDv7s.
 */

import { AppError } from '../errors.js';
import { z } from '../zod.js';

export const MAX_LIMIT = 100;

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(20),
  cursor: z.string().max(200).optional(),
  sort: z.enum(['createdAt', '-createdAt']).default('-createdAt'),
});

export interface Cursor {
  id: string;
  desc: boolean;
}

export const encodeCursor = (c: Cursor): string =>
  Buffer.from(JSON.stringify([c.id, c.desc ? 1 : 0])).toString('base64url');

export function decodeCursor(raw: string): Cursor {
  try {
    const [id, desc] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof id === 'string' && z.uuid().safeParse(id).success && (desc === 0 || desc === 1))
      return { id, desc: desc === 1 };
  } catch {
    // fall through
  }
  throw new AppError('bad_request', 'the cursor is not valid; use nextCursor from a previous page');
}
