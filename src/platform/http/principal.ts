import { ROLES, type Role } from '../../domains/identity/tables.js';

/** Who is calling, in which tenant, with which role. Set by the auth middleware. */
export interface Principal {
  tenantId: string;
  role: Role;
  actor: { type: 'api_key' | 'user'; id: string };
  /** The API key's id, for per-key rate limits; absent for user sessions. */
  keyId?: string;
  /** Requests per minute the tenant's plan allows. */
  rateLimitPerMinute: number;
  /** Browser origins the tenant allows (tenant settings `corsOrigins`). */
  corsOrigins: string[];
}

/** viewer reads · agent works conversations · admin configures · owner manages keys, members and the tenant. */
const RANK: Record<Role, number> = { viewer: 0, agent: 1, admin: 2, owner: 3 };

export const atLeast = (role: Role, minimum: Role): boolean => RANK[role] >= RANK[minimum];

export { ROLES, type Role };
