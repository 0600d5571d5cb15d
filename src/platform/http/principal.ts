import { AppError } from '../errors.js';

/** Roles, highest first. */
export const ROLES = ['owner', 'admin', 'agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

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

/** Refuses the request (403) unless the caller's role is at least `minimum`. */
export function requireRole(c: { get(k: 'principal'): { role: Role } }, minimum: Role): void {
  if (!atLeast(c.get('principal').role, minimum)) {
    throw new AppError('forbidden', `this needs the ${minimum} role or higher`);
  }
}
