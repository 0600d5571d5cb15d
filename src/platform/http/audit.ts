/**
 * Audit: every write records who did what to which resource, in the same transaction as the
 * write. The row is written with the transaction's COMMIT, in its round trip (deferToCommit):
 * nothing in a request reads its own audit row back, and a failure still undoes the write.
 */
import type { Context } from 'hono';
import { insertStatement } from '../db/compiled.js';
import { deferToCommit, type Tx } from '../db/database.js';
import type { AppEnv } from './context.js';
import { toJsonValue } from './json-value.js';
import { auditLog } from './tables.js';

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  oldValues?: unknown;
  newValues?: unknown;
}

type Json = Record<string, unknown>;

/** JSON-safe copy (Dates as ISO strings), without secrets. */
function clean(values: unknown): Json | null {
  if (values === undefined || values === null) return null;
  const copy = toJsonValue(values) as Json;
  for (const k of ['keyHash', 'tokenHash', 'passwordHash', 'secret', 'secrets', 'previousSecret']) {
    if (k in copy) copy[k] = '[redacted]';
  }
  return copy;
}

export async function audit(tx: Tx, c: Context<AppEnv>, entry: AuditEntry): Promise<void> {
  const p = c.get('principal');
  await deferToCommit(
    tx,
    insertStatement(tx, auditLog, {
      tenantId: p.tenantId,
      actorType: p.actor.type,
      actorId: p.actor.id,
      action: entry.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId ?? null,
      oldValues: clean(entry.oldValues),
      newValues: clean(entry.newValues),
      ip: c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ?? null,
      userAgent: c.req.header('user-agent') ?? null,
      requestId: c.get('requestId'),
    }),
  );
}
