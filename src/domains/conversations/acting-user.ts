import type { Context } from 'hono';
import type { AppEnv } from '../../platform/http/context.js';

/** The calling user, or null when the caller is an API key (the `*_by` columns reference users). */
export const actingUser = (c: Context<AppEnv>): string | null => {
  const { actor } = c.get('principal');
  return actor.type === 'user' ? actor.id : null;
};
