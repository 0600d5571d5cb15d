import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ROLES } from '../../platform/http/principal.js';
import { emptyJsonObject, emptyTextArray, idColumn, inValues, timestamps } from '../../schema/columns.js';
import { tenantTable } from '../../schema/tenant-table.js';

/** Roles are defined by the HTTP toolkit (platform/http/principal.ts); re-exported for the tables that store them. */
export { ROLES, type Role } from '../../platform/http/principal.js';

export const USER_STATUSES = ['active', 'inactive', 'pending', 'suspended'] as const;

/**
 * Global: a person who can log in. One account may belong to several tenants (memberships).
 * Email is unique case-insensitively; the password is an argon2id hash, never readable by the
 * request role (column privileges, see migrations).
 */
export const users = pgTable(
  'users',
  {
    id: idColumn().primaryKey(),
    email: text('email').notNull(),
    name: text('name'),
    avatarUrl: text('avatar_url'),
    passwordHash: text('password_hash'),
    status: text('status', { enum: USER_STATUSES }).notNull().default('active'),
    /** Operators of the Frontdesk installation itself (seed 004's master_admin). */
    isPlatformAdmin: boolean('is_platform_admin').notNull().default(false),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default(emptyJsonObject),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    inValues('users_status_check', t.status, USER_STATUSES),
  ],
);

/** A user's role in one tenant. */
export const memberships = tenantTable(
  'memberships',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('memberships_tenant_user_key').on(t.tenantId, t.userId),
    index('memberships_user_idx').on(t.userId),
    inValues('memberships_role_check', t.role, ROLES),
  ],
);

export const INVITATION_STATUSES = ['pending', 'accepted', 'expired', 'revoked'] as const;

/** An invitation to join a tenant, redeemed by token (only its SHA-256 is stored). */
export const invitations = tenantTable(
  'invitations',
  {
    email: text('email').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    tokenHash: text('token_hash').notNull(),
    status: text('status', { enum: INVITATION_STATUSES }).notNull().default('pending'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('invitations_tenant_token_key').on(t.tenantId, t.tokenHash),
    index('invitations_tenant_email_idx').on(t.tenantId, sql`lower(${t.email})`),
    inValues('invitations_role_check', t.role, ROLES),
    inValues('invitations_status_check', t.status, INVITATION_STATUSES),
  ],
);

/**
 * An API key: `fd_<prefix>_<secret>`. Only the prefix (for lookup and display) and the SHA-256
 * of the whole key are stored; the key itself is shown once, at creation.
 */
export const apiKeys = tenantTable(
  'api_keys',
  {
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    scopes: text('scopes').array().notNull().default(emptyTextArray),
    role: text('role', { enum: ROLES }).notNull().default('admin'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    // A bare key finds its tenant by prefix (platform path, api_keys_prefix_idx). Prefixes are 48
    // random bits, and a clash would still be told apart by the hash; uniqueness is per tenant
    // so that the constraint includes tenant_id (Citus).
    uniqueIndex('api_keys_tenant_prefix_key').on(t.tenantId, t.prefix),
    index('api_keys_prefix_idx').on(t.prefix),
    inValues('api_keys_role_check', t.role, ROLES),
  ],
);

/**
 * Global: a logged-in user's session. Only the SHA-256 of the token is stored; the request
 * role has no access (sessions are resolved on the platform path).
 */
export const userSessions = pgTable(
  'user_sessions',
  {
    id: idColumn().primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('user_sessions_token_key').on(t.tokenHash),
    index('user_sessions_user_idx').on(t.userId),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Membership = typeof memberships.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
